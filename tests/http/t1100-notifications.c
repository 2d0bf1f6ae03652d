/*
 * t1100: notifications (お知らせ) and their delivery by e-mail.  Each user
 * sees only their own notifications, newest first, with the unread count in
 * the header until they mark them read; the outbox is for admins only; a
 * fake SMTP server inside this test receives the mail the server sends,
 * and when it is gone the failure is recorded for a later retry.
 *
 * The server inherits this process's environment, so the group setup sets
 * KYODO_SMTP_URL (the fake server), KYODO_SMTP_FROM and KYODO_BASE_URL
 * before starting it.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include "harness.h"
#include "util/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Seconds to wait for the delivery thread (it looks every 5 s; the
 * sanitizer build is slow). */
#define DELIVERY_TIMEOUT 30

/* ---- a fake SMTP server ---------------------------------------------------- */

/* One received message: the envelope and the DATA as sent (dot-stuffing
 * undone). */
struct mail_rec {
	char *from, *rcpt, *data;
	struct mail_rec *next;
};

static struct {
	int fd; /* listening socket, -1 when stopped */
	int port;
	pthread_t thread;
	pthread_mutex_t lock;
	struct mail_rec *mails; /* newest first */
	volatile int stop;
} smtp = {.fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER};

static void say(int fd, const char *line)
{
	size_t n = strlen(line);
	if (send(fd, line, n, MSG_NOSIGNAL) != (ssize_t)n) {
		/* the client went away; its transfer fails and is retried */
	}
}

/* Read one CRLF-terminated line into line (without CRLF); -1 at EOF or
 * after 10 s of silence.  pending holds bytes read past the line. */
static int read_line(int fd, char *pending, size_t *npending, char *line, size_t cap)
{
	for (;;) {
		char *nl = memchr(pending, '\n', *npending);
		if (nl) {
			size_t len = (size_t)(nl - pending) + 1;
			size_t keep = len - 1;
			if (keep && pending[keep - 1] == '\r')
				keep--;
			if (keep >= cap)
				keep = cap - 1;
			memcpy(line, pending, keep);
			line[keep] = '\0';
			memmove(pending, pending + len, *npending - len);
			*npending -= len;
			return 0;
		}
		if (*npending == 65536)
			return -1;
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 10000) <= 0)
			return -1;
		ssize_t got = recv(fd, pending + *npending, 65536 - *npending, 0);
		if (got <= 0)
			return -1;
		*npending += (size_t)got;
	}
}

static char *dup_after(const char *line, const char *prefix)
{
	size_t n = strlen(prefix);
	return strdup(strncasecmp(line, prefix, n) == 0 ? line + n : line);
}

/* Speak just enough SMTP with one client. */
static void smtp_session(int fd)
{
	char *pending = malloc(65536), line[4096];
	size_t npending = 0;
	char *from = NULL, *rcpt = NULL;
	say(fd, "220 fake.example.jp ESMTP\r\n");
	while (pending && read_line(fd, pending, &npending, line, sizeof(line)) == 0) {
		if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
			say(fd, "250 fake.example.jp\r\n");
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			free(from);
			from = dup_after(line, "MAIL FROM:");
			say(fd, "250 OK\r\n");
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			free(rcpt);
			rcpt = dup_after(line, "RCPT TO:");
			say(fd, "250 OK\r\n");
		} else if (strcasecmp(line, "DATA") == 0) {
			say(fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
			struct buf data = BUF_INIT;
			bool ended = false;
			while (read_line(fd, pending, &npending, line, sizeof(line)) == 0) {
				if (strcmp(line, ".") == 0) {
					ended = true;
					break;
				}
				buf_adds(&data, line[0] == '.' ? line + 1 : line);
				buf_adds(&data, "\r\n");
			}
			if (!ended) {
				buf_release(&data);
				break;
			}
			struct mail_rec *m = calloc(1, sizeof(*m));
			m->from = from;
			m->rcpt = rcpt;
			m->data = strdup(data.p ? data.p : "");
			from = rcpt = NULL;
			buf_release(&data);
			pthread_mutex_lock(&smtp.lock);
			m->next = smtp.mails;
			smtp.mails = m;
			pthread_mutex_unlock(&smtp.lock);
			say(fd, "250 OK queued\r\n");
		} else if (strcasecmp(line, "QUIT") == 0) {
			say(fd, "221 Bye\r\n");
			break;
		} else {
			say(fd, "250 OK\r\n");
		}
	}
	free(from);
	free(rcpt);
	free(pending);
	close(fd);
}

static void *smtp_main(void *arg)
{
	(void)arg;
	while (!smtp.stop) {
		struct pollfd p = {smtp.fd, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		int c = accept(smtp.fd, NULL, NULL);
		if (c < 0)
			continue;
		fcntl(c, F_SETFD, FD_CLOEXEC);
		smtp_session(c);
	}
	return NULL;
}

static int smtp_start(void)
{
	/* CLOEXEC: the kyodo server and sqlite3 are spawned from this process
	 * and must not keep the port open after smtp_stop(). */
	smtp.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (smtp.fd < 0 || bind(smtp.fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(smtp.fd, 8) != 0 || getsockname(smtp.fd, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	smtp.port = ntohs(sa.sin_port);
	smtp.stop = 0;
	return pthread_create(&smtp.thread, NULL, smtp_main, NULL) == 0 ? 0 : -1;
}

/* Stop accepting and close the port: connections are then refused. */
static void smtp_stop(void)
{
	if (smtp.fd < 0)
		return;
	smtp.stop = 1;
	pthread_join(smtp.thread, NULL);
	close(smtp.fd);
	smtp.fd = -1;
}

static void smtp_free(void)
{
	smtp_stop();
	for (struct mail_rec *m = smtp.mails, *next; m; m = next) {
		next = m->next;
		free(m->from);
		free(m->rcpt);
		free(m->data);
		free(m);
	}
	smtp.mails = NULL;
}

/* The DATA of the message to rcpt_addr, copied to harness memory, or NULL. */
static const char *mail_to(const char *addr)
{
	const char *want = hfmt("<%s>", addr);
	const char *found = NULL;
	pthread_mutex_lock(&smtp.lock);
	for (struct mail_rec *m = smtp.mails; m && !found; m = m->next)
		if (m->rcpt && strcmp(m->rcpt, want) == 0)
			found = hfmt("%s", m->data);
	pthread_mutex_unlock(&smtp.lock);
	return found;
}

static int setup(void **state)
{
	if (sodium_init() < 0 || smtp_start() != 0)
		return -1;
	setenv("KYODO_SMTP_URL", hfmt("smtp://127.0.0.1:%d", smtp.port), 1);
	setenv("KYODO_SMTP_FROM", "kyodo@city.example.jp", 1);
	setenv("KYODO_BASE_URL", "https://kyodo.example.jp", 1);
	return h_group_setup(state);
}

static int teardown(void **state)
{
	int rc = h_group_teardown(state);
	smtp_free();
	return rc;
}

/* ---- helpers --------------------------------------------------------------- */

/* 'text' as an SQL literal. */
static const char *q(const char *s)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_addc(&b, '\'');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '\'');
	const char *out = hfmt("%s", b.p);
	buf_release(&b);
	return out;
}

/* A notification row as notify() writes it; state 'sent' keeps the
 * delivery thread away from rows that only test the pages. */
static int64_t add_notification(struct server *s, const struct huser *u, const char *subject,
				const char *body, const char *link, int64_t created_at,
				const char *state)
{
	sql(s,
	    "INSERT INTO notifications (user_id, kind, subject, body, link, created_at, state) "
	    "VALUES (%lld, 'receipt', %s, %s, %s, %lld, %s)",
	    (long long)u->id, q(subject), q(body), q(link), (long long)created_at, q(state));
	return sql_int(s, "SELECT max(id) FROM notifications");
}

static const char *state_of(struct server *s, int64_t id)
{
	return sql(s, "SELECT state FROM notifications WHERE id = %lld", (long long)id);
}

/* Wait until notification id has left 'pending'; its final state. */
static const char *wait_delivery(struct server *s, int64_t id)
{
	const char *st = "pending";
	for (int i = 0; i < DELIVERY_TIMEOUT * 10 && strcmp(st, "pending") == 0; i++) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
		st = state_of(s, id);
	}
	return st;
}

static const char *unread_badge(int n)
{
	return hfmt("お知らせ <span class=\"badge badge--primary\">%d<span "
		    "class=\"visually-hidden\">件の未読</span></span>",
		    n);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* rm -r dir: a second server's folder. */
static void remove_dir(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- tests ----------------------------------------------------------------- */

static void user_sees_only_their_notifications_newest_first(void **state)
{
	struct server *s = *state;
	struct huser *hana = add_user(s, "member"), *taro = add_user(s, "member");
	int64_t now = (int64_t)time(NULL);
	add_notification(s, hana, "企画提案書を受け付けました",
			 "受付番号：R7-一般-003\n\n審査の日程は追ってお知らせします。",
			 "/proposals/12", now - 3600, "sent");
	add_notification(s, hana, "事前相談の予約が確定しました", "日時：令和7年6月2日 10:00", "",
			 now - 60, "sent");
	add_notification(s, taro, "太郎さんへのお知らせ", "ほかの人には見えません。", "", now,
			 "sent");

	struct resp *r = get(client_as(s, hana), "/notifications");
	assert_status(r, 200);
	const char *page = BODY(r);
	assert_contains(page, "<h1>お知らせ</h1>");
	const char *newer = strstr(page, "事前相談の予約が確定しました");
	const char *older = strstr(page, "企画提案書を受け付けました");
	assert_non_null(newer);
	assert_non_null(older);
	assert_true(newer < older);
	assert_contains(page, "<p>受付番号：R7-一般-003</p>");
	assert_contains(page, "<p>審査の日程は追ってお知らせします。</p>");
	assert_contains(page,
			"<a href=\"/proposals/12\">詳しく見る<span "
			"class=\"visually-hidden\">（企画提案書を受け付けました）</span></a>");
	assert_contains(page, "<time datetime=\"");
	assert_not_contains(page, "太郎さんへのお知らせ");

	struct resp *t = get(client_as(s, taro), "/notifications");
	assert_status(t, 200);
	assert_contains(BODY(t), "太郎さんへのお知らせ");
	assert_not_contains(BODY(t), "企画提案書を受け付けました");
}

static void unread_count_shows_in_header_until_marked_read(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member"), *other = add_user(s, "member");
	int64_t now = (int64_t)time(NULL);
	add_notification(s, u, "一つ目", "本文", "", now - 10, "sent");
	add_notification(s, u, "二つ目", "本文", "", now - 5, "sent");
	add_notification(s, other, "他人の未読", "本文", "", now, "sent");
	struct client *c = client_as(s, u);

	struct resp *home = get(c, "/");
	assert_status(home, 200);
	assert_contains(BODY(home), unread_badge(2));
	struct resp *list = get(c, "/notifications");
	assert_contains(BODY(list), "未読のお知らせが2件あります。");
	assert_int_equal(count_of(BODY(list), "<span class=\"badge badge--primary\">未読</span>"),
			 2);

	/* Without the token the form is refused and nothing changes. */
	assert_status(post_form(c, "/notifications/read", ""), 403);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM notifications WHERE user_id = %lld AND "
				 "read_at IS NULL",
				 (long long)u->id),
			 2);

	struct resp *r =
	    post_form(c, "/notifications/read", form_body("_csrf", csrf_in(list), NULL));
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/notifications");
	struct resp *after = get(c, "/notifications");
	assert_status(after, 200);
	assert_contains(BODY(after), "すべてのお知らせを既読にしました。");
	assert_not_contains(BODY(after), "件の未読");
	assert_not_contains(BODY(after), "未読のお知らせが");
	assert_contains(BODY(after), "二つ目");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM notifications WHERE user_id = %lld AND "
				 "read_at IS NULL",
				 (long long)u->id),
			 0);
	/* Someone else's stay unread. */
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM notifications WHERE user_id = %lld AND "
				 "read_at IS NULL",
				 (long long)other->id),
			 1);
}

static void user_without_notifications_sees_an_empty_page(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_as(s, add_user(s, "reviewer")), "/notifications");
	assert_status(r, 200);
	assert_contains(BODY(r), "<p>お知らせはまだありません。</p>");
	assert_not_contains(BODY(r), "件の未読");
	assert_not_contains(BODY(r), "すべて既読にする");
}

static void visitors_are_sent_to_login(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/notifications");
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/login?next=%2Fnotifications");
	struct resp *o = get(client_new(s), "/admin/outbox");
	assert_status(o, 303);
	assert_string_equal(header_of(o, "Location"), "/login?next=%2Fadmin%2Foutbox");
	struct client *c = client_new(s);
	assert_status(post_form(c, "/notifications/read", form_body("_csrf", client_csrf(c), NULL)),
		      401);
}

static void outbox_is_for_admins_only(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_as(s, add_user(s, "coordinator")), "/admin/outbox");
	assert_status(r, 403);
	assert_contains(BODY(r), "このページを利用する権限がありません。");
	assert_status(get(client_as(s, add_user(s, "member")), "/admin/outbox"), 403);

	struct huser *u = add_user(s, "member");
	add_notification(s, u, "管理画面で見える件名", "本文", "", (int64_t)time(NULL), "skipped");
	struct resp *a = get(client_as(s, add_user(s, "admin")), "/admin/outbox");
	assert_status(a, 200);
	const char *page = BODY(a);
	assert_contains(page, "<h1>お知らせの送信状況</h1>");
	assert_contains(page, "<div class=\"table-wrap\" role=\"region\" "
			      "aria-labelledby=\"outbox-heading\" tabindex=\"0\">");
	assert_contains(page, "管理画面で見える件名");
	assert_contains(page, u->email);
	assert_contains(page, "<td>提案の受付</td>");
	assert_contains(page, "<span class=\"badge\">対象外</span>");
	/* SMTP is configured for this server. */
	assert_not_contains(page, "メールの送信は設定されていません");
}

static void outbox_filters_by_state(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	int64_t now = (int64_t)time(NULL);
	add_notification(s, u, "送信済みの件名", "本文", "", now, "sent");
	add_notification(s, u, "対象外の件名", "本文", "", now, "skipped");
	struct client *admin = client_as(s, add_user(s, "admin"));
	struct resp *r = get(admin, "/admin/outbox?state=skipped");
	assert_status(r, 200);
	assert_contains(BODY(r), "対象外の件名");
	assert_not_contains(BODY(r), "送信済みの件名");
	assert_contains(BODY(r), "<option value=\"skipped\" selected>対象外</option>");
	int64_t skipped = sql_int(s, "SELECT count(*) FROM notifications WHERE state = 'skipped'");
	assert_contains(BODY(r), hfmt("対象外のお知らせ（%lld件）", (long long)skipped));
	assert_status(get(admin, "/admin/outbox?state=bogus"), 400);
	assert_status(get(admin, "/admin/outbox?color=red"), 400);
}

/* The whole path: a pending row, the delivery thread, libcurl, the fake
 * server; the subject decodes back to the Japanese text. */
static void pending_notification_is_mailed_and_marked_sent(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	const char *subject =
	    "【協働のまちづくり】企画提案書を受け付けました（受付番号R7-一般-003）";
	int64_t id =
	    add_notification(s, u, subject, "受付番号：R7-一般-003\n審査の日程は追って連絡します。",
			     "/proposals/12", (int64_t)time(NULL), "pending");
	assert_string_equal(wait_delivery(s, id), "sent");
	assert_int_equal(
	    sql_int(s, "SELECT attempts FROM notifications WHERE id = %lld", (long long)id), 1);
	assert_int_equal(sql_int(s, "SELECT sent_at IS NOT NULL FROM notifications WHERE id = %lld",
				 (long long)id),
			 1);

	const char *mail = mail_to(u->email);
	if (!mail)
		fail_msg("the fake SMTP server got no message to %s", u->email);
	assert_contains(mail, hfmt("To: %s\r\n", u->email));
	assert_contains(mail, "From: kyodo@city.example.jp\r\n");
	assert_contains(mail, "Content-Type: text/plain; charset=UTF-8\r\n");
	assert_contains(mail, "Content-Transfer-Encoding: 8bit\r\n");
	assert_contains(mail,
			"\r\n\r\n受付番号：R7-一般-003\r\n審査の日程は追って連絡します。\r\n");
	assert_contains(mail, "https://kyodo.example.jp/proposals/12\r\n");

	/* Decode the Subject's encoded words and join them. */
	const char *h = strstr(mail, "\r\nSubject: ");
	assert_non_null(h);
	h += strlen("\r\nSubject: ");
	struct buf decoded = BUF_INIT;
	for (;;) {
		if (strncmp(h, "=?UTF-8?B?", 10) != 0)
			fail_msg("not an encoded word: %.80s", h);
		const char *b64 = h + 10, *end = strstr(b64, "?=");
		assert_non_null(end);
		unsigned char bin[256];
		size_t n;
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), b64, (size_t)(end - b64), NULL,
						   &n, NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		buf_add(&decoded, bin, n);
		h = end + 2;
		if (strncmp(h, "\r\n ", 3) != 0)
			break;
		h += 3;
	}
	const char *got = hfmt("%s", decoded.p);
	buf_release(&decoded);
	assert_string_equal(got, subject);

	struct resp *a = get(client_as(s, add_user(s, "admin")), "/admin/outbox?state=sent");
	assert_contains(BODY(a), subject);
	assert_contains(BODY(a), "<span class=\"badge badge--success\">送信済み</span>");
}

/*
 * A notification the server queues itself wakes the delivery thread when
 * its transaction commits.  A second server looks at the table only once
 * an hour (KYODO_OUTBOX_POLL), so the mail arriving within
 * DELIVERY_TIMEOUT can only be the wake-up's doing: this checks that the
 * wake-up happens, not how fast (speed is the benchmarks' business).
 */
static void queued_mail_wakes_the_delivery_thread(void **state)
{
	(void)state;
	setenv("KYODO_OUTBOX_POLL", "3600", 1);
	struct server *s = server_start();
	unsetenv("KYODO_OUTBOX_POLL");
	assert_non_null(s);
	/* First let the thread send what the demo data queued and go to
	 * sleep: while it is still sending, it would find the new row anyway. */
	for (int i = 0; i < DELIVERY_TIMEOUT * 10 &&
			sql_int(s, "SELECT count(*) FROM notifications WHERE state = 'pending'");
	     i++) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	assert_int_equal(sql_int(s, "SELECT count(*) FROM notifications WHERE state = 'pending'"),
			 0);
	long long now = (long long)time(NULL), st = now + 7 * 86400;
	long long ev = sql_int(s,
			       "INSERT INTO events (title, type, starts_at, ends_at, capacity, "
			       "max_party, created_at, updated_at) VALUES ('起こし確認', '講座', "
			       "%lld, %lld, 10, 3, %lld, %lld) RETURNING id",
			       st, st + 7200, now, now);
	struct resp *r =
	    send_json(client_new(s), "POST", hfmt("/api/v1/events/%lld/registrations", ev),
		      "{\"name\":\"金沢 花子\",\"name_kana\":\"かなざわ はなこ\","
		      "\"email\":\"wake@example.jp\",\"adults\":1,\"children\":0}",
		      NULL);
	assert_status(r, 201);
	int64_t id = sql_int(s, "SELECT id FROM notifications WHERE email = 'wake@example.jp'");
	assert_string_equal(wait_delivery(s, id), "sent");
	assert_non_null(mail_to("wake@example.jp"));
	assert_int_equal(server_stop(s), 0);
	/* Not server_free(): that also frees the harness memory the group's
	 * server lives in. */
	remove_dir(s->dir);
}

static void failed_delivery_is_recorded_for_retry_and_still_shown(void **state)
{
	struct server *s = *state;
	smtp_stop();
	struct huser *u = add_user(s, "member");
	int64_t before = sql_int(s, "SELECT strftime('%%s', 'now')");
	int64_t id = add_notification(s, u, "メールが届かない場合のお知らせ", "画面では読めます。",
				      "", before, "pending");
	assert_string_equal(wait_delivery(s, id), "failed");
	assert_int_equal(
	    sql_int(s, "SELECT attempts FROM notifications WHERE id = %lld", (long long)id), 1);
	int64_t next =
	    sql_int(s, "SELECT next_attempt_at FROM notifications WHERE id = %lld", (long long)id);
	assert_true(next >= before + 60);
	assert_true(next > sql_int(s, "SELECT strftime('%%s', 'now')"));
	assert_contains(
	    sql(s, "SELECT last_error FROM notifications WHERE id = %lld", (long long)id),
	    "connect");
	assert_int_equal(
	    sql_int(s, "SELECT sent_at IS NULL FROM notifications WHERE id = %lld", (long long)id),
	    1);

	struct resp *r = get(client_as(s, u), "/notifications");
	assert_status(r, 200);
	assert_contains(BODY(r), "メールが届かない場合のお知らせ");
	assert_contains(BODY(r), "<p>画面では読めます。</p>");

	struct resp *a = get(client_as(s, add_user(s, "admin")), "/admin/outbox?state=failed");
	assert_status(a, 200);
	assert_contains(BODY(a), "メールが届かない場合のお知らせ");
	assert_contains(BODY(a), "<span class=\"badge badge--error\">失敗</span><br>次の再送：");
	assert_not_contains(BODY(a), "送信済みの件名");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(user_sees_only_their_notifications_newest_first),
	    cmocka_unit_test(unread_count_shows_in_header_until_marked_read),
	    cmocka_unit_test(user_without_notifications_sees_an_empty_page),
	    cmocka_unit_test(visitors_are_sent_to_login),
	    cmocka_unit_test(outbox_is_for_admins_only),
	    cmocka_unit_test(outbox_filters_by_state),
	    cmocka_unit_test(pending_notification_is_mailed_and_marked_sent),
	    cmocka_unit_test(queued_mail_wakes_the_delivery_thread),
	    cmocka_unit_test(failed_delivery_is_recorded_for_retry_and_still_shown),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
