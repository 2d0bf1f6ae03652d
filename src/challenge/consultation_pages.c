/*
 * Pre-consultations (事前相談): the page where members book a coordinator's
 * slot for their group and coordinators publish slots and keep notes, and
 * the page where division staff and coordinators record consultations with
 * a partner division.  The rules live in consultation.c; this file
 * validates the declared fields, maps results to statuses and draws the
 * pages.  Routes and permissions are in routes.c.
 *
 * One page carries several forms of the same kind (a booking form per free
 * slot, a notes form per booking), so those forms draw their own controls
 * with ids made unique by the row's id instead of partials/field.html; a
 * rejected submission is shown again on the row it came from.
 */
#include "accounts/membership.h"
#include "challenge/call_pages.h"
#include "challenge/consultation.h"
#include "challenge/handlers.h"
#include "core/role.h"
#include "core/who.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/text.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#define MAX_FREE_SLOTS	    60
#define MAX_BOOKINGS	    50
#define MAX_STAFF_SLOTS	    200
#define MAX_CALLS	    20
#define MAX_DIVISIONS	    200
#define MAX_DIVISION_ROWS   200
#define MAX_SLOT_HOURS	    12
#define MAX_SLOT_AHEAD_DAYS 366

/* Publishing a slot. */
enum { SF_STARTS, SF_ENDS, SF_PLACE, SF_ONLINE, SF__MAX };
static const struct field_spec slot_fields[SF__MAX] = {
    [SF_STARTS] = {"starts_at", "calls.field.starts_at", F_DATETIME, true, 20, 0, 0, NULL},
    [SF_ENDS] = {"ends_at", "calls.field.ends_at", F_DATETIME, true, 20, 0, 0, NULL},
    [SF_PLACE] = {"place", "calls.field.place", F_LINE, false, 100, 0, 0, NULL},
    [SF_ONLINE] = {"online", "consult.field.online", F_BOOL, false, 5, 0, 0, NULL},
};

/* Booking a slot. */
enum { BF_GROUP, BF_CALL, BF__MAX };
static const struct field_spec book_fields[BF__MAX] = {
    [BF_GROUP] = {"group", "consult.field.group", F_ID, true, 20, 0, 0, NULL},
    [BF_CALL] = {"call", "consult.field.call", F_ID, false, 20, 0, 0, NULL},
};

/* Marking a consultation done. */
enum { NF_NOTES, NF__MAX };
static const struct field_spec notes_fields[NF__MAX] = {
    [NF_NOTES] = {"notes", "consult.field.notes", F_TEXT, false, 4000, 0, 0, NULL},
};

/* Recording a division consultation. */
enum { DF_GROUP, DF_CALL, DF_DIVISION, DF_HELD_ON, DF_NOTES, DF__MAX };
static const struct field_spec record_fields[DF__MAX] = {
    [DF_GROUP] = {"group", "consult.field.group_name_or_id", F_LINE, true, 100, 0, 0, NULL},
    [DF_CALL] = {"call", "consult.field.consulted_call", F_ID, false, 20, 0, 0, NULL},
    [DF_DIVISION] = {"division", "consult.field.division", F_ID, false, 20, 0, 0, NULL},
    [DF_HELD_ON] = {"held_on", "consult.field.held_on", F_DATE, true, 10, 0, 0, NULL},
    [DF_NOTES] = {"notes", "consult.field.division_notes", F_TEXT, false, 4000, 0, 0, NULL},
};

/* What a re-displayed /consultations page shows besides the lists. */
struct consult_view {
	const char *alert;	      /* a page-level error, or NULL */
	const struct form *slot_form; /* a rejected publish form */
	int64_t book_slot;	      /* the slot whose booking form was rejected */
	const struct form *book_form;
	int64_t notes_booking; /* the booking whose notes form was rejected */
	const struct form *notes_form;
};

/* Options {value, label, selected} for a <select> of choices, with a blank
 * first option labelled blank. */
static struct tv *choice_options(struct arena *a, const struct consultation_choice *c, size_t n,
				 int64_t selected, const char *blank)
{
	struct tv *list = tv_list(a);
	if (blank) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", "");
		tv_set_str(o, "label", blank);
		tv_set_bool(o, "selected", selected == 0);
		tv_push(list, o);
	}
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", arena_printf(a, "%lld", (long long)c[i].id));
		tv_set_str(o, "label", c[i].name);
		tv_set_bool(o, "selected", c[i].id == selected);
		tv_push(list, o);
	}
	return list;
}

/* Add error / error_<field> keys for a rejected per-row form. */
static void row_errors(struct arena *a, struct tv *o, const struct form *f)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < f->n; i++) {
		if (!f->v[i].error)
			continue;
		tv_set_str(o, arena_printf(a, "error_%s", f->spec[i].name), f->v[i].error);
		struct tv *e = tv_obj(a);
		tv_set_str(e, "field", f->spec[i].name);
		tv_set_str(e, "label", msg(f->spec[i].label));
		tv_set_str(e, "message", f->v[i].error);
		tv_push(list, e);
	}
	tv_set(o, "row_errors", list);
	tv_set_bool(o, "has_errors", f->nerrors > 0);
}

/* The member's part: free slots with a booking form each, and the bookings
 * of the member's groups. */
static void member_part(struct req *r, struct db *db, struct tv *ctx, int64_t now,
			const struct consult_view *v)
{
	struct arena *a = &r->arena;
	struct membership *m;
	size_t nm = membership_list(db, a, r->user->id, &m);
	tv_set_bool(ctx, "has_groups", nm > 0);
	tv_set_bool(ctx, "one_group", nm == 1);
	if (nm == 1) {
		tv_set_int(ctx, "only_group_id", m[0].group_id);
		tv_set_str(ctx, "only_group_name", m[0].name);
	}
	if (nm == 0)
		return;

	struct consultation_choice *calls = NULL;
	size_t ncalls = 0;
	consultation_calls(db, a, MAX_CALLS, &calls, &ncalls);

	struct consultation_slot *slots = NULL;
	size_t ns = 0;
	consultation_free_slots(db, a, now, MAX_FREE_SLOTS, &slots, &ns);
	struct tv *free_list = tv_list(a);
	for (size_t i = 0; i < ns; i++) {
		const struct consultation_slot *s = &slots[i];
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", s->id);
		tv_set_str(o, "when", consultation_when(a, s->starts_at, s->ends_at));
		tv_set_str(o, "place", consultation_place(a, s->place, s->online));
		tv_set_bool(o, "online", s->online);
		tv_set_str(o, "coordinator", s->coordinator_name);
		int64_t group = 0, call = 0;
		if (v->book_form && v->book_slot == s->id) {
			group = v->book_form->v[BF_GROUP].i;
			call = v->book_form->v[BF_CALL].i;
			row_errors(a, o, v->book_form);
		}
		struct consultation_choice *groups = arena_alloc(a, nm * sizeof(*groups));
		for (size_t k = 0; k < nm; k++)
			groups[k] = (struct consultation_choice){m[k].group_id, m[k].name};
		tv_set(o, "groups", choice_options(a, groups, nm, group, msg("web.select_prompt")));
		tv_set(o, "calls",
		       choice_options(a, calls, ncalls, call, msg("consult.choice.none")));
		tv_set_bool(o, "has_calls", ncalls > 0);
		tv_push(free_list, o);
	}
	tv_set(ctx, "free_slots", free_list);
	tv_set_bool(ctx, "has_free_slots", ns > 0);

	int64_t hours = consultation_cancel_hours(db);
	tv_set_int(ctx, "cancel_hours", hours);
	tv_set_str(ctx, "cancel_note",
		   msgf(a, "consult.page.cancel_note", arena_printf(a, "%lld", (long long)hours)));
	struct consultation_booking *b = NULL;
	size_t nb = 0;
	consultation_member_bookings(db, a, r->user->id, MAX_BOOKINGS, &b, &nb);
	struct tv *mine = tv_list(a);
	for (size_t i = 0; i < nb; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", b[i].id);
		tv_set_str(o, "when", consultation_when(a, b[i].starts_at, b[i].ends_at));
		tv_set_str(o, "place", consultation_place(a, b[i].place, b[i].online));
		tv_set_str(o, "group", b[i].group_name);
		tv_set_str(o, "call", b[i].call_title);
		tv_set_str(o, "coordinator", b[i].coordinator_name);
		tv_set_str(o, "booked_by", b[i].booked_by_name);
		bool live = !b[i].cancelled_at && !b[i].done_at;
		tv_set_bool(o, "cancelled", b[i].cancelled_at != 0);
		tv_set_bool(o, "done", b[i].done_at != 0);
		tv_set_bool(o, "live", live && b[i].starts_at > now);
		tv_set_bool(o, "past", live && b[i].starts_at <= now);
		tv_set_bool(o, "can_cancel", consultation_can_cancel(now, b[i].starts_at, hours));
		const char *deadline =
		    page_datetime(a, consultation_cancel_deadline(b[i].starts_at, hours));
		tv_set_str(o, "deadline", deadline);
		tv_set_str(o, "late_note", msgf(a, "consult.page.late_note", deadline));
		tv_push(mine, o);
	}
	tv_set(ctx, "bookings", mine);
	tv_set_bool(ctx, "has_bookings", nb > 0);
}

/* The staff part: the publish form and the slots with their bookings. */
static void staff_part(struct req *r, struct db *db, struct tv *ctx, int64_t now,
		       const struct consult_view *v)
{
	struct arena *a = &r->arena;
	struct tv *holder = tv_obj(a);
	struct tv *fields = page_form(r, holder, slot_fields, SF__MAX, v->slot_form, NULL);
	call_datetime_values(r, fields, v->slot_form);
	page_field_set(fields, "starts_at", "hint", tv_str(a, msg("consult.hint.starts_at")));
	page_field_set(fields, "place", "hint", tv_str(a, msg("consult.hint.place")));
	struct tv *online = tv_get(fields, "online");
	if (online) {
		tv_set_bool(online, "checkbox", true);
		tv_set_bool(online, "checked", v->slot_form && v->slot_form->v[SF_ONLINE].i);
		tv_set_str(online, "value", "1");
	}
	tv_set(ctx, "slot_f", fields);
	tv_set(ctx, "slot_errors", tv_get(holder, "errors"));
	struct tv *count = tv_get(holder, "error_count");
	tv_set(ctx, "slot_error_count", count);

	struct consultation_slot *slots = NULL;
	size_t ns = 0;
	consultation_staff_slots(db, a, who_is_admin(r->user) ? 0 : r->user->id, now,
				 MAX_STAFF_SLOTS, &slots, &ns);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < ns; i++) {
		const struct consultation_slot *s = &slots[i];
		const struct consultation_booking *b = &s->booking;
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", s->id);
		tv_set_str(o, "when", consultation_when(a, s->starts_at, s->ends_at));
		tv_set_str(o, "place", consultation_place(a, s->place, s->online));
		tv_set_str(o, "coordinator", s->coordinator_name);
		tv_set_bool(o, "past", s->ends_at <= now);
		tv_set_bool(o, "can_cancel", !b->done_at && s->ends_at > now);
		if (b->id) {
			struct tv *bo = tv_obj(a);
			tv_set_int(bo, "id", b->id);
			tv_set_str(bo, "group", b->group_name);
			tv_set_int(bo, "group_id", b->group_id);
			tv_set_str(bo, "call", b->call_title);
			tv_set_str(bo, "booked_by", b->booked_by_name);
			tv_set_str(bo, "booked_at", page_datetime(a, b->booked_at));
			tv_set_bool(bo, "done", b->done_at != 0);
			const char *notes = b->notes;
			if (v->notes_form && v->notes_booking == b->id) {
				notes = v->notes_form->v[NF_NOTES].s;
				row_errors(a, bo, v->notes_form);
			}
			tv_set_str(bo, "notes", notes);
			tv_set(o, "booking", bo);
		}
		tv_push(list, o);
	}
	tv_set(ctx, "staff_slots", list);
	tv_set_bool(ctx, "has_staff_slots", ns > 0);
}

static void consultations_page(struct req *r, int status, const struct consult_view *v)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, msg("consult.title.index"), NAV_CHALLENGE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	if (v->alert)
		tv_set_str(ctx, "alert", v->alert);
	/* A rejected form may be far down the page: say so at the top. */
	if (v->slot_form)
		tv_set_str(ctx, "form_alert", "#slot-form");
	else if (v->book_form)
		tv_set_str(ctx, "form_alert",
			   arena_printf(&r->arena, "#slot-%lld", (long long)v->book_slot));
	else if (v->notes_form)
		tv_set_str(
		    ctx, "form_alert",
		    arena_printf(&r->arena, "#staff-booking-%lld", (long long)v->notes_booking));
	bool staff = who_is_staff(r->user);
	tv_set_bool(ctx, "is_staff", staff);
	tv_set_bool(ctx, "is_admin", who_is_admin(r->user));
	tv_set_bool(ctx, "can_record_division", staff || who_has(r->user, ROLE_DIVISION));
	db_read_begin(db);
	member_part(r, db, ctx, now, v);
	if (staff)
		staff_part(r, db, ctx, now, v);
	db_read_end(db);
	page_render(r, status, "consultations/index", ctx);
}

void h_consultations(struct req *r)
{
	struct consult_view v = {0};
	consultations_page(r, 200, &v);
}

/* The status and page for a refused domain operation; why (may be NULL)
 * is its message key. */
static void refuse(struct req *r, enum rc rc, const char *why)
{
	const char *text = msg(why ? why : consultation_rc_key(rc));
	switch (rc) {
	case RC_CONFLICT:
	case RC_CLOSED:
	case RC_STATE: {
		struct consult_view v = {.alert = text};
		consultations_page(r, rc_status(rc), &v);
		return;
	}
	default:
		web_error(r, rc_status(rc), text);
	}
}

/* Whether id is one of the choices c[0..n). */
static bool offered(const struct consultation_choice *c, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].id == id)
			return true;
	return false;
}

/* Check the chosen call of field i against the calls the form offers. */
static void check_call(struct db *db, struct arena *a, struct form *f, size_t i)
{
	if (!f->v[i].present || f->v[i].error)
		return;
	struct consultation_choice *calls = NULL;
	size_t n = 0;
	consultation_calls(db, a, MAX_CALLS, &calls, &n);
	if (!offered(calls, n, f->v[i].i))
		form_error(f, i, "consult.err.choose_call");
}

void h_consultation_slot_create(struct req *r)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !call_check_form(r, slot_fields, SF__MAX, &f))
		return;
	int64_t now = (int64_t)time(NULL);
	int64_t starts = f.v[SF_STARTS].i, ends = f.v[SF_ENDS].i;
	if (!f.v[SF_STARTS].error && starts <= now)
		form_error(&f, SF_STARTS, "consult.err.starts_past");
	else if (!f.v[SF_STARTS].error && starts > now + (int64_t)MAX_SLOT_AHEAD_DAYS * 86400)
		form_error(&f, SF_STARTS, "consult.err.starts_too_far");
	if (!f.v[SF_STARTS].error && !f.v[SF_ENDS].error) {
		if (ends <= starts)
			form_error(&f, SF_ENDS, "consult.err.ends_before_starts");
		else if (ends - starts > MAX_SLOT_HOURS * 3600)
			form_error(&f, SF_ENDS,
				   msgf(&r->arena, "consult.err.slot_too_long",
					arena_printf(&r->arena, "%d", MAX_SLOT_HOURS)));
	}
	bool online = f.v[SF_ONLINE].i != 0;
	if (!f.v[SF_PLACE].present && !online && !f.v[SF_PLACE].error)
		form_error(&f, SF_PLACE, "consult.err.place_or_online");
	if (f.nerrors) {
		struct consult_view v = {.slot_form = &f};
		consultations_page(r, 422, &v);
		return;
	}
	int64_t id;
	enum rc rc = consultation_slot_create(db, r->user->id, starts, ends, form_s(&f, SF_PLACE),
					      online, r->user->id, &id);
	if (rc != RC_OK) {
		refuse(r, rc, NULL);
		return;
	}
	page_flash(r, "slot_created");
	resp_redirect(r, "/consultations#staff");
}

/* The slot or booking id of the route, for a form with no fields of its
 * own (a cancel button), which still goes through the declared-field
 * check so that stray keys are refused.  -1 when the answer is sent. */
static int64_t button_target(struct req *r)
{
	int64_t id = req_param_id(r, 0);
	struct form f;
	if (id < 0) {
		web_error(r, 404, msg("consult.err.not_found"));
		return -1;
	}
	return call_check_form(r, NULL, 0, &f) ? id : -1;
}

void h_consultation_slot_cancel(struct req *r)
{
	struct db *db = page_db(r);
	int64_t id;
	if (!db || (id = button_target(r)) < 0)
		return;
	enum rc rc = consultation_slot_cancel(db, id, r->user->id, who_is_admin(r->user),
					      (int64_t)time(NULL));
	if (rc != RC_OK) {
		refuse(r, rc, NULL);
		return;
	}
	page_flash(r, "slot_cancelled");
	resp_redirect(r, "/consultations#staff");
}

void h_consultation_book(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t slot = req_param_id(r, 0);
	if (slot < 0) {
		web_error(r, 404, msg("consult.err.not_found"));
		return;
	}
	struct form f;
	if (!call_check_form(r, book_fields, BF__MAX, &f))
		return;
	int64_t group = f.v[BF_GROUP].i, call = f.v[BF_CALL].i;
	if (!f.v[BF_GROUP].present) {
		form_error(&f, BF_GROUP, "consult.err.choose_group");
	} else if (!f.v[BF_GROUP].error) {
		struct membership *m;
		size_t nm = membership_list(db, a, r->user->id, &m);
		bool mine = false;
		for (size_t i = 0; i < nm; i++)
			mine |= m[i].group_id == group;
		if (!mine)
			form_error(&f, BF_GROUP, "consult.err.choose_own_group");
	}
	check_call(db, a, &f, BF_CALL);
	if (f.nerrors) {
		struct consult_view v = {.book_slot = slot, .book_form = &f};
		consultations_page(r, 422, &v);
		return;
	}
	int64_t id;
	const char *why;
	enum rc rc =
	    consultation_book(db, slot, group, call, r->user->id, (int64_t)time(NULL), &id, &why);
	if (rc != RC_OK) {
		refuse(r, rc, why);
		return;
	}
	page_flash(r, "booked");
	resp_redirect(r, "/consultations#mine");
}

void h_consultation_booking_cancel(struct req *r)
{
	struct db *db = page_db(r);
	int64_t id;
	if (!db || (id = button_target(r)) < 0)
		return;
	const char *why;
	enum rc rc = consultation_booking_cancel(db, id, r->user->id, who_is_admin(r->user),
						 (int64_t)time(NULL), &why);
	if (rc != RC_OK) {
		refuse(r, rc, why);
		return;
	}
	page_flash(r, "booking_cancelled");
	resp_redirect(r, who_is_staff(r->user) ? "/consultations#staff" : "/consultations#mine");
}

void h_consultation_booking_done(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	if (id < 0) {
		web_error(r, 404, msg("consult.err.not_found"));
		return;
	}
	struct form f;
	if (!call_check_form(r, notes_fields, NF__MAX, &f))
		return;
	if (f.nerrors) {
		struct consult_view v = {.notes_booking = id, .notes_form = &f};
		consultations_page(r, 422, &v);
		return;
	}
	enum rc rc = consultation_booking_done(db, id, form_s(&f, NF_NOTES), r->user->id,
					       who_is_admin(r->user), (int64_t)time(NULL));
	if (rc != RC_OK) {
		refuse(r, rc, NULL);
		return;
	}
	page_flash(r, "consult_done");
	resp_redirect(r,
		      arena_printf(&r->arena, "/consultations#staff-booking-%lld", (long long)id));
}

/* ---- division consultations ---------------------------------------------- */

/* Division staff record for their own division only; their division comes
 * from users.division_id.  *own is the division (id 0 when not set). */
static bool division_scope(struct req *r, struct db *db, struct consultation_choice *own)
{
	own->id = 0;
	own->name = "";
	if (who_is_staff(r->user))
		return false;
	if (consultation_user_division(db, &r->arena, r->user->id, own) != RC_OK)
		own->id = 0;
	return true;
}

static void division_page(struct req *r, int status, const struct form *f)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("consult.title.division"), NAV_CHALLENGE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	db_read_begin(db);
	struct consultation_choice own;
	bool restricted = division_scope(r, db, &own);
	tv_set_bool(ctx, "restricted", restricted);
	tv_set_bool(ctx, "no_division", restricted && own.id == 0);
	tv_set_str(ctx, "own_division", own.name);

	struct tv *fields = page_form(r, ctx, record_fields, DF__MAX, f, NULL);
	page_field_set(fields, "group", "hint", tv_str(a, msg("consult.hint.group")));
	page_field_set(fields, "notes", "hint", tv_str(a, msg("consult.hint.division_notes")));
	struct consultation_choice *calls = NULL, *divs = NULL;
	size_t ncalls = 0, ndivs = 0;
	consultation_calls(db, a, MAX_CALLS, &calls, &ncalls);
	struct tv *call_field = tv_get(fields, "call");
	tv_set_bool(call_field, "select", true);
	tv_set(
	    call_field, "options",
	    choice_options(a, calls, ncalls, f ? f->v[DF_CALL].i : 0, msg("consult.choice.none")));
	if (!restricted) {
		consultation_divisions(db, a, MAX_DIVISIONS, &divs, &ndivs);
		struct tv *div_field = tv_get(fields, "division");
		tv_set_bool(div_field, "select", true);
		tv_set_bool(div_field, "required", true);
		tv_set(div_field, "options",
		       choice_options(a, divs, ndivs, f ? f->v[DF_DIVISION].i : 0,
				      msg("web.select_prompt")));
	}
	tv_set_bool(ctx, "show_division_field", !restricted);

	struct division_consultation *rows = NULL;
	size_t n = 0;
	if (!restricted || own.id)
		division_consultation_list(db, a, restricted ? own.id : 0, MAX_DIVISION_ROWS, &rows,
					   &n);
	db_read_end(db);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		struct buf b = BUF_INIT;
		jp_wareki_date(&b, (int)(rows[i].held_on / 10000),
			       (int)(rows[i].held_on / 100 % 100), (int)(rows[i].held_on % 100),
			       true);
		tv_set_str(o, "held_on", call_take(a, &b));
		tv_set_int(o, "group_id", rows[i].group_id);
		tv_set_str(o, "group", rows[i].group_name);
		tv_set_str(o, "call", rows[i].call_title);
		tv_set_str(o, "division", rows[i].division_name);
		tv_set_str(o, "notes", rows[i].notes);
		tv_set_str(o, "recorded_by", rows[i].recorded_by_name);
		tv_push(list, o);
	}
	tv_set(ctx, "records", list);
	tv_set_bool(ctx, "has_records", n > 0);
	page_render(r, status, "consultations/division", ctx);
}

void h_consultations_division(struct req *r)
{
	division_page(r, 200, NULL);
}

/* The group named by its exact name or by its number, or 0 with an error
 * on the field. */
static int64_t read_group(struct req *r, struct db *db, struct form *f)
{
	struct arena *a = &r->arena;
	const char *s = form_s(f, DF_GROUP);
	const char *key = text_search_key(a, s, strlen(s));
	int64_t id;
	if (str_to_i64(str_c(key), 1, INT64_MAX, &id) == 0) {
		if (membership_group_name(db, a, id))
			return id;
	} else {
		struct db_stmt *st = db_stmt(db, STMT_GROUP_BY_NAME);
		db_bind_str(st, 1, s);
		if (db_step(st) == DB_ROW) {
			id = db_int(st, 0);
			db_reset(st);
			return id;
		}
	}
	form_error(f, DF_GROUP, msgf(a, "consult.err.no_group", s));
	return 0;
}

void h_consultation_division_record(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	if (!call_check_form(r, record_fields, DF__MAX, &f))
		return;
	struct consultation_choice own;
	bool restricted = division_scope(r, db, &own);
	if (restricted && own.id == 0) {
		web_error(r, 403, msg("consult.err.no_own_division"));
		return;
	}
	int64_t group = f.v[DF_GROUP].error ? 0 : read_group(r, db, &f);
	int64_t division = restricted ? own.id : f.v[DF_DIVISION].i;
	if (restricted && f.v[DF_DIVISION].present && f.v[DF_DIVISION].i != own.id) {
		/* The form offers no choice of division to division staff. */
		web_error(r, 403, msg("consult.err.other_division"));
		return;
	}
	if (!restricted && !f.v[DF_DIVISION].error) {
		struct consultation_choice *divs = NULL;
		size_t n = 0;
		consultation_divisions(db, a, MAX_DIVISIONS, &divs, &n);
		if (!offered(divs, n, division))
			form_error(&f, DF_DIVISION, "consult.err.choose_division");
	}
	int64_t call = f.v[DF_CALL].i;
	check_call(db, a, &f, DF_CALL);
	if (!f.v[DF_HELD_ON].error) {
		struct jst t;
		jp_unix_to_jst((int64_t)time(NULL), &t);
		if (f.v[DF_HELD_ON].i > (int64_t)t.y * 10000 + t.m * 100 + t.d)
			form_error(&f, DF_HELD_ON, "consult.err.held_on_future");
	}
	if (f.nerrors) {
		division_page(r, 422, &f);
		return;
	}
	int64_t id;
	enum rc rc = division_consultation_record(db, group, call, division, f.v[DF_HELD_ON].i,
						  form_s(&f, DF_NOTES), r->user->id, &id);
	if (rc != RC_OK) {
		/* A group or call that vanished meanwhile is a problem with the
		 * input, not a missing page. */
		web_error(r, rc == RC_NOT_FOUND ? 422 : 503, msg(consultation_rc_key(rc)));
		return;
	}
	page_flash(r, "division_recorded");
	resp_redirect(r, "/consultations/division");
}
