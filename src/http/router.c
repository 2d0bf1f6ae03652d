#include "http/router.h"

#include <string.h>

static const char *const method_names[M__MAX] = {
    [M_GET] = "GET", [M_HEAD] = "HEAD",	    [M_POST] = "POST",	 [M_PATCH] = "PATCH",
    [M_PUT] = "PUT", [M_DELETE] = "DELETE", [M_OTHER] = "OTHER",
};

const char *method_name(enum method m)
{
	return (unsigned)m < M__MAX ? method_names[m] : "OTHER";
}

enum method method_parse(const char *s)
{
	for (int m = 0; m < M_OTHER; m++)
		if (strcmp(s, method_names[m]) == 0)
			return (enum method)m;
	return M_OTHER;
}

/*
 * Match one pattern against path.  Parameters are copied into the arena
 * (segments are short and the path is not NUL-separated).
 */
static bool match_pattern(const char *pat, const char *path, struct arena *a, const char **params,
			  int *nparams)
{
	int np = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);
			if (!close || len == 0 || np >= REQ_MAX_PARAMS)
				return false;
			/* A literal after the parameter in the same segment
			 * ("{id}.ics") must end the segment and is not part
			 * of the value. */
			const char *suffix = close + 1;
			size_t slen = strcspn(suffix, "/");
			if (slen >= len || memcmp(path + len - slen, suffix, slen) != 0)
				return false;
			params[np++] = arena_strndup(a, path, len - slen);
			pat = suffix + slen;
			path += len;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	if (*pat || *path)
		return false;
	*nparams = np;
	return true;
}

enum route_result router_match(const struct route *routes, size_t n, enum method m,
			       const char *path, struct arena *a, const char **params, int *nparams,
			       const struct route **out, unsigned *allow)
{
	enum method want = m == M_HEAD ? M_GET : m;
	unsigned seen = 0;
	*out = NULL;
	*nparams = 0;
	for (size_t i = 0; i < n; i++) {
		int np = 0;
		if (!match_pattern(routes[i].pattern, path, a, params, &np))
			continue;
		if (routes[i].method == want) {
			*out = &routes[i];
			*nparams = np;
			return ROUTE_OK;
		}
		seen |= 1u << routes[i].method;
		if (routes[i].method == M_GET)
			seen |= 1u << M_HEAD;
	}
	*allow = seen;
	return seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
