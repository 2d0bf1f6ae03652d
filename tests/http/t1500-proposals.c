/*
 * t1500: proposals (企画提案書) — a member writes a draft over several
 * saves and submits it for a receipt number; every rule of the issue's
 * "bad input" list that concerns proposals (amount above the cap; negative,
 * fractional or non-numeric yen; an amount that is not price × quantity; an
 * ineligible category; one second after the deadline; two submits at once;
 * a fake PDF; an upload over the limit; another group's member; a partner
 * that has not confirmed; missing consultations), withdrawal and reopening,
 * who may see and do what, the exports and the API.
 *
 * The call and its categories are made here with sql(), with dates around
 * now, so that the tests do not depend on the demo's calendar.  Each test
 * that changes a category uses its own.
 */
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/str.h"

#define GROUP_A	    "金沢城・兼六園研究会"
#define GROUP_B	    "重症児・医療的ケア児相談事業 さくらんぼすまいる"
#define GROUP_C	    "NPOエコラボ"
#define GROUP_SMALL "にじのわ" /* its member count is set to 3 below */

/* ---- fixtures ---------------------------------------------------------- */

static struct client *member(struct server *s, const char *group)
{
	static struct client *a, *b, *c;
	struct client **slot = strcmp(group, GROUP_A) == 0   ? &a
			       : strcmp(group, GROUP_B) == 0 ? &b
							     : &c;
	if (!*slot)
		*slot = client_as(s, add_member_of(s, group_id(s, group)));
	return *slot;
}

static struct client *admin(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "admin"));
	return c;
}

static struct client *coordinator(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "coordinator"));
	return c;
}

/* The test call (fiscal year 2025, so receipts read R7-...). */
static long long the_call(struct server *s)
{
	static long long id;
	if (id)
		return id;
	sql(s, "INSERT INTO programs (name) VALUES ('t1500 テスト事業')");
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = 't1500 テスト事業'), 2025, "
	    "'t1500の募集', 1, 0, 0)");
	id = (long long)sql_int(s, "SELECT max(id) FROM calls");
	return id;
}

struct cat_opts {
	long long cap, min_members, min_groups;
	int needs_coordinator, needs_division;
};

/* A new category open from yesterday for 30 days; short_name is unique. */
static long long new_category(struct server *s, const char *short_name, struct cat_opts o)
{
	sql(s,
	    "INSERT INTO call_categories (call_id, name, short_name, cap_yen, min_members, "
	    "min_groups, needs_coordinator, needs_division, opens_at, deadline_at) VALUES (%lld, "
	    "'%s部門', '%s', %lld, %lld, %lld, %d, %d, strftime('%%s','now') - 86400, "
	    "strftime('%%s','now') + 30 * 86400)",
	    the_call(s), short_name, short_name, o.cap ? o.cap : 500000, o.min_members,
	    o.min_groups ? o.min_groups : 1, o.needs_coordinator, o.needs_division);
	return (long long)sql_int(s, "SELECT max(id) FROM call_categories");
}

static long long plain_category(struct server *s, const char *short_name)
{
	return new_category(s, short_name, (struct cat_opts){0});
}

/* Start a draft through the form; returns its id. */
static long long start(struct server *s, struct client *c, long long category, const char *group)
{
	struct resp *r = post_form(c, "/proposals",
				   form_body("call", hfmt("%lld", the_call(s)), "category",
					     hfmt("%lld", category), "group",
					     hfmt("%lld", (long long)group_id(s, group)), "_csrf",
					     client_csrf(c), NULL));
	assert_status(r, 303);
	const char *loc = header_of(r, "Location");
	if (!loc || strncmp(loc, "/proposals/", 11) != 0 || !strstr(loc, "/edit"))
		fail_msg("start: Location is %s", loc ? loc : "(none)");
	return atoll(loc + 11);
}

/* A complete proposal: requested = 30,000 − 10,000 = 20,000 yen. */
static const char *const complete[][2] = {
    {"title", "石垣を歩く親子ツアー"},
    {"summary", "親子で石垣を巡り、歴史を学びます。"},
    {"background", "石垣の見どころが知られていません。"},
    {"purpose", "歴史を楽しく学ぶ場をつくる。"},
    {"content", "ツアーを3回開きます。"},
    {"roles_group", "企画と案内"},
    {"roles_city", "広報"},
    {"effect", "参加者100人"},
    {"sched_when_1", "令和7年10月"},
    {"sched_what_1", "第1回ツアー"},
    {"income_item_1", "参加費"},
    {"income_price_1", "500"},
    {"income_qty_1", "20"},
    {"expense_item_1", "講師謝金"},
    {"expense_price_1", "10000"},
    {"expense_qty_1", "3"},
};
#define NCOMPLETE (sizeof(complete) / sizeof(complete[0]))

/* An urlencoded proposal form: the complete values (or none when base is
 * false), with key/value pairs (NULL-terminated) replacing or adding; a
 * NULL value removes the key.  action and the CSRF token come last. */
static const char *vbody(const char *csrf, const char *action, bool base, va_list ap)
{
	const char *keys[128], *vals[128];
	size_t n = 0;
	if (base)
		for (size_t i = 0; i < NCOMPLETE; i++, n++)
			keys[n] = complete[i][0], vals[n] = complete[i][1];
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(keys[i], k) == 0)
				break;
		if (i < n) {
			vals[i] = v;
		} else if (n < 127) {
			keys[n] = k;
			vals[n++] = v;
		}
	}
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (!vals[i])
			continue;
		buf_add_urlenc(&b, keys[i], strlen(keys[i]));
		buf_addc(&b, '=');
		buf_add_urlenc(&b, vals[i], strlen(vals[i]));
		buf_addc(&b, '&');
	}
	buf_printf(&b, "action=%s&_csrf=", action);
	buf_add_urlenc(&b, csrf, strlen(csrf));
	const char *out = hfmt("%s", b.p);
	buf_release(&b);
	return out;
}

/* The body of the complete form (changed by pairs). */
static const char *body_of(const char *csrf, const char *action, ...)
{
	va_list ap;
	va_start(ap, action);
	const char *body = vbody(csrf, action, true, ap);
	va_end(ap);
	return body;
}

/* POST the complete form (changed by pairs) with action save/submit. */
static struct resp *send_form(struct client *c, long long id, const char *action, ...)
{
	va_list ap;
	va_start(ap, action);
	const char *body = vbody(client_csrf(c), action, true, ap);
	va_end(ap);
	return post_form(c, hfmt("/proposals/%lld", id), body);
}

/* POST only the given pairs. */
static struct resp *send_only(struct client *c, long long id, const char *action, ...)
{
	va_list ap;
	va_start(ap, action);
	const char *body = vbody(client_csrf(c), action, false, ap);
	va_end(ap);
	return post_form(c, hfmt("/proposals/%lld", id), body);
}

static const char *status_of(struct server *s, long long id)
{
	return sql(s, "SELECT status FROM proposals WHERE id = %lld", id);
}

static void assert_submitted_to_receipt(struct resp *r, long long id)
{
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), hfmt("/proposals/%lld/receipt", id));
}

/* The error shown next to field name in a re-displayed form. */
static void assert_field_error(const struct resp *r, const char *name, const char *message)
{
	const char *at = strstr(BODY(r), hfmt("id=\"f-%s-error\"", name));
	if (!at)
		fail_msg("no error next to %s: %.800s", name, excerpt(BODY(r)));
	const char *end = strstr(at, "</p>");
	if (!end || !strstr(hfmt("%.*s", (int)(end - at), at), message))
		fail_msg("error next to %s is not \"%s\": %.300s", name, message, at);
}

/* ---- who may see what --------------------------------------------------- */

static void visitors_see_nothing(void **state)
{
	struct server *s = *state;
	struct client *v = client_new(s);
	long long id = start(s, member(s, GROUP_A), plain_category(s, "閲覧"), GROUP_A);
	struct resp *r = get(v, "/proposals");
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/login");
	r = get(v, hfmt("/proposals/%lld", id));
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/login");
	assert_status(get(v, "/api/v1/proposals"), 401);
	assert_status(get(v, hfmt("/api/v1/proposals/%lld", id)), 401);
	assert_status(get(v, "/proposals/export.csv"), 303);
	/* other logged-in users who are neither staff nor applicants: 404 */
	struct client *reviewer = client_as(s, add_user(s, "reviewer"));
	r = get(reviewer, hfmt("/proposals/%lld", id));
	assert_status(r, 404);
	assert_not_contains(BODY(r), "石垣");
	assert_status(get(reviewer, hfmt("/api/v1/proposals/%lld", id)), 404);
	assert_status(get(reviewer, "/proposals/export.csv"), 403);
	r = get(reviewer, "/api/v1/proposals");
	assert_status(r, 200);
	assert_string_equal(json_at(r, "total"), "0");
	assert_status(get(member(s, GROUP_B), hfmt("/proposals/%lld", id)), 404);
}

static void staff_see_every_proposal_members_their_own(void **state)
{
	struct server *s = *state;
	long long cat = plain_category(s, "一覧");
	long long a = start(s, member(s, GROUP_A), cat, GROUP_A);
	assert_status(send_form(member(s, GROUP_A), a, "save", "title", "Aの事業", NULL), 303);
	long long b = start(s, member(s, GROUP_B), cat, GROUP_B);
	assert_status(send_form(member(s, GROUP_B), b, "save", "title", "Bの事業", NULL), 303);

	struct resp *r = get(member(s, GROUP_A), "/proposals");
	assert_status(r, 200);
	assert_contains(BODY(r), "Aの事業");
	assert_not_contains(BODY(r), "Bの事業");
	assert_not_contains(BODY(r), "export.csv");

	for (int k = 0; k < 2; k++) {
		struct client *c = k ? coordinator(s) : admin(s);
		r = get(c, hfmt("/proposals?call=%lld&category=%lld", the_call(s), cat));
		assert_status(r, 200);
		assert_contains(BODY(r), "Aの事業");
		assert_contains(BODY(r), "Bの事業");
		assert_contains(BODY(r), "部門ごとの件数");
		assert_contains(BODY(r), "一覧部門");
		assert_status(get(c, hfmt("/proposals/%lld", a)), 200);
	}
	/* filters: status, and the counts per category */
	r = get(admin(s),
		hfmt("/proposals?call=%lld&status=submitted&category=%lld", the_call(s), cat));
	assert_status(r, 200);
	assert_not_contains(BODY(r), "Aの事業");
	assert_status(get(admin(s), "/proposals?status=nonsense"), 400);
	assert_status(get(admin(s), "/proposals?bogus=1"), 400);
	/* staff cannot write for a group */
	assert_status(get(coordinator(s), hfmt("/proposals/%lld/edit", a)), 403);
	assert_status(get(coordinator(s), "/proposals/new"), 403);
}

/* ---- writing and submitting --------------------------------------------- */

static void draft_over_two_sittings_then_submit_gives_receipt(void **state)
{
	struct server *s = *state;
	long long cat = plain_category(s, "一般");
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, cat, GROUP_A);
	struct resp *r = get(c, hfmt("/proposals/%lld/edit", id));
	assert_status(r, 200);
	assert_contains(BODY(r), "name=\"expense_price_10\"");
	assert_contains(BODY(r), "name=\"sched_what_8\"");

	/* first sitting: incomplete, still saved */
	r = send_only(c, id, "save", "title", "二回に分けて書く事業", "expense_item_1", "印刷費",
		      "expense_price_1", "１２，０００", "expense_qty_1", "2", NULL);
	assert_status(r, 303);
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id),
			    "二回に分けて書く事業");
	assert_string_equal(sql(s,
				"SELECT unit_price || 'x' || quantity || '=' || amount FROM "
				"proposal_budget WHERE proposal_id = %lld",
				id),
			    "12000x2=24000");
	assert_string_equal(status_of(s, id), "draft");
	r = get(c, hfmt("/proposals/%lld/edit", id));
	assert_contains(BODY(r), "value=\"二回に分けて書く事業\"");
	assert_contains(BODY(r), "24,000"); /* the amount computed by the server */

	/* second sitting: complete, and submitted */
	r = send_form(c, id, "submit", "title", "二回に分けて書く事業", NULL);
	assert_submitted_to_receipt(r, id);
	const char *no = sql(s, "SELECT receipt_no FROM proposals WHERE id = %lld", id);
	assert_string_equal(no, "R7-一般-001");
	assert_string_equal(status_of(s, id), "submitted");
	r = get(c, hfmt("/proposals/%lld/receipt", id));
	assert_status(r, 200);
	assert_contains(BODY(r), "R7-一般-001");
	assert_contains(BODY(r), "20,000円");
	/* the receipt is stored as a notification for the group's members */
	assert_int_equal(sql_int(s, "SELECT count(*) FROM notifications WHERE kind = 'receipt' AND "
				    "subject LIKE '%%R7-一般-001%%'"),
			 1);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'proposal' AND "
				 "entity_id = %lld AND action = 'submit'",
				 id),
			 1);
	/* read-only to the applicants now */
	r = get(c, hfmt("/proposals/%lld/edit", id));
	assert_status(r, 303);
	r = send_form(c, id, "save", "title", "書き換え", NULL);
	assert_status(r, 409);
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id),
			    "二回に分けて書く事業");

	/* the next submission of the category gets 002 */
	long long id2 = start(s, c, cat, GROUP_A);
	assert_submitted_to_receipt(send_form(c, id2, "submit", NULL), id2);
	assert_string_equal(sql(s, "SELECT receipt_no FROM proposals WHERE id = %lld", id2),
			    "R7-一般-002");
}

static void submit_lists_every_missing_field(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, plain_category(s, "空欄"), GROUP_A);
	struct resp *r = send_only(c, id, "submit", "title", "題だけ", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "入力内容に誤りがあります");
	assert_field_error(r, "summary", "事業の概要（公開）を入力してください");
	assert_field_error(r, "effect", "期待される効果を入力してください");
	assert_contains(BODY(r), "実施スケジュールを1行以上入力してください");
	assert_contains(BODY(r), "支出の明細を1行以上入力してください");
	assert_contains(BODY(r), "value=\"題だけ\""); /* input kept */
	/* nothing saved */
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id), "");
	assert_string_equal(status_of(s, id), "draft");
	/* a malformed line and the missing parts, all in one answer */
	r = send_only(c, id, "submit", "title", "題だけ", "expense_item_1", "印刷",
		      "expense_price_1", "-1", "expense_qty_1", "1", NULL);
	assert_status(r, 422);
	assert_field_error(r, "expense_price_1", "マイナス");
	assert_field_error(r, "summary", "事業の概要（公開）を入力してください");
	assert_contains(BODY(r), "実施スケジュールを1行以上入力してください");
}

static void summary_over_200_characters_refused(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, plain_category(s, "要約"), GROUP_A);
	struct resp *r = send_form(c, id, "save", "summary", repeat("あ", 201), NULL);
	assert_status(r, 422);
	assert_field_error(r, "summary", "200文字以内");
	assert_status(send_form(c, id, "save", "summary", repeat("あ", 200), NULL), 303);
}

static void amount_above_cap_refused(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long cat = new_category(s, "上限", (struct cat_opts){.cap = 100000});
	long long id = start(s, c, cat, GROUP_A);
	/* 120,000 − 10,000 = 110,000 > 100,000 */
	struct resp *r = send_form(c, id, "submit", "expense_price_1", "40000", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r),
			"申請額（110,000円）がこの部門の上限額（100,000円）を超えています");
	assert_string_equal(status_of(s, id), "draft");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_budget WHERE proposal_id = %lld", id), 0);
	/* exactly the cap is accepted: 110,000 − 10,000 */
	r = send_form(c, id, "submit", "expense_price_1", "110000", "expense_qty_1", "1", NULL);
	assert_submitted_to_receipt(r, id);
}

static void negative_fractional_and_non_numeric_yen_refused(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, plain_category(s, "円"), GROUP_A);
	struct resp *r = send_form(
	    c, id, "save", "expense_item_2", "会場費", "expense_price_2", "-3000", "expense_qty_2",
	    "1", "expense_item_3", "資料", "expense_price_3", "120.5", "expense_qty_3", "10",
	    "expense_item_4", "交通費", "expense_price_4", "千円", "expense_qty_4", "1",
	    "income_item_2", "寄付", "income_price_2", "1000", "income_qty_2", "0.5", NULL);
	assert_status(r, 422);
	assert_field_error(r, "expense_price_2", "マイナスの金額は入力できません");
	assert_field_error(r, "expense_price_3", "小数");
	assert_field_error(r, "expense_price_4", "数字で入力してください");
	assert_field_error(r, "income_qty_2", "整数");
	assert_contains(BODY(r), "value=\"-3000\""); /* kept as typed */
	assert_contains(BODY(r), "入力内容に誤りがあります（4件）");
	/* saves nothing, not even the good lines */
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_budget WHERE proposal_id = %lld", id), 0);
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id), "");
}

static void amount_not_price_times_quantity_refused(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, plain_category(s, "積"), GROUP_A);
	struct resp *r = send_form(c, id, "save", "expense_amount_1", "35000", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "金額（35,000円）が単価×数量（30,000円）と一致しません");
	assert_contains(BODY(r), "href=\"#f-expense_amount_1\"");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_budget WHERE proposal_id = %lld", id), 0);
	/* a posted amount that matches is fine; the server's own is stored */
	r = send_form(c, id, "save", "expense_amount_1", "30,000", NULL);
	assert_status(r, 303);
	assert_int_equal(sql_int(s,
				 "SELECT amount FROM proposal_budget WHERE proposal_id = %lld AND "
				 "kind = 'expense'",
				 id),
			 30000);
	/* overflow: each factor allowed, the product not */
	r = send_form(c, id, "save", "expense_price_1", "1000000000", "expense_qty_1", "1000000",
		      NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "単価×数量が大きすぎます");
}

static void ineligible_category_refused(void **state)
{
	struct server *s = *state;
	long long small = group_id(s, GROUP_SMALL);
	sql(s, "UPDATE groups SET members = 3 WHERE id = %lld", (long long)small);
	struct client *c = client_as(s, add_member_of(s, small));
	long long cat = new_category(s, "五人", (struct cat_opts){.min_members = 5});
	long long before = (long long)sql_int(s, "SELECT count(*) FROM proposals");
	struct resp *r = post_form(
	    c, "/proposals",
	    form_body("call", hfmt("%lld", the_call(s)), "category", hfmt("%lld", cat), "group",
		      hfmt("%lld", (long long)small), "_csrf", client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "五人部門には会員が5人以上必要です（にじのわの会員数：3人）");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM proposals"), before);

	/* eligible when the draft starts, not any more when it is submitted */
	sql(s, "UPDATE groups SET members = 5 WHERE id = %lld", (long long)small);
	long long id = start(s, c, cat, GROUP_SMALL);
	sql(s, "UPDATE groups SET members = 4 WHERE id = %lld", (long long)small);
	r = send_form(c, id, "submit", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "会員が5人以上必要です");
	assert_string_equal(status_of(s, id), "draft");
	sql(s, "UPDATE groups SET members = 3 WHERE id = %lld", (long long)small);
}

static void submitting_one_second_after_the_deadline_refused(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long cat = plain_category(s, "締切");
	long long id = start(s, c, cat, GROUP_A);
	assert_status(send_form(c, id, "save", NULL), 303);
	sql(s, "UPDATE call_categories SET deadline_at = strftime('%%s','now') - 1 WHERE id = %lld",
	    cat);
	struct resp *r = send_form(c, id, "submit", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "締切部門の受付は締め切られました");
	assert_contains(BODY(r), "令和"); /* the deadline in 和暦 */
	assert_string_equal(status_of(s, id), "draft");
	assert_string_equal(
	    sql(s, "SELECT ifnull(receipt_no, '') FROM proposals WHERE id = %lld", id), "");
	/* a new draft cannot be started either */
	r = post_form(c, "/proposals",
		      form_body("call", hfmt("%lld", the_call(s)), "category", hfmt("%lld", cat),
				"group", hfmt("%lld", (long long)group_id(s, GROUP_A)), "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "受付期間は終了しました");
	/* and while the deadline second itself lasts, it is still open */
	sql(s, "UPDATE call_categories SET deadline_at = strftime('%%s','now') + 5 WHERE id = %lld",
	    cat);
	assert_submitted_to_receipt(send_form(c, id, "submit", NULL), id);
}

struct racer {
	struct client *c;
	const char *path, *body;
	pthread_barrier_t *start;
	long status;
	const char *text;
};

static void *race(void *arg)
{
	struct racer *x = arg;
	pthread_barrier_wait(x->start);
	struct resp *r = post_form(x->c, x->path, x->body);
	x->status = r->status;
	x->text = BODY(r);
	return NULL;
}

static void two_concurrent_submits_give_one_receipt(void **state)
{
	struct server *s = *state;
	long long cat = plain_category(s, "同時");
	struct client *c1 = member(s, GROUP_A);
	struct client *c2 = client_as(s, add_member_of(s, group_id(s, GROUP_A)));
	for (int round = 0; round < 3; round++) {
		long long id = start(s, c1, cat, GROUP_A);
		pthread_barrier_t barrier;
		pthread_barrier_init(&barrier, NULL, 2);
		struct racer x[2];
		for (int i = 0; i < 2; i++) {
			struct client *c = i ? c2 : c1;
			x[i] = (struct racer){c,
					      hfmt("/proposals/%lld", id),
					      body_of(client_csrf(c), "submit", NULL),
					      &barrier,
					      0,
					      NULL};
		}
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, race, &x[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&barrier);
		int won = (x[0].status == 303) + (x[1].status == 303);
		if (won != 1)
			fail_msg("round %d: statuses %ld and %ld, expected one 303", round,
				 x[0].status, x[1].status);
		struct racer *lost = x[0].status == 303 ? &x[1] : &x[0];
		assert_int_equal(lost->status, 409);
		assert_contains(lost->text, "すでに提出済み");
		assert_int_equal(sql_int(s,
					 "SELECT count(*) FROM proposals WHERE id = %lld AND "
					 "receipt_no IS NOT NULL",
					 id),
				 1);
		assert_int_equal(sql_int(s,
					 "SELECT count(*) FROM audit_log WHERE entity = 'proposal' "
					 "AND entity_id = %lld AND action = 'submit'",
					 id),
				 1);
	}
	/* three submissions, numbered without gaps */
	assert_string_equal(sql(s,
				"SELECT group_concat(receipt_no, ' ') FROM (SELECT receipt_no FROM "
				"proposals WHERE category_id = %lld ORDER BY receipt_seq)",
				cat),
			    "R7-同時-001 R7-同時-002 R7-同時-003");
}

/* ---- attachments ---------------------------------------------------------- */

static const char pdf[] = "%PDF-1.4\n"
			  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
			  "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
			  "trailer << /Root 1 0 R >>\n"
			  "%%EOF\n";

/* A multipart save of title plus one file. */
static struct resp *upload(struct client *c, long long id, const char *filename, const char *type,
			   const void *bytes, size_t n)
{
	struct buf b = BUF_INIT;
	const char *csrf = client_csrf(c);
	buf_printf(
	    &b,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nsave\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n添付つき\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"attachment_title\"\r\n\r\n"
	    "事業計画\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"%s\"\r\n"
	    "Content-Type: %s\r\n\r\n",
	    csrf, filename, type);
	buf_add(&b, bytes, n);
	buf_adds(&b, "\r\n--XyZ--\r\n");
	struct resp *r = request_n(c, "POST", hfmt("/proposals/%lld", id), NULL, b.p, b.n,
				   "multipart/form-data; boundary=XyZ");
	buf_release(&b);
	return r;
}

static void fake_pdf_refused_real_pdf_kept(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, plain_category(s, "添付"), GROUP_A);
	const char fake[] = "これはPDFではありません。ただのテキストです。";
	struct resp *r = upload(c, id, "plan.pdf", "application/pdf", fake, sizeof(fake) - 1);
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-attachment-error\"");
	assert_contains(BODY(r), "plan.pdf");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_files WHERE proposal_id = %lld", id), 0);
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id), "");

	r = upload(c, id, "計画書.pdf", "application/octet-stream", pdf, sizeof(pdf) - 1);
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_files WHERE proposal_id = %lld", id), 1);
	long long file = (long long)sql_int(
	    s, "SELECT file_id FROM proposal_files WHERE proposal_id = %lld", id);
	assert_string_equal(sql(s, "SELECT mime FROM files WHERE id = %lld", file),
			    "application/pdf");
	/* the attachment is served to the group and staff, nobody else */
	struct client *other = client_as(s, add_member_of(s, group_id(s, GROUP_C)));
	r = get(other, hfmt("/files/%lld", file));
	assert_status(r, 404);
	assert_status(get(client_new(s), hfmt("/files/%lld", file)), 404);
	struct client *m2 = client_as(s, add_member_of(s, group_id(s, GROUP_A)));
	r = get(m2, hfmt("/files/%lld", file));
	assert_status(r, 200);
	assert_memory_equal(r->body, pdf, sizeof(pdf) - 1);
	assert_status(get(coordinator(s), hfmt("/files/%lld", file)), 200);
	r = get(c, hfmt("/proposals/%lld", id));
	assert_contains(BODY(r), hfmt("/files/%lld", file));
	assert_contains(BODY(r), "事業計画");
	/* removing it */
	long long pf =
	    (long long)sql_int(s, "SELECT id FROM proposal_files WHERE proposal_id = %lld", id);
	r = send_form(c, id, "save", "remove_file", hfmt("%lld", pf), NULL);
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_files WHERE proposal_id = %lld", id), 0);
	/* another proposal's attachment id is refused */
	r = send_form(c, id, "save", "remove_file", "999999", NULL);
	assert_status(r, 422);
}

static void upload_over_the_limit_refused(void **state)
{
	struct server *s = *state;
	struct client *c = member(s, GROUP_A);
	long long id = start(s, c, plain_category(s, "大"), GROUP_A);
	size_t n = ((size_t)10 << 20) + 1;
	char *big = malloc(n);
	memcpy(big, pdf, sizeof(pdf) - 1);
	memset(big + sizeof(pdf) - 1, ' ', n - (sizeof(pdf) - 1));
	struct resp *r = upload(c, id, "big.pdf", "application/pdf", big, n);
	free(big);
	assert_status(r, 413);
	assert_contains(BODY(r), "大きすぎます");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM proposal_files WHERE proposal_id = %lld", id), 0);
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id), "");
}

/* ---- other groups, partners, consultations --------------------------------- */

static void member_of_another_group_may_not_edit(void **state)
{
	struct server *s = *state;
	long long id = start(s, member(s, GROUP_A), plain_category(s, "他団体"), GROUP_A);
	assert_status(send_form(member(s, GROUP_A), id, "save", "title", "Aの下書き", NULL), 303);
	struct client *b = member(s, GROUP_B);
	struct resp *r = get(b, hfmt("/proposals/%lld/edit", id));
	assert_status(r, 403);
	r = send_form(b, id, "save", "title", "乗っ取り", NULL);
	assert_status(r, 403);
	r = send_form(b, id, "submit", "title", "乗っ取り", NULL);
	assert_status(r, 403);
	assert_status(post_form(b, hfmt("/proposals/%lld/withdraw", id),
				form_body("_csrf", client_csrf(b), NULL)),
		      403);
	const char *auth[] = {
	    hfmt("Authorization: Bearer %s", add_token(s, add_member_of(s, group_id(s, GROUP_B)))),
	    NULL};
	r = send_json(client_new(s), "PATCH", hfmt("/api/v1/proposals/%lld", id),
		      "{\"title\":\"乗っ取り\"}", auth);
	assert_status(r, 403);
	assert_string_equal(sql(s, "SELECT title FROM proposals WHERE id = %lld", id), "Aの下書き");
	/* nor start one for a group they are not in */
	r = post_form(b, "/proposals",
		      form_body("call", hfmt("%lld", the_call(s)), "category",
				hfmt("%lld", plain_category(s, "他団体2")), "group",
				hfmt("%lld", (long long)group_id(s, GROUP_A)), "_csrf",
				client_csrf(b), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "あなたが所属する団体を選んでください");
}

static void partner_must_confirm_before_submission(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long cat = new_category(s, "連携", (struct cat_opts){.min_groups = 2});
	long long id = start(s, a, cat, GROUP_A);
	/* the minimum of two groups */
	struct resp *r = send_form(a, id, "submit", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "連携部門は2団体以上の連携による応募です");
	/* a partner by name; an unknown one and the lead itself are refused */
	r = send_form(a, id, "save", "partner_1", "存在しない団体", "partner_2", GROUP_A, NULL);
	assert_status(r, 422);
	assert_field_error(r, "partner_1", "団体が見つかりません");
	assert_field_error(r, "partner_2", "代表団体");
	r = send_form(a, id, "save", "partner_1", GROUP_B, NULL);
	assert_status(r, 303);
	/* every member of the partner group is asked */
	assert_int_equal(
	    sql_int(s,
		    "SELECT count(*) FROM notifications WHERE kind = 'partner_confirm' "
		    "AND link = '/proposals/%lld'",
		    id),
	    sql_int(s, "SELECT count(*) FROM group_members WHERE group_id = %lld",
		    (long long)group_id(s, GROUP_B)));
	r = send_form(a, id, "submit", "partner_1", GROUP_B, NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), hfmt("連携団体「%s」の確認が済んでいません", GROUP_B));
	assert_string_equal(status_of(s, id), "draft");

	/* the partner's member sees it (not edit) and confirms */
	struct client *b = member(s, GROUP_B);
	r = get(b, hfmt("/proposals/%lld", id));
	assert_status(r, 200);
	assert_contains(BODY(r), hfmt("/proposals/%lld/confirm", id));
	assert_status(get(b, hfmt("/proposals/%lld/edit", id)), 403);
	/* a third group cannot confirm for B */
	struct client *c = member(s, GROUP_C);
	r = post_form(c, hfmt("/proposals/%lld/confirm", id),
		      form_body("group", hfmt("%lld", (long long)group_id(s, GROUP_B)), "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 404);
	r = post_form(b, hfmt("/proposals/%lld/confirm", id),
		      form_body("group", hfmt("%lld", (long long)group_id(s, GROUP_B)), "_csrf",
				client_csrf(b), NULL));
	assert_status(r, 303);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM proposal_partners WHERE proposal_id = %lld "
				 "AND confirmed_at IS NOT NULL",
				 id),
			 1);
	assert_submitted_to_receipt(send_form(a, id, "submit", "partner_1", GROUP_B, NULL), id);
}

static void partners_only_in_joint_categories(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long id = start(s, a, plain_category(s, "単独"), GROUP_A);
	struct resp *r = send_form(a, id, "save", "partner_1", GROUP_B, NULL);
	assert_status(r, 422);
	assert_field_error(r, "partner_1", "この部門では連携団体を指定できません");
}

static void missing_consultations_shown_and_refused(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long cat =
	    new_category(s, "相談", (struct cat_opts){.needs_coordinator = 1, .needs_division = 1});
	long long id = start(s, a, cat, GROUP_A);
	struct resp *r = get(a, hfmt("/proposals/%lld", id));
	assert_contains(BODY(r), "提出の前に必要な事前相談が済んでいません");
	assert_contains(BODY(r), "コーディネーターとの事前相談");
	assert_contains(BODY(r), "担当課との事前相談");
	r = send_form(a, id, "submit", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "コーディネーターとの事前相談が済んでいません");
	assert_contains(BODY(r), "担当課との事前相談が済んでいません");
	assert_field_error(r, "division", "協働を希望する課を選んでください");

	/* the consultations take place (recorded directly here) */
	long long gid = (long long)group_id(s, GROUP_A);
	sql(s, "INSERT INTO divisions (name) VALUES ('t1500課')");
	long long div = (long long)sql_int(s, "SELECT id FROM divisions WHERE name = 't1500課'");
	sql(s, "INSERT INTO consultation_slots (coordinator_id, starts_at, ends_at, created_at) "
	       "VALUES ((SELECT min(id) FROM users), 1, 2, 1)");
	sql(s,
	    "INSERT INTO consultation_bookings (slot_id, group_id, call_id, booked_by, booked_at, "
	    "done_at) VALUES ((SELECT max(id) FROM consultation_slots), %lld, %lld, (SELECT "
	    "min(id) "
	    "FROM users), 1, 2)",
	    gid, the_call(s));
	sql(s,
	    "INSERT INTO division_consultations (group_id, call_id, division_id, held_on, "
	    "recorded_by, created_at) VALUES (%lld, %lld, %lld, '2025-05-01', (SELECT min(id) FROM "
	    "users), 1)",
	    gid, the_call(s), div);
	r = get(a, hfmt("/proposals/%lld", id));
	assert_not_contains(BODY(r), "提出の前に必要な事前相談が済んでいません");
	assert_submitted_to_receipt(send_form(a, id, "submit", "division", hfmt("%lld", div), NULL),
				    id);
}

/* ---- withdrawal and reopening --------------------------------------------- */

static void withdraw_before_the_deadline_only(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long cat = plain_category(s, "取下");
	long long id = start(s, a, cat, GROUP_A);
	/* a draft cannot be withdrawn */
	struct resp *r = post_form(a, hfmt("/proposals/%lld/withdraw", id),
				   form_body("_csrf", client_csrf(a), NULL));
	assert_status(r, 409);
	assert_submitted_to_receipt(send_form(a, id, "submit", NULL), id);
	r = get(a, hfmt("/proposals/%lld", id));
	assert_contains(BODY(r), "この企画提案書を取り下げる");
	r = post_form(a, hfmt("/proposals/%lld/withdraw", id),
		      form_body("_csrf", client_csrf(a), NULL));
	assert_status(r, 303);
	assert_string_equal(status_of(s, id), "withdrawn");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'proposal' AND "
				 "entity_id = %lld AND action = 'withdraw'",
				 id),
			 1);
	/* after the deadline: refused */
	long long id2 = start(s, a, cat, GROUP_A);
	assert_submitted_to_receipt(send_form(a, id2, "submit", NULL), id2);
	sql(s, "UPDATE call_categories SET deadline_at = strftime('%%s','now') - 1 WHERE id = %lld",
	    cat);
	r = post_form(a, hfmt("/proposals/%lld/withdraw", id2),
		      form_body("_csrf", client_csrf(a), NULL));
	assert_status(r, 409);
	assert_contains(BODY(r), "受付期間は終了しました");
	assert_string_equal(status_of(s, id2), "submitted");
}

static void office_reopens_with_a_reason_and_the_receipt_stays(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long cat = plain_category(s, "差戻");
	long long id = start(s, a, cat, GROUP_A);
	assert_submitted_to_receipt(send_form(a, id, "submit", NULL), id);
	const char *path = hfmt("/proposals/%lld/reopen", id);
	/* only admins, and a reason is required */
	struct client *co = coordinator(s);
	assert_status(
	    post_form(co, path, form_body("reason", "理由", "_csrf", client_csrf(co), NULL)), 403);
	struct client *ad = admin(s);
	struct resp *r = get(ad, hfmt("/proposals/%lld", id));
	assert_contains(BODY(r), path);
	r = post_form(ad, path, form_body("reason", "", "_csrf", client_csrf(ad), NULL));
	assert_status(r, 422);
	assert_field_error(r, "reason", "差し戻しの理由を入力してください");
	assert_string_equal(status_of(s, id), "submitted");
	r = post_form(ad, path,
		      form_body("reason", "収支予算の内訳を分けてください。", "_csrf",
				client_csrf(ad), NULL));
	assert_status(r, 303);
	assert_string_equal(status_of(s, id), "reopened");
	/* every member of the group is told */
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM notifications WHERE kind = 'reopened' AND "
				 "body LIKE '%%収支予算の内訳を分けてください。%%'"),
			 sql_int(s, "SELECT count(*) FROM group_members WHERE group_id = %lld",
				 (long long)group_id(s, GROUP_A)));
	/* editable again, the reason shown; resubmitted with the same number */
	r = get(a, hfmt("/proposals/%lld/edit", id));
	assert_status(r, 200);
	assert_contains(BODY(r), "収支予算の内訳を分けてください。");
	const char *no = sql(s, "SELECT receipt_no FROM proposals WHERE id = %lld", id);
	assert_submitted_to_receipt(send_form(a, id, "submit", "expense_item_2", "会場費",
					      "expense_price_2", "5000", "expense_qty_2", "1",
					      NULL),
				    id);
	assert_string_equal(sql(s, "SELECT receipt_no FROM proposals WHERE id = %lld", id), no);
	assert_string_equal(status_of(s, id), "submitted");
	/* reopening a draft is refused */
	long long id2 = start(s, a, cat, GROUP_A);
	r = post_form(ad, hfmt("/proposals/%lld/reopen", id2),
		      form_body("reason", "x", "_csrf", client_csrf(ad), NULL));
	assert_status(r, 409);
}

/* ---- print, exports -------------------------------------------------------- */

static void print_view_has_wareki_and_budget_table(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long id = start(s, a, plain_category(s, "印刷"), GROUP_A);
	assert_submitted_to_receipt(send_form(a, id, "submit", NULL), id);
	struct resp *r = get(a, hfmt("/proposals/%lld/print", id));
	assert_status(r, 200);
	assert_contains(BODY(r), "<caption>支出</caption>");
	assert_contains(BODY(r), "講師謝金");
	assert_contains(BODY(r), "10,000");
	assert_contains(BODY(r), "30,000");
	assert_contains(BODY(r), "20,000円");
	assert_contains(BODY(r), "令和");
	assert_contains(BODY(r), "R7-印刷-001");
}

static void csv_export_has_bom_header_and_quoting(void **state)
{
	struct server *s = *state;
	struct client *a = member(s, GROUP_A);
	long long id = start(s, a, plain_category(s, "出力"), GROUP_A);
	assert_submitted_to_receipt(
	    send_form(a, id, "submit", "title", "カンマ, と \"引用符\"", "summary", "=1+1", NULL),
	    id);
	assert_status(get(a, "/proposals/export.csv"), 403);
	struct resp *r = get(coordinator(s), hfmt("/proposals/export.csv?call=%lld", the_call(s)));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/csv");
	assert_contains(header_of(r, "Content-Disposition"), "attachment");
	if (r->len < 3 || memcmp(r->body, "\xEF\xBB\xBF", 3) != 0)
		fail_msg("the CSV does not start with a UTF-8 BOM");
	if (strncmp(BODY(r) + 3, "ID,受付番号,状態,年度,募集,部門,団体,", 40) != 0)
		fail_msg("header row: %.200s", BODY(r) + 3);
	assert_contains(BODY(r), "\r\n");
	assert_contains(BODY(r), "R7-出力-001");
	assert_contains(BODY(r), "\"カンマ, と \"\"引用符\"\"\"");
	assert_contains(BODY(r), "\"'=1+1\""); /* no formula */
	assert_status(get(coordinator(s), "/proposals/export.csv?page=2"), 400);
}

static void xlsx_export_is_a_zip(void **state)
{
	struct server *s = *state;
	assert_status(get(member(s, GROUP_A), "/proposals/export.xlsx"), 403);
	struct resp *r = get(admin(s), hfmt("/proposals/export.xlsx?call=%lld", the_call(s)));
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_contains(header_of(r, "Content-Disposition"), "attachment");
	assert_contains(header_of(r, "Content-Disposition"), ".xlsx");
	if (r->len < 4 || memcmp(r->body, "PK\x03\x04", 4) != 0)
		fail_msg("the .xlsx is not a zip file");
}

/* ---- API ------------------------------------------------------------------ */

static void api_creates_patches_and_submits(void **state)
{
	struct server *s = *state;
	long long cat = plain_category(s, "API");
	const char *auth[] = {
	    hfmt("Authorization: Bearer %s", add_token(s, add_member_of(s, group_id(s, GROUP_A)))),
	    NULL};
	struct client *c = client_new(s);
	struct resp *r = send_json(
	    c, "POST", "/api/v1/proposals",
	    hfmt("{\"call\":%lld,\"category\":%lld,\"group\":%lld,\"title\":\"APIの事業\","
		 "\"expense_item_1\":\"講師謝金\",\"expense_price_1\":10000,\"expense_qty_1\":3}",
		 the_call(s), cat, (long long)group_id(s, GROUP_A)),
	    auth);
	assert_status(r, 201);
	const char *id = json_at(r, "id");
	assert_non_null(id);
	assert_contains(header_of(r, "Location"), hfmt("/api/v1/proposals/%s", id));
	assert_string_equal(json_at(r, "status"), "draft");
	assert_string_equal(json_at(r, "expense_amount_1"), "30000");
	assert_string_equal(json_at(r, "requested"), "30000");
	assert_string_equal(json_at(r, "receipt_no"), "null");

	/* invalid: an unknown key, and a negative price; nothing changes */
	r = send_json(c, "PATCH", hfmt("/api/v1/proposals/%s", id),
		      "{\"expense_price_1\":\"-1\",\"bogus\":1}", auth);
	assert_status(r, 422);
	assert_contains(json_at(r, "errors.expense_price_1"), "マイナス");
	assert_string_equal(json_at(r, "errors.bogus"), "不明な項目です");

	/* a partial update keeps the rest */
	r = send_json(c, "PATCH", hfmt("/api/v1/proposals/%s", id), "{\"summary\":\"概要\"}", auth);
	assert_status(r, 200);
	assert_string_equal(json_at(r, "title"), "APIの事業");
	assert_string_equal(json_at(r, "summary"), "概要");
	assert_string_equal(json_at(r, "expense_price_1"), "10000");

	/* submitting with problems lists them */
	r = send_json(c, "PATCH", hfmt("/api/v1/proposals/%s", id), "{\"action\":\"submit\"}",
		      auth);
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.background"));
	assert_non_null(json_at(r, "errors.schedule"));
	assert_string_equal(status_of(s, atoll(id)), "draft");

	r = send_json(c, "PATCH", hfmt("/api/v1/proposals/%s", id),
		      "{\"action\":\"submit\",\"background\":\"背景\",\"purpose\":\"目的\","
		      "\"content\":\"内容\",\"roles_group\":\"団体\",\"roles_city\":\"市\","
		      "\"effect\":\"効果\",\"sched_when_1\":\"10月\",\"sched_what_1\":\"講座\"}",
		      auth);
	assert_status(r, 200);
	assert_string_equal(json_at(r, "status"), "submitted");
	assert_string_equal(json_at(r, "receipt_no"), "R7-API-001");
	r = send_json(c, "PATCH", hfmt("/api/v1/proposals/%s", id), "{\"title\":\"変更\"}", auth);
	assert_status(r, 409);

	r = request(c, "GET", hfmt("/api/v1/proposals/%s", id), auth, NULL, NULL);
	assert_status(r, 200);
	assert_string_equal(json_at(r, "title"), "APIの事業");
	r = request(c, "GET", "/api/v1/proposals", auth, NULL, NULL);
	assert_status(r, 200);
	assert_contains(BODY(r), "R7-API-001");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(visitors_see_nothing),
	    cmocka_unit_test(staff_see_every_proposal_members_their_own),
	    cmocka_unit_test(draft_over_two_sittings_then_submit_gives_receipt),
	    cmocka_unit_test(submit_lists_every_missing_field),
	    cmocka_unit_test(summary_over_200_characters_refused),
	    cmocka_unit_test(amount_above_cap_refused),
	    cmocka_unit_test(negative_fractional_and_non_numeric_yen_refused),
	    cmocka_unit_test(amount_not_price_times_quantity_refused),
	    cmocka_unit_test(ineligible_category_refused),
	    cmocka_unit_test(submitting_one_second_after_the_deadline_refused),
	    cmocka_unit_test(two_concurrent_submits_give_one_receipt),
	    cmocka_unit_test(fake_pdf_refused_real_pdf_kept),
	    cmocka_unit_test(upload_over_the_limit_refused),
	    cmocka_unit_test(member_of_another_group_may_not_edit),
	    cmocka_unit_test(partner_must_confirm_before_submission),
	    cmocka_unit_test(partners_only_in_joint_categories),
	    cmocka_unit_test(missing_consultations_shown_and_refused),
	    cmocka_unit_test(withdraw_before_the_deadline_only),
	    cmocka_unit_test(office_reopens_with_a_reason_and_the_receipt_stays),
	    cmocka_unit_test(print_view_has_wareki_and_budget_table),
	    cmocka_unit_test(csv_export_has_bom_header_and_quoting),
	    cmocka_unit_test(xlsx_export_is_a_zip),
	    cmocka_unit_test(api_creates_patches_and_submits),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
