/*
 * t1600: score sheet exports (採点票の出力) — GET /admin/calls/{id}/scores.xlsx
 * and .csv: one worksheet per stage, the CSV with a 段階 column, every
 * row's scores, its total on 100 and its state, formula-safe text, staff
 * only, audited.
 *
 * The scenario is written into the database with sql(), so that it does not
 * depend on the screening pages:
 *
 *   call "t1600の募集", category 一般部門 (T16)
 *   R7-T16-001 石垣を歩く親子ツアー (金沢城・兼六園研究会)
 *   R7-T16-002 ごみゼロ, "エコ"フェス (NPOエコラボ)
 *
 *   stage 1 "1次審査（書類）": 公益性 weight 2 max 5, 実現可能性 weight 1 max 5
 *     審査員 甲 on 001: 4, 3, submitted  → (2·4 + 3) / (2·5 + 5) = 11/15 = 73.33
 *     審査員 乙 on 001: 3, 4, submitted  → (2·3 + 4) / 15 = 10/15 = 66.67
 *     審査員 甲 on 002: recused (利益相反), no sheet
 *     審査員 乙 on 002: draft with 公益性 5 only → no total
 *   stage 2 "2次審査/公開:プレゼン": 公益性 w1 max 5, 独自性 w1 max 5
 *     審査員 甲 on 001: 5, 4, submitted  → 9/10 = 90.00
 *
 * The stage-2 name holds / and :, which a worksheet name may not: its
 * sheet is "2次審査＿公開＿プレゼン".
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GROUP_A "金沢城・兼六園研究会"
#define GROUP_C "NPOエコラボ"
#define STAGE1	"1次審査（書類）"
#define STAGE2	"2次審査/公開:プレゼン"

struct scene {
	long long call, stage1, stage2, p1, p2;
	struct huser *r1, *r2, *admin;
};

/* A sheet of reviewer u on proposal p in stage st; returns its id. */
static long long add_sheet(struct server *s, long long st, long long p, const struct huser *u,
			   const char *status, const char *comment)
{
	sql(s,
	    "INSERT INTO score_sheets (stage_id, proposal_id, reviewer_id, status, comment, "
	    "updated_at, submitted_at) VALUES (%lld, %lld, %lld, '%s', '%s', 0, %s)",
	    st, p, (long long)u->id, status, comment,
	    strcmp(status, "submitted") == 0 ? "0" : "NULL");
	return (long long)sql_int(s, "SELECT max(id) FROM score_sheets");
}

static void add_score(struct server *s, long long sheet, long long st, const char *criterion, int v)
{
	sql(s,
	    "INSERT INTO scores (sheet_id, criterion_id, score) VALUES (%lld, (SELECT id FROM "
	    "review_criteria WHERE stage_id = %lld AND name = '%s'), %d)",
	    sheet, st, criterion, v);
}

static long long add_stage(struct server *s, long long call, int pos, const char *name)
{
	sql(s,
	    "INSERT INTO review_stages (call_id, position, name, opens_at, closes_at, closed_at) "
	    "VALUES (%lld, %d, '%s', 0, 1, 1)",
	    call, pos, name);
	return (long long)sql_int(s, "SELECT max(id) FROM review_stages");
}

static void add_criterion(struct server *s, long long st, int pos, const char *name, int max,
			  int weight)
{
	sql(s,
	    "INSERT INTO review_criteria (stage_id, position, name, max_score, weight) "
	    "VALUES (%lld, %d, '%s', %d, %d)",
	    st, pos, name, max, weight);
}

static long long add_proposal(struct server *s, long long call, long long cat, const char *group,
			      int seq, const char *title, const struct huser *by)
{
	sql(s,
	    "INSERT INTO proposals (call_id, category_id, group_id, created_by, status, "
	    "receipt_seq, receipt_no, title, submitted_at, created_at, updated_at) VALUES (%lld, "
	    "%lld, %lld, %lld, 'submitted', %d, 'R7-T16-%03d', '%s', 0, 0, 0)",
	    call, cat, (long long)group_id(s, group), (long long)by->id, seq, seq, title);
	return (long long)sql_int(s, "SELECT max(id) FROM proposals");
}

static const struct scene *scene(struct server *s)
{
	static struct scene sc;
	if (sc.call)
		return &sc;
	sc.admin = add_user(s, "admin");
	sc.r1 = add_user(s, "reviewer");
	sc.r2 = add_user(s, "reviewer");
	sql(s, "UPDATE users SET name = '審査員 甲' WHERE id = %lld", (long long)sc.r1->id);
	sql(s, "UPDATE users SET name = '審査員 乙' WHERE id = %lld", (long long)sc.r2->id);

	sql(s, "INSERT INTO programs (name) VALUES ('t1600 テスト事業')");
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = 't1600 テスト事業'), 2025, "
	    "'t1600の募集', 1, 0, 0)");
	sc.call = (long long)sql_int(s, "SELECT max(id) FROM calls");
	sql(s,
	    "INSERT INTO call_categories (call_id, name, short_name, cap_yen, opens_at, "
	    "deadline_at) VALUES (%lld, '一般部門', 'T16', 500000, 0, 1)",
	    sc.call);
	long long cat = (long long)sql_int(s, "SELECT max(id) FROM call_categories");
	sc.p1 = add_proposal(s, sc.call, cat, GROUP_A, 1, "石垣を歩く親子ツアー", sc.admin);
	sc.p2 = add_proposal(s, sc.call, cat, GROUP_C, 2, "ごみゼロ, \"エコ\"フェス", sc.admin);

	sc.stage1 = add_stage(s, sc.call, 1, STAGE1);
	add_criterion(s, sc.stage1, 1, "公益性", 5, 2);
	add_criterion(s, sc.stage1, 2, "実現可能性", 5, 1);
	sc.stage2 = add_stage(s, sc.call, 2, STAGE2);
	add_criterion(s, sc.stage2, 1, "公益性", 5, 1);
	add_criterion(s, sc.stage2, 2, "独自性", 5, 1);

	long long h;
	h = add_sheet(s, sc.stage1, sc.p1, sc.r1, "submitted", "=HYPERLINK(\"x\")");
	add_score(s, h, sc.stage1, "公益性", 4);
	add_score(s, h, sc.stage1, "実現可能性", 3);
	h = add_sheet(s, sc.stage1, sc.p1, sc.r2, "submitted", "");
	add_score(s, h, sc.stage1, "公益性", 3);
	add_score(s, h, sc.stage1, "実現可能性", 4);
	sql(s,
	    "INSERT INTO recusals (stage_id, proposal_id, user_id, reason, automatic, created_at) "
	    "VALUES (%lld, %lld, %lld, '団体の会員', 1, 0)",
	    sc.stage1, sc.p2, (long long)sc.r1->id);
	h = add_sheet(s, sc.stage1, sc.p2, sc.r2, "draft", "途中");
	add_score(s, h, sc.stage1, "公益性", 5);
	h = add_sheet(s, sc.stage2, sc.p1, sc.r1, "submitted", "");
	add_score(s, h, sc.stage2, "公益性", 5);
	add_score(s, h, sc.stage2, "独自性", 4);
	return &sc;
}

static struct client *admin(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, scene(s)->admin);
	return c;
}

static const char *url(struct server *s, const char *ext)
{
	return hfmt("/admin/calls/%lld/scores.%s", scene(s)->call, ext);
}

/* ---- a minimal .zip reader: one member's bytes, inflated ---------------- */

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
	return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/* The member called name in the zip file r->body, as a string, found
 * through the central directory; fails the test when it is not there. */
static const char *zip_member(const struct resp *r, const char *name)
{
	const unsigned char *z = (const unsigned char *)r->body;
	size_t n = r->len, e = n >= 22 ? n - 22 : 0;
	while (e > 0 && le32(z + e) != 0x06054b50UL)
		e--;
	if (n < 22 || le32(z + e) != 0x06054b50UL)
		fail_msg("no end of central directory in the .xlsx");
	size_t count = le16(z + e + 10), p = le32(z + e + 16), nlen = strlen(name);
	for (size_t k = 0; k < count; k++) {
		if (p + 46 > n || le32(z + p) != 0x02014b50UL)
			fail_msg("bad central directory entry in the .xlsx");
		unsigned method = le16(z + p + 10);
		size_t csize = le32(z + p + 20), usize = le32(z + p + 24);
		size_t fn = le16(z + p + 28), ex = le16(z + p + 30), cm = le16(z + p + 32);
		size_t local = le32(z + p + 42);
		if (fn == nlen && p + 46 + fn <= n && memcmp(z + p + 46, name, fn) == 0) {
			if (local + 30 > n)
				fail_msg("bad local header in the .xlsx");
			size_t data = local + 30 + le16(z + local + 26) + le16(z + local + 28);
			if (data + csize > n)
				fail_msg("%s runs past the end of the .xlsx", name);
			char *out = repeat(" ", usize);
			if (method == 0) {
				memcpy(out, z + data, usize);
				return out;
			}
			z_stream zs = {0};
			zs.next_in = (unsigned char *)(z + data);
			zs.avail_in = (uInt)csize;
			zs.next_out = (unsigned char *)out;
			zs.avail_out = (uInt)usize;
			if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
				fail_msg("inflateInit2 failed");
			int rc = inflate(&zs, Z_FINISH);
			inflateEnd(&zs);
			if (rc != Z_STREAM_END)
				fail_msg("%s does not inflate (%d)", name, rc);
			return out;
		}
		p += 46 + fn + ex + cm;
	}
	fail_msg("%s is not in the .xlsx", name);
	return NULL;
}

/* ---- xlsx ---------------------------------------------------------------- */

static void admin_gets_xlsx(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin(s), url(s, "xlsx"));
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_contains(header_of(r, "Content-Disposition"), "attachment");
	assert_contains(header_of(r, "Content-Disposition"), "scores.xlsx");
	if (r->len < 4 || memcmp(r->body, "PK\x03\x04", 4) != 0)
		fail_msg("the .xlsx is not a zip file");
}

/* Two stages, two worksheets, named after the stages (/ and : replaced). */
static void xlsx_has_one_sheet_per_stage(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin(s), url(s, "xlsx"));
	assert_status(r, 200);
	const char *wb = zip_member(r, "xl/workbook.xml");
	assert_int_equal(count_of(wb, "<sheet "), 2);
	assert_contains(wb, "name=\"1次審査（書類）\"");
	assert_contains(wb, "name=\"2次審査＿公開＿プレゼン\"");
}

/* Stage 1's sheet holds the header, the reviewers' names, the scores and
 * the totals 73.33 and 66.67 as numbers, and the states. */
static void xlsx_sheet_holds_scores_totals_and_states(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin(s), url(s, "xlsx"));
	assert_status(r, 200);
	const char *strings = zip_member(r, "xl/sharedStrings.xml");
	const char *sheet1 = zip_member(r, "xl/worksheets/sheet1.xml");
	const char *sheet2 = zip_member(r, "xl/worksheets/sheet2.xml");
	assert_contains(strings, "合計(100点換算)");
	assert_contains(strings, "審査員 甲");
	assert_contains(strings, "審査員 乙");
	assert_contains(strings, "実現可能性");
	assert_contains(strings, "利益相反");
	assert_contains(strings, "下書き");
	assert_contains(strings, "提出済み");
	assert_contains(sheet1, "<v>73.33</v>");
	assert_contains(sheet1, "<v>66.67</v>");
	assert_contains(sheet2, "<v>90</v>");
	assert_not_contains(sheet1, "<f>"); /* no formula anywhere */
}

/* ---- CSV ----------------------------------------------------------------- */

static void admin_gets_csv_with_bom_and_header(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin(s), url(s, "csv"));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/csv");
	assert_contains(header_of(r, "Content-Disposition"), "scores.csv");
	if (r->len < 3 || memcmp(r->body, "\xEF\xBB\xBF", 3) != 0)
		fail_msg("the CSV does not start with a UTF-8 BOM");
	/* 公益性 is one column for both stages; 独自性 only stage 2 has. */
	const char *head = "段階,受付番号,部門,団体,提案名,審査員,公益性,実現可能性,独自性,"
			   "合計(100点換算),コメント,状態\r\n";
	if (strncmp(BODY(r) + 3, head, strlen(head)) != 0)
		fail_msg("header row: %.300s", BODY(r) + 3);
}

/* Each row, in order: stage, receipt number, reviewer; scores under their
 * criterion, the total on 100 (none for a draft missing a score), the
 * state. */
static void csv_rows_have_scores_totals_and_states(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin(s), url(s, "csv"));
	assert_status(r, 200);
	const char *b = BODY(r);
	const char *rows[] = {
	    "\r\n" STAGE1 ",R7-T16-001,一般部門," GROUP_A
	    ",石垣を歩く親子ツアー,審査員 甲,4,3,,73.33,",
	    "\r\n" STAGE1 ",R7-T16-001,一般部門," GROUP_A
	    ",石垣を歩く親子ツアー,審査員 乙,3,4,,66.67,,提出済み\r\n",
	    "\r\n" STAGE1 ",R7-T16-002,一般部門," GROUP_C
	    ",\"ごみゼロ, \"\"エコ\"\"フェス\",審査員 甲,,,,,,利益相反\r\n",
	    "\r\n" STAGE1 ",R7-T16-002,一般部門," GROUP_C
	    ",\"ごみゼロ, \"\"エコ\"\"フェス\",審査員 乙,5,,,,途中,下書き\r\n",
	    "\r\n" STAGE2 ",R7-T16-001,一般部門," GROUP_A
	    ",石垣を歩く親子ツアー,審査員 甲,5,,4,90.00,,提出済み\r\n",
	};
	const char *at = b;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *found = strstr(at, rows[i]);
		if (!found)
			fail_msg("row %zu not found (in order): %s\nin: %s", i + 1, rows[i], b);
		at = found + 1;
	}
	assert_int_equal(count_of(b, "\r\n"), 6); /* header + 5 rows */
}

/* A comment starting with = is text, not a formula: quoted, with an
 * apostrophe, quotes doubled. */
static void csv_guards_formulas(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin(s), url(s, "csv"));
	assert_status(r, 200);
	assert_contains(BODY(r), ",73.33,\"'=HYPERLINK(\"\"x\"\")\",提出済み\r\n");
	assert_not_contains(BODY(r), ",=HYPERLINK");
}

/* ---- who may ------------------------------------------------------------- */

static void coordinator_may_export(void **state)
{
	struct server *s = *state;
	struct client *c = client_as(s, add_user(s, "coordinator"));
	assert_status(get(c, url(s, "csv")), 200);
	assert_status(get(c, url(s, "xlsx")), 200);
}

/* Reviewers (even those in the file), members and the division role get
 * 403; a visitor is sent to the login page; nobody sees a name. */
static void others_refused(void **state)
{
	struct server *s = *state;
	const struct scene *sc = scene(s);
	struct client *cs[] = {
	    client_as(s, sc->r1),
	    client_as(s, add_member_of(s, group_id(s, GROUP_A))),
	    client_as(s, add_user(s, "division")),
	};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		for (int k = 0; k < 2; k++) {
			struct resp *r = get(cs[i], url(s, k ? "csv" : "xlsx"));
			assert_status(r, 403);
			assert_not_contains(BODY(r), "審査員 乙");
		}
	}
	struct client *v = client_new(s);
	struct resp *r = get(v, url(s, "csv"));
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/login");
	assert_status(get(v, url(s, "xlsx")), 303);
}

/* ---- audit and bad requests ------------------------------------------ */

static void exports_are_audited(void **state)
{
	struct server *s = *state;
	const char *count = "SELECT count(*) FROM audit_log WHERE action = 'export_scores' AND "
			    "entity = 'call' AND entity_id = %lld AND user_id = %lld";
	long long call = scene(s)->call, uid = (long long)scene(s)->admin->id;
	int64_t before = sql_int(s, count, call, uid);
	assert_status(get(admin(s), url(s, "csv")), 200);
	assert_status(get(admin(s), url(s, "xlsx")), 200);
	assert_int_equal(sql_int(s, count, call, uid), before + 2);
	assert_contains(sql(s, "SELECT summary FROM audit_log WHERE action = 'export_scores' "
			       "ORDER BY id DESC LIMIT 1"),
			"t1600の募集");
}

static void unknown_call_and_query_refused(void **state)
{
	struct server *s = *state;
	assert_status(get(admin(s), "/admin/calls/999999/scores.csv"), 404);
	assert_status(get(admin(s), "/admin/calls/999999/scores.xlsx"), 404);
	assert_status(get(admin(s), hfmt("%s?stage=1", url(s, "csv"))), 400);
}

/* A call without stages still gives a workbook (one explanatory sheet)
 * and a CSV with only its header. */
static void call_without_stages_exports_empty(void **state)
{
	struct server *s = *state;
	scene(s);
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = 't1600 テスト事業'), 2026, "
	    "'t1600の空の募集', 1, 0, 0)");
	long long id = (long long)sql_int(s, "SELECT max(id) FROM calls");
	struct resp *r = get(admin(s), hfmt("/admin/calls/%lld/scores.xlsx", id));
	assert_status(r, 200);
	assert_int_equal(count_of(zip_member(r, "xl/workbook.xml"), "<sheet "), 1);
	r = get(admin(s), hfmt("/admin/calls/%lld/scores.csv", id));
	assert_status(r, 200);
	assert_int_equal(count_of(BODY(r), "\r\n"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(admin_gets_xlsx),
	    cmocka_unit_test(xlsx_has_one_sheet_per_stage),
	    cmocka_unit_test(xlsx_sheet_holds_scores_totals_and_states),
	    cmocka_unit_test(admin_gets_csv_with_bom_and_header),
	    cmocka_unit_test(csv_rows_have_scores_totals_and_states),
	    cmocka_unit_test(csv_guards_formulas),
	    cmocka_unit_test(coordinator_may_export),
	    cmocka_unit_test(others_refused),
	    cmocka_unit_test(exports_are_audited),
	    cmocka_unit_test(unknown_call_and_query_refused),
	    cmocka_unit_test(call_without_stages_exports_empty),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
