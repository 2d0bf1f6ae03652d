/*
 * call_pages: what the challenge program's pages share (internal to
 * src/challenge): the template values of a call, the 和暦 labels they
 * show, and the declared-field check every form of these pages starts with.
 * call_pages.c (public pages and API) defines them; call_admin_pages.c,
 * consultation_pages.c and adoption_pages.c use them.
 */
#ifndef KYODO_CALL_PAGES_H
#define KYODO_CALL_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "challenge/call.h"
#include "http/req.h"
#include "util/form.h"
#include "view/tmpl.h"

/* 令和7年5月30日(金) 17:00 (JST). */
const char *call_jst_label(struct arena *a, int64_t t);
/* 令和7年度. */
const char *call_fy_label(struct arena *a, int64_t fy);
/* 令和8年3月31日 for an ISO date (with the weekday when with_weekday),
 * or NULL when it is empty or invalid. */
const char *call_date_label(struct arena *a, const char *iso, bool with_weekday);
/* An arena copy of b's text ("" when empty); releases b. */
const char *call_take(struct arena *a, struct buf *b);

/* The title of a milestone: its label, else its kind's. */
const char *call_milestone_title(const struct milestone *m);

/*
 * The values the program page, the home page and the admin pages share:
 * {id, url, title, program_name, fy_label, status, status_label,
 * status_badge, countdown, next_deadline, opens, categories, ...}.
 */
struct tv *call_tv(struct req *r, const struct call_view *v, int64_t now);
/* The schedule: [{id, kind, kind_label, title, label, when, place, done, current}]. */
struct tv *call_timeline_tv(struct req *r, const struct call_view *v, int64_t now);
/* call_tv() with the timeline (timeline, has_timeline) and, when
 * documents, the guide documents (documents: [{id, file_id, title, meta}],
 * has_documents). */
struct tv *call_full_tv(struct req *r, const struct call_view *v, int64_t now, bool documents);

/* Make field name of a page_form() a <select> of values[0..n) shown as
 * labels[0..n) (words), after a blank option (web.select_prompt); chosen
 * (may be NULL) is selected. */
void call_select_options(struct req *r, struct tv *fields, const char *name,
			 const char *const *values, const char *const *labels, size_t n,
			 const char *chosen);

/* Give the date-time values of a re-displayed form f (may be NULL) their
 * capital T back, which datetime-local inputs need (util/form.c keeps
 * them case-folded: "2025-04-01t09:00"). */
void call_datetime_values(struct req *r, struct tv *fields, const struct form *f);

/*
 * Validate the posted form r->form against spec into f.  A form we did not
 * draw (an undeclared or repeated key) is answered here with a 400 and
 * false returned; field errors are left in f for the page.
 */
bool call_check_form(struct req *r, const struct field_spec *spec, size_t n, struct form *f);
/* Validate the query r->args against spec into f; any problem at all is
 * answered with a 400 saying msg(key), and false returned. */
bool call_check_query(struct req *r, const struct field_spec *spec, size_t n, struct form *f,
		      const char *key);

#endif
