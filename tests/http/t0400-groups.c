/*
 * t0400: the group directory through its HTML forms and public pages —
 * create, update, archive and restore, validation messages, escaping, the
 * 50音順 list, pagination and filters.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

/* One logged-in admin for the whole file (a login costs an Argon2 hash). */
static struct client *admin_client(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "admin"));
	return c;
}

static const char *const defaults[][2] = {
    {"name", "テスト団体"},
    {"name_kana", "てすとだんたい"},
    {"kind", "任意団体"},
    {"purpose", "テストのための団体です。"},
};

/* An urlencoded group form: the defaults above, with key/value pairs
 * (NULL-terminated) replacing them or added; a pair whose value is NULL
 * removes the key.  The CSRF token comes last. */
static const char *group_body(const char *csrf, ...)
{
	const char *keys[64], *vals[64];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++, n++)
		keys[n] = defaults[i][0], vals[n] = defaults[i][1];
	va_list ap;
	va_start(ap, csrf);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		size_t i;
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			if (strcmp(keys[i], k) == 0)
				break;
		if (i < sizeof(defaults) / sizeof(defaults[0])) {
			vals[i] = v;
		} else if (n < 63) {
			keys[n] = k;
			vals[n++] = v;
		}
	}
	va_end(ap);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (!vals[i])
			continue;
		buf_printf(&b, "%s%s=%s", b.n ? "&" : "", urlenc(keys[i]), urlenc(vals[i]));
	}
	buf_printf(&b, "&_csrf=%s", urlenc(csrf));
	const char *s = hfmt("%s", b.p);
	buf_release(&b);
	return s;
}

/* Create a group through the form as admin; returns its id. */
static int64_t create_group(struct server *s, const char *name, const char *kana)
{
	struct client *c = admin_client(s);
	struct resp *r = post_form(
	    c, "/groups", group_body(client_csrf(c), "name", name, "name_kana", kana, NULL));
	assert_status(r, 303);
	const char *loc = header_of(r, "Location");
	if (!loc || strncmp(loc, "/groups/", 8) != 0)
		fail_msg("create: Location is %s", loc ? loc : "(none)");
	return atoll(loc + 8);
}

/* Position of needle in hay, failing the test when absent. */
static size_t index_of(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	if (!p)
		fail_msg("\"%s\" is not in the page", needle);
	return (size_t)(p - hay);
}

/* The public list, every page concatenated. */
static const char *all_list_pages(struct server *s)
{
	struct client *c = client_new(s);
	const char *all = "";
	for (int page = 1; page <= 10; page++) {
		struct resp *r = get(c, hfmt("/groups?page=%d", page));
		assert_status(r, 200);
		all = hfmt("%s%s", all, BODY(r));
		if (!strstr(BODY(r), "rel=\"next\""))
			break;
	}
	return all;
}

static void public_list_is_in_50on_order(void **state)
{
	const char *list = all_list_pages(*state);
	size_t eco = index_of(list, ">NPOエコラボ<");		  /* エヌピーオー… */
	size_t castle = index_of(list, ">金沢城・兼六園研究会<"); /* カナザワジョウ… */
	size_t niji = index_of(list, ">にじのわ<");		  /* ニジノワ */
	size_t owari = index_of(list, ">尾張町商店街<");	  /* オワリチョウ… */
	size_t take = index_of(list, ">Take a step<");		  /* テイクアステップ */
	if (!(eco < owari && owari < castle && castle < take && take < niji))
		fail_msg("not in 50音順: エヌ@%zu オワ@%zu カナ@%zu テイ@%zu ニジ@%zu", eco, owari,
			 castle, take, niji);
}

static void filter_by_kind_lists_only_that_kind(void **state)
{
	struct resp *r = get(client_new(*state), hfmt("/groups?kind=%s", urlenc("商店街")));
	assert_status(r, 200);
	assert_contains(BODY(r), "検索結果（1件）");
	assert_contains(BODY(r), "尾張町商店街");
	assert_not_contains(BODY(r), "金沢城・兼六園研究会");
}

static void filter_by_theme_lists_only_that_theme(void **state)
{
	int64_t bousai = sql_int(*state, "SELECT id FROM themes WHERE name = '防災'");
	struct resp *r = get(client_new(*state), hfmt("/groups?theme=%lld", (long long)bousai));
	assert_status(r, 200);
	assert_contains(BODY(r), "検索結果（2件）");
	assert_contains(BODY(r), "この指とまれ");
	assert_contains(BODY(r), "さくらんぼすまいる");
	assert_not_contains(BODY(r), "NPOエコラボ");
	/* Both filters together. */
	r = get(client_new(*state),
		hfmt("/groups?theme=%lld&kind=%s", (long long)bousai, urlenc("NPO法人")));
	assert_status(r, 200);
	assert_contains(BODY(r), "検索結果（0件）");
	assert_contains(BODY(r), "条件に合う団体は見つかりませんでした。");
}

static void create_through_form_stores_every_field(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r = post_form(
	    c, "/groups",
	    form_body("name", "テスト環境クラブ", "name_kana", "てすとかんきょうくらぶ", "kind",
		      "NPO法人", "founded", "2018-06", "members", "25", "themes", "環境", "themes",
		      "教育", "purpose", "## 私たちの目的\n川をきれいにします。", "awards",
		      "2020 いいね金沢環境活動賞\n2022 農林水産大臣賞", "website",
		      "https://example.jp/eco", "sns", "https://sns.example/eco", "public_contact",
		      "info@example.jp", "private_contact", "090-1111-2222", "rep_title", "代表",
		      "rep_name", "山田花子", "rep_kana", "やまだはなこ", "pref", "石川県", "city",
		      "金沢市", "town", "広坂", "street", "1-1-1", "building", "市役所ビル3F",
		      "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	int64_t id = group_id(s, "テスト環境クラブ");
	assert_string_equal(header_of(r, "Location"), hfmt("/groups/%lld", (long long)id));
	/* The reading is stored in katakana. */
	assert_string_equal(sql(s, "SELECT name_kana FROM groups WHERE id = %lld", (long long)id),
			    "テストカンキョウクラブ");

	r = get(client_new(s), hfmt("/groups/%lld", (long long)id));
	assert_status(r, 200);
	const char *b = BODY(r);
	assert_contains(b, "<h1>テスト環境クラブ</h1>");
	assert_contains(b, "テストカンキョウクラブ");
	assert_contains(b, "<span class=\"tag tag--kind\">NPO法人</span>");
	assert_contains(b, "<span class=\"tag\">環境</span>");
	assert_contains(b, "<span class=\"tag\">教育</span>");
	assert_contains(b, "平成30年6月（2018年）");
	assert_contains(b, "25人");
	assert_contains(b, "<h2>私たちの目的</h2>");
	assert_contains(b, "<li>2020年 いいね金沢環境活動賞</li>");
	assert_contains(b, "<li>2022年 農林水産大臣賞</li>");
	assert_contains(b, "href=\"https://example.jp/eco\"");
	assert_contains(b, "href=\"https://sns.example/eco\"");
	assert_contains(b, "info@example.jp");
	assert_contains(b, "代表 山田花子（ヤマダハナコ）");
	assert_contains(b, "石川県金沢市広坂");
	/* The flash message after the redirect. */
	assert_contains(BODY(get(c, hfmt("/groups/%lld", (long long)id))), "登録しました。");
}

static void update_through_form_changes_fields(void **state)
{
	struct server *s = *state;
	int64_t id = create_group(s, "更新前の団体", "こうしんまえのだんたい");
	struct client *c = admin_client(s);
	struct resp *r = get(c, hfmt("/groups/%lld/edit", (long long)id));
	assert_status(r, 200);
	/* The form shows the stored values. */
	assert_contains(BODY(r), "value=\"更新前の団体\"");
	assert_contains(BODY(r), "value=\"コウシンマエノダンタイ\"");
	r = post_form(c, hfmt("/groups/%lld", (long long)id),
		      group_body(client_csrf(c), "name", "更新後の団体", "name_kana",
				 "コウシンゴノダンタイ", "members", "42", "themes", "福祉", NULL));
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), hfmt("/groups/%lld", (long long)id));
	r = get(client_new(s), hfmt("/groups/%lld", (long long)id));
	assert_status(r, 200);
	assert_contains(BODY(r), "<h1>更新後の団体</h1>");
	assert_contains(BODY(r), "42人");
	assert_contains(BODY(r), "<span class=\"tag\">福祉</span>");
	assert_not_contains(BODY(r), "更新前の団体");
}

static void archive_hides_group_from_public_pages(void **state)
{
	struct server *s = *state;
	int64_t id = create_group(s, "アーカイブ予定の団体", "あーかいぶよていのだんたい");
	struct client *c = admin_client(s);
	struct resp *r = post_form(c, hfmt("/groups/%lld/archive", (long long)id),
				   form_body("archived", "1", "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	struct client *anon = client_new(s);
	assert_status(get(anon, hfmt("/groups/%lld", (long long)id)), 404);
	assert_status(get(anon, hfmt("/api/v1/groups/%lld", (long long)id)), 404);
	assert_not_contains(all_list_pages(s), "アーカイブ予定の団体");
	r = get(anon, hfmt("/groups?q=%s", urlenc("アーカイブ予定")));
	assert_status(r, 200);
	assert_not_contains(BODY(r), "アーカイブ予定の団体");
	r = get(anon, hfmt("/api/v1/groups?q=%s", urlenc("アーカイブ予定")));
	assert_contains(BODY(r), "\"total\":0");
	/* Staff still see it, marked. */
	r = get(c, hfmt("/groups/%lld", (long long)id));
	assert_status(r, 200);
	assert_contains(BODY(r), "アーカイブ済み");
	assert_contains(BODY(r), "アーカイブを解除する");
}

static void restore_makes_group_public_again(void **state)
{
	struct server *s = *state;
	int64_t id = create_group(s, "復元する団体", "ふくげんするだんたい");
	struct client *c = admin_client(s);
	const char *path = hfmt("/groups/%lld/archive", (long long)id);
	assert_status(post_form(c, path, form_body("archived", "1", "_csrf", client_csrf(c), NULL)),
		      303);
	assert_status(get(client_new(s), hfmt("/groups/%lld", (long long)id)), 404);
	assert_status(post_form(c, path, form_body("archived", "0", "_csrf", client_csrf(c), NULL)),
		      303);
	struct resp *r = get(client_new(s), hfmt("/groups/%lld", (long long)id));
	assert_status(r, 200);
	assert_not_contains(BODY(r), "アーカイブ済み");
	assert_contains(all_list_pages(s), ">復元する団体<");
}

static void archive_of_unknown_group_gives_404(void **state)
{
	struct client *c = admin_client(*state);
	struct resp *r = post_form(c, "/groups/999999/archive",
				   form_body("archived", "1", "_csrf", client_csrf(c), NULL));
	assert_status(r, 404);
}

/* POST the form with the given overrides and expect 422 with message next
 * to field; returns the response. */
static struct resp *expect_422(struct server *s, const char *field, const char *message,
			       const char *key, const char *value)
{
	struct client *c = admin_client(s);
	int64_t before = sql_int(s, "SELECT count(*) FROM groups");
	struct resp *r = post_form(c, "/groups", group_body(client_csrf(c), key, value, NULL));
	assert_status(r, 422);
	assert_contains(BODY(r),
			hfmt("id=\"f-%s-error\"><span>エラー：</span>%s</p>", field, message));
	assert_contains(BODY(r), "入力内容に誤りがあります（1件）");
	assert_contains(BODY(r), hfmt("<a href=\"#f-%s\">", field));
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups"), before);
	return r;
}

static void empty_name_gives_422_with_message_and_summary(void **state)
{
	struct resp *r = expect_422(*state, "name", "団体名を入力してください", "name", "");
	assert_contains(BODY(r), "<a href=\"#f-name\">団体名：団体名を入力してください</a>");
	assert_contains(BODY(r), "aria-invalid=\"true\"");
}

static void name_of_spaces_only_gives_422(void **state)
{
	expect_422(*state, "name", "団体名を入力してください", "name", "　 　");
}

static void kanji_reading_gives_422(void **state)
{
	expect_422(*state, "name_kana",
		   "団体名（フリガナ）はカタカナまたはひらがなで入力してください", "name_kana",
		   "漢字の読み");
}

static void invalid_url_gives_422(void **state)
{
	expect_422(*state, "website",
		   "ウェブサイトは http:// または https:// で始まるURLを入力してください",
		   "website", "javascript:alert(1)");
}

static void name_of_101_characters_gives_422(void **state)
{
	expect_422(*state, "name", "団体名は100文字以内で入力してください（現在101文字）", "name",
		   repeat("あ", 101));
}

static void name_of_100_characters_is_accepted(void **state)
{
	struct client *c = admin_client(*state);
	struct resp *r =
	    post_form(c, "/groups", group_body(client_csrf(c), "name", repeat("い", 100), NULL));
	assert_status(r, 303);
}

static void unknown_theme_gives_422(void **state)
{
	expect_422(*state, "themes", "活動テーマ「存在しないテーマ」は登録されていません", "themes",
		   "存在しないテーマ");
}

static void award_line_without_year_gives_422(void **state)
{
	expect_422(*state, "awards",
		   "受賞歴は「2020 いいね金沢環境活動賞」のように、1行に1件ずつ年と賞の名前を入力"
		   "してください",
		   "awards", "いいね金沢環境活動賞");
}

static void rejected_form_keeps_input_html_escaped(void **state)
{
	struct client *c = admin_client(*state);
	const char *city = "金沢\"市<b>&'";
	const char *purpose = "目的は <i>\"これ\"</i> & それ";
	struct resp *r = post_form(c, "/groups",
				   group_body(client_csrf(c), "name", "", "city", city, "purpose",
					      purpose, "name_kana", "ひらがな", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), hfmt("value=\"%s\"", html_escape(city)));
	assert_contains(BODY(r), hfmt(">%s</textarea>", html_escape(purpose)));
	assert_contains(BODY(r), "value=\"ヒラガナ\"");
	assert_not_contains(BODY(r), "<i>\"これ\"</i>");
	assert_not_contains(BODY(r), "<b>&'");
}

static void rejected_form_keeps_checked_themes(void **state)
{
	struct client *c = admin_client(*state);
	struct resp *r =
	    post_form(c, "/groups", group_body(client_csrf(c), "name", "", "themes", "環境", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "name=\"themes\" value=\"環境\" checked");
	assert_not_contains(BODY(r), "name=\"themes\" value=\"防災\" checked");
}

static void update_with_invalid_data_gives_422_and_changes_nothing(void **state)
{
	struct server *s = *state;
	int64_t id = create_group(s, "不正更新の団体", "ふせいこうしん");
	struct client *c = admin_client(s);
	struct resp *r = post_form(c, hfmt("/groups/%lld", (long long)id),
				   group_body(client_csrf(c), "name", "", "members", "-5", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), hfmt("action=\"/groups/%lld\"", (long long)id));
	assert_contains(BODY(r), "団体名を入力してください");
	assert_contains(BODY(r), "会員数は0〜1000000の数字で入力してください");
	assert_contains(BODY(r), "入力内容に誤りがあります（2件）");
	assert_string_equal(sql(s, "SELECT name FROM groups WHERE id = %lld", (long long)id),
			    "不正更新の団体");
}

static void full_width_input_is_normalised(void **state)
{
	/* Full-width digits and half-width katakana are normal input here. */
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r =
	    post_form(c, "/groups",
		      group_body(client_csrf(c), "name", "全角入力の団体", "name_kana",
				 "ｾﾞﾝｶｸ ﾆｭｳﾘｮｸ", "members", "２５", "founded", "２０１８－０６",
				 "awards", "２０２０　いいね金沢環境活動賞", NULL));
	assert_status(r, 303);
	int64_t id = group_id(s, "全角入力の団体");
	assert_string_equal(sql(s,
				"SELECT name_kana || '|' || members || '|' || founded_year || '-' "
				"|| founded_month FROM groups WHERE id = %lld",
				(long long)id),
			    "ゼンカク　ニュウリョク|25|2018-6");
	assert_string_equal(
	    sql(s, "SELECT year || ' ' || title FROM group_awards WHERE group_id = %lld",
		(long long)id),
	    "2020 いいね金沢環境活動賞");
}

static void founding_month_is_shown_in_japanese_era(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	static const char *const cases[][2] = {{"2019-05", "令和元年5月（2019年）"},
					       {"2019-04", "平成31年4月（2019年）"},
					       {"1989-01", "平成元年1月（1989年）"}};
	for (size_t i = 0; i < 3; i++) {
		struct resp *r =
		    post_form(c, "/groups",
			      group_body(client_csrf(c), "name", hfmt("設立年月の団体%zu", i),
					 "founded", cases[i][0], NULL));
		assert_status(r, 303);
		r = get(client_new(s), header_of(r, "Location"));
		assert_contains(BODY(r), hfmt("<dt>設立</dt><dd>%s</dd>", cases[i][1]));
	}
}

static void metacharacters_in_name_are_stored_and_escaped(void **state)
{
	struct server *s = *state;
	const char *name = "<script>alert(1)</script>' OR 1=1 --";
	struct client *c = admin_client(s);
	struct resp *r =
	    post_form(c, "/groups",
		      group_body(client_csrf(c), "name", name, "purpose",
				 "<img src=x onerror=alert(1)> [link](javascript:alert(1))", NULL));
	assert_status(r, 303);
	/* Stored exactly as typed: the SQL was parameterised. */
	int64_t id = atoll(header_of(r, "Location") + 8);
	assert_string_equal(sql(s, "SELECT name FROM groups WHERE id = %lld", (long long)id), name);
	r = get(client_new(s), hfmt("/groups/%lld", (long long)id));
	assert_status(r, 200);
	assert_contains(BODY(r), "&lt;script&gt;alert(1)&lt;/script&gt;&#39; OR 1=1 --");
	assert_not_contains(BODY(r), "<script>");
	assert_not_contains(BODY(r), "<img src=x");
	assert_not_contains(BODY(r), "javascript:");
	const char *list = all_list_pages(s);
	assert_contains(list, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_not_contains(list, "<script>");
}

static void unknown_form_key_gives_400(void **state)
{
	struct client *c = admin_client(*state);
	int64_t before = sql_int(*state, "SELECT count(*) FROM groups");
	struct resp *r = post_form(
	    c, "/groups", group_body(client_csrf(c), "is_admin", "1", "name", "余分な項目", NULL));
	assert_status(r, 400);
	assert_contains(BODY(r), "送信された項目が正しくありません。");
	assert_int_equal(sql_int(*state, "SELECT count(*) FROM groups"), before);
}

static void repeated_single_field_gives_400(void **state)
{
	struct client *c = admin_client(*state);
	struct resp *r =
	    post_form(c, "/groups",
		      hfmt("%s&name=%s", group_body(client_csrf(c), NULL), urlenc("二つ目の名前")));
	assert_status(r, 400);
}

static void unknown_group_gives_404(void **state)
{
	struct client *c = client_new(*state);
	assert_status(get(c, "/groups/999999"), 404);
	assert_status(get(c, "/groups/abc"), 404);
	assert_status(get(c, "/groups/0"), 404);
	assert_status(get(c, "/groups/-1"), 404);
	assert_contains(BODY(get(c, "/groups/999999")), "お探しの団体は見つかりませんでした。");
}

static void pagination_shows_page_two_after_twenty_groups(void **state)
{
	struct server *s = *state;
	const char *tok = add_token(s, add_user(s, "admin"));
	const char *h[] = {hfmt("Authorization: Bearer %s", tok), NULL};
	int64_t total = sql_int(s, "SELECT count(*) FROM groups WHERE archived = 0");
	/* At least three, and enough for more than one page. */
	int64_t extra = total < 22 ? 25 - total : 3;
	for (int64_t i = 0; i < extra; i++) {
		struct resp *r =
		    send_json(client_new(s), "POST", "/api/v1/groups",
			      hfmt("{\"name\":\"ページ送り団体%lld\",\"name_kana\":\"ワ\",\"kind\":"
				   "\"その他\",\"purpose\":\"件数を増やす\"}",
				   (long long)i),
			      h);
		assert_status(r, 201);
	}
	total = sql_int(s, "SELECT count(*) FROM groups WHERE archived = 0");
	struct client *c = client_new(s);
	struct resp *r = get(c, "/groups");
	assert_status(r, 200);
	assert_contains(BODY(r), hfmt("団体一覧（%lld件）", (long long)total));
	assert_contains(BODY(r), "href=\"/groups?page=2\" rel=\"next\"");
	assert_int_equal(count_of(BODY(r), "<li class=\"card\">"), 20);
	r = get(c, "/groups?page=2");
	assert_status(r, 200);
	assert_contains(BODY(r), "ページ中 2ページ目");
	assert_int_equal(count_of(BODY(r), "<li class=\"card\">"),
			 total - 20 > 20 ? 20 : total - 20);
	assert_contains(BODY(r), "rel=\"prev\"");
	/* The readings "ワ" sort last: the last page holds them. */
	int64_t last = (total + 19) / 20;
	r = get(c, hfmt("/groups?page=%lld", (long long)last));
	assert_status(r, 200);
	assert_contains(BODY(r), "ページ送り団体");
	assert_not_contains(BODY(r), "rel=\"next\"");
}

static void invalid_page_gives_400(void **state)
{
	struct client *c = client_new(*state);
	assert_status(get(c, "/groups?page=0"), 400);
	assert_status(get(c, "/groups?page=abc"), 400);
	assert_status(get(c, "/groups?kind=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84"), 400);
	assert_status(get(c, "/groups?unknown=1"), 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    /* First, while only the demo groups exist. */
	    cmocka_unit_test(public_list_is_in_50on_order),
	    cmocka_unit_test(filter_by_kind_lists_only_that_kind),
	    cmocka_unit_test(filter_by_theme_lists_only_that_theme),
	    cmocka_unit_test(create_through_form_stores_every_field),
	    cmocka_unit_test(update_through_form_changes_fields),
	    cmocka_unit_test(archive_hides_group_from_public_pages),
	    cmocka_unit_test(restore_makes_group_public_again),
	    cmocka_unit_test(archive_of_unknown_group_gives_404),
	    cmocka_unit_test(empty_name_gives_422_with_message_and_summary),
	    cmocka_unit_test(name_of_spaces_only_gives_422),
	    cmocka_unit_test(kanji_reading_gives_422),
	    cmocka_unit_test(invalid_url_gives_422),
	    cmocka_unit_test(name_of_101_characters_gives_422),
	    cmocka_unit_test(name_of_100_characters_is_accepted),
	    cmocka_unit_test(unknown_theme_gives_422),
	    cmocka_unit_test(award_line_without_year_gives_422),
	    cmocka_unit_test(rejected_form_keeps_input_html_escaped),
	    cmocka_unit_test(rejected_form_keeps_checked_themes),
	    cmocka_unit_test(update_with_invalid_data_gives_422_and_changes_nothing),
	    cmocka_unit_test(full_width_input_is_normalised),
	    cmocka_unit_test(founding_month_is_shown_in_japanese_era),
	    cmocka_unit_test(metacharacters_in_name_are_stored_and_escaped),
	    cmocka_unit_test(unknown_form_key_gives_400),
	    cmocka_unit_test(repeated_single_field_gives_400),
	    cmocka_unit_test(unknown_group_gives_404),
	    cmocka_unit_test(pagination_shows_page_two_after_twenty_groups),
	    cmocka_unit_test(invalid_page_gives_400),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
