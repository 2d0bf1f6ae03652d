/*
 * router: match a method and path against one static route table.
 *
 * Patterns are literal segments and {name} parameters, each matching one
 * non-empty path segment ("/groups/{id}/edit"); a parameter may carry a
 * literal suffix ("{id}.ics").  HEAD is served by the GET route.  A path
 * that matches some route but not its method is a 405.
 *
 * The application is several tables, one per feature.  When more than one
 * pattern matches, the most literal one wins, segment by segment from the
 * left: a literal segment beats a parameter with a suffix, which beats a
 * bare parameter.  So "/events/new" wins over "/events/{id}" wherever the
 * two stand, and no table depends on the order of its entries.
 */
#ifndef KYODO_ROUTER_H
#define KYODO_ROUTER_H

#include "http/req.h"

/* A route mask bit meaning "any logged-in user" (domain/role.h PERM_USER). */
#define PERM_ANY_USER (1u << 31)

typedef void (*route_fn)(struct req *r);

struct route {
	enum method method;
	const char *pattern;
	route_fn handler;
	unsigned perm;	/* role mask, see domain/role.h; 0 = everyone */
	unsigned flags; /* ROUTE_* */
};

/* Anonymous responses of this route may be kept in the page cache
 * (http/cache.h): the page must not depend on anything but the URL. */
#define ROUTE_CACHE 1u
/* POSTs to this route need no CSRF token.  Only for public, anonymous
 * handlers that read and write no cookie and act on nothing but the request
 * body: CSRF abuses the credentials a browser attaches on its own, and such
 * a handler has none to abuse (a forged request can do no more than the
 * attacker could do directly). */
#define ROUTE_NO_CSRF 2u

/* One feature's routes. */
struct route_table {
	const struct route *routes;
	size_t n;
};

enum route_result { ROUTE_OK, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/*
 * Find the route for (m, path) in the ntables tables.  On ROUTE_OK *out is
 * the most literal matching route of method m (see above) and
 * params/nparams hold its parameters (copied into the arena).  On
 * ROUTE_BAD_METHOD *allow is a bit set of the methods the path accepts.
 */
enum route_result router_match(const struct route_table *const *tables, size_t ntables,
			       enum method m, const char *path, struct arena *a,
			       const char **params, int *nparams, const struct route **out,
			       unsigned *allow);

/* "GET", "POST", ... for a method. */
const char *method_name(enum method m);
enum method method_parse(const char *s);

#endif
