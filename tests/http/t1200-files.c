/*
 * t1200: serving stored files (GET /files/{id}).  A document of a
 * published call is public; any other file is shown only to staff and to
 * the person who uploaded it, and everyone else gets the same 404 as for a
 * file that does not exist.  The response carries the sniffed type, the
 * original name for the browser, and headers that keep it from being
 * sniffed or shared.
 *
 * The rows and bytes are made by hand here (sql() and the server's
 * KYODO_FILES folder), as the upload screens belong to other areas.
 */
#include "harness.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char pdf[] = "%PDF-1.4\n"
			  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
			  "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
			  "trailer << /Root 1 0 R >>\n"
			  "%%EOF\n";

static const char *const not_found = "お探しのファイルは見つかりませんでした。";

/* 'text' as an SQL literal. */
static const char *q(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 2 : 1;
	char *out = hfmt("%*s", (int)n + 2, "");
	char *o = out;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			*o++ = '\'';
		*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

/* The hex SHA-256 of (p, n). */
static const char *sha256_hex(const void *p, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	char *hex = hfmt("%*s", 64, "");
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return hex;
}

/* Store bytes as the server would (under their hash, when on_disk) and add
 * the files row; returns its id. */
static int64_t add_file(struct server *s, const char *name, const char *mime, const void *p,
			size_t n, int64_t uploaded_by, bool on_disk)
{
	const char *sha = sha256_hex(p, n);
	if (on_disk) {
		FILE *f = fopen(hfmt("%s/%s", s->files, sha), "wb");
		if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
			fail_msg("cannot write into %s", s->files);
	}
	sql(s,
	    "INSERT INTO files (sha256, name, mime, size, uploaded_by, created_at) "
	    "VALUES ('%s', %s, '%s', %zu, %s, strftime('%%s', 'now'))",
	    sha, q(name), mime, n, uploaded_by > 0 ? hfmt("%lld", (long long)uploaded_by) : "NULL");
	return sql_int(s, "SELECT max(id) FROM files");
}

static int fiscal_year = 2090;

/* A call (published or not) listing file id among its documents. */
static void attach_to_call(struct server *s, int64_t file_id, bool published)
{
	const char *program = hfmt("t1200 テスト事業 %d", fiscal_year);
	sql(s, "INSERT INTO programs (name) VALUES (%s)", q(program));
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = %s), %d, 'テストの募集', %d, 0, 0)",
	    q(program), fiscal_year, published ? 1 : 0);
	sql(s,
	    "INSERT INTO call_documents (call_id, file_id, title) VALUES ((SELECT max(id) FROM "
	    "calls), %lld, '募集要項')",
	    (long long)file_id);
	fiscal_year++;
}

static void assert_not_found(struct resp *r)
{
	assert_status(r, 404);
	assert_contains(BODY(r), not_found);
	assert_not_contains(BODY(r), "%PDF");
}

static void document_of_published_call_is_public(void **state)
{
	struct server *s = *state;
	int64_t id = add_file(s, "募集要項.pdf", "application/pdf", pdf, sizeof(pdf) - 1, 0, true);
	attach_to_call(s, id, true);
	struct resp *r = get(client_new(s), hfmt("/files/%lld", (long long)id));
	assert_status(r, 200);
	assert_int_equal(r->len, sizeof(pdf) - 1);
	assert_memory_equal(r->body, pdf, r->len);
	assert_string_equal(header_of(r, "Content-Type"), "application/pdf");
	assert_string_equal(header_of(r, "Content-Disposition"),
			    "inline; filename*=UTF-8''%E5%8B%9F%E9%9B%86%E8%A6%81%E9%A0%85.pdf");
	assert_string_equal(header_of(r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(header_of(r, "Cache-Control"), "private");
	assert_string_equal(header_of(r, "ETag"), hfmt("\"%s\"", sha256_hex(pdf, sizeof(pdf) - 1)));
}

static void unchanged_file_answers_304(void **state)
{
	struct server *s = *state;
	int64_t id = add_file(s, "a.pdf", "application/pdf", pdf, sizeof(pdf) - 1, 0, true);
	attach_to_call(s, id, true);
	const char *inm[] = {hfmt("If-None-Match: \"%s\"", sha256_hex(pdf, sizeof(pdf) - 1)), NULL};
	struct resp *r =
	    request(client_new(s), "GET", hfmt("/files/%lld", (long long)id), inm, NULL, NULL);
	assert_status(r, 304);
	assert_int_equal(r->len, 0);
}

static void file_of_unpublished_call_is_for_staff_only(void **state)
{
	struct server *s = *state;
	int64_t id = add_file(s, "審査資料.pdf", "application/pdf", pdf, sizeof(pdf) - 1, 0, true);
	attach_to_call(s, id, false);
	const char *path = hfmt("/files/%lld", (long long)id);
	assert_not_found(get(client_new(s), path));
	assert_not_found(get(client_as(s, add_user(s, "member")), path));
	assert_not_found(get(client_as(s, add_user(s, "reviewer")), path));
	assert_status(get(client_as(s, add_user(s, "coordinator")), path), 200);
	struct resp *r = get(client_as(s, add_user(s, "admin")), path);
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"), "application/pdf");
}

static void uploader_sees_their_own_file_and_no_one_else_does(void **state)
{
	struct server *s = *state;
	struct huser *owner = add_user(s, "member");
	static const char png[] = "\x89PNG\r\n\x1a\n-not-decoded-by-this-test";
	int64_t id =
	    add_file(s, "活動写真.png", "image/png", png, sizeof(png) - 1, owner->id, true);
	const char *path = hfmt("/files/%lld", (long long)id);
	struct resp *r = get(client_as(s, owner), path);
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"), "image/png");
	assert_string_equal(header_of(r, "Content-Disposition"),
			    "inline; filename*=UTF-8''%E6%B4%BB%E5%8B%95%E5%86%99%E7%9C%9F.png");
	assert_not_found(get(client_as(s, add_user(s, "member")), path));
	assert_not_found(get(client_new(s), path));
}

static void name_is_percent_encoded_in_the_header(void **state)
{
	struct server *s = *state;
	int64_t id =
	    add_file(s, "報告 \"最終\";版.pdf", "application/pdf", pdf, sizeof(pdf) - 1, 0, true);
	attach_to_call(s, id, true);
	struct resp *r = get(client_new(s), hfmt("/files/%lld", (long long)id));
	assert_status(r, 200);
	assert_string_equal(
	    header_of(r, "Content-Disposition"),
	    "inline; filename*=UTF-8''%E5%A0%B1%E5%91%8A%20%22%E6%9C%80%E7%B5%82%22%"
	    "3B%E7%89%88.pdf");
}

static void unknown_or_malformed_id_is_404(void **state)
{
	struct server *s = *state;
	struct client *admin = client_as(s, add_user(s, "admin"));
	assert_not_found(get(admin, "/files/999999"));
	assert_not_found(get(admin, "/files/0"));
	assert_not_found(get(admin, "/files/abc"));
	assert_not_found(get(admin, "/files/-1"));
}

/* A row whose bytes are not in the folder (a restore without the files):
 * 404 even for staff, and a line in the log for the operators. */
static void missing_bytes_are_404_and_logged(void **state)
{
	struct server *s = *state;
	static const char other[] = "%PDF-1.4\n% not on disk\n%%EOF\n";
	int64_t id =
	    add_file(s, "消えた.pdf", "application/pdf", other, sizeof(other) - 1, 0, false);
	assert_not_found(
	    get(client_as(s, add_user(s, "admin")), hfmt("/files/%lld", (long long)id)));
	assert_contains(server_log(s), hfmt("kyodo: file %lld (", (long long)id));
}

static void only_get_is_allowed(void **state)
{
	struct server *s = *state;
	struct client *c = client_new(s);
	struct resp *r = post_form(c, "/files/1", form_body("_csrf", client_csrf(c), NULL));
	assert_status(r, 405);
	assert_string_equal(header_of(r, "Allow"), "GET, HEAD");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(document_of_published_call_is_public),
	    cmocka_unit_test(unchanged_file_answers_304),
	    cmocka_unit_test(file_of_unpublished_call_is_for_staff_only),
	    cmocka_unit_test(uploader_sees_their_own_file_and_no_one_else_does),
	    cmocka_unit_test(name_is_percent_encoded_in_the_header),
	    cmocka_unit_test(unknown_or_malformed_id_is_404),
	    cmocka_unit_test(missing_bytes_are_404_and_logged),
	    cmocka_unit_test(only_get_is_allowed),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
