/*
 * t1300: the challenge program's calls — the public program and call pages
 * (status, countdown, timeline, categories) and the home page's feature,
 * the JSON API, unpublished calls, and the office's admin pages for
 * programs, calls, categories, milestones, divisions and guide documents
 * (validation in Japanese next to the field, roles refused).
 *
 * The demo data has a 令和7年度 call (results announced) and a 令和8年度
 * call open until 2027-01-29 17:00 JST; the tests run at the real date.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

#define R7_TITLE "令和7年度 協働のまちづくりチャレンジ事業 提案募集"
#define R8_TITLE "令和8年度 協働のまちづくりチャレンジ事業 提案募集"

static struct client *admin_client(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "admin"));
	return c;
}

static int64_t call_id(struct server *s, int fy)
{
	return sql_int(s, "SELECT id FROM calls WHERE fiscal_year = %d", fy);
}

static int64_t program_id(struct server *s)
{
	return sql_int(s, "SELECT id FROM programs WHERE name = '協働のまちづくりチャレンジ事業'");
}

/* POST an urlencoded form as the admin with its CSRF token. */
static struct resp *admin_post(struct server *s, const char *path, const char *body)
{
	struct client *c = admin_client(s);
	return post_form(c, path,
			 hfmt("%s%s_csrf=%s", body, *body ? "&" : "", urlenc(client_csrf(c))));
}

/* A new unpublished call of fiscal year fy through the admin form; its id. */
static int64_t create_call(struct server *s, int fy, const char *title, bool published)
{
	struct resp *r = admin_post(s, "/admin/calls",
				    form_body("program_id", hfmt("%lld", (long long)program_id(s)),
					      "fiscal_year", hfmt("%d", fy), "title", title,
					      "description", "## 募集の案内\n\n本文です。",
					      published ? "published" : NULL, "1", NULL));
	assert_status(r, 303);
	const char *loc = header_of(r, "Location");
	if (!loc || strncmp(loc, "/admin/calls/", 13) != 0)
		fail_msg("create call: Location %s", loc ? loc : "(none)");
	return atoll(loc + 13);
}

/* ---- public pages --------------------------------------------------------- */

static void program_page_features_the_open_call(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/challenge");
	assert_status(r, 200);
	assert_not_contains(BODY(r), "準備中");
	assert_contains(BODY(r), "<h1>協働のまちづくりチャレンジ事業</h1>");
	assert_contains(BODY(r), "令和8年度の募集");
	assert_contains(BODY(r), R8_TITLE);
	assert_contains(BODY(r), "受付中");
	assert_contains(BODY(r), "締切まであと ");
	assert_contains(BODY(r), "日 ");
	assert_contains(BODY(r), "時間");
	assert_contains(BODY(r), "令和9年1月29日(金) 17:00");
	/* Other calls by fiscal year. */
	assert_contains(BODY(r), "これまでの募集");
	assert_contains(BODY(r), hfmt("/challenge/calls/%lld", (long long)call_id(s, 2025)));
	assert_contains(BODY(r), "令和7年度");
	assert_contains(BODY(r), "結果発表済");
	/* The status depends on the clock: never a cached or stored copy. */
	assert_contains(header_of(r, "Cache-Control"), "no-store");
}

static void closed_call_page_shows_timeline_and_categories(void **state)
{
	struct server *s = *state;
	struct resp *r =
	    get(client_new(s), hfmt("/challenge/calls/%lld", (long long)call_id(s, 2025)));
	assert_status(r, 200);
	const char *b = BODY(r);
	assert_contains(b, "<h1>" R7_TITLE "</h1>");
	assert_contains(b, "令和7年度");
	assert_contains(b, "結果発表済");
	assert_not_contains(b, "締切まであと");
	/* Markdown description rendered. */
	assert_contains(b, "<li>4つの部門があります</li>");
	/* Categories: caps with separators, eligibility, deadlines in 和暦. */
	assert_contains(b, "スタート部門");
	assert_contains(b, "上限 100,000円");
	assert_contains(b, "上限 500,000円");
	assert_contains(b, "上限 600,000円");
	assert_contains(b, "2団体以上");
	assert_contains(b, "令和7年4月1日(火) 09:00 〜 令和7年5月30日(金) 17:00");
	assert_contains(b, "令和7年6月30日(月) 17:00");
	assert_contains(b, "令和8年3月31日(火)まで");
	assert_contains(b, "令和8年2月28日(土)まで");
	assert_contains(b, "担当課への事前相談（必須）");
	/* 学生・高校生部門 needs no division consultation: 4 coordinator
	 * lines, 3 division lines. */
	assert_int_equal(count_of(b, "コーディネーターへの事前相談（必須）"), 4);
	assert_int_equal(count_of(b, "担当課への事前相談（必須）"), 3);
	/* Timeline: all done, said in text too. */
	assert_contains(b, "class=\"timeline\"");
	assert_contains(b, "timeline__item timeline__item--done");
	assert_contains(b, "完了");
	assert_not_contains(b, "timeline__item--current");
	assert_contains(b, "timeline__date");
	assert_contains(b, "採択発表");
	assert_contains(b, "成果発表会");
}

static void open_call_page_shows_countdown_and_current_step(void **state)
{
	struct server *s = *state;
	struct resp *r =
	    get(client_new(s), hfmt("/challenge/calls/%lld", (long long)call_id(s, 2026)));
	assert_status(r, 200);
	const char *b = BODY(r);
	assert_contains(b, "受付中");
	assert_contains(b, "締切まであと ");
	assert_contains(b, "timeline__item--current");
	assert_contains(b, "aria-current=\"step\"");
	assert_contains(b, "現在");
}

static void home_features_the_current_call(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/");
	assert_status(r, 200);
	assert_contains(BODY(r), R8_TITLE);
	assert_contains(BODY(r),
			hfmt("href=\"/challenge/calls/%lld\"", (long long)call_id(s, 2026)));
	assert_contains(BODY(r), "受付中");
	assert_contains(BODY(r), "次の締切：令和9年1月29日(金) 17:00");
}

static void unknown_call_is_404(void **state)
{
	struct client *c = client_new(*state);
	assert_status(get(c, "/challenge/calls/99999"), 404);
	assert_status(get(c, "/challenge/calls/abc"), 404);
	assert_status(get(c, "/api/v1/calls/99999"), 404);
}

/* ---- API -------------------------------------------------------------------- */

static void api_lists_published_calls_with_status(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/api/v1/calls");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	long n = json_size_at(r, "items");
	assert_true(n >= 2);
	/* Newest fiscal year first. */
	assert_string_equal(json_at(r, "items.0.fiscal_year"), "2026");
	assert_string_equal(json_at(r, "items.0.fiscal_year_label"), "令和8年度");
	assert_string_equal(json_at(r, "items.0.status"), "open");
	assert_string_equal(json_at(r, "items.0.status_label"), "受付中");
	assert_string_equal(json_at(r, "items.0.next_deadline"), "2027-01-29T17:00:00+09:00");
	assert_int_equal(json_size_at(r, "items.0.categories"), 4);
	assert_string_equal(json_at(r, "items.0.categories.0.name"), "スタート部門");
	assert_string_equal(json_at(r, "items.0.categories.0.opens_at"),
			    "2026-10-01T09:00:00+09:00");
	assert_string_equal(json_at(r, "items.0.categories.0.open"), "true");
	assert_string_equal(json_at(r, "items.0.categories.1.cap_yen"), "500000");
	assert_string_equal(json_at(r, "items.1.status"), "announced");
	assert_string_equal(json_at(r, "items.1.status_label"), "結果発表済");
	assert_string_equal(json_at(r, "items.1.categories.3.short_name"), "学生");
	assert_string_equal(json_at(r, "items.1.categories.3.needs_division"), "false");
	assert_string_equal(json_at(r, "items.1.categories.2.min_groups"), "2");
	assert_string_equal(json_at(r, "items.1.categories.3.deadline_at"),
			    "2025-06-30T17:00:00+09:00");
}

static void api_shows_one_call(void **state)
{
	struct server *s = *state;
	int64_t id = call_id(s, 2025);
	struct resp *r = get(client_new(s), hfmt("/api/v1/calls/%lld", (long long)id));
	assert_status(r, 200);
	assert_string_equal(json_at(r, "id"), hfmt("%lld", (long long)id));
	assert_string_equal(json_at(r, "title"), R7_TITLE);
	assert_string_equal(json_at(r, "status"), "announced");
	assert_string_equal(json_at(r, "next_deadline"), "null");
	assert_string_equal(json_at(r, "program.name"), "協働のまちづくりチャレンジ事業");
	assert_int_equal(json_size_at(r, "categories"), 4);
	assert_true(json_size_at(r, "milestones") >= 7);
	assert_string_equal(json_at(r, "milestones.0.kind"), "open");
	assert_string_equal(json_at(r, "milestones.0.starts_at"), "2025-04-01T09:00:00+09:00");
	assert_string_equal(json_at(r, "milestones.0.ends_at"), "null");
}

static void api_refuses_unknown_query_keys(void **state)
{
	struct resp *r = get(client_new(*state), "/api/v1/calls?x=1");
	assert_status(r, 400);
	assert_non_null(json_at(r, "error"));
}

/* ---- unpublished calls ----------------------------------------------------------- */

static void unpublished_call_is_hidden_from_the_public(void **state)
{
	struct server *s = *state;
	int64_t id = create_call(s, 2030, "令和12年度 非公開のテスト募集", false);
	const char *path = hfmt("/challenge/calls/%lld", (long long)id);
	struct client *c = client_new(s);
	assert_status(get(c, path), 404);
	assert_status(get(c, hfmt("/api/v1/calls/%lld", (long long)id)), 404);
	assert_not_contains(BODY(get(c, "/challenge")), "非公開のテスト募集");
	assert_not_contains(BODY(get(c, "/api/v1/calls")), "非公開のテスト募集");
	/* A logged-in member is the public too. */
	assert_status(get(client_as(s, add_user(s, "member")), path), 404);
	/* Staff see it, marked as unpublished. */
	struct resp *r = get(admin_client(s), path);
	assert_status(r, 200);
	assert_contains(BODY(r), "非公開");
	r = get(client_as(s, add_user(s, "coordinator")), path);
	assert_status(r, 200);
	/* Published: everyone sees it. */
	r = admin_post(s, hfmt("/admin/calls/%lld", (long long)id),
		       form_body("program_id", hfmt("%lld", (long long)program_id(s)),
				 "fiscal_year", "2030", "title", "令和12年度 非公開のテスト募集",
				 "published", "1", NULL));
	assert_status(r, 303);
	assert_status(get(c, path), 200);
	/* No categories yet and no schedule: not open yet. */
	assert_contains(BODY(get(c, path)), "受付前");
}

/* ---- admin: calls ------------------------------------------------------------------- */

static void admin_pages_render(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	int64_t id = call_id(s, 2025);
	int64_t cat =
	    sql_int(s, "SELECT min(id) FROM call_categories WHERE call_id = %lld", (long long)id);
	const char *paths[] = {
	    "/admin/calls",
	    "/admin/calls/new",
	    hfmt("/admin/calls/%lld", (long long)id),
	    hfmt("/admin/calls/%lld/categories/new", (long long)id),
	    hfmt("/admin/calls/%lld/categories/%lld", (long long)id, (long long)cat),
	    hfmt("/admin/calls/%lld/milestones", (long long)id),
	    "/admin/divisions",
	    "/admin/programs/new",
	    hfmt("/admin/programs/%lld", (long long)program_id(s)),
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		assert_status(get(c, paths[i]), 200);
	struct resp *r = get(c, "/admin/calls");
	assert_contains(BODY(r), R7_TITLE);
	assert_contains(BODY(r), "公開中");
	r = get(c, hfmt("/admin/calls/%lld", (long long)id));
	assert_contains(BODY(r), "enctype=\"multipart/form-data\"");
	assert_contains(BODY(r), "type=\"file\"");
	/* A category from another call is not found under this one. */
	int64_t other = sql_int(s, "SELECT min(id) FROM call_categories WHERE call_id = %lld",
				(long long)call_id(s, 2026));
	assert_status(
	    get(c, hfmt("/admin/calls/%lld/categories/%lld", (long long)id, (long long)other)),
	    404);
}

static void call_form_errors_are_in_japanese_next_to_the_field(void **state)
{
	struct server *s = *state;
	struct resp *r =
	    admin_post(s, "/admin/calls",
		       form_body("program_id", "", "fiscal_year", "令和7", "title", "", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "入力内容に誤りがあります（3件）");
	assert_contains(BODY(r), "id=\"f-title-error\"");
	assert_contains(BODY(r), "募集の名前を入力してください");
	assert_contains(BODY(r), "id=\"f-fiscal_year-error\"");
	assert_contains(BODY(r), "id=\"f-program_id-error\"");
	/* An unknown program. */
	r = admin_post(s, "/admin/calls",
		       form_body("program_id", "9999", "fiscal_year", "2031", "title", "x", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "事業は選択肢から選んでください");
	/* A second call for the same program and year. */
	r = admin_post(s, "/admin/calls",
		       form_body("program_id", hfmt("%lld", (long long)program_id(s)),
				 "fiscal_year", "2025", "title", "重複", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "この事業の令和7年度の募集は既にあります");
	/* An undeclared key is a 400. */
	r = admin_post(
	    s, "/admin/calls",
	    form_body("program_id", "1", "fiscal_year", "2032", "title", "x", "evil", "1", NULL));
	assert_status(r, 400);
}

static void category_form_validates_and_saves(void **state)
{
	struct server *s = *state;
	int64_t id = create_call(s, 2031, "令和13年度 部門テスト", true);
	const char *base = hfmt("/admin/calls/%lld/categories", (long long)id);
	/* Negative cap, deadline before opening. */
	struct resp *r = admin_post(s, base,
				    form_body("name", "テスト部門", "short_name", "テスト",
					      "cap_yen", "-100", "opens_at", "2031-04-01T09:00",
					      "deadline_at", "2031-03-01T17:00", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-cap_yen-error\"");
	assert_contains(BODY(r), "上限額は0円以上の整数で入力してください");
	assert_contains(BODY(r), "id=\"f-deadline_at-error\"");
	assert_contains(BODY(r), "締切は受付開始より後にしてください");
	/* The typed values come back, in a form datetime-local accepts. */
	assert_contains(BODY(r), "value=\"2031-04-01T09:00\"");
	/* Fractional yen, a hyphen in the short name. */
	r = admin_post(s, base,
		       form_body("name", "テスト部門", "short_name", "テ-スト", "cap_yen", "1.5",
				 "opens_at", "2031-04-01T09:00", "deadline_at", "2031-05-01T17:00",
				 NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-cap_yen-error\"");
	assert_contains(BODY(r), "id=\"f-short_name-error\"");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM call_categories WHERE call_id = %lld", (long long)id),
	    0);
	/* Valid. */
	r = admin_post(s, base,
		       form_body("name", "テスト部門", "short_name", "テスト", "cap_yen", "300000",
				 "min_members", "5", "min_groups", "2", "needs_coordinator", "1",
				 "opens_at", "2031-04-01T09:00", "deadline_at", "2031-05-30 17:00",
				 "implementation_end", "2032-03-31", "expected_adoptions", "3",
				 NULL));
	assert_status(r, 303);
	int64_t cat =
	    sql_int(s, "SELECT id FROM call_categories WHERE call_id = %lld", (long long)id);
	assert_string_equal(
	    sql(s,
		"SELECT cap_yen || ' ' || min_groups || ' ' || needs_coordinator || "
		"' ' || needs_division || ' ' || deadline_at FROM call_categories "
		"WHERE id = %lld",
		(long long)cat),
	    "300000 2 1 0 1937894400");
	/* A second category with the same short name. */
	r = admin_post(s, base,
		       form_body("name", "別の部門", "short_name", "テスト", "cap_yen", "1",
				 "opens_at", "2031-04-01T09:00", "deadline_at", "2031-05-01T17:00",
				 NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "同じ略称の部門が既にあります");
	/* The public page shows it. */
	r = get(client_new(s), hfmt("/challenge/calls/%lld", (long long)id));
	assert_contains(BODY(r), "上限 300,000円");
	assert_contains(BODY(r), "令和13年5月30日(金) 17:00");
	assert_contains(BODY(r), "受付前");
	/* Update, then delete. */
	r = admin_post(s, hfmt("%s/%lld", base, (long long)cat),
		       form_body("name", "テスト部門", "short_name", "テスト", "cap_yen", "250000",
				 "opens_at", "2031-04-01T09:00", "deadline_at", "2031-05-30T17:00",
				 NULL));
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT cap_yen FROM call_categories WHERE id = %lld", (long long)cat),
	    250000);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'category' AND "
				 "entity_id = %lld",
				 (long long)cat),
			 2);
	r = admin_post(s, hfmt("%s/%lld/delete", base, (long long)cat), "");
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM call_categories WHERE id = %lld", (long long)cat), 0);
}

static void milestones_are_added_edited_and_deleted(void **state)
{
	struct server *s = *state;
	int64_t id = create_call(s, 2032, "令和14年度 日程テスト", true);
	const char *base = hfmt("/admin/calls/%lld/milestones", (long long)id);
	struct resp *r =
	    admin_post(s, base, form_body("kind", "party", "starts_at", "2032-04-01T09:00", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-kind-error\"");
	r = admin_post(s, base,
		       form_body("kind", "briefing", "starts_at", "2032-04-20T13:30", "ends_at",
				 "2032-04-20T13:00", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "終了は開始より後にしてください");
	r = admin_post(s, base,
		       form_body("kind", "briefing", "label", "事前説明会", "starts_at",
				 "2032-04-20T13:30", "ends_at", "2032-04-20T15:00", "place",
				 "市民活動サポートセンター", NULL));
	assert_status(r, 303);
	int64_t m =
	    sql_int(s, "SELECT id FROM call_milestones WHERE call_id = %lld", (long long)id);
	r = get(admin_client(s), hfmt("%s?edit=%lld", base, (long long)m));
	assert_status(r, 200);
	assert_contains(BODY(r), "value=\"2032-04-20T13:30\"");
	assert_contains(BODY(r), "<option value=\"briefing\" selected>説明会</option>");
	r = admin_post(s, hfmt("%s/%lld", base, (long long)m),
		       form_body("kind", "briefing", "label", "説明会（変更）", "starts_at",
				 "2032-04-21T13:30", NULL));
	assert_status(r, 303);
	r = get(client_new(s), hfmt("/challenge/calls/%lld", (long long)id));
	assert_contains(BODY(r), "説明会（変更）");
	assert_contains(BODY(r), "令和14年4月21日(水) 13:30");
	r = admin_post(s, hfmt("%s/%lld/delete", base, (long long)m), "");
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM call_milestones WHERE call_id = %lld", (long long)id),
	    0);
	/* A milestone of another call is not found here. */
	int64_t other = sql_int(s, "SELECT min(id) FROM call_milestones WHERE call_id = %lld",
				(long long)call_id(s, 2025));
	r = admin_post(s, hfmt("%s/%lld/delete", base, (long long)other), "");
	assert_status(r, 404);
}

/* ---- admin: divisions and programs ------------------------------------------------ */

static void divisions_are_managed(void **state)
{
	struct server *s = *state;
	struct resp *r = get(admin_client(s), "/admin/divisions");
	assert_status(r, 200);
	assert_contains(BODY(r), "子育て支援課");
	assert_contains(BODY(r), "ダイバーシティ人権政策課");
	r = admin_post(s, "/admin/divisions", form_body("name", "", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-name-error\"");
	r = admin_post(s, "/admin/divisions", form_body("name", "子育て支援課", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "同じ名前の担当課が既にあります");
	r = admin_post(s, "/admin/divisions",
		       form_body("name", "テスト環境政策課", "contact", "内線 1234", NULL));
	assert_status(r, 303);
	int64_t id = sql_int(s, "SELECT id FROM divisions WHERE name = 'テスト環境政策課'");
	r = admin_post(
	    s, hfmt("/admin/divisions/%lld", (long long)id),
	    form_body("name", "テスト環境政策課", "contact", "内線 5678", "archived", "1", NULL));
	assert_status(r, 303);
	assert_string_equal(sql(s,
				"SELECT contact || ' ' || archived FROM divisions WHERE id = %lld",
				(long long)id),
			    "内線 5678 1");
}

static void programs_are_managed(void **state)
{
	struct server *s = *state;
	struct resp *r = admin_post(s, "/admin/programs", form_body("name", "", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "事業の名前を入力してください");
	r = admin_post(s, "/admin/programs",
		       form_body("name", "協働のまちづくりチャレンジ事業", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "同じ名前の事業が既にあります");
	r = admin_post(s, "/admin/programs",
		       form_body("name", "テスト事業", "description", "説明", NULL));
	assert_status(r, 303);
	assert_contains(BODY(get(admin_client(s), "/admin/calls")), "テスト事業");
}

static void division_staff_belong_to_a_division(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "division");
	const char *path = hfmt("/admin/users/%lld", (long long)u->id);
	struct resp *r = get(admin_client(s), path);
	assert_status(r, 200);
	assert_contains(BODY(r), "id=\"f-division_id\"");
	assert_contains(BODY(r), "福祉健康センター総務課");
	/* The division role without a division. */
	r = admin_post(s, path, form_body("name", "担当課の職員", "roles", "division", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-division_id-error\"");
	r = admin_post(
	    s, path,
	    form_body("name", "担当課の職員", "roles", "division", "division_id", "99999", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "所属する担当課は選択肢から選んでください");
	int64_t div = sql_int(s, "SELECT id FROM divisions WHERE name = '子育て支援課'");
	r = admin_post(s, path,
		       form_body("name", "担当課の職員", "roles", "division", "division_id",
				 hfmt("%lld", (long long)div), NULL));
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT division_id FROM users WHERE id = %lld", (long long)u->id), div);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'user' AND "
				 "entity_id = %lld AND summary LIKE '%%子育て支援課%%'",
				 (long long)u->id),
			 1);
	r = get(admin_client(s), path);
	assert_contains(
	    BODY(r), hfmt("<option value=\"%lld\" selected>子育て支援課</option>", (long long)div));
}

/* ---- roles -------------------------------------------------------------------------------- */

static void other_roles_are_refused(void **state)
{
	struct server *s = *state;
	const char *paths[] = {"/admin/calls", "/admin/divisions",
			       hfmt("/admin/calls/%lld", (long long)call_id(s, 2025))};
	struct client *visitor = client_new(s);
	for (size_t i = 0; i < 3; i++) {
		struct resp *r = get(visitor, paths[i]);
		assert_status(r, 303);
		assert_contains(header_of(r, "Location"), "/login?next=");
	}
	const char *roles[] = {"coordinator", "division", "reviewer", "member"};
	for (size_t k = 0; k < 4; k++) {
		struct client *c = client_as(s, add_user(s, roles[k]));
		for (size_t i = 0; i < 3; i++)
			assert_status(get(c, paths[i]), 403);
		struct resp *r =
		    post_form(c, "/admin/divisions",
			      form_body("name", "勝手な課", "_csrf", client_csrf(c), NULL));
		assert_status(r, 403);
	}
	assert_int_equal(sql_int(s, "SELECT count(*) FROM divisions WHERE name = '勝手な課'"), 0);
}

/* ---- guide documents ------------------------------------------------------------------------ */

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
				"trailer\n<< /Root 1 0 R >>\n%%EOF\n";

/* POST a document form (multipart) with file bytes as name. */
static struct resp *upload(struct server *s, int64_t id, const char *title, const char *name,
			   const char *bytes, size_t n)
{
	struct client *c = admin_client(s);
	const char *boundary = "----kyodotest1300";
	struct buf b = BUF_INIT;
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n",
		   boundary, client_csrf(c));
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"doc_title\"\r\n\r\n%s\r\n",
		   boundary, title);
	buf_printf(&b,
		   "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
		   "Content-Type: application/pdf\r\n\r\n",
		   boundary, name);
	buf_add(&b, bytes, n);
	buf_printf(&b, "\r\n--%s--\r\n", boundary);
	struct resp *r =
	    request_n(c, "POST", hfmt("/admin/calls/%lld/documents", (long long)id), NULL, b.p, b.n,
		      hfmt("multipart/form-data; boundary=%s", boundary));
	buf_release(&b);
	return r;
}

static void guide_pdf_is_uploaded_and_listed(void **state)
{
	struct server *s = *state;
	int64_t id = call_id(s, 2026);
	struct resp *r =
	    upload(s, id, "令和8年度 募集要項", "guide.pdf", pdf_bytes, sizeof(pdf_bytes) - 1);
	assert_status(r, 303);
	int64_t file =
	    sql_int(s, "SELECT file_id FROM call_documents WHERE call_id = %lld", (long long)id);
	r = get(client_new(s), hfmt("/challenge/calls/%lld", (long long)id));
	assert_contains(BODY(r),
			hfmt("<a href=\"/files/%lld\">令和8年度 募集要項（PDF・", (long long)file));
	r = get(client_new(s), hfmt("/files/%lld", (long long)file));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/pdf");
	r = get(client_new(s), hfmt("/api/v1/calls/%lld", (long long)id));
	assert_string_equal(json_at(r, "documents.0.title"), "令和8年度 募集要項");
	assert_string_equal(json_at(r, "documents.0.mime"), "application/pdf");
	/* Delete it. */
	int64_t doc =
	    sql_int(s, "SELECT id FROM call_documents WHERE call_id = %lld", (long long)id);
	r = admin_post(
	    s, hfmt("/admin/calls/%lld/documents/%lld/delete", (long long)id, (long long)doc), "");
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM call_documents WHERE call_id = %lld", (long long)id),
	    0);
}

static void fake_pdf_is_refused_next_to_the_field(void **state)
{
	struct server *s = *state;
	int64_t id = call_id(s, 2025);
	const char text[] = "これはPDFではありません。ただのテキストです。\n";
	struct resp *r = upload(s, id, "偽のPDF", "fake.pdf", text, sizeof(text) - 1);
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-file-error\"");
	assert_contains(BODY(r), "PDFのファイルを選んでください");
	assert_contains(BODY(r), "value=\"偽のPDF\"");
	/* No title, no file. */
	r = upload(s, id, "", "", "", 0);
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-doc_title-error\"");
	assert_contains(BODY(r), "ファイルを選んでください");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM call_documents WHERE call_id = %lld", (long long)id),
	    0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(program_page_features_the_open_call),
	    cmocka_unit_test(closed_call_page_shows_timeline_and_categories),
	    cmocka_unit_test(open_call_page_shows_countdown_and_current_step),
	    cmocka_unit_test(home_features_the_current_call),
	    cmocka_unit_test(unknown_call_is_404),
	    cmocka_unit_test(api_lists_published_calls_with_status),
	    cmocka_unit_test(api_shows_one_call),
	    cmocka_unit_test(api_refuses_unknown_query_keys),
	    cmocka_unit_test(unpublished_call_is_hidden_from_the_public),
	    cmocka_unit_test(admin_pages_render),
	    cmocka_unit_test(call_form_errors_are_in_japanese_next_to_the_field),
	    cmocka_unit_test(category_form_validates_and_saves),
	    cmocka_unit_test(milestones_are_added_edited_and_deleted),
	    cmocka_unit_test(divisions_are_managed),
	    cmocka_unit_test(programs_are_managed),
	    cmocka_unit_test(division_staff_belong_to_a_division),
	    cmocka_unit_test(other_roles_are_refused),
	    cmocka_unit_test(guide_pdf_is_uploaded_and_listed),
	    cmocka_unit_test(fake_pdf_is_refused_next_to_the_field),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
