/*
 * proposal_internal: what challenge/proposal.c (drafts, saving, lists) and
 * challenge/proposal_submit.c (submission, withdrawal, reopening, partner
 * confirmations) share.  Not for other modules: use proposal.h.
 */
#ifndef KYODO_PROPOSAL_INTERNAL_H
#define KYODO_PROPOSAL_INTERNAL_H

#include "challenge/proposal.h"

/* The proposal row and its children, inside the caller's (read or write)
 * transaction. */
enum rc proposal_read(struct db *db, struct arena *a, int64_t id, struct proposal *p);

/* p->partners of proposal p->id, as stored now. */
enum rc proposal_read_partners(struct db *db, struct arena *a, struct proposal *p);

/* The status stored now (inside the write transaction), with its receipt
 * sequence in *seq when seq is not NULL; NULL when there is no such
 * proposal or on error. */
const char *proposal_current_status(struct db *db, struct arena *a, int64_t id, int64_t *seq);

/* Write d into proposal p inside the caller's transaction: RC_STATE when
 * it is no longer editable, RC_INVALID with *why when too many files. */
enum rc proposal_write_draft(struct db *db, struct arena *a, const struct proposal *p,
			     const struct proposal_draft *d, int64_t now,
			     struct proposal_problem *why);

/* End the write transaction of an operation that came to rc: commit when
 * rc is RC_OK (RC_ERROR when the commit fails), else roll back.  Returns
 * the outcome. */
enum rc proposal_finish(struct db *db, enum rc rc);

/* Notify every member of group_id (notifications/outbox.h), linking to
 * proposal id.  DB_OK or an error. */
int proposal_notify_group(struct db *db, struct arena *a, int64_t group_id, const char *kind,
			  const char *subject, const char *body, int64_t id);

/* title, or the catalogue's words for a title not decided yet
 * (proposals.untitled), for the texts this module stores. */
const char *proposal_title_or_untitled(const char *title);

#endif
