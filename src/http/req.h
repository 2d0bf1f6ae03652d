/*
 * req: one HTTP request and the response being built for it.
 *
 * The server (http/server.c) creates a struct req when a request arrives,
 * parses its query, body and cookies into key/value lists allocated in the
 * request's arena, checks the route's permission and the CSRF token, and
 * calls the handler.  The handler fills in the response through the resp_*
 * functions.  Everything allocated from r->arena is released in one place
 * when the request completes.
 */
#ifndef KYODO_REQ_H
#define KYODO_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/form.h"
#include "util/str.h"

enum method { M_GET, M_HEAD, M_POST, M_PATCH, M_PUT, M_DELETE, M_OTHER, M__MAX };

struct upload {
	const char *field;
	const char *filename;
	const char *content_type; /* as sent by the client: never trusted */
	struct buf data;
};

/* The logged-in user, if any: core/who.h. */
struct who;

#define REQ_MAX_PARAMS	4
#define REQ_MAX_HEADERS 8

struct req {
	struct arena arena;
	void *conn; /* struct MHD_Connection, opaque to handlers */

	enum method method;
	const char *path;  /* percent-decoded, without the query */
	const char *query; /* raw query string after '?', or "" */
	const char *ip;
	const char *params[REQ_MAX_PARAMS]; /* from the route pattern's {x} */
	int nparams;

	struct kv *args; /* query string pairs */
	size_t nargs;
	struct kv *form; /* body pairs (urlencoded, multipart text, or JSON) */
	size_t nform;
	struct upload *uploads;
	size_t nuploads;
	bool is_api;		     /* path under /api/: JSON errors */
	bool json_body;		     /* body was application/json */
	const char *json_type_error; /* first JSON key whose value had a wrong type */

	struct who *user;	   /* NULL for residents */
	const char *session_token; /* raw cookie token, for CSRF derivation */
	const char *anon_token;	   /* kyodo_anon cookie for visitors' forms */
	bool set_anon_cookie;

	/* Response */
	int status;
	const char *content_type;
	struct buf body;
	const char *location;
	const char *headers[REQ_MAX_HEADERS][2];
	int nheaders;
	bool headers_overflow; /* a header did not fit: the answer becomes a 500 */
	bool body_static;      /* body.p points to static storage: do not free */

	/* Bookkeeping for logs and metrics */
	uint64_t started_us;
	size_t bytes_out;
	struct buf raw_body;
	void *pp; /* MHD post processor for multipart bodies */
	void *mp; /* its fields as they arrive (server.c) */
	bool started;
	size_t body_limit;
	bool too_large;
	bool timed_out;
	size_t body_bytes; /* multipart bytes received */
	bool bad_body;
	bool dispatched;
};

/* Response helpers for handlers. */
void resp_html(struct req *r, int status); /* body already in r->body */
void resp_text(struct req *r, int status, const char *text);
void resp_redirect(struct req *r, const char *location); /* 303 See Other */
void resp_header(struct req *r, const char *name, const char *value);
/* Set a cookie (HttpOnly, SameSite=Lax, Path=/, Secure when configured).
 * max_age < 0 gives a session cookie; 0 deletes it. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);

/* Query/form lookups: the first value of key, or NULL. */
const char *req_arg(const struct req *r, const char *key);
const char *req_form(const struct req *r, const char *key);
const char *req_header(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);

/* Route parameter i as a positive id, or -1 when it is not one. */
int64_t req_param_id(const struct req *r, int i);

/* The CSRF token for this request's session (or visitor cookie). */
const char *req_csrf(struct req *r);

#endif
