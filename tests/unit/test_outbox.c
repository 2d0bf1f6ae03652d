/*
 * Unit tests for the notification outbox (domain/outbox.c): the retry
 * backoff, the mail it writes (headers, RFC 2047 subject, CRLF body), and
 * what a delivery attempt records on the row.  The .c is included to reach
 * its static functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notifications/outbox.c"
#include "util/text.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- backoff ---- */

static void test_backoff_doubles_from_one_minute(void **state)
{
	(void)state;
	assert_int_equal(outbox_backoff(1), 60);
	assert_int_equal(outbox_backoff(2), 120);
	assert_int_equal(outbox_backoff(3), 240);
	assert_int_equal(outbox_backoff(4), 480);
	assert_int_equal(outbox_backoff(7), 3840);
	assert_int_equal(outbox_backoff(8), 7680);
	assert_int_equal(outbox_backoff(9), 15360);
}

static void test_backoff_is_capped_at_six_hours(void **state)
{
	(void)state;
	assert_int_equal(outbox_backoff(10), 21600);
	assert_int_equal(outbox_backoff(63), 21600);
	assert_int_equal(outbox_backoff(64), 21600);
	assert_int_equal(outbox_backoff(INT_MAX), 21600);
}

static void test_backoff_before_any_failure_is_zero(void **state)
{
	(void)state;
	assert_int_equal(outbox_backoff(0), 0);
	assert_int_equal(outbox_backoff(-3), 0);
}

/* ---- subject ---- */

static char *subject_of(const char *s)
{
	struct buf b = BUF_INIT;
	encode_subject(&b, s);
	char *out = strdup(b.p ? b.p : "");
	buf_release(&b);
	return out;
}

static void test_subject_ascii_stays_plain(void **state)
{
	(void)state;
	char *s = subject_of("Receipt R7-003");
	assert_string_equal(s, "Receipt R7-003");
	free(s);
}

static void test_subject_japanese_is_one_base64_word(void **state)
{
	(void)state;
	char *s = subject_of("受付のお知らせ");
	assert_string_equal(s, "=?UTF-8?B?5Y+X5LuY44Gu44GK55+l44KJ44Gb?=");
	free(s);
}

static void test_subject_line_breaks_cannot_add_headers(void **state)
{
	(void)state;
	char *s = subject_of("hello\r\nBcc: victim@example.jp");
	assert_string_equal(s, "hello  Bcc: victim@example.jp");
	assert_null(strchr(s, '\n'));
	free(s);
	s = subject_of("お知らせ\nBcc: victim@example.jp");
	assert_null(strchr(s, '\n'));
	assert_null(strstr(s, "Bcc"));
	free(s);
}

/* A long subject folds into several encoded words, each a whole number of
 * characters, each line within 76 with the header name; decoded and joined
 * they give the subject back. */
static void test_long_subject_folds_into_whole_character_words(void **state)
{
	(void)state;
	const char *subject =
	    "【協働のまちづくりチャレンジ事業】令和7年度の企画提案書を受け付けました"
	    "（受付番号R7-一般-003）";
	char *s = subject_of(subject);
	struct buf joined = BUF_INIT;
	int words = 0;
	size_t first_prefix = strlen("Subject: ");
	for (char *line = s; line && *line; words++) {
		char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		assert_true(len + (words == 0 ? first_prefix : 0) <= 76);
		const char *w = line + (words ? 1 : 0);
		if (words)
			assert_int_equal(line[0], ' ');
		assert_memory_equal(w, "=?UTF-8?B?", 10);
		const char *b64 = w + 10;
		const char *q = strstr(b64, "?=");
		assert_non_null(q);
		unsigned char bin[128];
		size_t binlen;
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), b64, (size_t)(q - b64), NULL,
						   &binlen, NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		/* Each word decodes to valid UTF-8 on its own. */
		assert_true(text_valid_utf8((const char *)bin, binlen));
		buf_add(&joined, bin, binlen);
		line = end ? end + 2 : NULL;
	}
	assert_true(words >= 3);
	assert_string_equal(joined.p, subject);
	buf_release(&joined);
	free(s);
}

/* ---- body and message ---- */

static void test_body_lines_end_in_crlf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	add_body_text(&b, "一行目\n二行目\r\n\n四行目\rのこり");
	assert_string_equal(b.p, "一行目\r\n二行目\r\n\r\n四行目のこり");
	buf_release(&b);
}

static void test_long_body_line_is_broken_between_characters(void **state)
{
	(void)state;
	struct buf text = BUF_INIT, b = BUF_INIT;
	for (int i = 0; i < 700; i++)
		buf_adds(&text, "あ"); /* 2100 bytes */
	add_body_text(&b, text.p);
	size_t lines = 0;
	for (char *p = b.p; p; lines++) {
		char *e = strstr(p, "\r\n");
		size_t len = e ? (size_t)(e - p) : strlen(p);
		assert_true(len <= LINE_MAX_BYTES);
		assert_int_equal(len % 3, 0);
		p = e ? e + 2 : NULL;
	}
	assert_int_equal(lines, 3);
	buf_release(&text);
	buf_release(&b);
}

static void test_message_has_mime_headers_and_absolute_link(void **state)
{
	(void)state;
	struct mail m = {
	    .id = 7,
	    .created_at = 1700000000,
	    .date = 1700000000,
	    .from = "kyodo@city.example.jp",
	    .to = "yamada@example.jp",
	    .subject = "受付のお知らせ",
	    .body = "企画提案書を受け付けました。\n受付番号：R7-一般-003",
	    .link = "/proposals/12",
	    .base_url = "https://kyodo.example.jp",
	};
	struct buf b = BUF_INIT;
	build_message(&b, &m);
	const char *expect = "Date: Wed, 15 Nov 2023 07:13:20 +0900\r\n"
			     "From: kyodo@city.example.jp\r\n"
			     "To: yamada@example.jp\r\n"
			     "Subject: =?UTF-8?B?5Y+X5LuY44Gu44GK55+l44KJ44Gb?=\r\n"
			     "Message-ID: <kyodo.7.1700000000@city.example.jp>\r\n"
			     "MIME-Version: 1.0\r\n"
			     "Content-Type: text/plain; charset=UTF-8\r\n"
			     "Content-Transfer-Encoding: 8bit\r\n"
			     "Auto-Submitted: auto-generated\r\n"
			     "\r\n"
			     "企画提案書を受け付けました。\r\n"
			     "受付番号：R7-一般-003\r\n"
			     "\r\n"
			     "詳しくは次のページをご覧ください。\r\n"
			     "https://kyodo.example.jp/proposals/12\r\n"
			     "\r\n"
			     "--\r\n"
			     "このメールは送信専用のアドレスから自動で送信しています。\r\n";
	assert_string_equal(b.p, expect);
	buf_release(&b);
}

static void test_message_without_link_has_no_link_paragraph(void **state)
{
	(void)state;
	struct mail m = {.id = 1,
			 .from = "kyodo@localhost",
			 .to = "a@example.jp",
			 .subject = "x",
			 .body = "本文",
			 .link = "",
			 .base_url = ""};
	struct buf b = BUF_INIT;
	build_message(&b, &m);
	assert_null(strstr(b.p, "詳しくは"));
	assert_non_null(strstr(b.p, "\r\n\r\n本文\r\n"));
	assert_non_null(strstr(b.p, "Message-ID: <kyodo.1.0@localhost>\r\n"));
	buf_release(&b);
}

static void test_address_must_be_plain(void **state)
{
	(void)state;
	assert_true(address_ok("yamada@example.jp"));
	assert_false(address_ok("yamada@example.jp\r\nBcc: x@example.jp"));
	assert_false(address_ok("Yamada <yamada@example.jp>"));
	assert_false(address_ok("a@b.jp,c@d.jp"));
	assert_false(address_ok("nobody"));
	assert_false(address_ok(""));
}

/* ---- notify and a delivery attempt, on a real database ---- */

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
	int64_t user;
};

static int db_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/kyodo-outbox-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/k.db", f->dir);
	f->db = db_open(f->path);
	if (!f->db || db_migrate(f->db) < 0)
		return -1;
	struct db_stmt *st = db_stmt(f->db, STMT_USER_INSERT);
	db_bind_str(st, 1, "yamada@example.jp");
	db_bind_str(st, 2, "山田花子");
	db_bind_str(st, 3, "ヤマダハナコ");
	db_bind_str(st, 4, "x");
	db_bind_int(st, 5, 0);
	db_bind_int(st, 6, 1700000000);
	if (db_exec(st) != DB_OK)
		return -1;
	f->user = db_last_id(f->db);
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	char p[160];
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The notification's state, attempts, last error and next attempt. */
struct row {
	char state[16];
	int64_t attempts, next_attempt_at;
	char error[ERROR_MAX];
};

static struct row row_of(struct db *db, int64_t id)
{
	struct row r = {0};
	struct db_stmt *st = db_stmt(db, STMT_OUTBOX_LIST);
	db_bind_null(st, 1);
	db_bind_int(st, 2, 1000);
	db_bind_int(st, 3, 0);
	while (db_step(st) == DB_ROW) {
		if (db_int(st, 0) != id)
			continue;
		snprintf(r.state, sizeof(r.state), "%s", db_text(st, 6));
		r.attempts = db_int(st, 7);
		snprintf(r.error, sizeof(r.error), "%s", db_text(st, 8));
		r.next_attempt_at = db_int(st, 11);
	}
	return r;
}

static void test_notify_queues_a_pending_row_that_is_due(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(
	    notify(f->db, f->user, "receipt", "受付のお知らせ", "本文", "/proposals/1"), DB_OK);
	int64_t id = db_last_id(f->db);
	struct row r = row_of(f->db, id);
	assert_string_equal(r.state, "pending");
	assert_int_equal(r.attempts, 0);
	struct db_stmt *st = db_stmt(f->db, STMT_OUTBOX_DUE);
	db_bind_int(st, 1, (int64_t)time(NULL));
	db_bind_int(st, 2, OUTBOX_MAX_ATTEMPTS);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int(st, 0), id);
	assert_string_equal(db_text(st, 1), "受付のお知らせ");
	assert_string_equal(db_text(st, 6), "yamada@example.jp");
	db_reset(st);
}

/* Port 1 on loopback: nothing listens there, so the connection is refused
 * at once. */
static void test_failed_send_records_attempt_error_and_backoff(void **state)
{
	struct fixture *f = *state;
	ob.smtp_url = "smtp://127.0.0.1:1";
	ob.from = "kyodo@localhost";
	ob.base_url = "";
	assert_int_equal(notify(f->db, f->user, "receipt", "件名", "本文", ""), DB_OK);
	int64_t id = db_last_id(f->db);
	int64_t before = (int64_t)time(NULL);
	assert_true(deliver_one(f->db));
	struct row r = row_of(f->db, id);
	assert_string_equal(r.state, "failed");
	assert_int_equal(r.attempts, 1);
	assert_true(r.next_attempt_at >= before + 60 && r.next_attempt_at <= before + 62);
	assert_non_null(strstr(r.error, "Couldn't connect"));
	/* Not due again until the backoff has passed. */
	assert_false(deliver_one(f->db));
	ob.smtp_url = ob.from = ob.base_url = NULL;
}

static void test_disabled_user_is_skipped_without_sending(void **state)
{
	struct fixture *f = *state;
	ob.smtp_url = "smtp://127.0.0.1:1";
	ob.from = "kyodo@localhost";
	struct db_stmt *st = db_stmt(f->db, STMT_USER_UPDATE);
	db_bind_int(st, 1, f->user);
	db_bind_str(st, 2, "山田花子");
	db_bind_str(st, 3, "ヤマダハナコ");
	db_bind_int(st, 4, 0);
	db_bind_int(st, 5, 1);
	db_bind_int(st, 6, 1700000001);
	assert_int_equal(db_exec(st), DB_OK);
	assert_int_equal(notify(f->db, f->user, "receipt", "件名", "本文", ""), DB_OK);
	int64_t id = db_last_id(f->db);
	assert_true(deliver_one(f->db));
	struct row r = row_of(f->db, id);
	assert_string_equal(r.state, "skipped");
	assert_int_equal(r.attempts, 0);
	/* The reason is kept as a key; the outbox page words it. */
	assert_string_equal(r.error, "notify.skip.disabled");
	assert_string_equal(msg(r.error), "利用者が無効のため送信しません");
	ob.smtp_url = ob.from = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backoff_doubles_from_one_minute),
	    cmocka_unit_test(test_backoff_is_capped_at_six_hours),
	    cmocka_unit_test(test_backoff_before_any_failure_is_zero),
	    cmocka_unit_test(test_subject_ascii_stays_plain),
	    cmocka_unit_test(test_subject_japanese_is_one_base64_word),
	    cmocka_unit_test(test_subject_line_breaks_cannot_add_headers),
	    cmocka_unit_test(test_long_subject_folds_into_whole_character_words),
	    cmocka_unit_test(test_body_lines_end_in_crlf),
	    cmocka_unit_test(test_long_body_line_is_broken_between_characters),
	    cmocka_unit_test(test_message_has_mime_headers_and_absolute_link),
	    cmocka_unit_test(test_message_without_link_has_no_link_paragraph),
	    cmocka_unit_test(test_address_must_be_plain),
	    cmocka_unit_test_setup_teardown(test_notify_queues_a_pending_row_that_is_due, db_setup,
					    db_teardown),
	    cmocka_unit_test_setup_teardown(test_failed_send_records_attempt_error_and_backoff,
					    db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_disabled_user_is_skipped_without_sending, db_setup,
					    db_teardown),
	};
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	/* The mail's own words and the skip reasons are catalogue entries. */
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	msg_strict(true);
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return failed;
}
