/*
 * Events, the organisers' and the office's pages: the event form (new,
 * edit) with its images, and the office's venues (会場) and series
 * (シリーズ).  Who may edit an event is event.c's rule (event_may,
 * event_can_create); this file turns declared fields into structs and
 * structs into pages.  Words come from the catalogue
 * (messages/ja.events.msg).
 */
#include "accounts/membership.h"
#include "challenge/adoption.h"
#include "core/audit.h"
#include "core/role.h"
#include "events/event.h"
#include "events/event_pages.h"
#include "events/handlers.h"
#include "events/registration_pages.h"
#include "files/files.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IMAGE_MAX_BYTES (10u * 1024 * 1024)

/* The form's fields, read by read_form() and drawn by form_page(). */
enum {
	EF_TITLE,
	EF_TITLE_KANA,
	EF_TYPE,
	EF_SERIES,
	EF_SERIES_NO,
	EF_GROUP,
	EF_PROJECT,
	EF_STARTS,
	EF_ENDS,
	EF_VENUE,
	EF_ROOM,
	EF_ONLINE_URL,
	EF_CAPACITY,
	EF_MAX_PARTY,
	EF_REG_OPENS,
	EF_REG_CLOSES,
	EF_AUDIENCE,
	EF_FEE_YEN,
	EF_FEE_TEXT,
	EF_ACCESSIBILITY,
	EF_CONTACT_NAME,
	EF_CONTACT_PHONE,
	EF_CONTACT_EMAIL,
	EF_DESCRIPTION,
	EF_PUBLISHED,
	EF__MAX
};
/* Capacity accepts negative numbers so that the domain rule, not the
 * range check, explains the mistake. */
static const struct field_spec event_fields[EF__MAX] = {
    [EF_TITLE] = {"title", "events.field.title", F_LINE, true, 120, 0, 0, NULL},
    [EF_TITLE_KANA] = {"title_kana", "events.field.title_kana", F_KANA, false, 200, 0, 0, NULL},
    [EF_TYPE] = {"type", "events.field.type", F_CHOICE, true, 0, 0, 0, event_types},
    [EF_SERIES] = {"series", "events.field.series", F_ID, false, 0, 0, 0, NULL},
    [EF_SERIES_NO] = {"series_no", "events.field.series_no", F_INT, false, 0, 0, 9999, NULL},
    [EF_GROUP] = {"group", "events.field.group", F_ID, false, 0, 0, 0, NULL},
    [EF_PROJECT] = {"project", "events.field.project", F_ID, false, 0, 0, 0, NULL},
    [EF_STARTS] = {"starts_at", "events.field.starts_at", F_DATETIME, true, 0, 0, 0, NULL},
    [EF_ENDS] = {"ends_at", "events.field.ends_at", F_DATETIME, true, 0, 0, 0, NULL},
    [EF_VENUE] = {"venue", "events.field.venue", F_ID, false, 0, 0, 0, NULL},
    [EF_ROOM] = {"room", "events.field.room", F_LINE, false, 100, 0, 0, NULL},
    [EF_ONLINE_URL] = {"online_url", "events.field.online_url", F_URL, false, 500, 0, 0, NULL},
    [EF_CAPACITY] = {"capacity", "events.field.capacity", F_INT, false, 0, -100000, 100000, NULL},
    [EF_MAX_PARTY] = {"max_party", "events.field.max_party", F_INT, false, 0, 1, 100, NULL},
    [EF_REG_OPENS] = {"reg_opens_at", "events.field.reg_opens_at", F_DATETIME, false, 0, 0, 0,
		      NULL},
    [EF_REG_CLOSES] = {"reg_closes_at", "events.field.reg_closes_at", F_DATETIME, false, 0, 0, 0,
		       NULL},
    [EF_AUDIENCE] = {"audience", "events.field.audience", F_MULTI, false, 0, 0, 0, NULL},
    [EF_FEE_YEN] = {"fee_yen", "events.field.fee_yen", F_INT, false, 0, 0, 10000000, NULL},
    [EF_FEE_TEXT] = {"fee_text", "events.field.fee_text", F_LINE, false, 200, 0, 0, NULL},
    [EF_ACCESSIBILITY] = {"accessibility", "events.field.accessibility", F_TEXT, false, 2000, 0, 0,
			  NULL},
    [EF_CONTACT_NAME] = {"contact_name", "events.field.contact_name", F_LINE, false, 100, 0, 0,
			 NULL},
    [EF_CONTACT_PHONE] = {"contact_phone", "events.field.contact_phone", F_LINE, false, 30, 0, 0,
			  NULL},
    [EF_CONTACT_EMAIL] = {"contact_email", "events.field.contact_email", F_EMAIL, false, 254, 0, 0,
			  NULL},
    [EF_DESCRIPTION] = {"description", "events.field.description", F_TEXT, false, 20000, 0, 0,
			NULL},
    [EF_PUBLISHED] = {"published", "events.field.published", F_BOOL, false, 5, 0, 0, NULL},
};

/* ---- shared by the forms ---------------------------------------------------- */

/* Check the posted body against spec[0..n) into f.  False (with a 400
 * sent) when it holds a field the form does not declare, or one twice;
 * field errors are left in f for the caller to show. */
static bool read_posted(struct req *r, const struct field_spec *spec, size_t n, struct form *f)
{
	form_check(&r->arena, spec, n, r->form, r->nform, f);
	if (f->unknown || f->repeated) {
		web_error(r, 400, "events.err.bad_fields");
		return false;
	}
	return true;
}

/* ---- the organisers' form ------------------------------------------------ */

/* Make field name a select of choices c[0..n) (value: the id), after a
 * first option blank_key ("" value). */
static void id_options(struct req *r, struct tv *fields, const char *name, const char *blank_key,
		       const struct event_choice *c, size_t n, int64_t chosen)
{
	struct arena *a = &r->arena;
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	struct tv *list = tv_list(a);
	struct tv *o = tv_obj(a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", msg(blank_key));
	tv_push(list, o);
	for (size_t i = 0; i < n; i++) {
		o = tv_obj(a);
		tv_set_str(o, "value", arena_printf(a, "%lld", (long long)c[i].id));
		tv_set_str(o, "label", c[i].name);
		tv_set_bool(o, "selected", c[i].id == chosen);
		tv_push(list, o);
	}
	tv_set(field, "options", list);
	tv_set_bool(field, "select", true);
}

/* Groups for the organiser select: all active groups for staff, the
 * user's own groups for members. */
static size_t organiser_choices(struct req *r, struct db *db, struct event_choice **out)
{
	struct arena *a = &r->arena;
	size_t n = 0;
	if (who_is_staff(r->user)) {
		event_choices(db, a, EVENT_PICK_GROUP, out, &n);
		return n;
	}
	struct membership *m;
	n = r->user ? membership_list(db, a, r->user->id, &m) : 0;
	*out = arena_alloc(a, (n + 1) * sizeof **out);
	for (size_t i = 0; i < n; i++)
		(*out)[i] = (struct event_choice){m[i].group_id, m[i].name};
	return n;
}

/* The adopted projects an event may belong to: the group's (any for
 * staff), labelled 「令和8年度 題名（団体名）」. */
static size_t project_choices(struct req *r, struct db *db, int64_t group_id,
			      struct event_choice **out)
{
	struct arena *a = &r->arena;
	bool staff = who_is_staff(r->user);
	struct project_query pq = {.group_id = staff ? 0 : group_id, .with_unreleased = staff};
	struct project *pr;
	size_t np = 0;
	if (staff || group_id)
		project_list(db, a, &pq, &pr, &np);
	*out = arena_alloc(a, (np + 1) * sizeof **out);
	for (size_t i = 0; i < np; i++) {
		struct buf lb = BUF_INIT;
		jp_fiscal_year_label(&lb, (int)pr[i].fiscal_year);
		(*out)[i].id = pr[i].id;
		(*out)[i].name = msgf(a, "events.project_choice", lb.p ? lb.p : "", pr[i].title,
				      pr[i].group_name);
		buf_release(&lb);
	}
	return np;
}

static const char *dt_value(struct arena *a, int64_t t)
{
	if (!t)
		return NULL;
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", j.y, j.m, j.d, j.hh, j.mi);
}

static const char *int_value(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* The form's values for event e, or a new event's when e is NULL. */
static void form_defaults(struct arena *a, const struct event *e, const char **d)
{
	if (!e) {
		d[EF_MAX_PARTY] = "5";
		d[EF_CAPACITY] = "0";
		d[EF_FEE_YEN] = "0";
		d[EF_PUBLISHED] = "1";
		return;
	}
	d[EF_TITLE] = e->title;
	d[EF_TITLE_KANA] = e->title_kana;
	d[EF_TYPE] = e->type;
	d[EF_SERIES_NO] = e->series_no ? int_value(a, e->series_no) : NULL;
	d[EF_STARTS] = dt_value(a, e->starts_at);
	d[EF_ENDS] = dt_value(a, e->ends_at);
	d[EF_ROOM] = e->room;
	d[EF_ONLINE_URL] = e->online_url;
	d[EF_CAPACITY] = int_value(a, e->capacity);
	d[EF_MAX_PARTY] = int_value(a, e->max_party);
	d[EF_REG_OPENS] = dt_value(a, e->reg_opens_at);
	d[EF_REG_CLOSES] = dt_value(a, e->reg_closes_at);
	d[EF_FEE_YEN] = int_value(a, e->fee_yen);
	d[EF_FEE_TEXT] = e->fee_text;
	d[EF_ACCESSIBILITY] = e->accessibility;
	d[EF_CONTACT_NAME] = e->contact_name;
	d[EF_CONTACT_PHONE] = e->contact_phone;
	d[EF_CONTACT_EMAIL] = e->contact_email;
	d[EF_DESCRIPTION] = e->description;
	d[EF_PUBLISHED] = e->published ? "1" : NULL;
}

/* The checked audiences: the posted ones, else e's lines. */
static size_t chosen_audiences(struct arena *a, const struct event *e, const struct form *f,
			       const char *const **out)
{
	if (f) {
		*out = f->v[EF_AUDIENCE].list;
		return f->v[EF_AUDIENCE].nlist;
	}
	size_t k = 0, cap = 0;
	const char **aud = NULL;
	struct str line;
	for (const char *p = e ? e->audience : NULL; event_audience_next(&p, &line); k++) {
		aud = arena_grow(a, aud, k, &cap, sizeof *aud);
		aud[k] = arena_strndup(a, line.p, line.n);
	}
	*out = aud;
	return k;
}

/* The selects of the form: type, audiences, series, venue, organiser and
 * project, with the current values chosen. */
static void form_selects(struct req *r, struct db *db, struct tv *fields, const struct event *e,
			 const struct form *f, const char *type)
{
	struct arena *a = &r->arena;
	size_t nt = 0, na = 0;
	while (event_types[nt])
		nt++;
	while (event_audiences[na])
		na++;
	const char *const *aud;
	size_t naud = chosen_audiences(a, e, f, &aud);
	page_field_options(r, fields, "type", event_types, nt, &type, 1, false);
	page_field_options(r, fields, "audience", event_audiences, na, aud, naud, true);

	struct event_choice *c;
	size_t n = 0;
	event_choices(db, a, EVENT_PICK_SERIES, &c, &n);
	id_options(r, fields, "series", "events.choice.none", c, n,
		   f   ? f->v[EF_SERIES].i
		   : e ? e->series_id
		       : 0);
	n = 0;
	event_choices(db, a, EVENT_PICK_VENUE, &c, &n);
	id_options(r, fields, "venue", "events.choice.no_venue", c, n,
		   f   ? f->v[EF_VENUE].i
		   : e ? e->venue_id
		       : 0);
	int64_t group = f ? f->v[EF_GROUP].i : e ? e->group_id : 0;
	n = organiser_choices(r, db, &c);
	id_options(r, fields, "group",
		   who_is_staff(r->user) ? "events.office" : "web.select_prompt", c, n, group);
	/* An event may belong to an adopted project (the group's, or any for
	 * staff); the choice is checked again when saving. */
	n = project_choices(r, db, group, &c);
	id_options(r, fields, "project", "events.choice.none", c, n,
		   f   ? f->v[EF_PROJECT].i
		   : e ? e->project_id
		       : 0);
}

/* Draw the form for e (NULL: a new event) with f's values and errors. */
static void form_page(struct req *r, struct db *db, int status, const struct event *e,
		      const struct form *f, const char *file_error)
{
	struct arena *a = &r->arena;
	const char *title = e ? "events.title.edit" : "events.title.new";
	struct tv *ctx = page_ctx(r, title, NAV_EVENTS);
	tv_set_str(ctx, "title", msg(title));
	tv_set_str(ctx, "action",
		   e ? arena_printf(a, "/events/%lld/edit", (long long)e->id) : "/events/new");
	const char *defaults[EF__MAX] = {0};
	form_defaults(a, e, defaults);
	if (e) {
		tv_set_int(ctx, "id", e->id);
		tv_set_str(ctx, "event_title", e->title);
	}
	struct tv *fields = page_form(r, ctx, event_fields, EF__MAX, f, defaults);
	tv_set(ctx, "f", fields);
	form_selects(r, db, fields, e, f, f ? form_s(f, EF_TYPE) : defaults[EF_TYPE]);

	bool published = f ? f->v[EF_PUBLISHED].i != 0 : defaults[EF_PUBLISHED] != NULL;
	page_field_set(fields, "published", "value", tv_str(a, "1"));
	page_field_set(fields, "published", "checkbox", tv_bool(a, true));
	page_field_set(fields, "published", "checked", tv_bool(a, published));
	page_field_set(fields, "accessibility", "textarea", tv_bool(a, true));
	page_field_set(fields, "description", "textarea", tv_bool(a, true));
	static const char *const datetimes[] = {"starts_at", "ends_at", "reg_opens_at",
						"reg_closes_at"};
	for (size_t i = 0; i < sizeof datetimes / sizeof *datetimes; i++)
		page_field_set(fields, datetimes[i], "type", tv_str(a, "datetime-local"));
	static const char *const hints[][2] = {
	    {"starts_at", "events.hint.starts_at"},
	    {"title_kana", "events.hint.title_kana"},
	    {"capacity", "events.hint.capacity"},
	    {"description", "events.hint.description"},
	    {"reg_closes_at", "events.hint.reg_closes_at"},
	};
	for (size_t i = 0; i < sizeof hints / sizeof *hints; i++)
		page_field_set(fields, hints[i][0], "hint", tv_str(a, msg(hints[i][1])));
	if (e) {
		tv_set(ctx, "images", event_images_tv(a, db, e->id));
		tv_set_str(ctx, "file_error", file_error);
	}
	page_render(r, status, "events/form", ctx);
}

/* The audience checkboxes as the column's lines; an unknown one is a field
 * error. */
static const char *form_audience(struct arena *a, struct form *f)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < f->v[EF_AUDIENCE].nlist; i++) {
		const char *x = f->v[EF_AUDIENCE].list[i];
		bool known = false;
		for (size_t k = 0; event_audiences[k]; k++)
			known = known || strcmp(event_audiences[k], x) == 0;
		if (!known) {
			form_error(f, EF_AUDIENCE, "events.err.audience");
			break;
		}
		buf_printf(&b, "%s%s", b.n ? "\n" : "", x);
	}
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* The posted fields into e. */
static void form_event(struct arena *a, struct form *f, struct event *e)
{
	e->title = form_s(f, EF_TITLE);
	e->title_kana = form_s(f, EF_TITLE_KANA);
	e->type = form_s(f, EF_TYPE);
	e->series_id = f->v[EF_SERIES].i;
	e->series_no = f->v[EF_SERIES_NO].i;
	e->group_id = f->v[EF_GROUP].i;
	e->project_id = f->v[EF_PROJECT].i;
	e->starts_at = f->v[EF_STARTS].i;
	e->ends_at = f->v[EF_ENDS].i;
	e->venue_id = f->v[EF_VENUE].i;
	e->room = form_s(f, EF_ROOM);
	e->online_url = form_s(f, EF_ONLINE_URL);
	e->capacity = f->v[EF_CAPACITY].i;
	e->max_party = f->v[EF_MAX_PARTY].present ? f->v[EF_MAX_PARTY].i : 5;
	e->reg_opens_at = f->v[EF_REG_OPENS].i;
	e->reg_closes_at = f->v[EF_REG_CLOSES].i;
	e->fee_yen = f->v[EF_FEE_YEN].i;
	e->fee_text = form_s(f, EF_FEE_TEXT);
	e->accessibility = form_s(f, EF_ACCESSIBILITY);
	e->contact_name = form_s(f, EF_CONTACT_NAME);
	e->contact_phone = form_s(f, EF_CONTACT_PHONE);
	e->contact_email = form_s(f, EF_CONTACT_EMAIL);
	e->description = form_s(f, EF_DESCRIPTION);
	e->published = f->v[EF_PUBLISHED].i != 0;
	e->audience = form_audience(a, f);
}

/* Is project_id one of group_id's projects (lead or partner; any project
 * for the office's events)? */
static bool project_fits(struct db *db, struct arena *a, int64_t project_id, int64_t group_id)
{
	struct project_query pq = {.group_id = group_id, .with_unreleased = true};
	struct project *pr;
	size_t np = 0;
	if (project_list(db, a, &pq, &pr, &np) != RC_OK)
		return false;
	for (size_t i = 0; i < np; i++)
		if (pr[i].id == project_id)
			return true;
	return false;
}

/* The field of f named name, or EF__MAX. */
static size_t field_index(const char *name)
{
	for (size_t i = 0; i < EF__MAX; i++)
		if (strcmp(event_fields[i].name, name) == 0)
			return i;
	return EF__MAX;
}

/* Validate the posted form into e (which holds the old values when
 * editing).  Re-displays the form (422) or refuses (400/403) and returns
 * false on errors. */
static bool read_form(struct req *r, struct db *db, struct event *e, const struct event *old)
{
	struct arena *a = &r->arena;
	struct form f;
	if (!read_posted(r, event_fields, EF__MAX, &f))
		return false;
	form_event(a, &f, e);
	/* Who may organise: a member only for their own group; the office
	 * (no group) only for staff. */
	if (!event_can_create(db, r->user, e->group_id)) {
		if (old && old->group_id == e->group_id) {
			web_error(r, 403, "events.err.forbidden_edit");
			return false;
		}
		form_error(&f, EF_GROUP, "events.err.own_group");
	}
	if (e->project_id && !project_fits(db, a, e->project_id, e->group_id))
		form_error(&f, EF_PROJECT, "events.err.project");
	struct series s;
	if (e->series_id && series_get(db, a, e->series_id, &s) != RC_OK)
		form_error(&f, EF_SERIES, "events.err.series");
	struct venue v;
	if (e->venue_id && venue_get(db, a, e->venue_id, &v) != RC_OK)
		form_error(&f, EF_VENUE, "events.err.venue");
	if (!f.v[EF_STARTS].error && !f.v[EF_ENDS].error && f.v[EF_STARTS].present &&
	    f.v[EF_ENDS].present) {
		const char *field, *why;
		if (event_validate(db, a, e, &field, &why) != RC_OK) {
			size_t i = field_index(field);
			/* The one reason with an argument: the people signed up. */
			const char *people = arena_printf(
			    a, "%lld", (long long)(e->id ? event_confirmed_people(db, e->id) : 0));
			if (i < EF__MAX && !f.v[i].error)
				form_error(&f, i, msgf(a, why, people));
		}
	} else if (f.v[EF_CAPACITY].i < 0) {
		form_error(&f, EF_CAPACITY, "events.err.capacity_negative");
	}
	if (f.nerrors) {
		form_page(r, db, 422, old, &f, NULL);
		return false;
	}
	return true;
}

void h_event_new(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	form_page(r, db, 200, NULL, NULL, NULL);
}

/* Save e and its audit entry in one transaction; on failure answer 503 and
 * return -1. */
static int save_audited(struct req *r, struct db *db, const struct event *e, int64_t *id)
{
	const char *field, *why;
	int64_t new_id = e->id;
	if (db_begin(db) != DB_OK)
		goto fail;
	if (event_save(db, &r->arena, e, time(NULL), e->id ? NULL : &new_id, &field, &why) !=
		RC_OK ||
	    audit(db, r->user->id, e->id ? "update" : "create", "event", new_id,
		  arena_printf(&r->arena, "「%s」", e->title)) != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		goto fail;
	}
	if (id)
		*id = new_id;
	return 0;
fail:
	web_error(r, 503, "events.err.save_failed");
	return -1;
}

void h_event_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct event e = {0};
	if (!read_form(r, db, &e, NULL))
		return;
	e.created_by = r->user->id;
	int64_t id;
	if (save_audited(r, db, &e, &id) != 0)
		return;
	page_flash(r, "created");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld", (long long)id));
}

/* The event in the route for editing, refusing users who may not: those
 * who may edit an event are those who manage it (event.c's rule). */
static bool load_editable(struct req *r, struct db *db, struct event *e)
{
	return events_load_managed(r, db, e, "events.err.not_found", "events.err.forbidden_edit");
}

void h_event_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_editable(r, db, &e))
		return;
	form_page(r, db, 200, &e, NULL, NULL);
}

void h_event_update(struct req *r)
{
	struct db *db = page_db(r);
	struct event old;
	if (!db || !load_editable(r, db, &old))
		return;
	struct event e = old;
	if (!read_form(r, db, &e, &old))
		return;
	if (save_audited(r, db, &e, NULL) != 0)
		return;
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld", (long long)e.id));
}

/* ---- images ---------------------------------------------------------------- */

enum { IF_ALT, IF__MAX };
static const struct field_spec image_fields[IF__MAX] = {
    [IF_ALT] = {"alt", "events.field.image_alt", F_LINE, true, 200, 0, 0, NULL},
};

/* The one upload in field "image", NULL when none was chosen; false (with
 * a 400 sent) for any other or a second upload. */
static bool image_upload(struct req *r, const struct upload **out)
{
	*out = NULL;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *x = &r->uploads[i];
		if (strcmp(x->field, "image") != 0 || *out) {
			web_error(r, 400, "events.err.bad_fields");
			return false;
		}
		if (x->filename && *x->filename)
			*out = x;
	}
	return true;
}

void h_event_image_add(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_editable(r, db, &e))
		return;
	struct form f;
	if (!read_posted(r, image_fields, IF__MAX, &f))
		return;
	const struct upload *u;
	if (!image_upload(r, &u))
		return;
	const char *file_error = u ? NULL : msg("events.err.image_required");
	if (f.nerrors)
		file_error = f.v[IF_ALT].error;
	int64_t file_id = 0;
	/* file_store's reason is already in words (files.err.*). */
	if (!file_error &&
	    file_store(db, &r->arena, u, FILE_PNG | FILE_JPEG, IMAGE_MAX_BYTES, r->user->id,
		       &file_id, &file_error) != 0 &&
	    !file_error)
		file_error = msg("events.err.image_failed");
	if (file_error) {
		form_page(r, db, 422, &e, NULL, file_error);
		return;
	}
	if (event_image_add(db, e.id, file_id, form_s(&f, IF_ALT)) != RC_OK) {
		web_error(r, 503, "events.err.save_failed");
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld/edit", (long long)e.id));
}

void h_event_image_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_editable(r, db, &e))
		return;
	int64_t iid = req_param_id(r, 1);
	if (iid < 0 || r->nform > 1 || (r->nform == 1 && strcmp(r->form[0].key, "_csrf") != 0)) {
		web_error(r, 400, "events.err.bad_fields");
		return;
	}
	if (event_image_delete(db, e.id, iid) != RC_OK) {
		web_error(r, 503, "events.err.save_failed");
		return;
	}
	page_flash(r, "deleted");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld/edit", (long long)e.id));
}

/* ---- the office: venues and series ------------------------------------ */

/*
 * The answer to the office's save of a venue or series, whose outcome is
 * rc: a taken name (RC_CONFLICT) becomes the error of field name_field.
 * True when answered (a 503, or back to list_url); false when the form
 * must be drawn again with f's errors (the caller answers 422).
 */
static bool office_saved(struct req *r, enum rc rc, struct form *f, size_t name_field,
			 const char *taken_key, const char *list_url)
{
	if (rc == RC_CONFLICT)
		form_error(f, name_field, taken_key);
	if (f->nerrors)
		return false;
	if (rc != RC_OK) {
		web_error(r, 503, "events.err.save_failed");
		return true;
	}
	page_flash(r, "saved");
	resp_redirect(r, list_url);
	return true;
}

/* The list part of the venues page: {id, name, address, archived}. */
static struct tv *venue_items(struct arena *a, const struct venue *list, size_t n)
{
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", list[i].id);
		tv_set_str(o, "name", list[i].name);
		tv_set_str(o, "address",
			   arena_printf(a, "%s%s%s%s", list[i].pref, list[i].city, list[i].town,
					list[i].street));
		tv_set_bool(o, "archived", list[i].archived);
		tv_push(items, o);
	}
	return items;
}

enum {
	VF_NAME,
	VF_KANA,
	VF_PREF,
	VF_CITY,
	VF_TOWN,
	VF_STREET,
	VF_BUILDING,
	VF_LAT,
	VF_LNG,
	VF_ACCESS,
	VF_PARKING,
	VF_BARRIER,
	VF_ARCHIVED,
	VF__MAX
};
static const struct field_spec venue_fields[VF__MAX] = {
    [VF_NAME] = {"name", "venues.field.name", F_LINE, true, 100, 0, 0, NULL},
    [VF_KANA] = {"name_kana", "venues.field.name_kana", F_KANA, false, 200, 0, 0, NULL},
    [VF_PREF] = {"pref", "venues.field.pref", F_LINE, false, 10, 0, 0, NULL},
    [VF_CITY] = {"city", "venues.field.city", F_LINE, false, 50, 0, 0, NULL},
    [VF_TOWN] = {"town", "venues.field.town", F_LINE, false, 100, 0, 0, NULL},
    [VF_STREET] = {"street", "venues.field.street", F_LINE, false, 100, 0, 0, NULL},
    [VF_BUILDING] = {"building", "venues.field.building", F_LINE, false, 100, 0, 0, NULL},
    [VF_LAT] = {"lat", "venues.field.lat", F_LINE, false, 20, 0, 0, NULL},
    [VF_LNG] = {"lng", "venues.field.lng", F_LINE, false, 20, 0, 0, NULL},
    [VF_ACCESS] = {"access", "venues.field.access", F_TEXT, false, 1000, 0, 0, NULL},
    [VF_PARKING] = {"parking", "venues.field.parking", F_TEXT, false, 1000, 0, 0, NULL},
    [VF_BARRIER] = {"barrier_free", "venues.field.barrier_free", F_TEXT, false, 1000, 0, 0, NULL},
    [VF_ARCHIVED] = {"archived", "venues.field.archived", F_BOOL, false, 5, 0, 0, NULL},
};

/* A decimal degree in [-lim, lim]; 0 or -1. */
static int parse_degree(const char *s, double lim, double *out)
{
	char *end;
	double d = strtod(s, &end);
	if (end == s || *end || d < -lim || d > lim)
		return -1;
	*out = d;
	return 0;
}

/* The form's values for venue v (NULL: a new venue). */
static void venue_defaults(struct arena *a, const struct venue *v, const char **d)
{
	if (!v)
		return;
	const char *text[] = {
	    [VF_NAME] = v->name,
	    [VF_KANA] = v->name_kana,
	    [VF_PREF] = v->pref,
	    [VF_CITY] = v->city,
	    [VF_TOWN] = v->town,
	    [VF_STREET] = v->street,
	    [VF_BUILDING] = v->building,
	    [VF_ACCESS] = v->access,
	    [VF_PARKING] = v->parking,
	    [VF_BARRIER] = v->barrier_free,
	    [VF_ARCHIVED] = v->archived ? "1" : NULL,
	};
	memcpy(d, text, sizeof text);
	if (v->has_latlng) {
		d[VF_LAT] = arena_printf(a, "%.6f", v->lat);
		d[VF_LNG] = arena_printf(a, "%.6f", v->lng);
	}
}

static void venues_page(struct req *r, struct db *db, int status, const struct venue *cur,
			const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "venues.title.admin", NAV_NONE);
	struct venue *list;
	size_t n = 0;
	venue_list(db, a, true, &list, &n);
	tv_set(ctx, "venues", venue_items(a, list, n));
	const char *defaults[VF__MAX] = {0};
	venue_defaults(a, cur, defaults);
	if (cur)
		tv_set_int(ctx, "id", cur->id);
	tv_set_str(ctx, "action",
		   cur ? arena_printf(a, "/admin/venues/%lld", (long long)cur->id)
		       : "/admin/venues");
	struct tv *fields = page_form(r, ctx, venue_fields, VF__MAX, f, defaults);
	tv_set(ctx, "f", fields);
	bool archived = f ? f->v[VF_ARCHIVED].i != 0 : cur && cur->archived;
	page_field_set(fields, "archived", "value", tv_str(a, "1"));
	page_field_set(fields, "archived", "checkbox", tv_bool(a, true));
	page_field_set(fields, "archived", "checked", tv_bool(a, archived));
	page_field_set(fields, "access", "textarea", tv_bool(a, true));
	page_field_set(fields, "parking", "textarea", tv_bool(a, true));
	page_field_set(fields, "barrier_free", "textarea", tv_bool(a, true));
	page_field_set(fields, "lat", "hint", tv_str(a, msg("venues.hint.lat")));
	page_render(r, status, "admin/venues", ctx);
}

void h_admin_venues(struct req *r)
{
	struct db *db = page_db(r);
	if (db)
		venues_page(r, db, 200, NULL, NULL);
}

void h_admin_venue_edit(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct venue v;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || venue_get(db, &r->arena, id, &v) != RC_OK) {
		web_error(r, 404, "venues.err.not_found");
		return;
	}
	venues_page(r, db, 200, &v, NULL);
}

/* The posted venue fields into v, with the field errors in f. */
static void form_venue(struct form *f, struct venue *v)
{
	v->name = form_s(f, VF_NAME);
	v->name_kana = form_s(f, VF_KANA);
	v->pref = form_s(f, VF_PREF);
	v->city = form_s(f, VF_CITY);
	v->town = form_s(f, VF_TOWN);
	v->street = form_s(f, VF_STREET);
	v->building = form_s(f, VF_BUILDING);
	v->access = form_s(f, VF_ACCESS);
	v->parking = form_s(f, VF_PARKING);
	v->barrier_free = form_s(f, VF_BARRIER);
	v->archived = f->v[VF_ARCHIVED].i != 0;
	if (f->v[VF_LAT].present || f->v[VF_LNG].present) {
		v->has_latlng = true;
		if (parse_degree(form_s(f, VF_LAT), 90, &v->lat) != 0)
			form_error(f, VF_LAT, "venues.err.lat");
		if (parse_degree(form_s(f, VF_LNG), 180, &v->lng) != 0)
			form_error(f, VF_LNG, "venues.err.lng");
	}
}

void h_admin_venue_save(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct venue old = {0}, v = {0};
	bool editing = r->nparams > 0;
	if (editing) {
		v.id = req_param_id(r, 0);
		if (v.id < 0 || venue_get(db, a, v.id, &old) != RC_OK) {
			web_error(r, 404, "venues.err.not_found");
			return;
		}
	}
	struct form f;
	if (!read_posted(r, venue_fields, VF__MAX, &f))
		return;
	form_venue(&f, &v);
	enum rc rc = f.nerrors ? RC_INVALID : venue_save(db, &v, NULL);
	if (!office_saved(r, rc, &f, VF_NAME, "venues.err.name_taken", "/admin/venues"))
		venues_page(r, db, 422, editing ? &old : NULL, &f);
}

enum { SF_NAME, SF_DESCRIPTION, SF__MAX };
static const struct field_spec series_fields[SF__MAX] = {
    [SF_NAME] = {"name", "series.field.name", F_LINE, true, 100, 0, 0, NULL},
    [SF_DESCRIPTION] = {"description", "series.field.description", F_TEXT, false, 10000, 0, 0,
			NULL},
};

static void series_page(struct req *r, struct db *db, int status, const struct series *cur,
			const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "series.title.admin", NAV_NONE);
	struct event_choice *list;
	size_t n = 0;
	event_choices(db, a, EVENT_PICK_SERIES, &list, &n);
	tv_set(ctx, "series", event_choices_tv(a, list, n, 0));
	const char *defaults[SF__MAX] = {0};
	if (cur) {
		tv_set_int(ctx, "id", cur->id);
		defaults[SF_NAME] = cur->name;
		defaults[SF_DESCRIPTION] = cur->description;
	}
	tv_set_str(ctx, "action",
		   cur ? arena_printf(a, "/admin/series/%lld", (long long)cur->id)
		       : "/admin/series");
	struct tv *fields = page_form(r, ctx, series_fields, SF__MAX, f, defaults);
	tv_set(ctx, "f", fields);
	page_field_set(fields, "description", "textarea", tv_bool(a, true));
	page_field_set(fields, "description", "hint", tv_str(a, msg("series.hint.description")));
	page_render(r, status, "admin/series", ctx);
}

void h_admin_series(struct req *r)
{
	struct db *db = page_db(r);
	if (db)
		series_page(r, db, 200, NULL, NULL);
}

void h_admin_series_edit(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct series s;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || series_get(db, &r->arena, id, &s) != RC_OK) {
		web_error(r, 404, "series.err.not_found");
		return;
	}
	series_page(r, db, 200, &s, NULL);
}

void h_admin_series_save(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct series old = {0}, s = {0};
	bool editing = r->nparams > 0;
	if (editing) {
		s.id = req_param_id(r, 0);
		if (s.id < 0 || series_get(db, a, s.id, &old) != RC_OK) {
			web_error(r, 404, "series.err.not_found");
			return;
		}
	}
	struct form f;
	if (!read_posted(r, series_fields, SF__MAX, &f))
		return;
	s.name = form_s(&f, SF_NAME);
	s.description = form_s(&f, SF_DESCRIPTION);
	enum rc rc = f.nerrors ? RC_INVALID : series_save(db, &s, NULL);
	if (!office_saved(r, rc, &f, SF_NAME, "series.err.name_taken", "/admin/series"))
		series_page(r, db, 422, editing ? &old : NULL, &f);
}
