/*
 * review_internal: what the parts of the screening module share
 * (review_setup.c, review_sheet.c, review_decide.c).  Not for other
 * modules: they include challenge/review.h.
 */
#ifndef KYODO_REVIEW_INTERNAL_H
#define KYODO_REVIEW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "challenge/review.h"
#include "store/row.h"

#define DAY (24 * 60 * 60)

/* Column i of the current row, copied into a ("" for NULL). */
static inline const char *review_col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return s ? arena_strndup(a, s, db_len(st, i)) : "";
}

/* Is key one of keys[] (NULL-terminated)? */
static inline bool review_is_key(const char *const *keys, const char *key)
{
	for (size_t i = 0; key && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/* The upper bound of a score on criterion c in stage s. */
static inline int64_t review_score_max(const struct review_stage *s,
				       const struct review_criterion *c)
{
	return c->max_score < s->scale_max ? c->max_score : s->scale_max;
}

/* Set *w (when not NULL) to key with up to three arguments (NULL ends
 * them); returns rc, so that a refusal reads `return review_refuse(...)`. */
enum rc review_refuse(struct review_why *w, enum rc rc, const char *key, const char *a1,
		      const char *a2, const char *a3);

/* "%lld" of v in the arena: the catalogue's arguments are strings. */
const char *review_num(struct arena *a, int64_t v);

/* The words of a label key from review_label() (the value itself when it
 * is unknown). */
const char *review_label_text(const char *const *keys, const char *const *labels, const char *key);

/*
 * Every row of the already bound statement st, each read with read into an
 * arena array of size-byte elements.  Returns the array (NULL when empty)
 * with *n its length; *rc is RC_OK, or RC_ERROR when a step failed.
 */
void *review_rows(struct db_stmt *st, struct arena *a, size_t size, db_read_fn read, size_t *n,
		  enum rc *rc);

/* review_rows() of statement id with ?1 bound to key: the list
 * counterpart of db_get(). */
void *review_list(struct db *db, enum stmt id, int64_t key, struct arena *a, size_t size,
		  db_read_fn read, size_t *n, enum rc *rc);

/* The first row of the already bound statement st, read with read:
 * RC_OK, RC_NOT_FOUND when there is none, RC_ERROR (db_get() for
 * statements with more than one key). */
enum rc review_first(struct db_stmt *st, struct arena *a, db_read_fn read, void *out);

/* Write the audit entry (action on entity id) and commit the transaction:
 * RC_OK, or RC_ERROR with the transaction rolled back when either fails,
 * so that no change goes unrecorded. */
enum rc review_audit_commit(struct db *db, int64_t user_id, const char *action, const char *entity,
			    int64_t id, const char *summary);

/* Run a statement that takes the stage id as ?1 only. */
int review_exec_stage(struct db *db, enum stmt id, int64_t stage_id);

/* The stage's entrant for proposal_id, or NULL. */
const struct review_entrant *review_find_entrant(const struct review_entrant *es, size_t n,
						 int64_t proposal_id);

/* Does statement id with ?1 k1 and ?2 k2 give a row? */
bool review_exists(struct db *db, enum stmt id, int64_t k1, int64_t k2);

/* Is user_id a reviewer-role user who is not disabled? */
bool review_is_reviewer(struct db *db, int64_t user_id);

/*
 * Who is assigned to what, loaded once for a whole stage (the dashboard
 * and the ranking ask for every reviewer × proposal pair).
 */
struct review_assignment {
	bool chosen;
	struct review_reviewer *reviewers; /* every reviewer-role user */
	size_t nreviewers;
	struct review_assignee *rows; /* chosen rows */
	size_t nrows;
};
enum rc review_assignment_load(struct db *db, struct arena *a, const struct review_stage *s,
			       struct review_assignment *as);
/* Is reviewer i of as (an index into as->reviewers) assigned to category? */
bool review_assigned_to(const struct review_assignment *as, size_t i, int64_t category_id);
/* Is reviewer i assigned to anything at all? */
bool review_assigned_any(const struct review_assignment *as, size_t i);

/* A stage's recusals and sheet statuses, loaded once. */
struct review_recusal_row {
	int64_t proposal_id, user_id;
	bool automatic;
};
struct review_sheet_row {
	int64_t proposal_id, user_id;
	bool submitted;
};
enum rc review_load_recusals(struct db *db, struct arena *a, int64_t stage_id,
			     struct review_recusal_row **out, size_t *n);
enum rc review_load_sheet_rows(struct db *db, struct arena *a, int64_t stage_id,
			       struct review_sheet_row **out, size_t *n);
bool review_recused_in(const struct review_recusal_row *r, size_t n, int64_t proposal_id,
		       int64_t user_id);
/* The sheet of user_id on proposal_id: NULL when there is none. */
const struct review_sheet_row *review_sheet_in(const struct review_sheet_row *r, size_t n,
					       int64_t proposal_id, int64_t user_id);

#endif
