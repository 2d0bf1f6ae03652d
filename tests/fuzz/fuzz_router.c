/*
 * libFuzzer harness for the router: the application's real route table is
 * matched against arbitrary paths and methods; a match must bind exactly
 * as many parameters as its pattern has, none of them empty or holding '/'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"
#include "http/server.h"
#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct server_config cfg;
	if (!cfg.route_tables)
		web_configure(&cfg);
	if (size < 1)
		return 0;
	enum method m = (enum method)(data[0] % M__MAX);
	struct arena a;
	arena_init(&a);
	char *path = arena_strndup(&a, (const char *)data + 1, size - 1);
	const char *params[REQ_MAX_PARAMS];
	int np = 0;
	unsigned allow = 0;
	const struct route *rt;
	enum route_result rr =
	    router_match(cfg.route_tables, cfg.ntables, m, path, &a, params, &np, &rt, &allow);
	if (rr == ROUTE_OK) {
		int want = 0;
		for (const char *p = rt->pattern; *p; p++)
			want += *p == '{';
		if (np != want)
			abort();
		for (int i = 0; i < np; i++)
			if (!params[i][0] || strchr(params[i], '/'))
				abort();
	} else if (rr == ROUTE_BAD_METHOD && allow == 0) {
		abort();
	}
	arena_free(&a);
	return 0;
}
