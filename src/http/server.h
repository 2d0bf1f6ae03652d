/*
 * server: the HTTP server (libmicrohttpd, a thread pool on epoll).
 *
 * It owns the request lifecycle: limits, parsing, routing, the permission
 * and CSRF checks, security headers, access log and metrics.  What a
 * request means is left to the hooks and the route table given in
 * struct server_config, which the web layer supplies.
 */
#ifndef KYODO_SERVER_H
#define KYODO_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"
#include "http/router.h"

struct server_config {
	const char *listen;	  /* "127.0.0.1:8080" */
	unsigned threads;	  /* worker threads; 0 = one per core */
	size_t max_body;	  /* urlencoded/JSON body bytes */
	size_t max_upload;	  /* multipart body bytes */
	size_t max_fields;	  /* pairs per query or body */
	size_t max_header;	  /* per-connection memory for headers and URL */
	unsigned conn_timeout;	  /* idle seconds before a connection is closed */
	unsigned request_timeout; /* seconds a request may take to arrive */
	unsigned max_conns;
	unsigned max_conns_per_ip;
	bool secure_cookies;
	unsigned page_cache_ttl; /* seconds; 0 disables the page cache */

	/* The application's routes, one table per feature (src/main.c). */
	const struct route_table *const *route_tables;
	size_t ntables;

	/* Set r->user from the session cookie or bearer token.  Returns false
	 * when a bearer token was given but is not valid. */
	bool (*authenticate)(struct req *r);
	/* The CSRF token expected for r (derived from its session). */
	const char *(*csrf_token)(struct req *r);
	/* Render an error page (HTML or JSON) for status with a Japanese
	 * message. */
	void (*error)(struct req *r, int status, const char *message);
	/* Called for /metrics additions; may be NULL. */
	void (*metrics)(struct buf *out);
};

/* Fill cfg with defaults, overridden by KYODO_* environment variables. */
void server_config_defaults(struct server_config *cfg);

/* Serve until SIGTERM or SIGINT, then finish in-flight requests and return.
 * Returns 0, or -1 if the server could not start. */
int server_run(const struct server_config *cfg);

/* Append the server's own Prometheus metrics (requests by status, latency
 * histogram) to out. */
void server_metrics(struct buf *out);

#endif
