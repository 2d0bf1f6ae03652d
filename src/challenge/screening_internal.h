/*
 * screening_internal: what the screening pages share (screening_common.c),
 * for screening_setup.c (the office's set-up of stages), screening_review.c
 * (the reviewers' workspace) and screening_office.c (completion, ranking,
 * decisions, corrections and presentations).  Not for other modules.
 */
#ifndef KYODO_SCREENING_INTERNAL_H
#define KYODO_SCREENING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "challenge/call.h"
#include "challenge/review.h"
#include "http/req.h"
#include "util/form.h"

struct tv;

/* The clock, in Unix seconds. */
int64_t scr_now(void);

/* ---- formatting ---- */

/* page_datetime() of t, or NULL for 0. */
const char *scr_when(struct arena *a, int64_t t);
/* 令和7年度 */
const char *scr_fy_label(struct arena *a, int64_t fy);
/* The value of a datetime-local control: 2025-06-09T09:00 in JST. */
const char *scr_dt_value(struct arena *a, int64_t t);
/* "%lld" of v. */
const char *scr_num(struct arena *a, int64_t v);
/* The words of the label of stored value key (review_label()), or key
 * itself when it is unknown. */
const char *scr_label(const char *const *keys, const char *const *labels, const char *key);
/* A proposal's title, or 「（事業名未定）」 when it has none yet. */
const char *scr_title(const char *title);
/* The words of why, or of review_rc_key(rc) when why has no key. */
const char *scr_why(struct req *r, enum rc rc, const struct review_why *why);

/* Make field name a <select> of keys (shown as their labels' words),
 * chosen selected. */
void scr_choice_field(struct req *r, struct tv *fields, const char *name, const char *const *keys,
		      const char *const *labels, const char *chosen);
/* Set field name's hint to the words text. */
void scr_hint(struct req *r, struct tv *fields, const char *name, const char *text);
/* Everything a page says about a stage. */
struct tv *scr_stage_tv(struct req *r, const struct review_stage *s, int64_t now);
/* "decision" and "decision_badge" of e into o, when e is decided. */
void scr_decision_tv(struct tv *o, const struct review_entrant *e);

/* ---- the prologue of a handler ---- */

/* The database and the stage of route parameter 0 (with its criteria when
 * asked for). */
struct scr_stage {
	struct db *db;
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
};

/* Load x for r: false (the answer sent: 503, or 404 when there is no such
 * stage) when it cannot. */
bool scr_open_stage(struct req *r, struct scr_stage *x, bool with_criteria);

/* scr_open_stage() with its criteria, and *pid the proposal of route
 * parameter 1 (404 when it is not an id). */
bool scr_open_proposal(struct req *r, struct scr_stage *x, int64_t *pid);

/* The database, the call of route parameter 0 and its stages. */
struct scr_call {
	struct db *db;
	struct call c;
	struct review_stage *stages;
	size_t n;
};

/* Load x for a GET without a query: false (the answer sent: 400, 404 when
 * there is no such call, or it is not published and published is asked
 * for, 503) when it cannot. */
bool scr_open_call(struct req *r, struct scr_call *x, bool published);
/* The call's object for a page: id, title, fy_label. */
struct tv *scr_call_tv(struct req *r, const struct call *c);

/* Validate r's form against spec: false (400 sent) for unknown or repeated
 * keys.  Field errors stay in f for the page to show. */
bool scr_check_form(struct req *r, const struct field_spec *spec, size_t n, struct form *f);
/* For requests that take no query (GET) or no fields (POST): false (400
 * sent) when some were sent.  (A query with fields: page_query().) */
bool scr_no_query(struct req *r);
bool scr_no_fields(struct req *r);
/* Route parameter i as an id: false (404 sent, with the words of key)
 * when it is not one. */
bool scr_param(struct req *r, size_t i, const char *key, int64_t *id);

/* Answer a refused write with the status its rc calls for (rc_status())
 * and the words of why. */
void scr_refuse(struct req *r, enum rc rc, const struct review_why *why);
/* The same with the reason key alone. */
void scr_refuse_key(struct req *r, enum rc rc, const char *key);

/* After a write: the flash code (web.flash.*), and see url. */
void scr_done(struct req *r, const char *flash, const char *url);

/* ---- the score sheet form (a reviewer's, or an admin's correction) ---- */

/*
 * The fields of a score sheet: score_<criterion id> for each criterion (an
 * integer within the stage's scale and the criterion's maximum), the
 * comment, then either the reviewer's action (draft / submit) or, for an
 * admin's correction, the reason: n + 2 fields.
 */
struct field_spec *scr_sheet_spec(struct arena *a, const struct review_stage *s,
				  const struct review_criterion *c, size_t n, bool correction);
/* The scale's message in place of the generic number one (「公益性は0〜5の
 * 整数で入力してください」).  complete: every score is required. */
void scr_sheet_messages(struct arena *a, struct form *f, size_t n, bool complete);
/* The scores and comment of a validated sheet form. */
void scr_sheet_input(struct arena *a, const struct form *f, size_t n, struct review_input *in);
/* The sheet form into sub (its own context): the fields, the list
 * score_fields in criteria order, and the hints; sh gives the defaults. */
void scr_sheet_form(struct req *r, struct tv *sub, const struct review_stage *s,
		    const struct review_criterion *c, size_t n, const struct field_spec *spec,
		    const struct form *f, const struct review_sheet *sh, size_t nfields);

#endif
