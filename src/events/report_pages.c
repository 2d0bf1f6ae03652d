/*
 * Event reports (開催報告): the form organisers fill in after an event
 * (GET/POST /events/{id}/report), and the report as the event page and the
 * series history show it (templates/events/_report.html,
 * events/_report_short.html).
 *
 * The voices and free-talk notes are rows of numbered fields (voice1_quote,
 * note1_place ...) so that the form works without JavaScript: the page
 * draws the saved rows plus a few empty ones, and empty rows are dropped
 * on save.  The graphic minutes are an upload (not a form key) checked by
 * files.c; its text summary is required whenever there is an image.  The
 * words are the catalogue's reports.* keys.
 */
#include "core/who.h"
#include "events/event.h"
#include "events/event_report.h"
#include "events/handlers.h"
#include "events/registration_pages.h"
#include "files/files.h"
#include "groups/group.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

/* The largest graphic-minutes image accepted. */
#define GRAPHIC_MAX_BYTES ((size_t)10 << 20)
/* Empty rows drawn after the saved ones (and at least this many rows). */
#define SPARE_ROWS 2
#define MIN_ROWS   4

static const char *const graphic_field = "graphic";

enum {
	RF_PARTICIPANTS,
	RF_MINUTES,
	RF_SUMMARY,
	RF_REMOVE,
	RF_VOICES,				      /* REPORT_MAX_VOICES pairs: quote, speaker */
	RF_NOTES = RF_VOICES + 2 * REPORT_MAX_VOICES, /* pairs: place, notes */
	RF__MAX = RF_NOTES + 2 * REPORT_MAX_NOTES,
};

/* Row n's fields; each label is the key reports.field.<name>. */
#define VOICE(n)                                                                                   \
	{"voice" #n "_quote", "reports.field.voice" #n "_quote", F_TEXT, false, 500, 0, 0, NULL},  \
	{                                                                                          \
		"voice" #n "_speaker", "reports.field.voice" #n "_speaker", F_LINE, false, 100, 0, \
		    0, NULL                                                                        \
	}
#define NOTE(n)                                                                                    \
	{"note" #n "_place", "reports.field.note" #n "_place", F_LINE, false, 100, 0, 0, NULL},    \
	{                                                                                          \
		"note" #n "_text", "reports.field.note" #n "_text", F_TEXT, false, 4000, 0, 0,     \
		    NULL                                                                           \
	}

static const struct field_spec report_fields[RF__MAX] = {
    [RF_PARTICIPANTS] = {"participants", "reports.field.participants", F_INT, true, 6, 0,
			 REPORT_MAX_PARTICIPANTS, NULL},
    [RF_MINUTES] = {"minutes", "reports.field.minutes", F_TEXT, false, 20000, 0, 0, NULL},
    [RF_SUMMARY] = {"graphic_summary", "reports.field.graphic_summary", F_TEXT, false, 4000, 0, 0,
		    NULL},
    [RF_REMOVE] = {"graphic_remove", "reports.field.graphic_remove", F_BOOL, false, 5, 0, 0, NULL},
    VOICE(1),
    VOICE(2),
    VOICE(3),
    VOICE(4),
    VOICE(5),
    VOICE(6),
    VOICE(7),
    VOICE(8),
    VOICE(9),
    VOICE(10),
    VOICE(11),
    VOICE(12),
    NOTE(1),
    NOTE(2),
    NOTE(3),
    NOTE(4),
    NOTE(5),
    NOTE(6),
    NOTE(7),
    NOTE(8),
    NOTE(9),
    NOTE(10),
    NOTE(11),
    NOTE(12),
};
_Static_assert(RF_NOTES - RF_VOICES == 2 * REPORT_MAX_VOICES, "one VOICE() per row");
_Static_assert(RF__MAX - RF_NOTES == 2 * REPORT_MAX_NOTES, "one NOTE() per row");

/* Text split into its non-empty lines, as a list of {text} for templates
 * (summaries and notes are shown as paragraphs, never as raw HTML). */
static struct tv *paragraphs(struct arena *a, const char *s)
{
	struct tv *list = tv_list(a);
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n > 0) {
			struct tv *o = tv_obj(a);
			tv_set(o, "text", tv_strn(a, s, n));
			tv_push(list, o);
		}
		s = nl ? nl + 1 : NULL;
	}
	return list;
}

static const char *report_url(struct arena *a, int64_t event_id)
{
	return arena_printf(a, "/events/%lld/report", (long long)event_id);
}

/* The report as templates/events/_report.html draws it. */
static struct tv *report_tv(struct arena *a, const struct event_report *rep)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "participants", rep->participants);
	tv_set_str(o, "participants_line",
		   msgf(a, "reports.participants_line",
			arena_printf(a, "%lld", (long long)rep->participants)));
	if (rep->minutes && *rep->minutes)
		tv_set(o, "minutes_html", tv_raw(a, markdown_html(a, rep->minutes)));
	if (rep->graphic_file_id > 0) {
		struct tv *g = tv_obj(a);
		tv_set_str(g, "src",
			   arena_printf(a, "/files/%lld", (long long)rep->graphic_file_id));
		tv_set_str(g, "alt", rep->graphic_summary);
		tv_set(g, "summary", paragraphs(a, rep->graphic_summary));
		tv_set(o, "graphic", g);
	}
	struct tv *voices = tv_list(a);
	for (size_t i = 0; i < rep->nvoices; i++) {
		struct tv *v = tv_obj(a);
		tv_set_str(v, "quote", rep->voices[i].quote);
		if (*rep->voices[i].speaker)
			tv_set_str(v, "speaker", rep->voices[i].speaker);
		tv_push(voices, v);
	}
	tv_set(o, "voices", voices);
	tv_set_bool(o, "has_voices", rep->nvoices > 0);
	struct tv *notes = tv_list(a);
	for (size_t i = 0; i < rep->nnotes; i++) {
		struct tv *v = tv_obj(a);
		tv_set_str(v, "place", rep->notes[i].place);
		tv_set(v, "paragraphs", paragraphs(a, rep->notes[i].notes));
		tv_push(notes, v);
	}
	tv_set(o, "notes", notes);
	tv_set_bool(o, "has_notes", rep->nnotes > 0);
	tv_set_str(o, "updated", page_datetime(a, rep->updated_at));
	tv_set_str(o, "updated_line",
		   msgf(a, "reports.updated_line", page_datetime(a, rep->updated_at)));
	return o;
}

void web_event_report(struct req *r, struct tv *ctx, const struct event *e)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	if (!db)
		return;
	struct event_report rep;
	if (event_report_get(db, a, e->id, &rep) == RC_OK)
		tv_set(ctx, "report", report_tv(a, &rep));
	if (r->user && event_may(db, r->user, e, ACCESS_MANAGE))
		tv_set_str(ctx, "report_url", report_url(a, e->id));
}

struct tv *web_event_report_short(struct req *r, const struct event *e)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct event_report_summary s;
	if (!db || event_report_summary(db, a, e->id, &s) != RC_OK)
		return NULL;
	/* 開催報告：参加者N名・フリートーク（A地区・B地区）・グラフィック議事録あり */
	struct buf b = BUF_INIT;
	buf_adds(&b, msgf(a, "reports.short.participants",
			  arena_printf(a, "%lld", (long long)s.participants)));
	if (s.nnotes) {
		struct buf places = BUF_INIT;
		for (size_t i = 0; i < s.nnotes; i++)
			buf_printf(&places, "%s%s", i ? msg("reports.short.places_sep") : "",
				   s.places[i]);
		buf_adds(&b, msgf(a, "reports.short.places", places.p));
		buf_release(&places);
	}
	if (s.has_graphic)
		buf_adds(&b, msg("reports.short.graphic"));
	struct tv *o = tv_obj(a);
	tv_set_int(o, "participants", s.participants);
	tv_set_bool(o, "has_graphic", s.has_graphic);
	tv_set_int(o, "nvoices", (int64_t)s.nvoices);
	tv_set_str(o, "line", arena_strndup(a, b.p, b.n));
	buf_release(&b);
	tv_set_str(o, "url", arena_printf(a, "/events/%lld#report", (long long)e->id));
	return o;
}

/* The event in route parameter 0 if the user may manage it; otherwise a
 * 404 (no such event) or 403 has been sent and false is returned. */
static bool load_event(struct req *r, struct db *db, struct event *e)
{
	return events_load_managed(r, db, e, "reports.err.no_event", "reports.err.forbidden");
}

/* Add a message (words) against the upload field to the page's error
 * summary. */
static void file_error_tv(struct arena *a, struct tv *ctx, const char *text)
{
	tv_set_str(ctx, "file_error", text);
	struct tv *e = tv_obj(a);
	tv_set_str(e, "field", graphic_field);
	tv_set_str(e, "label", msg("reports.field.graphic"));
	tv_set_str(e, "message", text);
	tv_push(tv_get(ctx, "errors"), e);
	tv_set_int(ctx, "error_count", (int64_t)tv_len(tv_get(ctx, "errors")));
}

/*
 * The report form for e: defaults from rep (NULL when none yet), or the
 * rejected form f with file_error for the upload.
 */
static void form_page(struct req *r, int status, const struct event *e,
		      const struct event_report *rep, const struct form *f, const char *file_error)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("reports.title.form"), NAV_EVENTS);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_str(ctx, "action", report_url(a, e->id));
	tv_set_str(ctx, "event_title", e->title);
	tv_set_str(ctx, "event_url", arena_printf(a, "/events/%lld", (long long)e->id));
	tv_set_str(ctx, "event_date", page_datetime(a, e->starts_at));
	const char *defaults[RF__MAX] = {0};
	size_t nv = 0, nn = 0;
	if (rep) {
		defaults[RF_PARTICIPANTS] = arena_printf(a, "%lld", (long long)rep->participants);
		defaults[RF_MINUTES] = rep->minutes;
		defaults[RF_SUMMARY] = rep->graphic_summary;
		for (size_t i = 0; i < rep->nvoices && i < REPORT_MAX_VOICES; i++) {
			defaults[RF_VOICES + 2 * i] = rep->voices[i].quote;
			defaults[RF_VOICES + 2 * i + 1] = rep->voices[i].speaker;
		}
		for (size_t i = 0; i < rep->nnotes && i < REPORT_MAX_NOTES; i++) {
			defaults[RF_NOTES + 2 * i] = rep->notes[i].place;
			defaults[RF_NOTES + 2 * i + 1] = rep->notes[i].notes;
		}
		nv = rep->nvoices;
		nn = rep->nnotes;
		if (rep->graphic_file_id > 0) {
			tv_set_str(ctx, "graphic_src",
				   arena_printf(a, "/files/%lld", (long long)rep->graphic_file_id));
			tv_set_str(ctx, "graphic_alt", rep->graphic_summary);
		}
	}
	if (f) {
		/* Keep every row the person filled in, even past the saved ones. */
		for (size_t i = 0; i < REPORT_MAX_VOICES; i++)
			if (f->v[RF_VOICES + 2 * i].present || f->v[RF_VOICES + 2 * i + 1].present)
				nv = i + 1;
		for (size_t i = 0; i < REPORT_MAX_NOTES; i++)
			if (f->v[RF_NOTES + 2 * i].present || f->v[RF_NOTES + 2 * i + 1].present)
				nn = i + 1;
	}
	struct tv *fields = page_form(r, ctx, report_fields, RF__MAX, f, defaults);
	page_field_set(fields, "participants", "type", tv_str(a, "number"));
	page_field_set(fields, "minutes", "hint", tv_str(a, msg("reports.hint.minutes")));
	page_field_set(fields, "graphic_summary", "hint",
		       tv_str(a, msg("reports.hint.graphic_summary")));
	if (file_error)
		file_error_tv(a, ctx, file_error);

	struct tv *voices = tv_list(a);
	size_t rows = nv + SPARE_ROWS < MIN_ROWS ? MIN_ROWS : nv + SPARE_ROWS;
	for (size_t i = 0; i < rows && i < REPORT_MAX_VOICES; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "n", (int64_t)i + 1);
		tv_set(o, "quote", tv_get(fields, report_fields[RF_VOICES + 2 * i].name));
		tv_set(o, "speaker", tv_get(fields, report_fields[RF_VOICES + 2 * i + 1].name));
		tv_push(voices, o);
	}
	tv_set(ctx, "voices", voices);
	struct tv *notes = tv_list(a);
	rows = nn + SPARE_ROWS < MIN_ROWS ? MIN_ROWS : nn + SPARE_ROWS;
	for (size_t i = 0; i < rows && i < REPORT_MAX_NOTES; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "n", (int64_t)i + 1);
		tv_set(o, "place", tv_get(fields, report_fields[RF_NOTES + 2 * i].name));
		tv_set(o, "text", tv_get(fields, report_fields[RF_NOTES + 2 * i + 1].name));
		tv_push(notes, o);
	}
	tv_set(ctx, "notes", notes);
	page_render(r, status, "events/report_form", ctx);
}

void h_event_report_form(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_event(r, db, &e))
		return;
	struct event_report rep;
	enum rc rc = event_report_get(db, &r->arena, e.id, &rep);
	if (rc == RC_ERROR) {
		web_error(r, 503, msg("reports.err.save_failed"));
		return;
	}
	form_page(r, 200, &e, rc == RC_OK ? &rep : NULL, NULL, NULL);
}

/* Rows of the form into rep (arena arrays), with errors on half-filled
 * rows: a speaker without a quote, a place without notes or the reverse. */
static void rows_from_form(struct arena *a, struct form *f, struct event_report *rep)
{
	rep->voices = arena_alloc(a, REPORT_MAX_VOICES * sizeof(*rep->voices));
	rep->notes = arena_alloc(a, REPORT_MAX_NOTES * sizeof(*rep->notes));
	for (size_t i = 0; i < REPORT_MAX_VOICES; i++) {
		size_t q = RF_VOICES + 2 * i, s = q + 1;
		if (!f->v[q].present && !f->v[s].present)
			continue;
		if (!f->v[q].present) {
			form_error(f, q, "reports.err.need_quote");
			continue;
		}
		rep->voices[rep->nvoices].quote = form_s(f, q);
		rep->voices[rep->nvoices].speaker = form_s(f, s);
		rep->nvoices++;
	}
	for (size_t i = 0; i < REPORT_MAX_NOTES; i++) {
		size_t p = RF_NOTES + 2 * i, t = p + 1;
		if (!f->v[p].present && !f->v[t].present)
			continue;
		if (!f->v[p].present) {
			form_error(f, p, "reports.err.need_place");
			continue;
		}
		if (!f->v[t].present) {
			form_error(f, t, "reports.err.need_text");
			continue;
		}
		rep->notes[rep->nnotes].place = form_s(f, p);
		rep->notes[rep->nnotes].notes = form_s(f, t);
		rep->nnotes++;
	}
}

void h_event_report_save(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_event(r, db, &e))
		return;
	struct arena *a = &r->arena;
	struct event_report old;
	enum rc orc = event_report_get(db, a, e.id, &old);
	if (orc == RC_ERROR) {
		web_error(r, 503, msg("reports.err.save_failed"));
		return;
	}
	const struct event_report *had = orc == RC_OK ? &old : NULL;
	/* An empty file input may arrive as a text part named like the file
	 * field: it means "no file", not an undeclared key. */
	size_t w = 0;
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, graphic_field) != 0 || r->form[i].len != 0)
			r->form[w++] = r->form[i];
	r->nform = w;
	struct form f;
	form_check(a, report_fields, RF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("reports.err.bad_fields"));
		return;
	}
	const struct upload *u = NULL;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *x = &r->uploads[i];
		if (strcmp(x->field, graphic_field) != 0 || u) {
			web_error(r, 400, msg("reports.err.bad_fields"));
			return;
		}
		if (x->filename && *x->filename)
			u = x;
	}

	struct event_report rep = {0};
	rep.event_id = e.id;
	rep.participants = f.v[RF_PARTICIPANTS].i;
	rep.minutes = form_s(&f, RF_MINUTES);
	rep.graphic_summary = form_s(&f, RF_SUMMARY);
	bool keep_old = had && had->graphic_file_id > 0 && !f.v[RF_REMOVE].i;
	if (keep_old)
		rep.graphic_file_id = old.graphic_file_id;
	rows_from_form(a, &f, &rep);
	if ((u || keep_old) && !f.v[RF_SUMMARY].present)
		form_error(&f, RF_SUMMARY, "reports.err.need_summary");

	/* The image is stored only when everything else is right, so that a
	 * rejected form leaves no orphan file behind. */
	const char *file_error = NULL;
	if (u && !f.nerrors) {
		int64_t file_id = 0;
		if (file_store(db, a, u, FILE_PNG | FILE_JPEG, GRAPHIC_MAX_BYTES, r->user->id,
			       &file_id, &file_error) != 0) {
			/* transitional: files.c's reason may still be words */
			file_error = file_error ? msg_or_text(file_error)
						: msg("reports.err.image_not_saved");
		} else {
			rep.graphic_file_id = file_id;
		}
	}
	if (f.nerrors || file_error) {
		form_page(r, 422, &e, had, &f, file_error);
		return;
	}
	enum rc rc = event_report_save(db, &rep, (int64_t)time(NULL), r->user->id);
	if (rc == RC_INVALID) {
		/* The form checks cover the domain rules; this is a guard. */
		form_page(r, 422, &e, had, &f, NULL);
		return;
	}
	if (rc != RC_OK) {
		web_error(r, 503, msg("reports.err.save_failed"));
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(a, "/events/%lld#report", (long long)e.id));
}

bool web_event_report_file_visible(struct req *r, struct db *db, const struct stored_file *f)
{
	(void)r;
	return event_report_file_public(db, f->id);
}
