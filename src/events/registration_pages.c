/*
 * registrations: signing up for an event without an account (the form on
 * the event page, POST /events/{id}/register, and the public API POST
 * /api/v1/events/{id}/registrations), the registrant's secret page
 * /r/{token} with its cancel button and the QR code of the check-in link;
 * for organisers (event_can_manage) the check-in page and the participant
 * list with its CSV and .xlsx exports, every look at them audited.  The
 * rules are domain/registration.c's.
 */
#include "core/who.h"
#include "core/audit.h"
#include "events/handlers.h"
#include "events/event.h"
#include "events/registration.h"
#include "http/req.h"
#include "util/form.h"
#include "view/tmpl.h"
#include "util/csv.h"
#include "web/page.h"
#include "web/web.h"

#include <ctype.h>
#include <sodium.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vips/vips.h>
#include <xlsxwriter.h>

enum reg_field {
	RF_NAME,
	RF_KANA,
	RF_EMAIL,
	RF_PHONE,
	RF_ADULTS,
	RF_CHILDREN,
	RF_NOTES,
	RF_ACCESS,
	RF__MAX
};

/* The party's upper bound here is only a sanity limit; the event's own
 * max_party is checked by the domain inside the transaction. */
static const struct field_spec reg_fields[RF__MAX] = {
    [RF_NAME] = {"name", "お名前", F_LINE, true, 100, 0, 0, NULL},
    [RF_KANA] = {"name_kana", "ふりがな", F_KANA, true, 100, 0, 0, NULL},
    [RF_EMAIL] = {"email", "メールアドレス", F_EMAIL, true, 254, 0, 0, NULL},
    [RF_PHONE] = {"phone", "電話番号", F_LINE, false, 30, 0, 0, NULL},
    [RF_ADULTS] = {"adults", "大人の人数", F_INT, true, 0, 0, 99, NULL},
    [RF_CHILDREN] = {"children", "子どもの人数", F_INT, false, 0, 0, 99, NULL},
    [RF_NOTES] = {"notes", "連絡事項", F_TEXT, false, 1000, 0, 0, NULL},
    [RF_ACCESS] = {"access_needs", "配慮が必要なこと", F_TEXT, false, 1000, 0, 0, NULL},
};

static void send_json(struct req *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	buf_reset(&r->body);
	if (s)
		buf_adds(&r->body, s);
	free(s);
	json_decref(j);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
}

/* Validate the fields of kv into f and r: phone format and a party of at
 * least one are checked here, the rest by form_check(). */
static void reg_from_form(struct req *r, const struct kv *kv, size_t n, struct form *f,
			  struct registration *reg)
{
	form_check(&r->arena, reg_fields, RF__MAX, kv, n, f);
	if (!f->v[RF_PHONE].error && !registration_phone_ok(form_s(f, RF_PHONE)))
		form_error(f, RF_PHONE, REG_PHONE_MESSAGE);
	*reg = (struct registration){
	    .name = form_s(f, RF_NAME),
	    .name_kana = form_s(f, RF_KANA),
	    .email = form_s(f, RF_EMAIL),
	    .phone = form_s(f, RF_PHONE),
	    .adults = f->v[RF_ADULTS].i,
	    .children = f->v[RF_CHILDREN].i,
	    .notes = form_s(f, RF_NOTES),
	    .access_needs = form_s(f, RF_ACCESS),
	};
}

/* The HTTP status of a refusal. */
static int reg_status(enum reg_rc rc)
{
	switch (rc) {
	case REG_NOT_FOUND:
		return 404;
	case REG_DUPLICATE:
	case REG_CANCELLED:
		return 409;
	case REG_ERROR:
		return 503;
	default:
		return 422;
	}
}

static void reg_form_fields(struct req *r, struct tv *holder, const struct form *f,
			    int64_t max_party);

/* The sign-up page with f's values and errors (after a refused POST). */
static void render_form(struct req *r, struct db *db, const struct reg_event *ev,
			const struct form *f, int status, const char *problem)
{
	struct tv *ctx = page_ctx(r, "参加申し込み", NAV_EVENTS);
	tv_set_int(ctx, "event_id", ev->id);
	tv_set_str(ctx, "event_title", ev->title);
	tv_set_str(ctx, "problem", problem);
	reg_form_fields(r, ctx, f, ev->max_party);
	/* The button says what will happen: the same rule as decide_status(). */
	struct reg_counts c;
	if (registration_counts(db, ev->id, &c) == 0)
		tv_set_bool(ctx, "full", c.n_waiting > 0 || c.confirmed >= ev->capacity);
	page_render(r, status, "registrations/form", ctx);
}

void h_event_register(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	struct reg_event ev = {0};
	if (id < 0 || registration_event(db, &r->arena, id, &ev) != REG_OK) {
		web_error(r, 404, "催しが見つかりません。");
		return;
	}
	struct form f;
	struct registration reg;
	reg_from_form(r, r->form, r->nform, &f, &reg);
	if (f.unknown || f.repeated) {
		web_error(r, 400, "送信されたデータの形式が正しくありません。");
		return;
	}
	if (f.nerrors) {
		render_form(r, db, &ev, &f, 422, NULL);
		return;
	}
	reg.event_id = id;
	char *token = NULL;
	enum reg_rc rc = registration_create(db, &r->arena, &reg, time(NULL), &token, &ev);
	if (rc == REG_PARTY)
		form_error(&f, RF_ADULTS, registration_message(&r->arena, rc, ev.max_party));
	if (rc != REG_OK) {
		if (rc == REG_ERROR)
			web_error(r, 503, registration_message(&r->arena, rc, 0));
		else
			render_form(r, db, &ev, &f, reg_status(rc),
				    rc == REG_PARTY ? NULL
						    : registration_message(&r->arena, rc, 0));
		return;
	}
	page_flash(r, strcmp(reg.status, "confirmed") == 0 ? "registered" : "waiting");
	resp_redirect(r, arena_printf(&r->arena, "/r/%s", token));
}

void h_api_event_registrations(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	struct reg_event ev = {0};
	if (id < 0 || registration_event(db, &r->arena, id, &ev) != REG_OK) {
		web_error(r, 404, "催しが見つかりません。");
		return;
	}
	struct form f;
	struct registration reg;
	reg_from_form(r, r->form, r->nform, &f, &reg);
	if (f.nerrors || f.unknown || f.repeated || r->json_type_error) {
		json_t *errors = json_object();
		for (size_t i = 0; i < RF__MAX; i++)
			if (f.v[i].error)
				json_object_set_new(errors, reg_fields[i].name,
						    json_string(f.v[i].error));
		if (f.unknown)
			json_object_set_new(errors, f.unknown, json_string("不明な項目です"));
		if (f.repeated)
			json_object_set_new(errors, f.repeated,
					    json_string("値は1つだけ指定してください"));
		if (r->json_type_error)
			json_object_set_new(errors, r->json_type_error,
					    json_string("値の型が正しくありません"));
		send_json(r, 422, json_pack("{s:o}", "errors", errors));
		return;
	}
	reg.event_id = id;
	char *token = NULL;
	enum reg_rc rc = registration_create(db, &r->arena, &reg, time(NULL), &token, &ev);
	if (rc != REG_OK) {
		send_json(
		    r, reg_status(rc),
		    json_pack("{s:s}", "error", registration_message(&r->arena, rc, ev.max_party)));
		return;
	}
	/* The token appears here once, inside manage_url, and never again. */
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id", (json_int_t)reg.id,
			      "event_id", (json_int_t)id, "name", reg.name, "name_kana",
			      reg.name_kana, "email", reg.email, "adults", (json_int_t)reg.adults,
			      "children", (json_int_t)reg.children, "manage_url",
			      arena_printf(&r->arena, "%s/r/%s", web_base_url(), token));
	send_json(r, 201, json_pack("{s:s, s:o}", "status", reg.status, "registration", j));
}

static const char *status_label(const char *s)
{
	if (strcmp(s, "confirmed") == 0)
		return "参加確定";
	if (strcmp(s, "waiting") == 0)
		return "キャンセル待ち";
	return "取り消し済み";
}

/* Look the token up; 404 for an unknown one. */
static bool load(struct req *r, struct db *db, struct registration *reg)
{
	const char *token = r->params[0];
	enum reg_rc rc = registration_by_token(db, &r->arena, token, reg);
	if (rc != REG_OK) {
		web_error(r, reg_status(rc == REG_NOT_FOUND ? REG_NOT_FOUND : rc),
			  registration_message(&r->arena, rc, 0));
		return false;
	}
	return true;
}

void h_registration(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct registration reg;
	if (!load(r, db, &reg))
		return;
	struct tv *ctx = page_ctx(r, "申し込みの確認", NAV_EVENTS);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_str(ctx, "token", r->params[0]);
	tv_set_int(ctx, "event_id", reg.event_id);
	tv_set_str(ctx, "event_title", reg.event_title);
	tv_set_str(ctx, "event_starts", page_datetime(&r->arena, reg.event_starts_at));
	tv_set_str(ctx, "name", reg.name);
	tv_set_str(ctx, "name_kana", reg.name_kana);
	tv_set_str(ctx, "email", reg.email);
	tv_set_str(ctx, "phone", reg.phone);
	tv_set_int(ctx, "adults", reg.adults);
	tv_set_int(ctx, "children", reg.children);
	tv_set_str(ctx, "notes", reg.notes);
	tv_set_str(ctx, "access_needs", reg.access_needs);
	tv_set_str(ctx, "status_label", status_label(reg.status));
	tv_set_bool(ctx, "confirmed", strcmp(reg.status, "confirmed") == 0);
	tv_set_bool(ctx, "cancelled", strcmp(reg.status, "cancelled") == 0);
	tv_set_bool(ctx, "attended", reg.attended_at != 0);
	page_render(r, 200, "registrations/show", ctx);
}

void h_registration_cancel(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int promoted = 0;
	enum reg_rc rc = registration_cancel(db, &r->arena, r->params[0], time(NULL), &promoted);
	if (rc != REG_OK) {
		web_error(r, reg_status(rc), registration_message(&r->arena, rc, 0));
		return;
	}
	page_flash(r, "registration_cancelled");
	resp_redirect(r, arena_printf(&r->arena, "/r/%s", r->params[0]));
}

/* ---- the sign-up form on the event page ---------------------------------- */

/* The field objects of the sign-up form in holder, with f's values and
 * errors (f may be NULL): input types and autocomplete tokens (JIS X
 * 8341-3 / WCAG 1.3.5) and the party limit as the adults' hint. */
static void reg_form_fields(struct req *r, struct tv *holder, const struct form *f,
			    int64_t max_party)
{
	struct arena *a = &r->arena;
	struct tv *fields = page_form(r, holder, reg_fields, RF__MAX, f, NULL);
	page_field_set(fields, "name", "autocomplete", tv_str(a, "name"));
	page_field_set(fields, "email", "autocomplete", tv_str(a, "email"));
	page_field_set(fields, "phone", "autocomplete", tv_str(a, "tel"));
	page_field_set(fields, "phone", "type", tv_str(a, "tel"));
	page_field_set(fields, "phone", "hint", tv_str(a, "例：076-220-2111（任意）"));
	page_field_set(fields, "adults", "type", tv_str(a, "number"));
	page_field_set(fields, "children", "type", tv_str(a, "number"));
	if (max_party > 0)
		page_field_set(fields, "adults", "hint",
			       tv_str(a, arena_printf(a,
						      "1回の申し込みは大人と子どもを合わせて %lld "
						      "名までです。",
						      (long long)max_party)));
	tv_set_str(holder, "csrf", req_csrf(r));
}

void web_registration_form(struct req *r, struct tv *ctx, int64_t event_id, int64_t max_party)
{
	struct tv *reg = tv_obj(&r->arena);
	tv_set_int(reg, "event_id", event_id);
	reg_form_fields(r, reg, NULL, max_party);
	tv_set(ctx, "reg", reg);
}

/* ---- the QR code of the check-in link ------------------------------------ */

#define QR_MODULE_PX 8 /* pixels per module */
#define QR_QUIET     4 /* modules of white around the code (ISO/IEC 18004) */
#define QR_HOST_MAX  255

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ok;

static void vips_start(void)
{
	if (VIPS_INIT("kyodo") != 0) {
		fprintf(stderr, "kyodo: libvips: %s\n", vips_error_buffer());
		vips_error_clear();
		return;
	}
	vips_ok = true;
}

/* A Host header fit to print into a URL: letters, digits, '.', '-', ':'
 * and the brackets of an IPv6 literal, at most QR_HOST_MAX bytes. */
static bool host_ok(const char *h)
{
	if (!h || !*h || strlen(h) > QR_HOST_MAX)
		return false;
	for (const char *p = h; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
			return false;
	return true;
}

/* The check-in URL of a registration, absolute: KYODO_BASE_URL, or the
 * request's own host when that is unset (a phone's camera needs a whole
 * URL).  NULL when neither is usable. */
static const char *checkin_url(struct req *r, const struct registration *reg)
{
	const char *base = web_base_url();
	if (!*base) {
		const char *host = req_header(r, "Host");
		if (!host_ok(host))
			return NULL;
		base = arena_printf(&r->arena, "http://%s", host);
	}
	return arena_printf(&r->arena, "%s/events/%lld/checkin/%lld/%s", base,
			    (long long)reg->event_id, (long long)reg->id,
			    registration_checkin_code(&r->arena, reg));
}

/* Encode text as a QR code (level M) and append it to out as a PNG: one
 * 8-bit band, black 0 on white 255.  0 or -1. */
static int qr_png(const char *text, struct buf *out)
{
	pthread_once(&vips_once, vips_start);
	if (!vips_ok)
		return -1;
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -1;
	int rc = -1;
	/* Version 40 is 177 modules: at most 185 * 8 = 1480 px a side. */
	size_t side = ((size_t)qr->width + 2 * QR_QUIET) * QR_MODULE_PX;
	unsigned char *px = malloc(side * side);
	VipsImage *img = NULL;
	void *png = NULL;
	size_t npng = 0;
	if (!px)
		goto cleanup;
	memset(px, 255, side * side);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++) {
			if (!(qr->data[y * qr->width + x] & 1))
				continue;
			for (int dy = 0; dy < QR_MODULE_PX; dy++) {
				size_t row = (size_t)(y + QR_QUIET) * QR_MODULE_PX + (size_t)dy;
				memset(px + row * side + (size_t)(x + QR_QUIET) * QR_MODULE_PX, 0,
				       QR_MODULE_PX);
			}
		}
	img = vips_image_new_from_memory_copy(px, side * side, (int)side, (int)side, 1,
					      VIPS_FORMAT_UCHAR);
	if (!img || vips_pngsave_buffer(img, &png, &npng, NULL) != 0) {
		fprintf(stderr, "kyodo: qr: %s\n", vips_error_buffer());
		vips_error_clear();
		goto cleanup;
	}
	buf_add(out, png, npng);
	rc = 0;
cleanup:
	g_free(png);
	if (img)
		g_object_unref(img);
	free(px);
	QRcode_free(qr);
	return rc;
}

void h_registration_qr(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct registration reg;
	if (!load(r, db, &reg))
		return;
	const char *url = checkin_url(r, &reg);
	buf_reset(&r->body);
	if (!url || qr_png(url, &r->body) != 0) {
		buf_reset(&r->body);
		web_error(r, 503, "QRコードを作れませんでした。しばらくしてからお試しください。");
		return;
	}
	r->status = 200;
	r->content_type = "image/png";
	/* The picture holds the secret link: the registrant's browser may
	 * keep it, shared caches may not. */
	resp_header(r, "Cache-Control", "private, max-age=86400");
}

/* ---- organisers: check-in and the participant list ----------------------- */

static const char forbidden[] = "この催しの参加者を見る権限がありません。";

/* Load event params[0] into *e when the user may manage it; otherwise
 * answer 404 or 403 and return false. */
static bool load_managed(struct req *r, struct db *db, struct event *e)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || event_get(db, &r->arena, id, e) != EVENT_OK) {
		web_error(r, 404, "催しが見つかりません。");
		return false;
	}
	if (!event_can_manage(db, r->user, e)) {
		web_error(r, 403, forbidden);
		return false;
	}
	return true;
}

/* Record that the user looked at registrants' personal data of e. */
static bool audit_view(struct req *r, struct db *db, const struct event *e, const char *what)
{
	if (audit(db, r->user->id, "view_personal", "event", e->id, what) != DB_OK) {
		web_error(
		    r, 503,
		    "記録できなかったため表示を中止しました。しばらくしてからお試しください。");
		return false;
	}
	return true;
}

static const char *when(struct arena *a, int64_t t)
{
	return t ? page_datetime(a, t) : "";
}

/* A registration as a template object. */
static struct tv *reg_obj(struct arena *a, const struct registration *g)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", g->id);
	tv_set_str(o, "name", g->name);
	tv_set_str(o, "name_kana", g->name_kana);
	tv_set_str(o, "email", g->email);
	tv_set_str(o, "phone", g->phone);
	tv_set_int(o, "adults", g->adults);
	tv_set_int(o, "children", g->children);
	tv_set_int(o, "party", g->adults + g->children);
	tv_set_str(o, "notes", g->notes);
	tv_set_str(o, "access_needs", g->access_needs);
	tv_set_str(o, "status_label", status_label(g->status));
	tv_set_bool(o, "confirmed", strcmp(g->status, "confirmed") == 0);
	tv_set_bool(o, "anonymised", g->anonymised_at != 0);
	tv_set_str(o, "created", when(a, g->created_at));
	tv_set_str(o, "attended_at", g->attended_at ? when(a, g->attended_at) : NULL);
	return o;
}

enum ck_field { CK_Q, CK__MAX };
static const struct field_spec checkin_fields[CK__MAX] = {
    [CK_Q] = {"q", "お名前またはふりがな", F_LINE, false, 100, 0, 0, NULL},
};

/* The check-in page: the search box and, for the term q, its matches. */
static void render_checkin(struct req *r, struct db *db, const struct event *e,
			   const struct form *f, struct registration *list, size_t n, bool searched)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, arena_printf(a, "受付：%s", e->title), NAV_EVENTS);
	tv_set_int(ctx, "event_id", e->id);
	tv_set_str(ctx, "event_title", e->title);
	tv_set_str(ctx, "csrf", req_csrf(r));
	page_form(r, ctx, checkin_fields, CK__MAX, f, NULL);
	tv_set_str(ctx, "q", f ? form_s(f, CK_Q) : "");
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(items, reg_obj(a, &list[i]));
	tv_set(ctx, "items", items);
	tv_set_bool(ctx, "searched", searched);
	tv_set_int(ctx, "count", (int64_t)n);
	struct reg_counts c;
	if (registration_counts(db, e->id, &c) == 0) {
		tv_set_int(ctx, "people_attended", c.attended);
		tv_set_int(ctx, "people_confirmed", c.confirmed);
	}
	page_render(r, 200, "registrations/checkin", ctx);
}

void h_event_checkin(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_managed(r, db, &e))
		return;
	struct form f;
	form_check(&r->arena, checkin_fields, CK__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, "検索条件の形式が正しくありません。");
		return;
	}
	const char *q = form_s(&f, CK_Q);
	struct registration *list = NULL;
	size_t n = 0;
	if (!f.nerrors && *q) {
		if (registration_list(db, &r->arena, e.id, q, &list, &n) != 0) {
			web_error(r, 503, "読み込めませんでした。しばらくしてからお試しください。");
			return;
		}
		if (!audit_view(r, db, &e, "受付で検索"))
			return;
	}
	render_checkin(r, db, &e, &f, list, n, *q != 0);
}

void h_event_checkin_token(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_managed(r, db, &e))
		return;
	struct registration reg;
	int64_t rid = req_param_id(r, 1);
	const char *code = r->params[2];
	enum reg_rc rc =
	    rid < 0 ? REG_NOT_FOUND : registration_by_id(db, &r->arena, e.id, rid, &reg);
	if (rc == REG_OK) {
		const char *want = registration_checkin_code(&r->arena, &reg);
		if (strlen(code) != strlen(want) || sodium_memcmp(code, want, strlen(want)) != 0)
			rc = REG_NOT_FOUND;
	}
	if (rc != REG_OK) {
		web_error(r, reg_status(rc), registration_message(&r->arena, rc, 0));
		return;
	}
	if (!audit_view(r, db, &e, "受付でQRコードを読み取り"))
		return;
	render_checkin(r, db, &e, NULL, &reg, 1, true);
}

enum mark_field { MK_Q, MK__MAX };
static const struct field_spec mark_fields[MK__MAX] = {
    [MK_Q] = {"q", "お名前またはふりがな", F_LINE, false, 100, 0, 0, NULL},
};

void h_event_checkin_mark(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_managed(r, db, &e))
		return;
	struct form f;
	form_check(&r->arena, mark_fields, MK__MAX, r->form, r->nform, &f);
	int64_t rid = req_param_id(r, 1);
	if (f.unknown || f.repeated || f.nerrors || rid < 0) {
		web_error(r, 400, "送信されたデータの形式が正しくありません。");
		return;
	}
	struct registration reg;
	enum reg_rc rc = registration_by_id(db, &r->arena, e.id, rid, &reg);
	if (rc == REG_OK)
		rc = registration_attend(db, &r->arena, e.id, rid, time(NULL), r->user->id);
	if (rc != REG_OK && rc != REG_ATTENDED) {
		web_error(r, rc == REG_NOT_CONFIRMED ? 409 : reg_status(rc),
			  registration_message(&r->arena, rc, 0));
		return;
	}
	page_flash(r, rc == REG_ATTENDED ? "already_attended" : "attended");
	struct buf b = BUF_INIT;
	buf_printf(&b, "/events/%lld/checkin", (long long)e.id);
	const char *q = form_s(&f, MK_Q);
	if (*q) {
		buf_adds(&b, "?q=");
		buf_add_urlenc(&b, q, strlen(q));
	}
	resp_redirect(r, arena_strdup(&r->arena, b.p));
	buf_release(&b);
}

/* The participant list of e: counts, and every registration. */
void h_event_participants(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_managed(r, db, &e))
		return;
	struct arena *a = &r->arena;
	struct registration *list;
	size_t n;
	struct reg_counts c;
	if (registration_list(db, a, e.id, NULL, &list, &n) != 0 ||
	    registration_counts(db, e.id, &c) != 0) {
		web_error(r, 503, "読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	if (!audit_view(r, db, &e, "参加者一覧"))
		return;
	struct tv *ctx = page_ctx(r, arena_printf(a, "参加者一覧：%s", e.title), NAV_EVENTS);
	tv_set_int(ctx, "event_id", e.id);
	tv_set_str(ctx, "event_title", e.title);
	tv_set_int(ctx, "capacity", e.capacity);
	struct tv *counts = tv_obj(a);
	tv_set_int(counts, "confirmed", c.confirmed);
	tv_set_int(counts, "waiting", c.waiting);
	tv_set_int(counts, "cancelled", c.cancelled);
	tv_set_int(counts, "attended", c.attended);
	tv_set_int(counts, "n_confirmed", c.n_confirmed);
	tv_set_int(counts, "n_waiting", c.n_waiting);
	tv_set_int(counts, "n_cancelled", c.n_cancelled);
	tv_set_int(counts, "n_attended", c.n_attended);
	tv_set(ctx, "counts", counts);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(items, reg_obj(a, &list[i]));
	tv_set(ctx, "items", items);
	tv_set_bool(ctx, "truncated", n == REG_LIST_MAX);
	page_render(r, 200, "registrations/participants", ctx);
}

/* ---- exports ---- */

static const char *const export_headers[] = {
    "受付番号", "状態", "お名前",   "ふりがな",		"メールアドレス", "電話番号", "大人",
    "子ども",	"人数", "連絡事項", "配慮が必要なこと", "申込日時",	  "出席日時",
};
#define NEXPORT (sizeof(export_headers) / sizeof(export_headers[0]))

/* The cells of g in the order of export_headers; numbers in num[]
 * (num_set[i] true) and text in txt[]. */
static void export_cells(struct arena *a, const struct registration *g, const char **txt,
			 int64_t *num, bool *is_num)
{
	const char *t[NEXPORT] = {NULL,
				  status_label(g->status),
				  g->name,
				  g->name_kana,
				  g->email,
				  g->phone,
				  NULL,
				  NULL,
				  NULL,
				  g->notes,
				  g->access_needs,
				  when(a, g->created_at),
				  when(a, g->attended_at)};
	int64_t v[NEXPORT] = {
	    [0] = g->id, [6] = g->adults, [7] = g->children, [8] = g->adults + g->children};
	for (size_t i = 0; i < NEXPORT; i++) {
		is_num[i] = t[i] == NULL;
		txt[i] = t[i];
		num[i] = v[i];
	}
}

/* Load, check and audit for an export; false when answered already. */
static bool export_load(struct req *r, struct db *db, struct event *e, struct registration **list,
			size_t *n, const char *what)
{
	if (!load_managed(r, db, e))
		return false;
	if (registration_list(db, &r->arena, e->id, NULL, list, n) != 0) {
		web_error(r, 503, "出力できませんでした。しばらくしてからお試しください。");
		return false;
	}
	return audit_view(r, db, e, what);
}

void h_event_participants_csv(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	struct registration *list;
	size_t n;
	if (!db || !export_load(r, db, &e, &list, &n, "参加者一覧CSV出力"))
		return;
	struct arena *a = &r->arena;
	buf_reset(&r->body);
	buf_adds(&r->body, "\xEF\xBB\xBF"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t i = 0; i < NEXPORT; i++) {
		if (i)
			buf_addc(&r->body, ',');
		csv_field(&r->body, export_headers[i], true);
	}
	buf_adds(&r->body, "\r\n");
	const char *txt[NEXPORT];
	int64_t num[NEXPORT];
	bool is_num[NEXPORT];
	for (size_t k = 0; k < n; k++) {
		export_cells(a, &list[k], txt, num, is_num);
		for (size_t i = 0; i < NEXPORT; i++) {
			if (i)
				buf_addc(&r->body, ',');
			if (is_num[i])
				buf_printf(&r->body, "%lld", (long long)num[i]);
			else
				csv_field(&r->body, txt[i], true);
		}
		buf_adds(&r->body, "\r\n");
	}
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    page_attachment(a, arena_printf(a, "participants-%lld.csv", (long long)e.id),
				    arena_printf(a, "参加者一覧_%lld.csv", (long long)e.id)));
}

/* Write the participant workbook to path.  0 or -1. */
static int write_xlsx(struct arena *a, const char *path, const struct registration *list, size_t n)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return -1;
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xE8EEF7);
	format_set_border(head, LXW_BORDER_THIN);
	lxw_format *text = workbook_add_format(wb);
	format_set_text_wrap(text);
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "参加者一覧");
	if (!ws) {
		workbook_close(wb);
		return -1;
	}
	for (size_t i = 0; i < NEXPORT; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, export_headers[i], head);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 2, 5, 18, NULL);
	worksheet_set_column(ws, 9, 12, 24, NULL);
	const char *txt[NEXPORT];
	int64_t num[NEXPORT];
	bool is_num[NEXPORT];
	for (size_t k = 0; k < n; k++) {
		export_cells(a, &list[k], txt, num, is_num);
		lxw_row_t row = (lxw_row_t)(k + 1);
		/* worksheet_write_string stores text as text: no formula runs. */
		for (size_t i = 0; i < NEXPORT; i++)
			if (is_num[i])
				worksheet_write_number(ws, row, (lxw_col_t)i, (double)num[i], NULL);
			else
				worksheet_write_string(ws, row, (lxw_col_t)i, txt[i], text);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* Read the whole file at path into out.  0 or -1. */
static int slurp(const char *path, struct buf *out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	char chunk[16384];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, k);
	int rc = ferror(fp) ? -1 : 0;
	fclose(fp);
	return rc;
}

void h_event_participants_xlsx(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	struct registration *list;
	size_t n;
	if (!db || !export_load(r, db, &e, &list, &n, "参加者一覧Excel出力"))
		return;
	struct arena *a = &r->arena;
	/* libxlsxwriter writes to a file: a private temporary one (mkstemp
	 * makes it 0600), read back into the response and removed. */
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(a, "%s/kyodo-participants-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "kyodo: participants export: mkstemp: %s\n", strerror(errno));
		web_error(r, 503, "出力できませんでした。しばらくしてからお試しください。");
		return;
	}
	close(fd);
	buf_reset(&r->body);
	int rc = write_xlsx(a, path, list, n);
	if (rc == 0)
		rc = slurp(path, &r->body);
	unlink(path);
	if (rc != 0) {
		buf_reset(&r->body);
		web_error(r, 503, "出力できませんでした。しばらくしてからお試しください。");
		return;
	}
	r->status = 200;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(r, "Content-Disposition",
		    page_attachment(a, arena_printf(a, "participants-%lld.xlsx", (long long)e.id),
				    arena_printf(a, "参加者一覧_%lld.xlsx", (long long)e.id)));
}
