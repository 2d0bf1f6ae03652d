/*
 * Unit tests for http/cache: the page cache for anonymous GET responses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/cache.h"

static int setup(void **state)
{
	(void)state;
	cache_init(64, 1024, 60);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cache_release();
	return 0;
}

static void test_cache_miss_then_hit_returns_a_copy(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	const char *ct = NULL;
	assert_false(cache_get("/groups?", &out, &ct));
	cache_put("/groups?", "<p>一覧</p>", strlen("<p>一覧</p>"), "text/html");
	assert_true(cache_get("/groups?", &out, &ct));
	assert_string_equal(out.p, "<p>一覧</p>");
	assert_string_equal(ct, "text/html");
	buf_release(&out);
}

static void test_cache_keys_differ_by_query(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	const char *ct;
	cache_put("/groups?page=1", "one", 3, "text/html");
	assert_false(cache_get("/groups?page=2", &out, &ct));
	assert_int_equal(out.n, 0);
	buf_release(&out);
}

static void test_cache_invalidate_forgets_everything(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	const char *ct;
	cache_put("/groups/1?", "old", 3, "text/html");
	cache_invalidate();
	assert_false(cache_get("/groups/1?", &out, &ct));
	cache_put("/groups/1?", "new", 3, "text/html");
	assert_true(cache_get("/groups/1?", &out, &ct));
	assert_string_equal(out.p, "new");
	buf_release(&out);
}

static void test_cache_refuses_entries_over_the_limit(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	const char *ct;
	char *big = calloc(1, 2048);
	memset(big, 'x', 2047);
	cache_put("/big?", big, 2047, "text/html");
	assert_false(cache_get("/big?", &out, &ct));
	free(big);
	buf_release(&out);
}

static void test_cache_entries_expire_after_ttl(void **state)
{
	(void)state;
	cache_release();
	cache_init(8, 1024, 1);
	struct buf out = BUF_INIT;
	const char *ct;
	cache_put("/x?", "x", 1, "text/html");
	assert_true(cache_get("/x?", &out, &ct));
	sleep(2);
	assert_false(cache_get("/x?", &out, &ct));
	buf_release(&out);
}

static void test_cache_disabled_with_ttl_zero(void **state)
{
	(void)state;
	cache_release();
	cache_init(8, 1024, 0);
	struct buf out = BUF_INIT;
	const char *ct;
	cache_put("/x?", "x", 1, "text/html");
	assert_false(cache_get("/x?", &out, &ct));
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cache_miss_then_hit_returns_a_copy, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_cache_keys_differ_by_query, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_invalidate_forgets_everything, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_cache_refuses_entries_over_the_limit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_cache_entries_expire_after_ttl, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_disabled_with_ttl_zero, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
