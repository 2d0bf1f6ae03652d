#include "http/router.h"

#include <stdint.h>
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
 * (segments are short and the path is not NUL-separated).  *rank receives
 * the pattern's specificity, two bits a segment from the left (literal 2,
 * parameter with a suffix 1, bare parameter 0), so that a larger rank is a
 * more literal pattern.
 */
static bool match_pattern(const char *pat, const char *path, struct arena *a, const char **params,
			  int *nparams, uint64_t *rank)
{
	int np = 0;
	uint64_t rk = 0;
	unsigned seg = 0;
	bool seg_literal = true;
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
			seg_literal = false;
			if (slen && seg > 0 && seg <= 32)
				rk |= (uint64_t)1 << (62 - 2 * (seg - 1));
			continue;
		}
		if (*pat != *path)
			return false;
		if (*pat == '/') {
			if (seg_literal && seg > 0 && seg <= 32)
				rk |= (uint64_t)2 << (62 - 2 * (seg - 1));
			seg++;
			seg_literal = true;
		}
		pat++;
		path++;
	}
	if (*pat || *path)
		return false;
	if (seg_literal && seg > 0 && seg <= 32)
		rk |= (uint64_t)2 << (62 - 2 * (seg - 1));
	*nparams = np;
	*rank = rk;
	return true;
}

enum route_result router_match(const struct route_table *const *tables, size_t ntables,
			       enum method m, const char *path, struct arena *a,
			       const char **params, int *nparams, const struct route **out,
			       unsigned *allow)
{
	enum method want = m == M_HEAD ? M_GET : m;
	unsigned seen = 0;
	uint64_t best_rank = 0;
	const char *p[REQ_MAX_PARAMS];
	*out = NULL;
	*nparams = 0;
	for (size_t t = 0; t < ntables; t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct route *rt = &tables[t]->routes[i];
			int np = 0;
			uint64_t rank;
			if (!match_pattern(rt->pattern, path, a, p, &np, &rank))
				continue;
			seen |= 1u << rt->method;
			if (rt->method == M_GET)
				seen |= 1u << M_HEAD;
			if (rt->method != want || (*out && rank <= best_rank))
				continue;
			*out = rt;
			best_rank = rank;
			*nparams = np;
			memcpy(params, p, sizeof(p[0]) * (size_t)np);
		}
	}
	if (*out)
		return ROUTE_OK;
	*allow = seen;
	return seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
