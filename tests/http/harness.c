/*
 * The HTTP tests' fixture: see harness.h.
 */
#include "harness.h"

#include "util/arena.h"
#include "util/str.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- harness memory ---------------------------------------------------- */

/* One arena for everything handed to tests, released by server_free(): a
 * failed assertion longjmps past any free() a test would do. */
static struct arena mem;
static pthread_mutex_t mem_lock = PTHREAD_MUTEX_INITIALIZER;

static void *halloc(size_t n)
{
	pthread_mutex_lock(&mem_lock);
	void *p = arena_alloc(&mem, n);
	pthread_mutex_unlock(&mem_lock);
	return p;
}

static char *hstrndup(const char *s, size_t n)
{
	char *p = halloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *hstrdup(const char *s)
{
	return hstrndup(s, strlen(s));
}

static char *hvfmt(const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	char *s = hstrndup(b.p ? b.p : "", b.n);
	buf_release(&b);
	return s;
}

char *hfmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = hvfmt(fmt, ap);
	va_end(ap);
	return s;
}

/* A buf's contents as harness memory; the buf is released. */
static char *take(struct buf *b)
{
	char *s = hstrndup(b->p ? b->p : "", b->n);
	buf_release(b);
	return s;
}

const char *urlenc(const char *s)
{
	struct buf b = BUF_INIT;
	buf_add_urlenc(&b, s, strlen(s));
	return take(&b);
}

const char *form_body(const char *key, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, key);
	for (const char *k = key; k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (b.n)
			buf_addc(&b, '&');
		buf_add_urlenc(&b, k, strlen(k));
		buf_addc(&b, '=');
		buf_add_urlenc(&b, v, strlen(v));
	}
	va_end(ap);
	return take(&b);
}

const char *html_escape(const char *s)
{
	struct buf b = BUF_INIT;
	buf_add_html(&b, s, strlen(s));
	return take(&b);
}

size_t count_of(const char *haystack, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = haystack; len && (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

char *repeat(const char *u, size_t n)
{
	size_t len = strlen(u);
	char *s = halloc(len * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, u, len);
	return s;
}

static char *read_file(const char *path)
{
	struct buf b = BUF_INIT;
	FILE *f = fopen(path, "rb");
	if (f) {
		char chunk[8192];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, got);
		fclose(f);
	}
	return take(&b);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = strlen(text);
	int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
	return fclose(f) == 0 ? rc : -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- child processes --------------------------------------------------- */

/* environ plus the given NAME=value strings (which replace their names). */
static char **child_env(const char *const *extra)
{
	size_t n = 0, ne = 0;
	while (environ[n])
		n++;
	while (extra[ne])
		ne++;
	char **env = halloc((n + ne + 1) * sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (size_t j = 0; j < ne; j++) {
			size_t len = strcspn(extra[j], "=") + 1;
			replaced |= strncmp(environ[i], extra[j], len) == 0;
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < ne; j++)
		env[k++] = (char *)extra[j];
	env[k] = NULL;
	return env;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* posix_spawn rather than fork: the backup test runs commands while another
 * thread makes requests, and a forked child of a threaded process may only
 * call async-signal-safe functions before exec. */
static pid_t spawn(const char *const *argv, const char *const *extra_env, const char *in,
		   const char *out, const char *err, bool search_path)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_APPEND, 0600);
	pid_t pid;
	char **env = child_env(extra_env);
	int rc = search_path ? posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, env)
			     : posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		print_error("# cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

static atomic_int cmd_seq;

static int run_argv(struct server *s, const char *const *argv, const char *const *extra_env,
		    bool search_path, const char *stdin_text, char **out, char **err)
{
	if (out)
		*out = hstrdup("");
	if (err)
		*err = hstrdup("");
	int seq = atomic_fetch_add(&cmd_seq, 1);
	char *in = NULL, *o = hfmt("%s/cmd%d.out", s->dir, seq),
	     *e = hfmt("%s/cmd%d.err", s->dir, seq);
	if (stdin_text) {
		in = hfmt("%s/cmd%d.in", s->dir, seq);
		if (write_file(in, stdin_text) != 0)
			return -1;
	}
	/* Commands store files (the demo's images) where the server reads them. */
	const char *env[16] = {hfmt("KYODO_DB=%s", s->db), hfmt("KYODO_FILES=%s", s->files)};
	for (size_t i = 0; extra_env && extra_env[i] && i < 13; i++)
		env[i + 2] = extra_env[i];
	pid_t pid = spawn(argv, env, in, o, e, search_path);
	if (pid < 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (out)
		*out = read_file(o);
	if (err)
		*err = read_file(e);
	unlink(o);
	unlink(e);
	if (in)
		unlink(in);
	return exit_code(status);
}

int kyodo_cmdv(struct server *s, const char *const *env, const char *stdin_text, char **out,
	       char **err, const char *const *argv)
{
	size_t n = 0;
	while (argv[n])
		n++;
	const char **full = halloc((n + 2) * sizeof(*full));
	full[0] = s->bin;
	memcpy(full + 1, argv, n * sizeof(*full));
	return run_argv(s, full, env, false, stdin_text, out, err);
}

int kyodo_cmd(struct server *s, const char *stdin_text, char **out, char **err, ...)
{
	const char *argv[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, err);
	for (const char *a; n < 31 && (a = va_arg(ap, const char *));)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return kyodo_cmdv(s, NULL, stdin_text, out, err, argv);
}

static const char *vsql(struct server *s, const char *db, const char *fmt, va_list ap)
{
	char *stmt = hvfmt(fmt, ap);
	/* -init /dev/null: no ~/.sqliterc may change the output. */
	const char *argv[] = {"sqlite3",	"-batch", "-init", "/dev/null", "-cmd",
			      ".timeout 10000", db,	  stmt,	   NULL};
	char *out = NULL, *err = NULL;
	int rc = run_argv(s, argv, NULL, true, NULL, &out, &err);
	if (rc != 0)
		fail_msg("sqlite3 failed (%d) on: %s\n%s", rc, stmt, err ? err : "");
	size_t n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return out;
}

const char *sql(struct server *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *out = vsql(s, s->db, fmt, ap);
	va_end(ap);
	return out;
}

const char *sql_file(struct server *s, const char *dbfile, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *out = vsql(s, dbfile, fmt, ap);
	va_end(ap);
	return out;
}

int64_t sql_int(struct server *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *out = vsql(s, s->db, fmt, ap);
	va_end(ap);
	char *end;
	long long v = strtoll(out, &end, 10);
	if (end == out)
		fail_msg("expected a number from sqlite3, got \"%s\"", out);
	return v;
}

/* 'text' as an SQL literal. */
static const char *sql_quote(const char *s)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_addc(&b, '\'');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '\'');
	return take(&b);
}

int64_t group_id(struct server *s, const char *name)
{
	return sql_int(s, "SELECT id FROM groups WHERE name = %s", sql_quote(name));
}

struct huser *add_user(struct server *s, const char *role)
{
	struct huser *u = halloc(sizeof(*u));
	int n = ++s->nusers;
	u->role = hstrdup(role);
	u->email = hfmt("%s-%d@example.jp", role, n);
	u->password = hfmt("pw-%s-%d-long-enough", role, n);
	char *out = NULL, *err = NULL;
	int rc = kyodo_cmd(s, hfmt("%s\n", u->password), &out, &err, "user", "add", "--email",
			   u->email, "--name", hfmt("テスト利用者%d", n), "--role", role, NULL);
	long long id;
	if (rc != 0 || sscanf(out, "created user %lld", &id) != 1)
		fail_msg("kyodo user add %s (%s) failed with %d: %s%s", u->email, role, rc, out,
			 err);
	u->id = id;
	return u;
}

struct huser *add_member_of(struct server *s, int64_t gid)
{
	struct huser *u = add_user(s, "member");
	/* The admin screen for memberships does not exist yet: write the row. */
	sql(s, "INSERT INTO group_members (group_id, user_id) VALUES (%lld, %lld)", (long long)gid,
	    (long long)u->id);
	return u;
}

const char *add_token(struct server *s, const struct huser *u)
{
	char *out = NULL, *err = NULL;
	int rc = kyodo_cmd(s, NULL, &out, &err, "token", "add", "--email", u->email, NULL);
	if (rc != 0)
		fail_msg("kyodo token add --email %s failed with %d: %s", u->email, rc, err);
	/* The token is the last non-empty line. */
	size_t n = strlen(out);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	char *nl = strrchr(out, '\n');
	const char *tok = nl ? nl + 1 : out;
	if (strlen(tok) < 20)
		fail_msg("no token in the output of kyodo token add: %s", out);
	return tok;
}

const char *server_log(struct server *s)
{
	return read_file(s->log);
}

/* ---- server lifecycle -------------------------------------------------- */

/* Ask the kernel for a free port.  Another process may take it before the
 * server binds it; server_start() then retries with a new one. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	int port = -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static long healthz_status(struct server *s)
{
	CURL *h = curl_easy_init();
	long status = 0;
	if (!h)
		return 0;
	char url[128];
	snprintf(url, sizeof(url), "%s/healthz", s->base);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 2L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	return status;
}

/* Print the end of the server log as TAP comments. */
static void print_log_tail(struct server *s, int lines)
{
	const char *log = server_log(s);
	const char *p = log + strlen(log);
	int seen = 0;
	while (p > log && seen <= lines)
		if (*--p == '\n')
			seen++;
	if (*p == '\n')
		p++;
	print_error("# --- end of the server log (%s) ---\n", s->log);
	while (*p) {
		size_t len = strcspn(p, "\n");
		print_error("# %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

/* fork and exec rather than posix_spawn for the server: the child asks for
 * SIGTERM when the test program dies, so that a crashed or killed test
 * leaves no server behind.  This runs before any test thread exists. */
static pid_t spawn_server(struct server *s, const char *const *argv, const char *const *extra_env)
{
	char **env = child_env(extra_env);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	int in = open("/dev/null", O_RDONLY);
	int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		_exit(127);
	execve(argv[0], (char *const *)argv, env);
	_exit(127);
}

/* Start serving on a new port; 0 when /healthz answers, -1 when the
 * process exited (port taken?) or did not answer in time. */
static int try_serve(struct server *s)
{
	s->port = free_port();
	if (s->port < 0)
		return -1;
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d", s->port);
	const char *argv[] = {s->bin, "serve", NULL};
	const char *env[] = {hfmt("KYODO_DB=%s", s->db), hfmt("KYODO_LISTEN=127.0.0.1:%d", s->port),
			     hfmt("KYODO_FILES=%s", s->files), NULL};
	s->pid = spawn_server(s, argv, env);
	if (s->pid < 0) {
		s->pid = 0;
		return -1;
	}
	const char *ready = hfmt("serving on http://127.0.0.1:%d", s->port);
	double deadline = now_s() + H_START_TIMEOUT;
	while (now_s() < deadline) {
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			print_error("# kyodo serve exited with %d on port %d\n", exit_code(status),
				    s->port);
			s->pid = 0;
			return -1;
		}
		/* The log line proves the answer comes from our process and not
		 * from whoever else might have bound the port. */
		if (healthz_status(s) == 200 && strstr(server_log(s), ready))
			return 0;
		sleep_ms(50);
	}
	print_error("# kyodo serve did not answer /healthz within %d s\n", H_START_TIMEOUT);
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	return -1;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[600];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

struct server *server_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct server *s = halloc(sizeof(*s));
	const char *bin = getenv("KYODO_BIN");
	s->bin = hstrdup(bin && *bin ? bin : "build/kyodo");
	const char *tmp = getenv("TMPDIR");
	snprintf(s->dir, sizeof(s->dir), "%s/kyodo-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) {
		print_error("# mkdtemp %s: %s\n", s->dir, strerror(errno));
		return NULL;
	}
	snprintf(s->db, sizeof(s->db), "%s/k.db", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
	snprintf(s->files, sizeof(s->files), "%s/files", s->dir);
	if (access(s->bin, X_OK) != 0) {
		print_error("# %s is not an executable (set KYODO_BIN)\n", s->bin);
		remove_tree(s->dir);
		return NULL;
	}
	char *out = NULL, *err = NULL;
	int rc = kyodo_cmd(s, NULL, &out, &err, "migrate", NULL);
	if (rc == 0)
		rc = kyodo_cmd(s, NULL, &out, &err, "demo", NULL);
	if (rc != 0) {
		print_error("# kyodo migrate/demo failed with %d: %s%s\n", rc, out, err);
		remove_tree(s->dir);
		return NULL;
	}
	for (int attempt = 0; attempt < 5; attempt++)
		if (try_serve(s) == 0)
			return s;
	print_log_tail(s, 30);
	remove_tree(s->dir);
	return NULL;
}

int server_stop(struct server *s)
{
	if (!s || !s->pid)
		return -1;
	kill(s->pid, SIGTERM);
	double deadline = now_s() + H_STOP_TIMEOUT;
	int status = 0, rc = -1;
	while (now_s() < deadline) {
		pid_t w = waitpid(s->pid, &status, WNOHANG);
		if (w == s->pid) {
			rc = exit_code(status);
			break;
		}
		if (w < 0 && errno != EINTR)
			break;
		sleep_ms(20);
	}
	if (rc == -1) {
		print_error("# kyodo serve did not stop within %d s of SIGTERM\n", H_STOP_TIMEOUT);
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
	if (rc != 0)
		print_log_tail(s, 40);
	return rc;
}

/* ---- clients ------------------------------------------------------------- */

struct client {
	struct server *s;
	CURL *curl;
	struct client *next;
};

static struct client *clients;

void server_free(struct server *s)
{
	if (s) {
		if (s->pid) {
			/* Already failing; do not wait long. */
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			s->pid = 0;
		}
		if (getenv("KYODO_KEEP_TMP"))
			print_error("# kept %s\n", s->dir);
		else
			remove_tree(s->dir);
	}
	pthread_mutex_lock(&mem_lock);
	for (struct client *c = clients, *next; c; c = next) {
		next = c->next;
		curl_easy_cleanup(c->curl);
		free(c);
	}
	clients = NULL;
	arena_free(&mem);
	pthread_mutex_unlock(&mem_lock);
	curl_global_cleanup();
}

void server_stops_gracefully_on_sigterm(void **state)
{
	struct server *s = *state;
	int rc = server_stop(s);
	if (rc != 0)
		fail_msg(
		    "kyodo serve exited with status %d after SIGTERM, not 0 (see the log above)",
		    rc);
}

int h_group_setup(void **state)
{
	struct server *s = server_start();
	if (!s) {
		server_free(NULL);
		return -1;
	}
	*state = s;
	return 0;
}

int h_group_teardown(void **state)
{
	server_free(*state);
	return 0;
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

/* Keep only the last response's headers (after a 100 Continue). */
static size_t collect_header(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	if (size * n >= 5 && strncmp(p, "HTTP/", 5) == 0)
		buf_reset(b);
	buf_add(b, p, size * n);
	return size * n;
}

struct client *client_new(struct server *s)
{
	struct client *c = calloc(1, sizeof(*c));
	if (!c || !(c->curl = curl_easy_init()))
		fail_msg("cannot create a curl handle");
	c->s = s;
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* an empty in-memory jar */
	/* "/groups/../admin" must reach the server as written. */
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collect_header);
	pthread_mutex_lock(&mem_lock);
	c->next = clients;
	clients = c;
	pthread_mutex_unlock(&mem_lock);
	return c;
}

struct resp *request_n(struct client *c, const char *method, const char *path,
		       const char *const *headers, const char *body, size_t n,
		       const char *content_type)
{
	CURL *h = c->curl;
	struct resp *r = halloc(sizeof(*r));
	struct buf out = BUF_INIT, hdr = BUF_INIT;
	struct curl_slist *list = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";

	r->method = hstrdup(method);
	r->path = hstrdup(path);
	/* The handle is reused (for its cookies) without curl_easy_reset(),
	 * which would make curl leak its list of cookie files when the cookie
	 * engine is switched on again: every per-request option is set here. */
	curl_easy_setopt(h, CURLOPT_URL, hfmt("%s%s", c->s->base, path));
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hdr);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0 || body)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		/* An empty "Content-Type:" makes curl send none at all. */
		list = curl_slist_append(list, content_type ? hfmt("Content-Type: %s", content_type)
							    : "Content-Type:");
	}
	for (size_t i = 0; headers && headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);

	double t0 = now_s();
	CURLcode rc = curl_easy_perform(h);
	r->seconds = now_s() - t0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	else
		r->error = hfmt("curl: %s (%s)", curl_easy_strerror(rc), errbuf);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(list);
	if (getenv("KYODO_HTTP_TRACE"))
		print_error("# %s %.100s -> %ld (%.3f s)\n", method, path, r->status, r->seconds);
	/* The handle must not keep pointers into this call's stack. */
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	r->len = out.n;
	r->body = take(&out);
	r->headers = take(&hdr);
	return r;
}

struct resp *request(struct client *c, const char *method, const char *path,
		     const char *const *headers, const char *body, const char *content_type)
{
	return request_n(c, method, path, headers, body, body ? strlen(body) : 0, content_type);
}

struct resp *get(struct client *c, const char *path)
{
	return request(c, "GET", path, NULL, NULL, NULL);
}

struct resp *post_form(struct client *c, const char *path, const char *body)
{
	return request(c, "POST", path, NULL, body, "application/x-www-form-urlencoded");
}

struct resp *send_json(struct client *c, const char *method, const char *path, const char *body,
		       const char *const *headers)
{
	return request(c, method, path, headers, body, "application/json");
}

/* Call fn(value) for every header line called name; stop when it returns
 * non-NULL. */
static const char *each_header(const struct resp *r, const char *name,
			       const char *(*fn)(const char *value, const void *arg),
			       const void *arg)
{
	size_t nlen = strlen(name);
	for (const char *p = r->headers; p && *p;) {
		size_t len = strcspn(p, "\r\n");
		if (len > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			size_t vn = len - nlen - 1;
			while (vn && (*v == ' ' || *v == '\t'))
				v++, vn--;
			while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
				vn--;
			const char *hit = fn(hstrndup(v, vn), arg);
			if (hit)
				return hit;
		}
		p += len;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	return NULL;
}

static const char *any_value(const char *value, const void *arg)
{
	(void)arg;
	return value;
}

const char *header_of(const struct resp *r, const char *name)
{
	return each_header(r, name, any_value, NULL);
}

static const char *cookie_named(const char *value, const void *arg)
{
	size_t n = strlen(arg);
	return strncmp(value, arg, n) == 0 && value[n] == '=' ? value : NULL;
}

const char *set_cookie_of(const struct resp *r, const char *name)
{
	return each_header(r, "Set-Cookie", cookie_named, name);
}

const char *csrf_in(const struct resp *r)
{
	static const char mark[] = "name=\"_csrf\" value=\"";
	const char *p = r->body ? strstr(r->body, mark) : NULL;
	if (!p)
		return NULL;
	p += sizeof(mark) - 1;
	return hstrndup(p, strcspn(p, "\""));
}

const char *client_csrf(struct client *c)
{
	/* Logged in: every page's logout form has it.  A visitor: the login
	 * form, which also sets the kyodo_anon cookie the token is bound to. */
	const char *tok = csrf_in(get(c, "/"));
	if (!tok)
		tok = csrf_in(get(c, "/login"));
	if (!tok || !*tok)
		fail_msg("no _csrf token on / or /login");
	return tok;
}

struct resp *login(struct client *c, const char *email, const char *password)
{
	struct resp *f = get(c, "/login");
	assert_status(f, 200);
	const char *tok = csrf_in(f);
	if (!tok)
		fail_msg("the login form has no _csrf field");
	return post_form(c, "/login",
			 form_body("email", email, "password", password, "_csrf", tok, NULL));
}

struct client *client_as(struct server *s, const struct huser *u)
{
	struct client *c = client_new(s);
	struct resp *r = login(c, u->email, u->password);
	if (r->status != 303)
		fail_msg("login as %s (%s) gave %ld, not 303: %.300s", u->email, u->role, r->status,
			 r->body);
	return c;
}

/* ---- JSON ---------------------------------------------------------------- */

/* The node at path inside j (borrowed), or NULL. */
static json_t *walk(json_t *j, const char *path)
{
	const char *p = path;
	while (j && *p) {
		size_t len = strcspn(p, ".");
		char *key = hstrndup(p, len);
		if (json_is_array(j)) {
			char *end;
			long i = strtol(key, &end, 10);
			j = *end || i < 0 ? NULL : json_array_get(j, (size_t)i);
		} else {
			j = json_object_get(j, key);
		}
		p += len + (p[len] == '.');
	}
	return j;
}

static json_t *parse(const struct resp *r)
{
	json_error_t err;
	json_t *j = json_loadb(r->body, r->len, 0, &err);
	if (!j)
		fail_msg("%s %s: body is not JSON (%s): %.300s", r->method, r->path, err.text,
			 r->body);
	return j;
}

const char *json_at(const struct resp *r, const char *path)
{
	json_t *j = parse(r);
	json_t *v = walk(j, path);
	const char *out = NULL;
	if (json_is_string(v))
		out = hstrdup(json_string_value(v));
	else if (json_is_integer(v))
		out = hfmt("%lld", (long long)json_integer_value(v));
	else if (v) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		out = hstrdup(s ? s : "");
		free(s);
	}
	/* Freed before any assertion can longjmp past it. */
	json_decref(j);
	return out;
}

long json_size_at(const struct resp *r, const char *path)
{
	json_t *j = parse(r);
	json_t *v = walk(j, path);
	long n = json_is_array(v)    ? (long)json_array_size(v)
		 : json_is_object(v) ? (long)json_object_size(v)
				     : -1;
	json_decref(j);
	return n;
}

const char *excerpt(const char *page)
{
	if (!page)
		return "(null)";
	const char *m = strstr(page, "<main");
	return m ? m : page;
}

/* ---- raw sockets ---------------------------------------------------------- */

int raw_connect(struct server *s)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send bytes while reading the reply: the server may answer (and stop
 * reading) before all of an oversized request has gone out.  Stops at the
 * end of the reply's headers when headers_only. */
static char *exchange(struct server *s, const void *bytes, size_t n, int timeout_ms,
		      bool headers_only)
{
	int fd = raw_connect(s);
	if (fd < 0)
		fail_msg("cannot connect to %s: %s", s->base, strerror(errno));
	double deadline = now_s() + timeout_ms / 1000.0;
	struct buf in = BUF_INIT;
	size_t sent = 0;
	bool closed = false;
	while (!closed && now_s() < deadline) {
		struct pollfd p = {fd, POLLIN | (sent < n ? POLLOUT : 0), 0};
		if (poll(&p, 1, 50) < 0 && errno != EINTR)
			break;
		if (p.revents & POLLIN) {
			char chunk[4096];
			ssize_t got = recv(fd, chunk, sizeof(chunk), 0);
			if (got <= 0)
				closed = true;
			else
				buf_add(&in, chunk, (size_t)got);
			if (headers_only && in.p && strstr(in.p, "\r\n\r\n"))
				break;
		} else if (p.revents & POLLOUT) {
			ssize_t w = send(fd, (const char *)bytes + sent, n - sent, MSG_NOSIGNAL);
			if (w < 0 && errno != EINTR && errno != EAGAIN)
				sent = n; /* the peer is gone: read what it said */
			else if (w > 0)
				sent += (size_t)w;
		} else if (p.revents & (POLLERR | POLLHUP)) {
			closed = true;
		}
	}
	close(fd);
	return take(&in);
}

const char *raw_exchange(struct server *s, const void *bytes, size_t n, int timeout_ms)
{
	char *reply = exchange(s, bytes, n, timeout_ms, true);
	reply[strcspn(reply, "\r\n")] = '\0';
	return reply;
}

const char *raw_reply(struct server *s, const void *bytes, size_t n, int timeout_ms)
{
	return exchange(s, bytes, n, timeout_ms, false);
}

int status_of_line(const char *line)
{
	int code = 0;
	if (strncmp(line, "HTTP/1.", 7) == 0 && sscanf(line + 8, " %d", &code) == 1)
		return code;
	return 0;
}
