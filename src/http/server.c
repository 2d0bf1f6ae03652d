/*
 * The HTTP server on libmicrohttpd.
 *
 * Lifecycle of a request (see docs/architecture.md):
 *   uri_log()   MHD has read the request line: allocate struct req and its
 *               arena, keep the raw query string.
 *   on_access() first call: method, limits, body set-up; further calls:
 *               body bytes; last call: dispatch() and queue the response.
 *   completed() write the access-log line, count metrics, free everything.
 */
#include "core/who.h"
#include "http/server.h"
#include "http/cache.h"
#include "http/urlenc.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/text.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const struct server_config *cfg;
static atomic_long inflight;

/* ---- metrics ---------------------------------------------------------- */

static atomic_ulong by_status[600];
static const unsigned long latency_bounds_us[] = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000};
#define NBUCKETS (sizeof(latency_bounds_us) / sizeof(latency_bounds_us[0]))
static atomic_ulong latency_buckets[NBUCKETS + 1];
static atomic_ulong latency_sum_us;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void count_request(int status, uint64_t us)
{
	if (status >= 100 && status < 600)
		atomic_fetch_add_explicit(&by_status[status], 1, memory_order_relaxed);
	size_t b = 0;
	while (b < NBUCKETS && us > latency_bounds_us[b])
		b++;
	atomic_fetch_add_explicit(&latency_buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&latency_sum_us, us, memory_order_relaxed);
}

void server_metrics(struct buf *out)
{
	buf_adds(out, "# HELP kyodo_http_requests_total HTTP requests by status code.\n"
		      "# TYPE kyodo_http_requests_total counter\n");
	for (int s = 100; s < 600; s++) {
		unsigned long n = atomic_load(&by_status[s]);
		if (n)
			buf_printf(out, "kyodo_http_requests_total{status=\"%d\"} %lu\n", s, n);
	}
	buf_adds(out, "# HELP kyodo_http_request_duration_seconds Time to handle a request.\n"
		      "# TYPE kyodo_http_request_duration_seconds histogram\n");
	unsigned long cum = 0;
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += atomic_load(&latency_buckets[b]);
		buf_printf(out, "kyodo_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
			   latency_bounds_us[b] / 1e6, cum);
	}
	cum += atomic_load(&latency_buckets[NBUCKETS]);
	buf_printf(out, "kyodo_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
	buf_printf(out, "kyodo_http_request_duration_seconds_sum %g\n",
		   atomic_load(&latency_sum_us) / 1e6);
	buf_printf(out, "kyodo_http_request_duration_seconds_count %lu\n", cum);
	unsigned long hits, misses;
	cache_stats(&hits, &misses);
	buf_printf(out,
		   "# HELP kyodo_page_cache_lookups_total Page cache lookups by result.\n"
		   "# TYPE kyodo_page_cache_lookups_total counter\n"
		   "kyodo_page_cache_lookups_total{result=\"hit\"} %lu\n"
		   "kyodo_page_cache_lookups_total{result=\"miss\"} %lu\n",
		   hits, misses);
}

/* ---- response helpers -------------------------------------------------- */

void resp_html(struct req *r, int status)
{
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
}

void resp_text(struct req *r, int status, const char *text)
{
	buf_reset(&r->body);
	buf_adds(&r->body, text);
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
}

void resp_redirect(struct req *r, const char *location)
{
	r->status = 303;
	r->location = arena_strdup(&r->arena, location);
	buf_reset(&r->body);
}

/* A header that does not fit is a bug in the handler, not something to
 * drop quietly (a lost Set-Cookie or Content-Disposition changes what the
 * client does): it is logged and the answer becomes a 500. */
void resp_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders == REQ_MAX_HEADERS) {
		fprintf(stderr, "kyodo: %s: more than %d response headers (%s); answering 500\n",
			r->path ? r->path : "-", REQ_MAX_HEADERS, name);
		r->headers_overflow = true;
		return;
	}
	r->headers[r->nheaders][0] = name;
	r->headers[r->nheaders][1] = arena_strdup(&r->arena, value);
	r->nheaders++;
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	char age[48] = "";
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	resp_header(r, MHD_HTTP_HEADER_SET_COOKIE,
		    arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name,
				 value, age, cfg && cfg->secure_cookies ? "; Secure" : ""));
}

static const char *first(const struct kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].val;
	return NULL;
}

const char *req_arg(const struct req *r, const char *key)
{
	return first(r->args, r->nargs, key);
}

const char *req_form(const struct req *r, const char *key)
{
	return first(r->form, r->nform, key);
}

const char *req_header(const struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *req_cookie(const struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

int64_t req_param_id(const struct req *r, int i)
{
	int64_t id;
	if (i >= r->nparams || str_to_i64(str_c(r->params[i]), 1, INT64_MAX, &id) != 0)
		return -1;
	return id;
}

const char *req_csrf(struct req *r)
{
	return cfg->csrf_token(r);
}

/* ---- request lifecycle ------------------------------------------------- */

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	struct req *r = xcalloc(1, sizeof(*r));
	arena_init(&r->arena);
	r->conn = conn;
	r->started_us = now_us();
	const char *q = strchr(uri, '?');
	r->query = q ? arena_strdup(&r->arena, q + 1) : "";
	/* The raw path, for the access log until dispatch() decodes it. */
	r->path = arena_strndup(&r->arena, uri, q ? (size_t)(q - uri) : strlen(uri));
	atomic_fetch_add(&inflight, 1);
	return r;
}

/* Send r's response now.  Builds the MHD response from r->body. */
static enum MHD_Result send_response(struct req *r)
{
	struct MHD_Response *resp;
	if (r->headers_overflow) {
		r->headers_overflow = false;
		if (r->body_static)
			r->body = BUF_INIT; /* static bytes: not ours to reuse */
		else
			buf_reset(&r->body);
		r->body_static = false;
		r->nheaders = 0;
		r->location = NULL;
		cfg->error(r, 500, msg("http.internal"));
		r->headers_overflow = false;
	}
	if (r->status == 0)
		r->status = 200;
	r->bytes_out = r->body.n;
	if (r->body_static) {
		resp =
		    MHD_create_response_from_buffer(r->body.n, r->body.p, MHD_RESPMEM_PERSISTENT);
		r->body = BUF_INIT;
	} else {
		size_t len;
		char *p = buf_detach(&r->body, &len);
		resp = MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(p);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->content_type ? r->content_type : "text/html; charset=utf-8");
	/* A handler may replace the policy (stored PDFs need the browser's
	 * viewer, which object-src 'none' would block); never remove it. */
	bool own_csp = false;
	for (int i = 0; i < r->nheaders; i++)
		own_csp |= strcmp(r->headers[i][0], "Content-Security-Policy") == 0;
	if (!own_csp)
		MHD_add_response_header(
		    resp, "Content-Security-Policy",
		    "default-src 'self'; script-src 'self'; style-src 'self'; "
		    "img-src 'self' data:; form-action 'self'; "
		    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
	bool cache_set = false;
	for (int i = 0; i < r->nheaders; i++)
		cache_set |= strcmp(r->headers[i][0], MHD_HTTP_HEADER_CACHE_CONTROL) == 0;
	if (!cache_set)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	r->dispatched = true;
	return ret;
}

/* Answer status with the error page for message key (util/msg.h). */
static enum MHD_Result fail(struct req *r, int status, const char *key)
{
	buf_reset(&r->body);
	r->nheaders = 0;
	r->headers_overflow = false;
	r->location = NULL;
	cfg->error(r, status, msg(key));
	return send_response(r);
}

/* A path may not contain "." or ".." segments, empty segments or control
 * characters; MHD has already percent-decoded it. */
static bool path_ok(const char *p)
{
	if (p[0] != '/' || !text_valid_utf8(p, strlen(p)))
		return false;
	for (const char *s = p; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == '\\')
			return false;
		if (*s == '/' && s[1] == '.' &&
		    (s[2] == '/' || s[2] == '\0' || (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))
			return false;
		if (*s == '/' && s[1] == '/')
			return false;
	}
	return true;
}

static bool ct_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Turn a JSON object body into pairs: strings and numbers as text, arrays
 * of scalars as repeated keys, null as absent.  Other shapes give -1 and a
 * message naming the key. */
static int json_to_pairs(struct req *r, json_t *obj, const char **badkey)
{
	size_t cap = json_object_size(obj) * 2 + 8, n = 0;
	struct kv *kv = arena_alloc(&r->arena, cap * sizeof(*kv));
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		json_t *items = val, *one;
		size_t count = 1, idx;
		if (json_is_null(val))
			continue;
		if (json_is_array(val))
			count = json_array_size(val);
		for (idx = 0; idx < count; idx++) {
			one = json_is_array(items) ? json_array_get(items, idx) : val;
			const char *s;
			char num[64];
			if (json_is_string(one))
				s = json_string_value(one);
			else if (json_is_integer(one))
				snprintf(num, sizeof(num), "%lld",
					 (long long)json_integer_value(one)),
				    s = num;
			else if (json_is_boolean(one))
				s = json_is_true(one) ? "1" : "0";
			else {
				if (!*badkey)
					*badkey = arena_strdup(&r->arena, key);
				continue;
			}
			if (n == cap) {
				struct kv *nk = arena_alloc(&r->arena, cap * 2 * sizeof(*nk));
				memcpy(nk, kv, n * sizeof(*kv));
				kv = nk;
				cap *= 2;
			}
			kv[n].key = arena_strdup(&r->arena, key);
			kv[n].val = arena_strdup(&r->arena, s);
			kv[n].len = strlen(kv[n].val);
			n++;
		}
	}
	r->form = kv;
	r->nform = n;
	return 0;
}

/* Route, authenticate, check permission and CSRF, parse the body, call the
 * handler.  Always leaves a response in r. */
static enum MHD_Result dispatch(struct req *r, const char *url)
{
	const struct route *route = NULL;
	unsigned allow = 0;

	if (!path_ok(url))
		return fail(r, 400, "http.bad_url");
	r->path = arena_strdup(&r->arena, url);
	r->is_api = strncmp(url, "/api/", 5) == 0;
	if (urlenc_parse(&r->arena, r->query, strlen(r->query), cfg->max_fields, &r->args,
			 &r->nargs) != 0)
		return fail(r, 400, "http.bad_query");

	enum route_result rr = router_match(cfg->route_tables, cfg->ntables, r->method, url,
					    &r->arena, r->params, &r->nparams, &route, &allow);
	if (rr == ROUTE_NOT_FOUND)
		return fail(r, 404, "http.not_found");
	if (rr == ROUTE_BAD_METHOD) {
		struct buf b = BUF_INIT;
		for (int m = 0; m < M_OTHER; m++)
			if (allow & (1u << m))
				buf_printf(&b, "%s%s", b.n ? ", " : "",
					   method_name((enum method)m));
		enum MHD_Result ret;
		buf_reset(&r->body);
		cfg->error(r, 405, msg("http.bad_method"));
		resp_header(r, MHD_HTTP_HEADER_ALLOW, b.p ? b.p : "");
		buf_release(&b);
		ret = send_response(r);
		return ret;
	}
	if (!cfg->authenticate(r))
		return fail(r, 401, "http.bad_credentials");

	bool writes = r->method != M_GET && r->method != M_HEAD;
	if (route->perm) {
		if (!r->user) {
			if (!r->is_api && !writes) {
				struct buf b = BUF_INIT;
				buf_adds(&b, "/login?next=");
				buf_add_urlenc(&b, r->path, strlen(r->path));
				resp_redirect(r, b.p);
				buf_release(&b);
				return send_response(r);
			}
			return fail(r, 401, "http.login_required");
		}
		if (route->perm != PERM_ANY_USER && !(r->user->roles & route->perm))
			return fail(r, 403, "http.forbidden");
	}
	if (writes) {
		const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (r->mp) {
			/* multipart: already parsed by the post processor */
		} else if (ct_is(ct, "application/json")) {
			json_error_t jerr;
			if (!text_valid_utf8(r->raw_body.p ? r->raw_body.p : "", r->raw_body.n))
				return fail(r, 400, "http.bad_json");
			json_t *j = json_loadb(r->raw_body.p ? r->raw_body.p : "", r->raw_body.n,
					       JSON_REJECT_DUPLICATES, &jerr);
			if (!j || !json_is_object(j)) {
				json_decref(j);
				return fail(r, 400, "http.bad_json");
			}
			/* A value of the wrong type is the handler's to report,
			 * next to its field. */
			json_to_pairs(r, j, &r->json_type_error);
			json_decref(j);
			r->json_body = true;
		} else if (r->raw_body.n == 0 && !ct) {
			/* an empty body needs no type */
		} else if (ct_is(ct, "application/x-www-form-urlencoded")) {
			if (urlenc_parse(&r->arena, r->raw_body.p ? r->raw_body.p : "",
					 r->raw_body.n, cfg->max_fields, &r->form, &r->nform) != 0)
				return fail(r, 400, "http.bad_body");
		} else {
			return fail(r, 415, "http.unsupported_type");
		}
		/* CSRF: bearer-token API clients are exempt; everyone else sends the
		 * token as the _csrf field or the X-CSRF-Token header. */
		bool bearer = r->user && r->user->session_id == 0;
		const char *sent = req_header(r, "X-CSRF-Token");
		size_t w = 0;
		for (size_t i = 0; i < r->nform; i++) {
			if (strcmp(r->form[i].key, "_csrf") == 0) {
				if (!sent)
					sent = r->form[i].val;
			} else {
				r->form[w++] = r->form[i];
			}
		}
		r->nform = w;
		/* ROUTE_NO_CSRF: see router.h for why such routes are safe. */
		if (!bearer && !(route->flags & ROUTE_NO_CSRF)) {
			const char *want = cfg->csrf_token(r);
			if (!sent || strlen(sent) != strlen(want) ||
			    sodium_memcmp(sent, want, strlen(want)) != 0)
				return fail(r, 403, "http.csrf");
		}
	}
	/* The page cache serves residents' views of public pages. */
	char *cache_key = NULL;
	if (!writes && (route->flags & ROUTE_CACHE) && !r->user &&
	    !req_header(r, "Authorization") && !req_cookie(r, "kyodo_session") &&
	    !req_cookie(r, "kyodo_flash")) {
		cache_key = arena_printf(&r->arena, "%s?%s", r->path, r->query);
		const char *ct;
		if (cache_get(cache_key, &r->body, &ct)) {
			r->status = 200;
			r->content_type = ct;
			return send_response(r);
		}
	}
	route->handler(r);
	if (r->status == 0)
		r->status = 200;
	if (writes)
		cache_invalidate();
	else if (cache_key && r->status == 200 && r->nheaders == 0 && !r->location &&
		 !r->body_static && r->content_type)
		cache_put(cache_key, r->body.p ? r->body.p : "", r->body.n, r->content_type);
	return send_response(r);
}

/* Multipart fields arrive in pieces; each piece of the same key continues the
 * previous one (off > 0). */
struct mp_field {
	char *key;
	char *filename;
	char *content_type;
	struct buf data;
};

struct mp_state {
	struct mp_field *f;
	size_t n, cap;
	size_t total;
};

static enum MHD_Result mp_iter(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct req *r = cls;
	struct mp_state *st = r->mp;
	if (off == 0) {
		if (st->n == cfg->max_fields) {
			r->bad_body = true;
			return MHD_NO;
		}
		if (st->n == st->cap) {
			st->cap = st->cap ? st->cap * 2 : 8;
			st->f = xrealloc(st->f, st->cap * sizeof(*st->f));
		}
		struct mp_field *f = &st->f[st->n++];
		memset(f, 0, sizeof(*f));
		f->key = arena_strdup(&r->arena, key ? key : "");
		f->filename = filename ? arena_strdup(&r->arena, filename) : NULL;
		f->content_type = content_type ? arena_strdup(&r->arena, content_type) : NULL;
	}
	if (!st->n)
		return MHD_NO;
	struct mp_field *f = &st->f[st->n - 1];
	st->total += size;
	size_t limit = f->filename ? cfg->max_upload : cfg->max_body;
	if (st->total > cfg->max_upload || f->data.n + size > limit) {
		r->too_large = true;
		return MHD_NO;
	}
	buf_add(&f->data, data, size);
	return MHD_YES;
}

/* Move the finished multipart fields into r->form and r->uploads. */
static void mp_finish(struct req *r)
{
	struct mp_state *st = r->mp;
	/* Destroying the processor reports a body that ended mid-part. */
	if (MHD_destroy_post_processor(r->pp) != MHD_YES)
		r->bad_body = true;
	r->pp = NULL;
	/* A body whose boundary never matched yields no parts at all. */
	if (st->n == 0 && r->body_bytes > 0)
		r->bad_body = true;
	size_t nf = 0, nu = 0;
	r->form = arena_alloc(&r->arena, (st->n + 1) * sizeof(*r->form));
	r->uploads = arena_alloc(&r->arena, (st->n + 1) * sizeof(*r->uploads));
	for (size_t i = 0; i < st->n; i++) {
		struct mp_field *f = &st->f[i];
		if (f->filename) {
			struct upload *u = &r->uploads[nu++];
			u->field = f->key;
			u->filename = f->filename;
			u->content_type = f->content_type;
			u->data = f->data; /* ownership moves; freed in completed() */
			f->data = BUF_INIT;
		} else {
			const char *v = f->data.p ? f->data.p : "";
			if (!text_valid_utf8(v, f->data.n) || !f->key[0]) {
				r->bad_body = true;
			}
			r->form[nf].key = f->key;
			r->form[nf].val = arena_strndup(&r->arena, v, f->data.n);
			r->form[nf].len = f->data.n;
			nf++;
			buf_release(&f->data);
		}
	}
	r->nform = nf;
	r->nuploads = nu;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct req *r = *con_cls;
	if (!r) /* cannot happen: uri_log always runs first */
		return MHD_NO;
	if (r->dispatched) {
		*upload_data_size = 0; /* discard the rest of a refused body */
		return MHD_YES;
	}
	if (!r->started) {
		r->started = true;
		r->method = method_parse(method);
		r->ip = "";
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
			char ip[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, ip,
				  sizeof(ip));
			r->ip = arena_strdup(&r->arena, ip);
		}
		if (r->method == M_OTHER)
			return fail(r, 501, "http.not_implemented");
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_TYPE);
		bool multipart = ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
		size_t limit = multipart ? cfg->max_upload : cfg->max_body;
		if (cl && strtoull(cl, NULL, 10) > limit)
			return fail(r, 413, "http.too_large");
		if (multipart) {
			r->mp = arena_alloc(&r->arena, sizeof(struct mp_state));
			r->pp = MHD_create_post_processor(conn, 16 * 1024, mp_iter, r);
			if (!r->pp)
				return fail(r, 400, "http.bad_body");
		}
		return MHD_YES;
	}
	/* MHD cannot queue a response while a body is arriving, so problems
	 * found in the body are remembered, the rest of it is discarded, and
	 * the answer goes out on the final call. */
	if (*upload_data_size) {
		if (now_us() - r->started_us > cfg->request_timeout * 1000000ull)
			r->timed_out = true;
		if (r->timed_out || r->too_large || r->bad_body) {
			/* discard */
		} else if (r->pp) {
			r->body_bytes += *upload_data_size;
			if (MHD_post_process(r->pp, upload_data, *upload_data_size) != MHD_YES) {
				if (!r->too_large)
					r->bad_body = true;
			}
		} else if (r->raw_body.n + *upload_data_size > cfg->max_body) {
			r->too_large = true;
			buf_release(&r->raw_body);
		} else {
			buf_add(&r->raw_body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->pp)
		mp_finish(r);
	if (r->timed_out)
		return fail(r, 408, "http.timeout");
	if (r->too_large)
		return fail(r, 413, "http.too_large");
	if (r->bad_body)
		return fail(r, 400, "http.bad_body");
	return dispatch(r, url);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	struct req *r = *con_cls;
	if (!r)
		return;
	uint64_t us = now_us() - r->started_us;
	int status = r->dispatched ? r->status : 0;
	if (r->dispatched || toe != MHD_REQUEST_TERMINATED_CLIENT_ABORT) {
		char line[512];
		int n =
		    snprintf(line, sizeof(line), "%s %s %d %zu %lluus\n", method_name(r->method),
			     r->path ? r->path : "-", status, r->bytes_out, (unsigned long long)us);
		if (n > 0) {
			size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
			if (write(STDERR_FILENO, line, len) < 0) {
				/* nothing useful to do if the log is gone */
			}
		}
	}
	if (status)
		count_request(status, us);
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	if (r->mp) {
		struct mp_state *st = r->mp;
		for (size_t i = 0; i < st->n; i++)
			buf_release(&st->f[i].data);
		free(st->f);
	}
	for (size_t i = 0; i < r->nuploads; i++)
		buf_release(&r->uploads[i].data);
	if (!r->body_static)
		buf_release(&r->body);
	buf_release(&r->raw_body);
	arena_free(&r->arena);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&inflight, 1);
}

/* ---- configuration and main loop -------------------------------------- */

static unsigned env_uint(const char *name, unsigned def)
{
	const char *s = getenv(name);
	int64_t v;
	if (s && str_to_i64(str_c(s), 1, 1u << 30, &v) == 0)
		return (unsigned)v;
	return def;
}

void server_config_defaults(struct server_config *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = getenv("KYODO_LISTEN") ? getenv("KYODO_LISTEN") : "127.0.0.1:8080";
	c->threads = env_uint("KYODO_THREADS", 0);
	c->max_body = env_uint("KYODO_MAX_BODY", 1u << 20);
	c->max_upload = env_uint("KYODO_MAX_UPLOAD", 10u << 20);
	c->max_fields = env_uint("KYODO_MAX_FIELDS", 200);
	c->max_header = env_uint("KYODO_MAX_HEADER", 32u << 10);
	c->conn_timeout = env_uint("KYODO_CONN_TIMEOUT", 30);
	c->request_timeout = env_uint("KYODO_REQUEST_TIMEOUT", 60);
	c->max_conns = env_uint("KYODO_MAX_CONNS", 1000);
	c->max_conns_per_ip = env_uint("KYODO_MAX_CONNS_PER_IP", 256);
	const char *ttl = getenv("KYODO_PAGE_CACHE_TTL");
	c->page_cache_ttl = ttl && strcmp(ttl, "0") == 0 ? 0 : env_uint("KYODO_PAGE_CACHE_TTL", 5);
	const char *sc = getenv("KYODO_SECURE_COOKIES");
	c->secure_cookies = sc && (strcmp(sc, "1") == 0 || strcmp(sc, "true") == 0);
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	int64_t port;
	char host[64];
	if (!colon || (size_t)(colon - s) >= sizeof(host) ||
	    str_to_i64(str_c(colon + 1), 1, 65535, &port) != 0)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("kyodo: mhd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int server_run(const struct server_config *c)
{
	struct sockaddr_in sa;
	cfg = c;
	if (parse_listen(c->listen, &sa) != 0) {
		fprintf(stderr, "kyodo: KYODO_LISTEN must be IPv4 host:port, got %s\n", c->listen);
		return -1;
	}
	unsigned threads = c->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}

	/* Signals are taken by sigwait() below, so worker threads (created
	 * after this) inherit them blocked. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_USE_TURBO, 0,
	    NULL, NULL, on_access, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, c->max_conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->max_conns_per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
	    c->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->max_header,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed,
	    NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kyodo: cannot listen on %s\n", c->listen);
		return -1;
	}
	cache_init(4096, 512u << 10, c->page_cache_ttl);
	fprintf(stderr, "kyodo: serving on http://%s with %u threads\n", c->listen, threads);

	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "kyodo: %s received, finishing in-flight requests\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	/* Give running requests up to 10 s to finish, then stop.  No
	 * MHD_quiesce_daemon(): with epoll worker threads it races their
	 * epoll sets and aborts ("Failed to remove listen FD from epoll
	 * set"); MHD_stop_daemon() closes the listening socket itself. */
	for (int i = 0; i < 1000 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	cache_release();
	fprintf(stderr, "kyodo: stopped\n");
	return 0;
}
