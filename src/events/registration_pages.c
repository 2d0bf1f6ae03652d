/*
 * registrations: signing up for an event without an account (the form on
 * the event page, POST /events/{id}/register, and the public API POST
 * /api/v1/events/{id}/registrations), the registrant's secret page
 * /r/{token} with its cancel button and the QR code of the check-in link;
 * for organisers (events_load_managed) the check-in page and the
 * participant list with its CSV and .xlsx exports, every look at them
 * audited.  The rules are events/registration.c's; the words are the
 * catalogue's reg.*, checkin.* and participants.* keys.
 */
#include "core/audit.h"
#include "core/rc.h"
#include "core/who.h"
#include "events/event.h"
#include "events/handlers.h"
#include "events/registration.h"
#include "events/registration_pages.h"
#include "files/files.h"
#include "http/req.h"
#include "util/csv.h"
#include "util/form.h"
#include "util/msg.h"
#include "view/tmpl.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <ctype.h>
#include <jansson.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
    [RF_NAME] = {"name", "reg.field.name", F_LINE, true, 100, 0, 0, NULL},
    [RF_KANA] = {"name_kana", "reg.field.name_kana", F_KANA, true, 100, 0, 0, NULL},
    [RF_EMAIL] = {"email", "reg.field.email", F_EMAIL, true, 254, 0, 0, NULL},
    [RF_PHONE] = {"phone", "reg.field.phone", F_LINE, false, 30, 0, 0, NULL},
    [RF_ADULTS] = {"adults", "reg.field.adults", F_INT, true, 0, 0, 99, NULL},
    [RF_CHILDREN] = {"children", "reg.field.children", F_INT, false, 0, 0, 99, NULL},
    [RF_NOTES] = {"notes", "reg.field.notes", F_TEXT, false, 1000, 0, 0, NULL},
    [RF_ACCESS] = {"access_needs", "reg.field.access_needs", F_TEXT, false, 1000, 0, 0, NULL},
};

/* Validate the fields of kv into f and r: phone format and a party of at
 * least one are checked here, the rest by form_check(). */
static void reg_from_form(struct req *r, const struct kv *kv, size_t n, struct form *f,
			  struct registration *reg)
{
	form_check(&r->arena, reg_fields, RF__MAX, kv, n, f);
	if (!f->v[RF_PHONE].error && !registration_phone_ok(form_s(f, RF_PHONE)))
		form_error(f, RF_PHONE, REG_PHONE_KEY);
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

/* The HTTP status of a refusal: rc_status(), except that a sign-up outside
 * the window answers 422, as the public API always has. */
static int reg_status(enum rc rc)
{
	return rc == RC_CLOSED ? 422 : rc_status(rc);
}

/* The words of a refusal: its reason why (registration.h), or for a
 * lookup that gives none, "not found" or "try again".  {1} of the text is
 * max_party (reg.err.party uses it). */
static const char *reg_words(struct req *r, enum rc rc, const char *why, int64_t max_party)
{
	if (!why)
		why = rc == RC_NOT_FOUND ? "reg.err.not_found" : "reg.err.failed";
	return msgf(&r->arena, why, arena_printf(&r->arena, "%lld", (long long)max_party));
}

/* Answer a refusal as an error page (or JSON for the API). */
static void reg_refuse(struct req *r, enum rc rc, const char *why)
{
	web_error(r, reg_status(rc), reg_words(r, rc, why, 0));
}

static void reg_form_fields(struct req *r, struct tv *holder, const struct form *f,
			    int64_t max_party);

/* The sign-up page with f's values and errors (after a refused POST). */
static void render_form(struct req *r, struct db *db, const struct reg_event *ev,
			const struct form *f, int status, const char *problem)
{
	struct tv *ctx = page_ctx(r, msg("reg.title.signup"), NAV_EVENTS);
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

/* One sign-up, from the form or the API: the same steps, answered in
 * HTML or JSON. */
struct signup {
	struct db *db;
	struct reg_event ev; /* the event's facts (max_party for the words) */
	struct form f;
	struct registration reg;
	char *token;	 /* the secret, after signup_create() */
	const char *why; /* the reason of a refusal */
};

/* The event of route parameter 0 into s->ev and the posted fields into
 * s->f and s->reg.  False when answered already (404 for an event that
 * takes none, 503). */
static bool signup_start(struct req *r, struct signup *s)
{
	*s = (struct signup){.db = page_db(r)};
	if (!s->db)
		return false;
	int64_t id = req_param_id(r, 0);
	enum rc rc = id < 0 ? RC_NOT_FOUND : registration_event(s->db, &r->arena, id, &s->ev);
	if (rc != RC_OK) {
		web_error(r, rc_status(rc),
			  msg(rc == RC_ERROR ? "reg.err.failed" : "reg.err.no_event"));
		return false;
	}
	reg_from_form(r, r->form, r->nform, &s->f, &s->reg);
	s->reg.event_id = id;
	return true;
}

/* Store the validated sign-up s (registration_create). */
static enum rc signup_create(struct req *r, struct signup *s)
{
	return registration_create(s->db, &r->arena, &s->reg, time(NULL), &s->token, &s->ev,
				   &s->why);
}

void h_event_register(struct req *r)
{
	struct signup s;
	if (!signup_start(r, &s))
		return;
	if (s.f.unknown || s.f.repeated) {
		web_error(r, 400, msg("reg.err.bad_form"));
		return;
	}
	if (s.f.nerrors) {
		render_form(r, s.db, &s.ev, &s.f, 422, NULL);
		return;
	}
	enum rc rc = signup_create(r, &s);
	const char *words = reg_words(r, rc, s.why, s.ev.max_party);
	if (rc == RC_ERROR) {
		web_error(r, reg_status(rc), words);
		return;
	}
	if (rc == RC_INVALID) {
		/* The party size: said next to the adults' field. */
		form_error(&s.f, RF_ADULTS, words);
		render_form(r, s.db, &s.ev, &s.f, reg_status(rc), NULL);
		return;
	}
	if (rc != RC_OK) {
		render_form(r, s.db, &s.ev, &s.f, reg_status(rc), words);
		return;
	}
	page_flash(r, strcmp(s.reg.status, "confirmed") == 0 ? "registered" : "waiting");
	resp_redirect(r, arena_printf(&r->arena, "/r/%s", s.token));
}

void h_api_event_registrations(struct req *r)
{
	struct signup s;
	if (!signup_start(r, &s))
		return;
	const struct form *f = &s.f;
	if (f->nerrors || f->unknown || f->repeated || r->json_type_error) {
		json_t *errors = json_object();
		for (size_t i = 0; i < RF__MAX; i++)
			if (f->v[i].error)
				json_object_set_new(errors, reg_fields[i].name,
						    json_string(f->v[i].error));
		if (f->unknown)
			json_object_set_new(errors, f->unknown,
					    json_string(msg("reg.api.unknown_field")));
		if (f->repeated)
			json_object_set_new(errors, f->repeated,
					    json_string(msg("reg.api.repeated_field")));
		if (r->json_type_error)
			json_object_set_new(errors, r->json_type_error,
					    json_string(msg("reg.api.type")));
		respond_json(r, 422, json_pack("{s:o}", "errors", errors));
		return;
	}
	enum rc rc = signup_create(r, &s);
	if (rc != RC_OK) {
		respond_json(r, reg_status(rc),
			     json_pack("{s:s}", "error", reg_words(r, rc, s.why, s.ev.max_party)));
		return;
	}
	/* The token appears here once, inside manage_url, and never again. */
	const struct registration *g = &s.reg;
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id", (json_int_t)g->id,
			      "event_id", (json_int_t)g->event_id, "name", g->name, "name_kana",
			      g->name_kana, "email", g->email, "adults", (json_int_t)g->adults,
			      "children", (json_int_t)g->children, "manage_url",
			      arena_printf(&r->arena, "%s/r/%s", web_base_url(), s.token));
	respond_json(r, 201, json_pack("{s:s, s:o}", "status", g->status, "registration", j));
}

/* The words for a stored status ("confirmed", "waiting", "cancelled"). */
static const char *status_label(const char *s)
{
	if (strcmp(s, "confirmed") == 0)
		return msg("reg.status.confirmed");
	if (strcmp(s, "waiting") == 0)
		return msg("reg.status.waiting");
	return msg("reg.status.cancelled");
}

/* The party of g in words (reg.party_line: adults and children). */
static const char *party_line(struct arena *a, const struct registration *g)
{
	return msgf(a, "reg.party_line", arena_printf(a, "%lld", (long long)g->adults),
		    arena_printf(a, "%lld", (long long)g->children));
}

/* The registration of the token in route parameter 0, and the database;
 * NULL when answered already (404 for an unknown token, 503). */
static struct db *load(struct req *r, struct registration *reg)
{
	struct db *db = page_db(r);
	if (!db)
		return NULL;
	enum rc rc = registration_by_token(db, &r->arena, r->params[0], reg);
	if (rc != RC_OK) {
		reg_refuse(r, rc, NULL);
		return NULL;
	}
	return db;
}

void h_registration(struct req *r)
{
	struct registration reg;
	if (!load(r, &reg))
		return;
	struct tv *ctx = page_ctx(r, msg("reg.title.show"), NAV_EVENTS);
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
	tv_set_str(ctx, "party_line", party_line(&r->arena, &reg));
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
	const char *why = NULL;
	enum rc rc = registration_cancel(db, &r->arena, r->params[0], time(NULL), NULL, &why);
	if (rc != RC_OK) {
		reg_refuse(r, rc, why);
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
	page_field_set(fields, "phone", "hint", tv_str(a, msg("reg.hint.phone")));
	page_field_set(fields, "adults", "type", tv_str(a, "number"));
	page_field_set(fields, "children", "type", tv_str(a, "number"));
	if (max_party > 0)
		page_field_set(fields, "adults", "hint",
			       tv_str(a, msgf(a, "reg.hint.party",
					      arena_printf(a, "%lld", (long long)max_party))));
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
	if (files_image_init() != 0) /* libvips, started once for every image */
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
	struct registration reg;
	if (!load(r, &reg))
		return;
	const char *url = checkin_url(r, &reg);
	buf_reset(&r->body);
	if (!url || qr_png(url, &r->body) != 0) {
		buf_reset(&r->body);
		web_error(r, 503, msg("reg.err.qr"));
		return;
	}
	r->status = 200;
	r->content_type = "image/png";
	/* The picture holds the secret link: the registrant's browser may
	 * keep it, shared caches may not. */
	resp_header(r, "Cache-Control", "private, max-age=86400");
}

/* ---- organisers: check-in and the participant list ----------------------- */

bool events_load_managed(struct req *r, struct db *db, struct event *e, const char *no_event,
			 const char *forbidden)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || event_get(db, &r->arena, id, e) != RC_OK) {
		web_error(r, 404, msg(no_event));
		return false;
	}
	if (!event_may(db, r->user, e, ACCESS_MANAGE)) {
		web_error(r, 403, msg(forbidden));
		return false;
	}
	return true;
}

/* Load event params[0] into *e when the user may see its participants;
 * otherwise answer 404 or 403 and return false. */
static bool load_managed(struct req *r, struct db *db, struct event *e)
{
	return events_load_managed(r, db, e, "reg.err.no_event", "participants.err.forbidden");
}

/*
 * Record that the user looked at registrants' personal data of e (what_key:
 * what was seen).  The one policy for such records: when it cannot be
 * written, the data is not shown (503) and false is returned.
 */
static bool audit_view(struct req *r, struct db *db, const struct event *e, const char *what_key)
{
	if (audit(db, r->user->id, "view_personal", "event", e->id, msg(what_key)) != DB_OK) {
		web_error(r, 503, msg("participants.err.audit"));
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
	tv_set_str(o, "party_line", party_line(a, g));
	tv_set_str(o, "notes", g->notes);
	tv_set_str(o, "access_needs", g->access_needs);
	tv_set_str(o, "status_label", status_label(g->status));
	tv_set_bool(o, "confirmed", strcmp(g->status, "confirmed") == 0);
	tv_set_bool(o, "anonymised", g->anonymised_at != 0);
	tv_set_str(o, "created", when(a, g->created_at));
	tv_set_str(o, "attended_at", g->attended_at ? when(a, g->attended_at) : NULL);
	if (g->attended_at)
		tv_set_str(o, "attended_line",
			   msgf(a, "checkin.attended_line", when(a, g->attended_at)));
	return o;
}

/* The check-in search (GET) and the term it is kept under when marking
 * someone (POST). */
enum ck_field { CK_Q, CK__MAX };
static const struct field_spec checkin_fields[CK__MAX] = {
    [CK_Q] = {"q", "checkin.field.q", F_LINE, false, 100, 0, 0, NULL},
};

/* The check-in page: the search box and, for the term q, its matches. */
static void render_checkin(struct req *r, struct db *db, const struct event *e,
			   const struct form *f, struct registration *list, size_t n, bool searched)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msgf(a, "checkin.title", e->title), NAV_EVENTS);
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
	tv_set_str(ctx, "found_line", msgf(a, "checkin.found_line", arena_printf(a, "%zu", n)));
	struct reg_counts c;
	if (registration_counts(db, e->id, &c) == 0)
		tv_set_str(ctx, "people_line",
			   msgf(a, "checkin.people_line",
				arena_printf(a, "%lld", (long long)c.attended),
				arena_printf(a, "%lld", (long long)c.confirmed)));
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
		web_error(r, 400, msg("checkin.err.bad_query"));
		return;
	}
	const char *q = form_s(&f, CK_Q);
	struct registration *list = NULL;
	size_t n = 0;
	if (!f.nerrors && *q) {
		if (registration_list(db, &r->arena, e.id, q, &list, &n) != 0) {
			web_error(r, 503, msg("participants.err.read"));
			return;
		}
		if (!audit_view(r, db, &e, "checkin.audit.search"))
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
	enum rc rc = rid < 0 ? RC_NOT_FOUND : registration_by_id(db, &r->arena, e.id, rid, &reg);
	if (rc == RC_OK) {
		const char *want = registration_checkin_code(&r->arena, &reg);
		if (strlen(code) != strlen(want) || sodium_memcmp(code, want, strlen(want)) != 0)
			rc = RC_NOT_FOUND;
	}
	if (rc != RC_OK) {
		reg_refuse(r, rc, NULL);
		return;
	}
	if (!audit_view(r, db, &e, "checkin.audit.qr"))
		return;
	render_checkin(r, db, &e, NULL, &reg, 1, true);
}

void h_event_checkin_mark(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_managed(r, db, &e))
		return;
	struct form f;
	form_check(&r->arena, checkin_fields, CK__MAX, r->form, r->nform, &f);
	int64_t rid = req_param_id(r, 1);
	if (f.unknown || f.repeated || f.nerrors || rid < 0) {
		web_error(r, 400, msg("reg.err.bad_form"));
		return;
	}
	bool already = false;
	const char *why = NULL;
	enum rc rc =
	    registration_attend(db, &r->arena, e.id, rid, time(NULL), r->user->id, &already, &why);
	if (rc != RC_OK) {
		reg_refuse(r, rc, why);
		return;
	}
	page_flash(r, already ? "already_attended" : "attended");
	/* Back to the search the person came from. */
	resp_redirect(
	    r, respond_list_url(&r->arena,
				arena_printf(&r->arena, "/events/%lld/checkin", (long long)e.id),
				&f, CK_Q, CK_Q, 0));
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
		web_error(r, 503, msg("participants.err.read"));
		return;
	}
	if (!audit_view(r, db, &e, "participants.audit.list"))
		return;
	struct tv *ctx = page_ctx(r, msgf(a, "participants.title", e.title), NAV_EVENTS);
	tv_set_int(ctx, "event_id", e.id);
	tv_set_str(ctx, "event_title", e.title);
	tv_set_int(ctx, "capacity", e.capacity);
	tv_set_str(
	    ctx, "capacity_line",
	    msgf(a, "participants.capacity_line", arena_printf(a, "%lld", (long long)e.capacity)));
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

/* The columns of both exports, as message keys. */
static const char *const export_headers[] = {
    "participants.col.id",	  "participants.col.status",   "participants.col.name",
    "participants.col.name_kana", "participants.col.email",    "participants.col.phone",
    "participants.col.adults",	  "participants.col.children", "participants.col.party",
    "participants.col.notes",	  "participants.col.access",   "participants.col.created",
    "participants.col.attended",
};
#define NEXPORT (sizeof(export_headers) / sizeof(export_headers[0]))

/* One cell: a number when txt is NULL. */
struct cell {
	const char *txt;
	int64_t num;
};

/* The cells of g in the order of export_headers. */
static void export_cells(struct arena *a, const struct registration *g, struct cell *c)
{
	const struct cell row[NEXPORT] = {
	    {NULL, g->id},
	    {status_label(g->status), 0},
	    {g->name, 0},
	    {g->name_kana, 0},
	    {g->email, 0},
	    {g->phone, 0},
	    {NULL, g->adults},
	    {NULL, g->children},
	    {NULL, g->adults + g->children},
	    {g->notes, 0},
	    {g->access_needs, 0},
	    {when(a, g->created_at), 0},
	    {when(a, g->attended_at), 0},
	};
	memcpy(c, row, sizeof(row));
}

/* The registrations of an export. */
struct export
{
	struct event e;
	struct registration *list;
	size_t n;
};

/* Load, check and audit for an export (what_key: the audit's words);
 * false when answered already. */
static bool export_load(struct req *r, struct db *db, struct export *x, const char *what_key)
{
	if (!load_managed(r, db, &x->e))
		return false;
	if (registration_list(db, &r->arena, x->e.id, NULL, &x->list, &x->n) != 0) {
		web_error(r, 503, msg("web.export_failed"));
		return false;
	}
	return audit_view(r, db, &x->e, what_key);
}

/* The download's file names: ASCII for old clients, and the real one. */
static const char *export_ascii(struct arena *a, const struct export *x, const char *ext)
{
	return arena_printf(a, "participants-%lld.%s", (long long)x->e.id, ext);
}

static const char *export_name(struct arena *a, const struct export *x, const char *ext)
{
	return msgf(a, "participants.file", arena_printf(a, "%lld", (long long)x->e.id), ext);
}

void h_event_participants_csv(struct req *r)
{
	struct db *db = page_db(r);
	struct export x;
	if (!db || !export_load(r, db, &x, "participants.audit.csv"))
		return;
	struct arena *a = &r->arena;
	struct buf *b = &r->body;
	buf_reset(b);
	buf_adds(b, "\xEF\xBB\xBF"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t i = 0; i < NEXPORT; i++)
		csv_field(b, msg(export_headers[i]), i == 0);
	buf_adds(b, "\r\n");
	struct cell c[NEXPORT];
	for (size_t k = 0; k < x.n; k++) {
		export_cells(a, &x.list[k], c);
		for (size_t i = 0; i < NEXPORT; i++) {
			if (c[i].txt)
				csv_field(b, c[i].txt, i == 0);
			else
				buf_printf(b, "%s%lld", i ? "," : "", (long long)c[i].num);
		}
		buf_adds(b, "\r\n");
	}
	respond_download(r, RESPOND_CSV, export_ascii(a, &x, "csv"), export_name(a, &x, "csv"));
}

/* Write the participant workbook of x (arg) to path.  0 or -1. */
static int write_xlsx(struct arena *a, const char *path, void *arg)
{
	const struct export *x = arg;
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
	lxw_worksheet *ws = workbook_add_worksheet(wb, msg("participants.sheet"));
	if (!ws) {
		workbook_close(wb);
		return -1;
	}
	for (size_t i = 0; i < NEXPORT; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, msg(export_headers[i]), head);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 2, 5, 18, NULL);
	worksheet_set_column(ws, 9, 12, 24, NULL);
	struct cell c[NEXPORT];
	for (size_t k = 0; k < x->n; k++) {
		export_cells(a, &x->list[k], c);
		lxw_row_t row = (lxw_row_t)(k + 1);
		/* worksheet_write_string stores text as text: no formula runs. */
		for (size_t i = 0; i < NEXPORT; i++)
			if (c[i].txt)
				worksheet_write_string(ws, row, (lxw_col_t)i, c[i].txt, text);
			else
				worksheet_write_number(ws, row, (lxw_col_t)i, (double)c[i].num,
						       NULL);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

void h_event_participants_xlsx(struct req *r)
{
	struct db *db = page_db(r);
	struct export x;
	if (!db || !export_load(r, db, &x, "participants.audit.xlsx"))
		return;
	respond_xlsx(r, export_ascii(&r->arena, &x, "xlsx"), export_name(&r->arena, &x, "xlsx"),
		     write_xlsx, &x);
}
