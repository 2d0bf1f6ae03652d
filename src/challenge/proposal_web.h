/*
 * proposal_web: what the proposal pages (proposal_pages.c), the office's
 * list and exports (proposal_office.c) and the JSON API (proposal_api.c)
 * share.  Not for other modules.
 */
#ifndef KYODO_PROPOSAL_WEB_H
#define KYODO_PROPOSAL_WEB_H

#include "challenge/proposal.h"
#include "http/req.h"
#include "view/tmpl.h"

/* The most of a user's own proposals listed (pages and API). */
#define PROPOSALS_MINE_MAX 200

int64_t proposal_web_now(void);

/*
 * The form-check prologue: validate kv[0..nkv) against spec[0..n) into f.
 * An undeclared or repeated key (and, when strict, any field error) is a
 * malformed request: answers 400 with the message key why and returns
 * false.  Otherwise true, with f's field errors left for the caller.
 */
bool proposal_web_check(struct req *r, const struct field_spec *spec, size_t n, const struct kv *kv,
			size_t nkv, bool strict, const char *why, struct form *f);

/*
 * Load the proposal of the route ({id}) into p when the user may act on it
 * (proposal_access).  Answers and returns false otherwise: 404 when it does
 * not exist, or when act is ACCESS_VIEW and it is not the user's to see
 * (its existence is not revealed); 403 for any other act refused.
 */
bool proposal_web_load(struct req *r, struct db *db, enum access_act act, struct proposal *p);

/* proposal_web_load() for ACCESS_EDIT of a proposal its applicants may
 * still change: 409 when its status does not allow it. */
bool proposal_web_load_draft(struct req *r, struct db *db, struct proposal *p);

/* The words of a status (the stored value for one this module does not
 * know), and of a submission problem. */
const char *proposal_web_status(const char *status);
const char *proposal_web_problem(struct arena *a, const struct proposal_problem *p);

/* 令和7年度 for 2025; the visible date of t (NULL for 0). */
const char *proposal_web_fiscal_year(struct arena *a, int64_t fy);
const char *proposal_web_when(struct arena *a, int64_t t);

/* The rows of a list into ctx ("proposals", "has_proposals"), as
 * templates/proposals/list.html draws them. */
void proposal_web_list(struct arena *a, struct tv *ctx, const struct proposal_summary *items,
		       size_t n);

/* <option>s {value, label, selected}: blank_key's words for "" first,
 * then ids[i] labelled labels[i]. */
struct tv *proposal_web_options(struct arena *a, const char *blank_key, const int64_t *ids,
				const char *const *labels, size_t n, int64_t chosen);

/*
 * The submission problems of a form that has field errors too (nothing
 * when d does not submit): a part whose rows have errors is judged on its
 * good rows only, so its problem (e.g. "no expense line" while the one
 * line has a bad price) would mislead and is left out until the rows are
 * fixed.
 */
size_t proposal_web_draft_problems(struct db *db, struct arena *a, const struct proposal *p,
				   const struct proposal_draft *d, const struct form *f,
				   struct proposal_problem **out);

/* The office's list (proposal_office.c), for h_proposals. */
void proposal_office_list(struct req *r, struct db *db);

#endif
