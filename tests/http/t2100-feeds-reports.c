/*
 * t2100: event feeds, open data and reports — /events.ics parsed back with
 * libical (one VEVENT per published event, DTSTART as Asia/Tokyo wall time
 * with a VTIMEZONE), the organiser's calendar, the 推奨データセット CSV
 * (BOM, the 32 columns in order, a row's values, CRLF), the Atom feed
 * (escaped, well-formed enough), and the report form: the organiser may
 * write it, others may not, an image without its text summary is refused,
 * and the saved report shows on the event page with the summary as alt text.
 *
 * The event is inserted with sql() (year 2030, so that no demo event
 * mixes in) and organised by a demo group.
 */
#include "harness.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "util/jp.h"

#define GROUP	"金沢城・兼六園研究会"
#define OTHER	"NPOエコラボ"
#define TITLE	"t2100 石垣&兼六園 <親子> ツアー"
#define VENUE	"t2100 テスト会館"
#define SUMMARY "t2100 四つの地区を色分けした絵です。"

static long long event_id, gid;

/* The test event: 2030-05-10 10:00–12:00 JST at a venue with an address,
 * organised by GROUP; plus an unpublished one that no feed may show. */
static void add_event(struct server *s)
{
	if (event_id)
		return;
	gid = group_id(s, GROUP);
	long long start = jp_jst_to_unix(2030, 5, 10, 10, 0, 0);
	sql(s,
	    "INSERT INTO venues (name, pref, city, town, street, lat, lng, access, parking) "
	    "VALUES ('%s', '石川県', '金沢市', '広坂', '1-1-1', 36.5613, 136.6562, "
	    "'バス停から徒歩5分', 'なし')",
	    VENUE);
	long long venue = sql_int(s, "SELECT id FROM venues WHERE name = '%s'", VENUE);
	sql(s,
	    "INSERT INTO events (title, title_kana, type, group_id, starts_at, ends_at, venue_id, "
	    "room, capacity, fee_yen, contact_name, contact_phone, description, published, "
	    "created_at, updated_at) VALUES ('%s', 'イシガキツアー', 'ツアー', %lld, %lld, %lld, "
	    "%lld, '第1会議室', 20, 500, '事務局', '076-000-0000', '**石垣**を歩きます。', 1, "
	    "%lld, %lld)",
	    TITLE, gid, start, start + 7200, venue, start - 86400 * 30, start - 86400 * 30);
	event_id = sql_int(s, "SELECT id FROM events WHERE title = '%s'", TITLE);
	sql(s,
	    "INSERT INTO events (title, type, starts_at, ends_at, published, created_at, "
	    "updated_at) "
	    "VALUES ('t2100 非公開', 'その他', %lld, %lld, 0, %lld, %lld)",
	    start, start + 3600, start, start);
}

/* Parse an iCalendar body; fails the test when libical cannot. */
static icalcomponent *parse_ics(const char *body)
{
	icalcomponent *cal = icalparser_parse_string(body);
	if (!cal)
		fail_msg("libical could not parse: %.300s", body);
	return cal;
}

static icalcomponent *find_vevent(icalcomponent *cal, const char *uid_prefix, int *count)
{
	icalcomponent *found = NULL;
	*count = 0;
	for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
	     c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		(*count)++;
		if (!strncmp(icalcomponent_get_uid(c), uid_prefix, strlen(uid_prefix)))
			found = c;
	}
	return found;
}

static void ics_has_the_event_in_tokyo_time(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *c = client_new(s);
	struct resp *r = get(c, "/events.ics");
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"), "text/calendar; charset=utf-8");
	icalcomponent *cal = parse_ics(BODY(r));
	long published = (long)sql_int(s, "SELECT count(*) FROM events WHERE published = 1");
	int n;
	icalcomponent *ev = find_vevent(cal, hfmt("kyodo-event-%lld@", event_id), &n);
	assert_int_equal(n, published);
	assert_non_null(ev);
	assert_string_equal(icalcomponent_get_summary(ev), TITLE);
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalparameter *tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	assert_non_null(tz);
	assert_string_equal(icalparameter_get_tzid(tz), "Asia/Tokyo");
	struct icaltimetype t = icalproperty_get_dtstart(p);
	assert_int_equal(t.year, 2030);
	assert_int_equal(t.month, 5);
	assert_int_equal(t.day, 10);
	assert_int_equal(t.hour, 10);
	assert_int_equal(t.minute, 0);
	assert_contains(icalcomponent_get_location(ev), VENUE);
	assert_contains(icalcomponent_get_location(ev), "石川県金沢市広坂1-1-1");
	assert_contains(icalcomponent_get_description(ev), "石垣を歩きます。");
	icalcomponent *vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(vtz);
	icalproperty *tzid = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	assert_string_equal(icalproperty_get_tzid(tzid), "Asia/Tokyo");
	assert_not_contains(BODY(r), "t2100 非公開");
	icalcomponent_free(cal);
}

static void group_calendar_lists_its_events_only(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *c = client_new(s);
	struct resp *r = get(c, hfmt("/events/groups/%lld.ics", gid));
	assert_status(r, 200);
	icalcomponent *cal = parse_ics(BODY(r));
	int n;
	assert_non_null(find_vevent(cal, hfmt("kyodo-event-%lld@", event_id), &n));
	assert_int_equal(n, (int)sql_int(s,
					 "SELECT count(*) FROM events WHERE published = 1 AND "
					 "group_id = %lld",
					 gid));
	icalcomponent_free(cal);
	assert_status(get(c, hfmt("/events/groups/%lld", gid)), 404);
	assert_status(get(c, "/events/groups/999999.ics"), 404);
}

static void series_calendar_lists_the_series_events(void **state)
{
	struct server *s = *state;
	long long sid = sql_int(s, "SELECT id FROM event_series WHERE name = "
				   "'まちづくりHUB Project in 金沢'");
	struct client *c = client_new(s);
	struct resp *r = get(c, hfmt("/events/series/%lld.ics", sid));
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"), "text/calendar; charset=utf-8");
	icalcomponent *cal = parse_ics(BODY(r));
	int n;
	find_vevent(cal, "kyodo-event-", &n);
	assert_int_equal(n, (int)sql_int(s,
					 "SELECT count(*) FROM events WHERE published = 1 AND "
					 "series_id = %lld",
					 sid));
	assert_true(n >= 2);
	icalcomponent_free(cal);
	/* The series page itself is still the page. */
	r = get(c, hfmt("/events/series/%lld", sid));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/html");
	assert_status(get(c, "/events/series/999999.ics"), 404);
}

static const char *const columns[] = {
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
};

static void csv_has_the_dataset_columns_and_values(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *c = client_new(s);
	struct resp *r = get(c, "/opendata/events.csv");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/csv");
	assert_memory_equal(BODY(r), "\xEF\xBB\xBF", 3);
	const char *p = BODY(r) + 3;
	const char *eol = strstr(p, "\r\n");
	assert_non_null(eol);
	/* The header, column by column (no header field needs quoting). */
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
		size_t n = strlen(columns[i]);
		if (strncmp(p, columns[i], n) != 0)
			fail_msg("column %zu: expected %s, found %.40s", i + 1, columns[i], p);
		p += n;
		if (i + 1 < sizeof(columns) / sizeof(columns[0])) {
			assert_int_equal(*p, ',');
			p++;
		}
	}
	assert_ptr_equal(p, eol);
	/* The row of the test event (its fields need no quoting except the title's none). */
	const char *row = strstr(BODY(r), hfmt("\r\n172014,%lld,", event_id));
	assert_non_null(row);
	const char *want =
	    hfmt("172014,%lld,石川県,金沢市,%s,イシガキツアー,,2030-05-10,2030-05-10,"
		 "10:00,12:00,,石垣を歩きます。,500円,,事務局,076-000-0000,,%s,%s,"
		 "石川県金沢市広坂1-1-1,第1会議室,36.561300,136.656200,",
		 event_id, TITLE, GROUP, VENUE);
	assert_contains(row, want);
	assert_not_contains(BODY(r), "t2100 非公開");
	/* Every line ends in CRLF. */
	for (const char *q = BODY(r); (q = strchr(q, '\n')); q++)
		assert_int_equal(q[-1], '\r');
}

static void atom_lists_new_events_escaped(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *c = client_new(s);
	struct resp *r = get(c, "/events.atom");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/atom+xml");
	assert_int_equal(strncmp(BODY(r), "<?xml", 5), 0);
	assert_contains(BODY(r), "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	assert_contains(BODY(r), "<entry>");
	assert_contains(BODY(r), "t2100 石垣&amp;兼六園 &lt;親子&gt; ツアー");
	assert_not_contains(BODY(r), "<親子>");
	assert_int_equal(count_of(BODY(r), "<entry>"), count_of(BODY(r), "</entry>"));
	assert_true(count_of(BODY(r), "<entry>") <= 30);
	assert_contains(BODY(r), "</feed>");
}

/* A small PNG made with libvips (g_free'd by the caller). */
static void *png_bytes(size_t *n)
{
	VipsImage *img = NULL;
	void *p = NULL;
	if (VIPS_INIT("t2100") != 0 || vips_black(&img, 8, 8, "bands", 3, NULL) != 0 ||
	    vips_pngsave_buffer(img, &p, n, NULL) != 0)
		fail_msg("libvips: %s", vips_error_buffer());
	g_object_unref(img);
	return p;
}

/* A multipart report form: text fields (name, value pairs, NULL-ended)
 * and an optional PNG as "graphic". */
static struct resp *post_report(struct client *c, bool with_image, ...)
{
	const char *boundary = "t2100boundaryXYZ";
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n", boundary,
		client_csrf(c));
	va_list ap;
	va_start(ap, with_image);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
			boundary, k, v);
	}
	va_end(ap);
	if (with_image) {
		size_t n;
		void *png = png_bytes(&n);
		fprintf(f,
			"--%s\r\nContent-Disposition: form-data; name=\"graphic\"; "
			"filename=\"g.png\"\r\nContent-Type: image/png\r\n\r\n",
			boundary);
		fwrite(png, 1, n, f);
		fputs("\r\n", f);
		g_free(png);
	}
	fprintf(f, "--%s--\r\n", boundary);
	fclose(f);
	struct resp *r = request_n(c, "POST", hfmt("/events/%lld/report", event_id), NULL, body,
				   len, hfmt("multipart/form-data; boundary=%s", boundary));
	free(body);
	return r;
}

static void report_form_for_the_organiser_only(void **state)
{
	struct server *s = *state;
	add_event(s);
	const char *path = hfmt("/events/%lld/report", event_id);
	struct resp *r = get(client_new(s), path);
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/login");
	struct client *other = client_as(s, add_member_of(s, group_id(s, OTHER)));
	assert_status(get(other, path), 403);
	assert_status(post_form(other, path,
				form_body("_csrf", client_csrf(other), "participants", "3", NULL)),
		      403);
	struct client *org = client_as(s, add_member_of(s, gid));
	r = get(org, path);
	assert_status(r, 200);
	assert_contains(BODY(r), "グラフィック議事録");
	assert_contains(BODY(r), "enctype=\"multipart/form-data\"");
}

/* An event image: uploaded by the organiser with its alt text, shown on
 * the public page and served to residents because the event is published. */
static void event_image_is_uploaded_and_public(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *org = client_as(s, add_member_of(s, gid));
	const char *boundary = "t2100imageXYZ";
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n", boundary,
		client_csrf(org));
	fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n%s\r\n", boundary,
		"石垣の前での集合写真");
	size_t n;
	void *png = png_bytes(&n);
	fprintf(f,
		"--%s\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\n"
		"Content-Type: image/png\r\n\r\n",
		boundary);
	fwrite(png, 1, n, f);
	g_free(png);
	fprintf(f, "\r\n--%s--\r\n", boundary);
	fclose(f);
	struct resp *r = request_n(org, "POST", hfmt("/events/%lld/images", event_id), NULL, body,
				   len, hfmt("multipart/form-data; boundary=%s", boundary));
	free(body);
	assert_status(r, 303);
	long long fid =
	    sql_int(s, "SELECT file_id FROM event_images WHERE event_id = %lld", event_id);
	assert_true(fid > 0);
	struct client *anon = client_new(s);
	r = get(anon, hfmt("/events/%lld", event_id));
	assert_status(r, 200);
	assert_contains(BODY(r), hfmt("/files/%lld", fid));
	assert_contains(BODY(r), "alt=\"石垣の前での集合写真\"");
	r = get(anon, hfmt("/files/%lld", fid));
	assert_status(r, 200);
	assert_string_equal(header_of(r, "Content-Type"), "image/png");
}

static void report_validation_errors(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *org = client_as(s, add_member_of(s, gid));
	struct resp *r = post_report(org, true, "participants", "12", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "画像の内容を文章で入力してください");
	assert_contains(BODY(r), "id=\"f-graphic_summary-error\"");
	r = post_report(org, false, "participants", "-1", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-participants-error\"");
	r = post_report(org, false, "participants", "5", "voice1_speaker", "大学生", "note1_place",
			"材木地区", NULL);
	assert_status(r, 422);
	assert_contains(BODY(r), "参加者の声を入力してください");
	assert_contains(BODY(r), "話し合った内容を入力してください");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM event_reports WHERE event_id = %lld", event_id), 0);
}

static void report_shows_on_the_event_page(void **state)
{
	struct server *s = *state;
	add_event(s);
	struct client *org = client_as(s, add_member_of(s, gid));
	struct resp *r = post_report(
	    org, true, "participants", "30", "minutes", "## 流れ\n\n- 発表", "graphic_summary",
	    SUMMARY, "voice1_quote", "地域を使ってほしい", "voice1_speaker", "地域の方",
	    "note1_place", "木倉町地区", "note1_text", "食のツアーの案", NULL);
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), hfmt("/events/%lld", event_id));
	long long file =
	    sql_int(s, "SELECT graphic_file_id FROM event_reports WHERE event_id = %lld", event_id);
	assert_true(file > 0);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'event' AND "
				 "entity_id = %lld",
				 event_id) > 0,
			 1);
	r = get(client_new(s), hfmt("/events/%lld", event_id));
	assert_status(r, 200);
	assert_contains(BODY(r), "開催報告");
	assert_contains(BODY(r), "参加者数：30名");
	assert_contains(BODY(r), hfmt("<img src=\"/files/%lld\" alt=\"%s\"", file, SUMMARY));
	assert_contains(BODY(r), hfmt("<p>%s</p>", SUMMARY));
	assert_contains(BODY(r), "地域を使ってほしい");
	assert_contains(BODY(r), "木倉町地区");
	assert_contains(BODY(r), "<h2>流れ</h2>");
	/* Saving again keeps the image when no new one is sent. */
	r = post_report(org, false, "participants", "31", "graphic_summary", SUMMARY, NULL);
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT graphic_file_id FROM event_reports WHERE event_id = %lld", event_id),
	    file);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM report_voices WHERE event_id = %lld", event_id), 0);
}

/* The demo's 2nd HUB meeting (2024-10-18 JST) is in the calendar, with its
 * report on its page. */
static void demo_hub_meeting_in_calendar_with_report(void **state)
{
	struct server *s = *state;
	/* Rows written with sql() do not empty the page cache: add ours
	 * before the first feed is fetched (and cached). */
	add_event(s);
	long long hub = sql_int(s, "SELECT e.id FROM events e JOIN event_series x ON x.id = "
				   "e.series_id WHERE x.name = 'まちづくりHUB Project in 金沢' AND "
				   "e.series_no = 2");
	struct client *c = client_new(s);
	struct resp *r = get(c, "/events.ics");
	assert_status(r, 200);
	icalcomponent *cal = parse_ics(BODY(r));
	int n;
	icalcomponent *ev = find_vevent(cal, hfmt("kyodo-event-%lld@", hub), &n);
	assert_non_null(ev);
	struct icaltimetype t = icalcomponent_get_dtstart(ev);
	assert_int_equal(t.year, 2024);
	assert_int_equal(t.month, 10);
	assert_int_equal(t.day, 18);
	icalcomponent_free(cal);
	r = get(c, hfmt("/events/%lld", hub));
	assert_status(r, 200);
	assert_contains(BODY(r), "参加者数：30名");
	assert_contains(BODY(r), "尾張町地区");
	assert_contains(BODY(r), "alt=\"金沢市の地図");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(demo_hub_meeting_in_calendar_with_report),
	    cmocka_unit_test(ics_has_the_event_in_tokyo_time),
	    cmocka_unit_test(group_calendar_lists_its_events_only),
	    cmocka_unit_test(series_calendar_lists_the_series_events),
	    cmocka_unit_test(csv_has_the_dataset_columns_and_values),
	    cmocka_unit_test(atom_lists_new_events_escaped),
	    cmocka_unit_test(report_form_for_the_organiser_only),
	    cmocka_unit_test(event_image_is_uploaded_and_public),
	    cmocka_unit_test(report_validation_errors),
	    cmocka_unit_test(report_shows_on_the_event_page),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
