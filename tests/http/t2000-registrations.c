/*
 * t2000: event registrations without an account — capacity under
 * concurrency (50 sign-ups for the last 10 places), the waiting list and
 * promotion on cancellation, every refusal with its Japanese message, the
 * duplicate e-mail warning, the secret link (unknown → 404, cancelled →
 * 409), and the public API's CSRF exemption being limited to its route;
 * the sign-up form on the event page, the QR code decoded back to the
 * check-in link, check-in by search and by QR code, the participant list
 * (who may see it, every view audited) with its CSV, and cancellations
 * racing each other's promotions.
 */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

/* A published event starting in `days` days with capacity cap (people),
 * max_party mp and the window [opens, closes) (0 = not set). */
static long long add_event(struct server *s, long long cap, long long mp, long long days,
			   long long opens, long long closes)
{
	long long now = (long long)time(NULL), st = now + days * 86400;
	return sql_int(s,
		       "INSERT INTO events (title, type, starts_at, ends_at, capacity, max_party, "
		       "reg_opens_at, reg_closes_at, created_at, updated_at) VALUES "
		       "('申込テスト', '講座', %lld, %lld, %lld, %lld, %s, %s, %lld, %lld) "
		       "RETURNING id",
		       st, st + 7200, cap, mp, opens ? hfmt("%lld", opens) : "NULL",
		       closes ? hfmt("%lld", closes) : "NULL", now, now);
}

static const char *reg_json(const char *email, int adults, int children)
{
	return hfmt("{\"name\":\"金沢 花子\",\"name_kana\":\"かなざわ はなこ\",\"email\":\"%s\","
		    "\"adults\":%d,\"children\":%d}",
		    email, adults, children);
}

static struct resp *api_register(struct client *c, long long ev, const char *body)
{
	return send_json(c, "POST", hfmt("/api/v1/events/%lld/registrations", ev), body, NULL);
}

static const char *token_of(const struct resp *r)
{
	const char *url = json_at(r, "registration.manage_url");
	assert_non_null(url);
	const char *t = strstr(url, "/r/");
	assert_non_null(t);
	return t + 3;
}

struct racer {
	struct client *c;
	long long ev;
	const char *body;
	struct resp *r;
};

static void *race(void *arg)
{
	struct racer *x = arg;
	x->r = api_register(x->c, x->ev, x->body);
	return NULL;
}

static void fifty_signups_for_last_ten_places_confirm_exactly_ten(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 30, 5, 7, 0, 0);
	/* 20 of 30 places taken already. */
	struct client *c0 = client_new(s);
	for (int i = 0; i < 4; i++)
		assert_status(api_register(c0, ev, reg_json(hfmt("pre%d@example.jp", i), 3, 2)),
			      201);
	enum { N = 50 };
	struct racer x[N];
	pthread_t th[N];
	for (int i = 0; i < N; i++)
		x[i] = (struct racer){client_new(s), ev,
				      reg_json(hfmt("race%d@example.jp", i), 1, 0), NULL};
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race, &x[i]), 0);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	int confirmed = 0, waiting = 0;
	for (int i = 0; i < N; i++) {
		assert_status(x[i].r, 201);
		const char *st = json_at(x[i].r, "status");
		confirmed += strcmp(st, "confirmed") == 0;
		waiting += strcmp(st, "waiting") == 0;
	}
	assert_int_equal(confirmed, 10);
	assert_int_equal(waiting, 40);
	assert_int_equal(sql_int(s,
				 "SELECT sum(adults + children) FROM registrations "
				 "WHERE event_id = %lld AND status = 'confirmed'",
				 ev),
			 30);
}

static void cancel_promotes_waiting_in_order_and_notifies(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 2, 5, 7, 0, 0);
	struct client *c = client_new(s);
	struct resp *a = api_register(c, ev, reg_json("a@example.jp", 2, 0));
	assert_string_equal(json_at(a, "status"), "confirmed");
	struct resp *b = api_register(c, ev, reg_json("b@example.jp", 1, 0));
	struct resp *d = api_register(c, ev, reg_json("d@example.jp", 1, 0));
	assert_string_equal(json_at(b, "status"), "waiting");
	assert_string_equal(json_at(d, "status"), "waiting");
	/* The registrant's page, then cancel through it. */
	struct resp *page = get(c, hfmt("/r/%s", token_of(a)));
	assert_status(page, 200);
	assert_contains(BODY(page), "参加確定");
	assert_contains(BODY(page), "alt=\"受付用QRコード");
	const char *csrf = csrf_in(page);
	assert_non_null(csrf);
	assert_status(
	    post_form(c, hfmt("/r/%s/cancel", token_of(a)), form_body("_csrf", csrf, NULL)), 303);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM registrations WHERE event_id = %lld AND "
				 "status = 'confirmed' AND promoted_at IS NOT NULL",
				 ev),
			 2);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM notifications WHERE user_id IS NULL AND "
				    "kind = 'registration_promoted' AND email IN ('b@example.jp', "
				    "'d@example.jp')"),
			 2);
	/* A cancelled link answers 409, a guessed one 404. */
	struct resp *again =
	    post_form(c, hfmt("/r/%s/cancel", token_of(a)), form_body("_csrf", csrf, NULL));
	assert_status(again, 409);
	assert_contains(BODY(again), "この申し込みは取り消し済みです");
	assert_status(get(c, "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404);
	assert_status(get(c, "/r/short"), 404);
}

static void refusals_have_japanese_messages(void **state)
{
	struct server *s = *state;
	long long now = (long long)time(NULL);
	long long ev = add_event(s, 10, 3, 7, 0, 0);
	struct client *c = client_new(s);
	struct resp *r = api_register(
	    c, ev,
	    "{\"name\":\"A\",\"name_kana\":\"Hanako\",\"email\":\"x@example.jp\",\"adults\":1}");
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.name_kana"));
	r = api_register(c, ev,
			 "{\"name\":\"A\",\"name_kana\":\"はな\",\"email\":\"x@example.jp\","
			 "\"adults\":1,\"phone\":\"076-220-abcd\"}");
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.phone"), "電話番号の形式が正しくありません");
	r = api_register(c, ev,
			 "{\"name\":\"A\",\"name_kana\":\"はな\",\"email\":\"x@example.jp\","
			 "\"adults\":1,\"phone\":\"076-220-21\"}");
	assert_status(r, 422);
	assert_status(api_register(c, ev,
				   "{\"name\":\"A\",\"name_kana\":\"はな\",\"email\":\"p@"
				   "example.jp\",\"adults\":1,\"phone\":\"+81 (76) 220-2111\"}"),
		      201);
	r = api_register(c, ev, reg_json("big@example.jp", 2, 2));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "error"), "1回の申し込みは 3 名までです");
	r = api_register(c, ev, reg_json("zero@example.jp", 0, 0));
	assert_status(r, 422);

	long long later = add_event(s, 10, 3, 7, now + 86400, 0);
	r = api_register(c, later, reg_json("early@example.jp", 1, 0));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "error"), "まだ受付を開始していません");
	long long closed = add_event(s, 10, 3, 7, 0, now - 60);
	r = api_register(c, closed, reg_json("late@example.jp", 1, 0));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "error"), "受付は終了しました");
	long long started = add_event(s, 10, 3, 0, 0, 0); /* starts now */
	r = api_register(c, started, reg_json("late@example.jp", 1, 0));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "error"), "受付は終了しました");
	assert_status(api_register(c, 999999, reg_json("x@example.jp", 1, 0)), 404);
}

static void same_email_twice_gives_a_warning_not_a_duplicate(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 10, 3, 7, 0, 0);
	struct client *c = client_new(s);
	assert_status(api_register(c, ev, reg_json("twice@example.jp", 1, 0)), 201);
	struct resp *r = api_register(c, ev, reg_json("TWICE@example.jp", 1, 0));
	assert_status(r, 409);
	assert_string_equal(json_at(r, "error"), "このメールアドレスでは既に申し込まれています");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM registrations WHERE event_id = %lld", ev),
			 1);
	/* The form gets a page with the warning. */
	struct resp *login_page = get(c, "/login");
	const char *csrf = csrf_in(login_page);
	r = post_form(c, hfmt("/events/%lld/register", ev),
		      form_body("_csrf", csrf, "name", "金沢 花子", "name_kana", "かなざわ",
				"email", "twice@example.jp", "adults", "1", NULL));
	assert_status(r, 409);
	assert_contains(BODY(r), "このメールアドレスでは既に申し込まれています");
}

static void form_signup_redirects_to_the_secret_page(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 10, 3, 7, 0, 0);
	struct client *c = client_new(s);
	const char *csrf = csrf_in(get(c, "/login"));
	struct resp *r =
	    post_form(c, hfmt("/events/%lld/register", ev),
		      form_body("_csrf", csrf, "name", "金沢 太郎", "name_kana", "かなざわ たろう",
				"email", "form@example.jp", "adults", "1", "children", "1", NULL));
	assert_status(r, 303);
	const char *loc = header_of(r, "Location");
	assert_non_null(loc);
	assert_contains(loc, "/r/");
	assert_contains(BODY(get(c, loc)), "カナザワ");
	/* The confirmation went to the address, with the link. */
	assert_int_equal(sql_int(s, "SELECT count(*) FROM notifications WHERE user_id IS NULL AND "
				    "email = 'form@example.jp' AND kind = 'registration'"),
			 1);
}

static void csrf_exemption_is_limited_to_the_public_api_route(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 10, 3, 7, 0, 0);
	struct client *c = client_new(s);
	/* The form route still needs the token. */
	assert_status(post_form(c, hfmt("/events/%lld/register", ev),
				form_body("name", "A", "name_kana", "あ", "email", "n@example.jp",
					  "adults", "1", NULL)),
		      403);
	/* Other API writes too. */
	assert_status(send_json(c, "POST", "/api/v1/groups", "{}", NULL), 401);
}

/* A published event of group gid (0: the office) starting in a week. */
static long long add_group_event(struct server *s, long long gid, long long cap)
{
	long long ev = add_event(s, cap, 5, 7, 0, 0);
	if (gid)
		sql(s, "UPDATE events SET group_id = %lld WHERE id = %lld", gid, ev);
	return ev;
}

static long long reg_id_of(struct server *s, const struct resp *r)
{
	(void)s;
	return atoll(json_at(r, "registration.id"));
}

static void event_page_has_the_signup_form(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 1, 3, 7, 0, 0);
	struct client *c = client_new(s);
	struct resp *page = get(c, hfmt("/events/%lld", ev));
	assert_status(page, 200);
	assert_contains(BODY(page), hfmt("action=\"/events/%lld/register\"", ev));
	assert_contains(BODY(page), "name=\"_csrf\"");
	assert_contains(BODY(page), "id=\"f-name_kana\"");
	assert_contains(BODY(page), "autocomplete=\"email\"");
	assert_contains(BODY(page), ">申し込む</button>");
	/* The form on the page posts with its own token. */
	struct resp *r = post_form(c, hfmt("/events/%lld/register", ev),
				   form_body("_csrf", csrf_in(page), "name", "", "name_kana", "あ",
					     "email", "bad", "adults", "1", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "f-name-error");
	assert_status(api_register(c, ev, reg_json("full@example.jp", 1, 0)), 201);
	page = get(c, hfmt("/events/%lld", ev));
	assert_contains(BODY(page), "キャンセル待ちで申し込む");
}

/* Decode the QR code in png with zbarimg; the text, or NULL. */
static const char *zbar(const struct resp *png)
{
	char path[] = "/tmp/kyodo-qr-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, png->body, png->len), (ssize_t)png->len);
	close(fd);
	FILE *p = popen(hfmt("zbarimg --raw -q %s", path), "r");
	assert_non_null(p);
	char line[1024] = "";
	char *got = fgets(line, sizeof(line), p);
	int rc = pclose(p);
	unlink(path);
	if (!got || rc != 0)
		return NULL;
	line[strcspn(line, "\r\n")] = 0;
	return hfmt("%s", line);
}

static void qr_code_decodes_to_the_checkin_url(void **state)
{
	struct server *s = *state;
	long long ev = add_event(s, 10, 3, 7, 0, 0);
	struct client *c = client_new(s);
	struct resp *a = api_register(c, ev, reg_json("qr@example.jp", 1, 0));
	assert_status(a, 201);
	/* manage_url starts with KYODO_BASE_URL; without one the code uses the
	 * request's host. */
	const char *manage = json_at(a, "registration.manage_url");
	const char *base = hfmt("%.*s", (int)(strstr(manage, "/r/") - manage), manage);
	if (!*base)
		base = s->base;
	struct resp *png = get(c, hfmt("/r/%s/qr.png", token_of(a)));
	assert_status(png, 200);
	assert_string_equal(header_of(png, "Content-Type"), "image/png");
	assert_contains(header_of(png, "Cache-Control"), "private");
	assert_memory_equal(png->body, "\x89PNG", 4);
	const char *text = zbar(png);
	assert_non_null(text);
	/* The check-in link names the registration and carries a keyed code,
	 * never the secret token that cancels it. */
	const char *prefix = hfmt("%s/events/%lld/checkin/%lld/", base, ev, reg_id_of(s, a));
	assert_true(strncmp(text, prefix, strlen(prefix)) == 0);
	const char *code = text + strlen(prefix);
	assert_int_equal(strlen(code), 64);
	assert_int_equal(strspn(code, "0123456789abcdef"), 64);
	assert_null(strstr(text, token_of(a)));
	assert_contains(BODY(get(c, hfmt("/r/%s", token_of(a)))),
			"alt=\"受付用QRコード（会場の受付でお見せください）\"");
	assert_status(get(c, "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/qr.png"), 404);
}

static void checkin_from_the_qr_code_marks_attended(void **state)
{
	struct server *s = *state;
	long long gid = sql_int(s, "SELECT id FROM groups ORDER BY id LIMIT 1");
	long long other =
	    sql_int(s, "SELECT id FROM groups WHERE id <> %lld ORDER BY id LIMIT 1", gid);
	long long ev = add_group_event(s, gid, 10);
	struct client *c = client_new(s);
	struct resp *a = api_register(c, ev, reg_json("checkin@example.jp", 2, 1));
	assert_status(a, 201);
	/* The check-in page is the one the QR code opens. */
	const char *qr = zbar(get(c, hfmt("/r/%s/qr.png", token_of(a))));
	assert_non_null(qr);
	const char *url = strstr(qr, "/events/");
	assert_non_null(url);
	/* Visitors go to the login page; members of another group get 403. */
	struct resp *v = get(c, url);
	assert_status(v, 303);
	assert_contains(header_of(v, "Location"), "/login");
	assert_status(get(client_as(s, add_member_of(s, other)), url), 403);

	struct client *org = client_as(s, add_member_of(s, gid));
	struct resp *page = get(org, url);
	assert_status(page, 200);
	assert_contains(BODY(page), "カナザワ");
	assert_contains(BODY(page), "出席にする");
	long long rid = reg_id_of(s, a);
	struct resp *r = post_form(org, hfmt("/events/%lld/checkin/%lld", ev, rid),
				   form_body("_csrf", csrf_in(page), "q", "", NULL));
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(
		s, "SELECT count(*) FROM registrations WHERE id = %lld AND attended_at IS NOT NULL",
		rid),
	    1);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'attend' AND "
				 "entity = 'registration' AND entity_id = %lld",
				 rid),
			 1);
	page = get(org, url);
	assert_contains(BODY(page), "出席済み");
	assert_not_contains(BODY(page), "出席にする</button>");
	/* Another event's check-in does not know this token. */
	long long ev2 = add_group_event(s, gid, 10);
	const char *code = strrchr(url, '/') + 1;
	assert_status(get(org, hfmt("/events/%lld/checkin/%lld/%s", ev2, rid, code)), 404);
	/* A wrong code, or the cancel token in its place, finds nothing. */
	assert_status(get(org, hfmt("/events/%lld/checkin/%lld/%064d", ev, rid, 0)), 404);
	assert_status(get(org, hfmt("/events/%lld/checkin/%lld/%s", ev, rid, token_of(a))), 404);
}

static void checkin_search_finds_by_name_or_reading(void **state)
{
	struct server *s = *state;
	long long ev = add_group_event(s, 0, 10);
	struct client *c = client_new(s);
	struct resp *a = api_register(c, ev, reg_json("search@example.jp", 1, 0));
	struct resp *w = api_register(c, ev,
				      "{\"name\":\"野々市 次郎\",\"name_kana\":\"ののいち "
				      "じろう\",\"email\":\"n@example.jp\","
				      "\"adults\":1}");
	assert_status(w, 201);
	struct client *adm = client_as(s, add_user(s, "admin"));
	struct resp *page = get(adm, hfmt("/events/%lld/checkin?q=%s", ev,
					  "%E3%81%8B%E3%81%AA%E3%81%96%E3%82%8F")); /* かなざわ */
	assert_status(page, 200);
	assert_contains(BODY(page), "金沢 花子");
	assert_not_contains(BODY(page), "野々市");
	page = get(adm, hfmt("/events/%lld/checkin?q=%s", ev, "%E9%87%8E%E3%80%85")); /* 野々 */
	assert_contains(BODY(page), "野々市 次郎");
	assert_not_contains(BODY(page), "金沢 花子");
	assert_status(get(adm, hfmt("/events/%lld/checkin?x=1", ev)), 400);
	struct resp *r = post_form(adm, hfmt("/events/%lld/checkin/%lld", ev, reg_id_of(s, a)),
				   form_body("_csrf", csrf_in(page), "q", "かなざわ", NULL));
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), hfmt("/events/%lld/checkin?q=", ev));
}

static void participant_list_is_for_organisers_and_every_view_is_audited(void **state)
{
	struct server *s = *state;
	long long gid = sql_int(s, "SELECT id FROM groups ORDER BY id LIMIT 1");
	long long other =
	    sql_int(s, "SELECT id FROM groups WHERE id <> %lld ORDER BY id LIMIT 1", gid);
	long long ev = add_group_event(s, gid, 2);
	struct client *c = client_new(s);
	assert_status(api_register(c, ev, reg_json("p1@example.jp", 2, 0)), 201);
	struct resp *w = api_register(c, ev, reg_json("p2@example.jp", 1, 1));
	assert_string_equal(json_at(w, "status"), "waiting");
	const char *path = hfmt("/events/%lld/participants", ev);
	const char *views = hfmt("SELECT count(*) FROM audit_log WHERE action = 'view_personal' "
				 "AND entity = 'event' AND entity_id = %lld",
				 ev);

	struct resp *v = get(c, path);
	assert_status(v, 303);
	assert_contains(header_of(v, "Location"), "/login");
	assert_status(get(client_as(s, add_member_of(s, other)), path), 403);
	assert_status(get(client_as(s, add_member_of(s, other)), hfmt("%s.csv", path)), 403);
	assert_int_equal(sql_int(s, "%s", views), 0);

	struct resp *r = get(client_as(s, add_member_of(s, gid)), path);
	assert_status(r, 200);
	assert_contains(BODY(r), "p1@example.jp");
	assert_contains(BODY(r), "キャンセル待ち");
	assert_int_equal(sql_int(s, "%s", views), 1);
	r = get(client_as(s, add_user(s, "admin")), path);
	assert_status(r, 200);
	assert_int_equal(sql_int(s, "%s", views), 2);
}

static void participant_csv_has_bom_and_header(void **state)
{
	struct server *s = *state;
	long long ev = add_group_event(s, 0, 10);
	struct client *c = client_new(s);
	assert_status(api_register(c, ev,
				   "{\"name\":\"=HYPERLINK(1)\",\"name_kana\":\"あ\",\"email\":"
				   "\"csv@example.jp\",\"adults\":1}"),
		      201);
	struct client *adm = client_as(s, add_user(s, "admin"));
	struct resp *r = get(adm, hfmt("/events/%lld/participants.csv", ev));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/csv");
	assert_memory_equal(r->body, "\xEF\xBB\xBF", 3);
	const char *want = "受付番号,状態,お名前,ふりがな,メールアドレス,電話番号,大人,子ども,人数,"
			   "連絡事項,配慮が必要なこと,申込日時,出席日時\r\n";
	assert_memory_equal(r->body + 3, want, strlen(want));
	assert_contains(r->body, "\"'=HYPERLINK(1)\"");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'view_personal' "
				 "AND entity = 'event' AND entity_id = %lld",
				 ev),
			 1);
	struct resp *x = get(adm, hfmt("/events/%lld/participants.xlsx", ev));
	assert_status(x, 200);
	assert_memory_equal(x->body, "PK", 2);
}

struct canceller {
	struct client *c;
	const char *path, *csrf;
	struct resp *r;
};

static void *cancel_race(void *arg)
{
	struct canceller *x = arg;
	x->r = post_form(x->c, x->path, form_body("_csrf", x->csrf, NULL));
	return NULL;
}

static void cancellations_racing_promotions_keep_counts_right(void **state)
{
	struct server *s = *state;
	enum { CAP = 4, WAIT = 6 };
	long long ev = add_event(s, CAP, 5, 7, 0, 0);
	struct client *c = client_new(s);
	const char *tok[CAP];
	long long waiting[WAIT];
	for (int i = 0; i < CAP; i++) {
		struct resp *r = api_register(c, ev, reg_json(hfmt("c%d@example.jp", i), 1, 0));
		assert_string_equal(json_at(r, "status"), "confirmed");
		tok[i] = token_of(r);
	}
	for (int i = 0; i < WAIT; i++) {
		struct resp *r = api_register(c, ev, reg_json(hfmt("w%d@example.jp", i), 1, 0));
		assert_string_equal(json_at(r, "status"), "waiting");
		waiting[i] = reg_id_of(s, r);
	}
	struct canceller x[CAP];
	pthread_t th[CAP];
	for (int i = 0; i < CAP; i++) {
		struct client *ci = client_new(s);
		x[i] = (struct canceller){ci, hfmt("/r/%s/cancel", tok[i]), client_csrf(ci), NULL};
	}
	for (int i = 0; i < CAP; i++)
		assert_int_equal(pthread_create(&th[i], NULL, cancel_race, &x[i]), 0);
	for (int i = 0; i < CAP; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < CAP; i++)
		assert_status(x[i].r, 303);
	/* Never over capacity, the first four waiting promoted, in order. */
	assert_int_equal(sql_int(s,
				 "SELECT sum(adults + children) FROM registrations "
				 "WHERE event_id = %lld AND status = 'confirmed'",
				 ev),
			 CAP);
	for (int i = 0; i < WAIT; i++)
		assert_string_equal(
		    sql(s, "SELECT status FROM registrations WHERE id = %lld", waiting[i]),
		    i < CAP ? "confirmed" : "waiting");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM registrations WHERE event_id = %lld AND "
				 "status = 'cancelled'",
				 ev),
			 CAP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fifty_signups_for_last_ten_places_confirm_exactly_ten),
	    cmocka_unit_test(cancel_promotes_waiting_in_order_and_notifies),
	    cmocka_unit_test(refusals_have_japanese_messages),
	    cmocka_unit_test(same_email_twice_gives_a_warning_not_a_duplicate),
	    cmocka_unit_test(form_signup_redirects_to_the_secret_page),
	    cmocka_unit_test(csrf_exemption_is_limited_to_the_public_api_route),
	    cmocka_unit_test(event_page_has_the_signup_form),
	    cmocka_unit_test(qr_code_decodes_to_the_checkin_url),
	    cmocka_unit_test(checkin_from_the_qr_code_marks_attended),
	    cmocka_unit_test(checkin_search_finds_by_name_or_reading),
	    cmocka_unit_test(participant_list_is_for_organisers_and_every_view_is_audited),
	    cmocka_unit_test(participant_csv_has_bom_and_header),
	    cmocka_unit_test(cancellations_racing_promotions_keep_counts_right),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
