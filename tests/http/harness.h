/*
 * harness: the HTTP test suite's fixture.
 *
 * Each test program starts one real kyodo server ($KYODO_BIN, default
 * build/kyodo) on a free loopback port with a fresh database (migrated and
 * loaded with the demo data), drives it with libcurl and raw sockets, and
 * stops it with SIGTERM at the end.
 *
 * Test programs may run in parallel (scripts/test runs several at once):
 * each has its own folder from mkdtemp() under $TMPDIR for the database, the
 * files and the server log, and its own port; a port that another process
 * takes between free_port() and the server's bind() makes the server exit,
 * and server_start() tries again with a new one.  The server is only
 * considered up when /healthz answers and its own log says it serves on
 * that port.
 *
 * Memory: everything the harness hands out (responses, strings, users,
 * clients) lives until server_free(), so a failing assertion, which
 * longjmps out of the test, leaks nothing and the sanitizer build of the
 * tests stays clean.  KYODO_HTTP_TRACE=1 prints every request with its
 * status and time.  The allocator is locked, so a second thread may make
 * requests too (each thread with its own client).
 */
#ifndef KYODO_HTTP_HARNESS_H
#define KYODO_HTTP_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

/* Seconds to wait for /healthz after starting, and for exit after SIGTERM:
 * generous, because the sanitizer build is slow. */
#define H_START_TIMEOUT 20
#define H_STOP_TIMEOUT	20

struct server {
	char dir[256]; /* temporary folder, removed by server_free() */
	char db[300];  /* dir/k.db */
	char log[300]; /* the server's stderr: access log and messages */
	/* dir/files: the server's KYODO_FILES, where tests may put stored files */
	char files[300];
	char base[64]; /* "http://127.0.0.1:PORT" */
	int port;
	pid_t pid; /* 0 once stopped */
	const char *bin;
	int nusers; /* to give each helper-made user a unique address */
};

/* A user made with `kyodo user add`. */
struct huser {
	int64_t id;
	const char *email;
	const char *password;
	const char *role;
};

/* One simulated browser (or API client): a curl handle with its own
 * in-memory cookie jar. */
struct client;

struct resp {
	const char *method, *path; /* what was asked, for messages */
	long status;		   /* 0 when the transfer failed */
	const char *error;	   /* curl's message when it did */
	const char *headers;	   /* the raw header block of the last response */
	char *body;		   /* NUL-terminated */
	size_t len;
	double seconds;
};

/* ---- server ----------------------------------------------------------- */

/* Make the folder and database, migrate, load the demo data, start serving
 * and wait for /healthz.  NULL (with a message) if any step fails. */
struct server *server_start(void);
/* SIGTERM, then wait.  Returns the exit status (0 for a graceful stop),
 * 128+signal if it died of a signal, -1 if it had to be killed.  Prints the
 * end of the server log when the status is not 0. */
int server_stop(struct server *s);
/* Kill the server if it is still running (a test failed before the last
 * one stopped it), remove the folder, release all harness memory and
 * clients. */
void server_free(struct server *s);

/* cmocka group fixtures: *state becomes the struct server. */
int h_group_setup(void **state);
int h_group_teardown(void **state);

/* Run `$KYODO_BIN args...` (NULL-terminated) with KYODO_DB set to the
 * server's database; stdin_text may be NULL.  Returns the exit status
 * (128+signal when killed); *out and *err (either may be NULL) get stdout
 * and stderr. */
int kyodo_cmd(struct server *s, const char *stdin_text, char **out, char **err, ...);
/* The same with an argv array, and env: NULL or NAME=value strings
 * (NULL-terminated) to add to the environment. */
int kyodo_cmdv(struct server *s, const char *const *env, const char *stdin_text, char **out,
	       char **err, const char *const *argv);

/* Run one SQL statement with the sqlite3 CLI on the server's database (with
 * a busy timeout, as the server holds it open).  Returns stdout without its
 * final newline; fails the test when sqlite3 fails. */
const char *sql(struct server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* sql() on another database file (a backup). */
const char *sql_file(struct server *s, const char *dbfile, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The first column of the first row as a number (fails the test when empty). */
int64_t sql_int(struct server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add a user with one role ("admin", "coordinator", "division", "reviewer",
 * "member") and a unique address ROLE-N@example.jp. */
struct huser *add_user(struct server *s, const char *role);
/* Add a member and put them in group gid (table group_members). */
struct huser *add_member_of(struct server *s, int64_t gid);
/* An API token for u from `kyodo token add` (the last line of stdout). */
const char *add_token(struct server *s, const struct huser *u);

/* A demo (or any) group's id by its exact name; fails the test if absent. */
int64_t group_id(struct server *s, const char *name);

/* Lines of the server log, as written so far. */
const char *server_log(struct server *s);

/* The last test of every file: SIGTERM and a clean exit (status 0; under
 * ASan a leak makes it non-zero). */
void server_stops_gracefully_on_sigterm(void **state);

/* ---- clients ------------------------------------------------------------ */

struct client *client_new(struct server *s);

/* One request.  headers: NULL-terminated "Name: value" strings, or NULL.
 * body: NULL for none.  content_type: the Content-Type to send with a body
 * (NULL sends none).  Redirects are not followed. */
struct resp *request(struct client *c, const char *method, const char *path,
		     const char *const *headers, const char *body, const char *content_type);
/* request() with a body of n bytes (which may hold NULs). */
struct resp *request_n(struct client *c, const char *method, const char *path,
		       const char *const *headers, const char *body, size_t n,
		       const char *content_type);

struct resp *get(struct client *c, const char *path);
/* POST application/x-www-form-urlencoded. */
struct resp *post_form(struct client *c, const char *path, const char *body);
/* body with content type application/json. */
struct resp *send_json(struct client *c, const char *method, const char *path, const char *body,
		       const char *const *headers);

/* The value of the first response header called name (case-insensitive),
 * without surrounding white space, or NULL. */
const char *header_of(const struct resp *r, const char *name);
/* The whole Set-Cookie value for cookie name, or NULL. */
const char *set_cookie_of(const struct resp *r, const char *name);
/* The value="" of the first hidden input named _csrf in an HTML body, or
 * NULL. */
const char *csrf_in(const struct resp *r);

/* The CSRF token for the client's current session or visitor cookie, read
 * from a page that carries it (the logout form when logged in, the login
 * form otherwise).  Fails the test when no page has one. */
const char *client_csrf(struct client *c);

/* GET /login (to get the visitor cookie and its token), then POST /login.
 * Returns the POST's response (303 on success). */
struct resp *login(struct client *c, const char *email, const char *password);
/* A new client logged in as u; fails the test unless the login gives 303. */
struct client *client_as(struct server *s, const struct huser *u);

/* The value at path in a JSON body: "total", "errors.name", "items.0.id".
 * Strings come back as they are, numbers as decimal text, null as "null",
 * booleans as "true"/"false", arrays and objects as compact JSON.  NULL when
 * the path does not exist; fails the test when the body is not JSON. */
const char *json_at(const struct resp *r, const char *path);
/* The number of items (array) or keys (object) at path, or -1. */
long json_size_at(const struct resp *r, const char *path);

/* Where to start quoting a page in a failure message: its <main> when it
 * has one, so that the message shows content rather than the header. */
const char *excerpt(const char *page);

/* ---- strings ------------------------------------------------------------ */

/* printf into harness memory. */
char *hfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s percent-encoded for a query or form value. */
const char *urlenc(const char *s);
/* An urlencoded body from key, value pairs ending with NULL:
 * form_body("name", "x", "kind", "任意団体", NULL). */
const char *form_body(const char *key, ...);
/* s with & < > " ' escaped as the server's templates do. */
const char *html_escape(const char *s);
/* Count of non-overlapping occurrences of needle in haystack. */
size_t count_of(const char *haystack, const char *needle);
/* A string of n copies of the (ASCII or UTF-8) unit u. */
char *repeat(const char *u, size_t n);

/* ---- raw sockets -------------------------------------------------------- */

/* A connected TCP socket to the server, or -1. */
int raw_connect(struct server *s);
/* Send exactly n bytes, then read until the peer closes, timeout_ms passes
 * or the headers of a reply have arrived; returns the reply's status line
 * without CRLF, or "" when the connection closed with no reply. */
const char *raw_exchange(struct server *s, const void *bytes, size_t n, int timeout_ms);
/* Send exactly n bytes and read the whole reply until the server closes the
 * connection or timeout_ms passes (send "Connection: close"). */
const char *raw_reply(struct server *s, const void *bytes, size_t n, int timeout_ms);
/* The status code in a status line ("HTTP/1.1 400 Bad Request" -> 400),
 * or 0. */
int status_of_line(const char *line);

/* ---- assertions --------------------------------------------------------- */

#define assert_status(r, code)                                                                     \
	do {                                                                                       \
		const struct resp *r_ = (r);                                                       \
		if (r_->status != (code))                                                          \
			fail_msg("%s %s: expected status %d, got %ld%s%s; body: %.400s",           \
				 r_->method, r_->path, (int)(code), r_->status,                    \
				 r_->error ? " — " : "", r_->error ? r_->error : "",               \
				 excerpt(r_->body));                                               \
	} while (0)

#define assert_contains(hay, needle)                                                               \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		if (!h_ || !strstr(h_, n_))                                                        \
			fail_msg("expected to find \"%s\" in: %.600s", n_, excerpt(h_));           \
	} while (0)

#define assert_not_contains(hay, needle)                                                           \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		const char *at_ = h_ ? strstr(h_, n_) : NULL;                                      \
		if (at_)                                                                           \
			fail_msg("did not expect \"%s\", found at: %.200s", n_, at_);              \
	} while (0)

/* The body of a response as the test's own (harness-owned) string. */
#define BODY(r) ((const char *)(r)->body)

#endif
