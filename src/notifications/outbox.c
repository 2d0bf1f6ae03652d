/*
 * outbox: see outbox.h.
 *
 * The delivery thread owns its own database connection and one libcurl
 * handle per message.  It takes one due row at a time (pending, or failed
 * and past its next_attempt_at), sends it, and records the outcome on the
 * row, so that a crash between two messages loses nothing and a crash in
 * the middle of one sends it at most twice.  It never holds a transaction
 * while talking to the mail server.
 */
#include "notifications/outbox.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/msg.h"
#include "util/str.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds between looks at the table when there is nothing to send
 * (KYODO_OUTBOX_POLL overrides). */
#define POLL_SECONDS 5
/* Longest text kept in last_error. */
#define ERROR_MAX 300
/* Bytes of a body line before it is broken: SMTP allows 998. */
#define LINE_MAX_BYTES 900

int64_t outbox_backoff(int attempts)
{
	const int64_t base = 60, cap = 6 * 3600;
	if (attempts < 1)
		return 0;
	/* 60 << 9 is past the cap already; larger shifts would overflow. */
	if (attempts > 9)
		return cap;
	int64_t s = base << (attempts - 1);
	return s < cap ? s : cap;
}

/* Insert a pending row through st: parameter 1 (the user or the address)
 * is bound by the caller, the rest here.  The delivery thread is woken
 * once the row is committed. */
static int queue(struct db *db, struct db_stmt *st, const char *kind, const char *subject,
		 const char *body, const char *link)
{
	db_bind_str(st, 2, kind ? kind : "");
	db_bind_str(st, 3, subject ? subject : "");
	db_bind_str(st, 4, body ? body : "");
	db_bind_str(st, 5, link ? link : "");
	db_bind_int(st, 6, (int64_t)time(NULL));
	int rc = db_exec(st);
	if (rc == DB_OK)
		db_after_commit(db, outbox_wake);
	return rc;
}

int notify(struct db *db, int64_t user_id, const char *kind, const char *subject, const char *body,
	   const char *link)
{
	struct db_stmt *st = db_stmt(db, STMT_NOTIFY_INSERT);
	db_bind_int(st, 1, user_id);
	return queue(db, st, kind, subject, body, link);
}

int notify_email(struct db *db, const char *email, const char *kind, const char *subject,
		 const char *body, const char *link)
{
	if (!email || !*email)
		return DB_CONSTRAINT;
	struct db_stmt *st = db_stmt(db, STMT_NOTIFY_EMAIL_INSERT);
	db_bind_str(st, 1, email);
	return queue(db, st, kind, subject, body, link);
}

/* ---- the message ------------------------------------------------------- */

struct mail {
	int64_t id; /* the notification, for the Message-ID */
	int64_t created_at;
	int64_t date; /* when it is sent */
	const char *from, *to, *subject, *body, *link, *base_url;
};

/* Is s safe to place in a header as an address: no white space, controls,
 * angle brackets or commas that would change the header's meaning. */
static bool address_ok(const char *s)
{
	if (!s || !*s || !strchr(s, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == '"')
			return false;
	return true;
}

/* Length of the longest prefix of s[0..n) that is at most max bytes and
 * does not cut a UTF-8 character (continuation bytes are 10xxxxxx). */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k ? k : max;
}

/*
 * Append subject as the value of a Subject header.  Line breaks and other
 * control characters become spaces, so nothing can add a header.  Plain
 * ASCII stays as it is; anything else becomes RFC 2047 encoded words
 * (=?UTF-8?B?...?=), each holding whole characters and at most 39 bytes
 * (52 base64 characters, 64 with the wrapping), folded onto continuation
 * lines: every line, "Subject: " included, stays within RFC 2047's 76.
 */
static void encode_subject(struct buf *out, const char *subject)
{
	struct buf clean = BUF_INIT;
	bool ascii = true;
	for (const unsigned char *p = (const unsigned char *)subject; *p; p++) {
		unsigned char c = *p < 0x20 || *p == 0x7f ? ' ' : *p;
		ascii &= c < 0x80;
		buf_addc(&clean, (char)c);
	}
	if (clean.n && strstr(clean.p, "=?"))
		ascii = false;
	if (ascii) {
		buf_add(out, clean.p ? clean.p : "", clean.n);
		buf_release(&clean);
		return;
	}
	const size_t chunk = 39;
	char b64[sodium_base64_ENCODED_LEN(39, sodium_base64_VARIANT_ORIGINAL)];
	for (size_t at = 0, word = 0; at < clean.n; word++) {
		size_t k = utf8_cut(clean.p + at, clean.n - at, chunk);
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)clean.p + at, k,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", word ? "\r\n " : "", b64);
		at += k;
	}
	buf_release(&clean);
}

/* Append text with CRLF line ends (lone CRs dropped) and lines longer than
 * LINE_MAX_BYTES broken between characters. */
static void add_body_text(struct buf *out, const char *text)
{
	size_t n = strlen(text);
	for (size_t at = 0; at <= n;) {
		size_t len = strcspn(text + at, "\n");
		const char *line = text + at;
		size_t end = len;
		if (end && line[end - 1] == '\r')
			end--;
		for (size_t off = 0;;) {
			size_t k = utf8_cut(line + off, end - off, LINE_MAX_BYTES);
			for (size_t i = 0; i < k; i++)
				if (line[off + i] != '\r')
					buf_addc(out, line[off + i]);
			off += k;
			if (off >= end)
				break;
			buf_adds(out, "\r\n");
		}
		at += len + 1;
		if (at <= n)
			buf_adds(out, "\r\n");
	}
}

/* "Tue, 04 Mar 2025 18:05:09 +0900": the Date header in Japan's time. */
static void add_date(struct buf *out, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t jst = (time_t)(t + 9 * 3600);
	struct tm tm;
	gmtime_r(&jst, &tm);
	buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0900", days[tm.tm_wday], tm.tm_mday,
		   months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * The whole RFC 5322 message for m into out, with CRLF line ends: headers,
 * a blank line, the body, and the link (made absolute with base_url) when
 * there is one.  The Message-ID depends only on the notification, so a
 * retry carries the same one and receivers can drop the duplicate.
 */
static void build_message(struct buf *out, const struct mail *m)
{
	const char *at = strchr(m->from, '@');
	buf_adds(out, "Date: ");
	add_date(out, m->date);
	buf_printf(out, "\r\nFrom: %s\r\nTo: %s\r\nSubject: ", m->from, m->to);
	encode_subject(out, m->subject);
	buf_printf(out,
		   "\r\nMessage-ID: <kyodo.%lld.%lld%s>\r\n"
		   "MIME-Version: 1.0\r\n"
		   "Content-Type: text/plain; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: 8bit\r\n"
		   "Auto-Submitted: auto-generated\r\n"
		   "\r\n",
		   (long long)m->id, (long long)m->created_at, at ? at : "@localhost");
	add_body_text(out, m->body);
	if (m->link && *m->link) {
		buf_adds(out, "\r\n\r\n");
		add_body_text(out, msg("notify.mail.link_lead"));
		buf_adds(out, "\r\n");
		add_body_text(out, m->base_url ? m->base_url : "");
		add_body_text(out, m->link);
	}
	buf_adds(out, "\r\n\r\n--\r\n");
	add_body_text(out, msg("notify.mail.footer"));
	buf_adds(out, "\r\n");
}

/* ---- sending ----------------------------------------------------------- */

struct reader {
	const char *p;
	size_t left;
};

static size_t read_message(char *dst, size_t size, size_t nmemb, void *ud)
{
	struct reader *r = ud;
	size_t n = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/* Send message to one recipient through url.  0, or -1 with the reason in
 * err (ERROR_MAX bytes). */
static int smtp_send(const char *url, const char *from, const char *to, const struct buf *message,
		     char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct reader rd = {message->p, message->n};
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	/* STARTTLS when the server offers it (smtps:// is TLS from the start). */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s%s%s", curl_easy_strerror(rc), errbuf[0] ? ": " : "",
			 errbuf);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}

/* ---- the delivery thread ----------------------------------------------- */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running; /* the thread exists (set and cleared by the main thread) */
	bool stop;    /* guarded by lock */
	bool kick;    /* guarded by lock: a message was queued since the last look */
	unsigned poll_seconds;
	char *db_spec, *smtp_url, *from, *base_url;
} ob = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static bool stopping(void)
{
	pthread_mutex_lock(&ob.lock);
	bool s = ob.stop;
	pthread_mutex_unlock(&ob.lock);
	return s;
}

/* Record the outcome of row id.  False (logged) when the database refused:
 * the row is then taken again after a pause. */
static bool record(struct db *db, enum stmt which, int64_t id, int attempts, const char *error,
		   int64_t t)
{
	struct db_stmt *st = db_stmt(db, which);
	db_bind_int(st, 1, id);
	if (which == STMT_OUTBOX_SENT) {
		db_bind_int(st, 2, t);
	} else if (which == STMT_OUTBOX_FAILED) {
		db_bind_int(st, 2, attempts);
		db_bind_str(st, 3, error);
		db_bind_int(st, 4, t);
	} else {
		db_bind_str(st, 2, error);
	}
	if (db_exec(st) == DB_OK)
		return true;
	fprintf(stderr, "kyodo: outbox: cannot update notification %lld: %s\n", (long long)id,
		db_errmsg(db));
	return false;
}

/* Send the next due message.  Returns true when one was handled and
 * recorded (so there may be more), false when none was due or the
 * database failed. */
static bool deliver_one(struct db *db)
{
	struct arena a;
	arena_init(&a);
	int64_t now = (int64_t)time(NULL);
	struct db_stmt *st = db_stmt(db, STMT_OUTBOX_DUE);
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, OUTBOX_MAX_ATTEMPTS);
	if (db_step(st) != DB_ROW) {
		arena_free(&a);
		return false;
	}
	struct mail m = {
	    .id = db_int(st, 0),
	    .subject = arena_strdup(&a, db_text(st, 1) ? db_text(st, 1) : ""),
	    .body = arena_strdup(&a, db_text(st, 2) ? db_text(st, 2) : ""),
	    .link = arena_strdup(&a, db_text(st, 3) ? db_text(st, 3) : ""),
	    .created_at = db_int(st, 5),
	    .to = arena_strdup(&a, db_text(st, 6) ? db_text(st, 6) : ""),
	    .date = now,
	    .from = ob.from,
	    .base_url = ob.base_url,
	};
	int attempts = (int)db_int(st, 4);
	bool disabled = db_int(st, 7) != 0;
	db_reset(st);

	bool ok;
	if (disabled || !address_ok(m.to)) {
		/* The reason is stored as a message key; the outbox page words it. */
		ok = record(db, STMT_OUTBOX_SKIPPED, m.id, 0,
			    disabled ? "notify.skip.disabled" : "notify.skip.bad_address", 0);
		arena_free(&a);
		return ok;
	}
	struct buf msg = BUF_INIT;
	build_message(&msg, &m);
	char err[ERROR_MAX] = "";
	if (smtp_send(ob.smtp_url, ob.from, m.to, &msg, err, sizeof(err)) == 0) {
		ok = record(db, STMT_OUTBOX_SENT, m.id, 0, NULL, (int64_t)time(NULL));
	} else {
		attempts++;
		fprintf(stderr, "kyodo: outbox: notification %lld, try %d: %s\n", (long long)m.id,
			attempts, err);
		ok = record(db, STMT_OUTBOX_FAILED, m.id, attempts, err,
			    (int64_t)time(NULL) + outbox_backoff(attempts));
	}
	buf_release(&msg);
	arena_free(&a);
	return ok;
}

static void *deliver(void *arg)
{
	(void)arg;
	struct db *db = NULL;
	for (;;) {
		if (!db && !(db = db_open(ob.db_spec)))
			fprintf(stderr, "kyodo: outbox: cannot open the database; retrying\n");
		/* A kick that arrives while the queue is drained is kept for
		 * the wait below, so that no queued message waits a full poll. */
		pthread_mutex_lock(&ob.lock);
		ob.kick = false;
		pthread_mutex_unlock(&ob.lock);
		while (db && !stopping() && deliver_one(db))
			;
		pthread_mutex_lock(&ob.lock);
		if (!ob.stop && !ob.kick) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += ob.poll_seconds;
			while (!ob.stop && !ob.kick &&
			       pthread_cond_timedwait(&ob.wake, &ob.lock, &until) != ETIMEDOUT)
				;
		}
		bool stop = ob.stop;
		pthread_mutex_unlock(&ob.lock);
		if (stop)
			break;
	}
	db_close(db);
	return NULL;
}

void outbox_start(const char *db_spec, const char *smtp_url, const char *from, const char *base_url)
{
	if (ob.running || !smtp_url || !*smtp_url)
		return;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "kyodo: outbox: curl_global_init failed; mail is off\n");
		return;
	}
	ob.db_spec = xstrdup(db_spec);
	ob.smtp_url = xstrdup(smtp_url);
	ob.from = xstrdup(from && *from ? from : "kyodo@localhost");
	ob.base_url = xstrdup(base_url ? base_url : "");
	if (!address_ok(ob.from))
		fprintf(stderr, "kyodo: outbox: KYODO_SMTP_FROM %s is not a plain address\n",
			ob.from);
	ob.stop = false;
	ob.kick = false;
	/* The poll only matters for rows written by another process (the
	 * `kyodo jobs` command, a restored backup) and for retries: this
	 * process's own notifications wake the thread (outbox_wake). */
	const char *poll = getenv("KYODO_OUTBOX_POLL");
	ob.poll_seconds = POLL_SECONDS;
	if (poll && atoi(poll) > 0)
		ob.poll_seconds = (unsigned)atoi(poll);
	/* The server waits for SIGTERM with sigwait() in the main thread; a
	 * thread that did not block it would be killed by it instead. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&ob.thread, NULL, deliver, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "kyodo: outbox: cannot start the delivery thread: %s\n",
			strerror(rc));
		outbox_stop();
		return;
	}
	ob.running = true;
	/* The URL may hold a password: log only that mail is on. */
	fprintf(stderr, "kyodo: outbox: sending notifications by e-mail from %s\n", ob.from);
}

void outbox_stop(void)
{
	if (ob.running) {
		pthread_mutex_lock(&ob.lock);
		ob.stop = true;
		pthread_cond_signal(&ob.wake);
		pthread_mutex_unlock(&ob.lock);
		pthread_join(ob.thread, NULL);
		ob.running = false;
		curl_global_cleanup();
	} else if (ob.smtp_url) {
		curl_global_cleanup(); /* started, but the thread did not */
	}
	free(ob.db_spec);
	free(ob.smtp_url);
	free(ob.from);
	free(ob.base_url);
	ob.db_spec = ob.smtp_url = ob.from = ob.base_url = NULL;
}

void outbox_wake(void)
{
	pthread_mutex_lock(&ob.lock);
	ob.kick = true;
	pthread_cond_signal(&ob.wake);
	pthread_mutex_unlock(&ob.lock);
}

bool outbox_enabled(void)
{
	return ob.running;
}
