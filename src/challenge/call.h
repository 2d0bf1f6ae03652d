/*
 * call: the challenge program's set-up — programs, their yearly calls (募集),
 * the categories (部門) of a call, its schedule of milestones, its guide
 * documents, and the partner divisions (担当課).
 *
 * Everything city-specific (names, caps, rules, dates) is data entered by
 * the office.  Times are Unix seconds; forms enter and pages show them in
 * JST (util/jp.h).  A category accepts submissions while
 * opens_at <= now <= deadline_at, to the second (category_is_open); the
 * status of a call (受付前 / 受付中 / 締切 / 審査中 / 結果発表済) is computed
 * from its categories and milestones, never stored (call_status).
 *
 * Loaders fill caller structs with strings in the caller's arena and return
 * an enum rc (core/rc.h).  Nothing here returns words: labels, form errors
 * and the countdown are message keys (calls.* in messages/ja.calls.msg).
 */
#ifndef KYODO_CALL_H
#define KYODO_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/form.h"
#include "util/str.h"

/* transitional: the old name of RC_OK, for cli/demo*.c; remove once they
 * say RC_OK. */
#define CALL_OK RC_OK

/* ---- partner divisions (担当課) ---- */

struct division {
	int64_t id;
	const char *name;    /* 子育て支援課 */
	const char *contact; /* phone / e-mail shown to applicants */
	bool archived;	     /* hidden from choices, kept for history */
};

/* Divisions by name; archived ones only when with_archived. */
enum rc division_list(struct db *db, struct arena *a, bool with_archived, struct division **list,
		      size_t *n);
enum rc division_get(struct db *db, struct arena *a, int64_t id, struct division *d);

/* ---- programs ---- */

struct program {
	int64_t id;
	const char *name;	 /* 協働のまちづくりチャレンジ事業 */
	const char *description; /* Markdown */
};

enum rc program_list(struct db *db, struct arena *a, struct program **list, size_t *n);
enum rc program_get(struct db *db, struct arena *a, int64_t id, struct program *p);

/* ---- calls (募集) ---- */

struct call {
	int64_t id;
	int64_t program_id;
	const char *program_name;
	int64_t fiscal_year; /* 2025 for 令和7年度 */
	const char *title;
	const char *description; /* Markdown */
	bool published;		 /* visible to the public */
	int64_t created_at, updated_at;
};

/* A category (部門): every column of call_categories. */
struct category {
	int64_t id;
	int64_t call_id;
	const char *name;	 /* 一般部門 */
	const char *short_name;	 /* 一般: used in receipt numbers (R7-一般-003) */
	const char *description; /* plain text */
	const char *eligibility; /* plain text */
	int64_t cap_yen;	 /* upper limit of the requested amount */
	int64_t min_members;
	int64_t min_groups; /* 2 for 団体連携部門 */
	bool needs_coordinator;
	bool needs_division;
	int64_t opens_at;
	int64_t deadline_at;		/* submissions accepted while now <= deadline_at */
	const char *implementation_end; /* ISO date "2026-03-31", or "" */
	int64_t expected_adoptions;
	int64_t position;
};

/* The schedule: the seven kinds, in their usual order. */
enum milestone_kind {
	MS_BRIEFING, /* 説明会 */
	MS_OPEN,     /* 受付開始 */
	MS_DEADLINE, /* 締切 */
	MS_REVIEW1,  /* 1次審査 */
	MS_REVIEW2,  /* 2次審査 */
	MS_ANNOUNCE, /* 採択発表 */
	MS_RESULTS,  /* 成果発表会 */
	MS__MAX
};
/* "briefing", "open", ... as stored; NULL-terminated (usable as F_CHOICE). */
extern const char *const milestone_kind_keys[MS__MAX + 1];
/* The message keys of their labels (説明会, 受付開始, ...); NULL-terminated. */
extern const char *const milestone_kind_label_keys[MS__MAX + 1];
/* The kind for a stored key, or -1. */
int milestone_kind_parse(const char *key);

struct milestone {
	int64_t id;
	int64_t call_id;
	enum milestone_kind kind;
	const char *label; /* free text; "" shows the kind's label */
	int64_t starts_at;
	int64_t ends_at; /* 0 when it is a point in time */
	const char *place;
};

struct call_document {
	int64_t id;
	int64_t call_id;
	int64_t file_id; /* served at /files/{file_id} */
	const char *title;
	int64_t position;
	const char *mime;
	int64_t size;
};

/* A call with everything its page shows. */
struct call_view {
	struct call call;
	struct category *categories; /* by position, id */
	size_t ncategories;
	struct milestone *milestones; /* by starts_at */
	size_t nmilestones;
	struct call_document *documents; /* by position, id */
	size_t ndocuments;
};

enum rc call_get(struct db *db, struct arena *a, int64_t id, struct call *c);
/* call_get plus categories, milestones and documents. */
enum rc call_load(struct db *db, struct arena *a, int64_t id, struct call_view *v);

/* Calls, newest fiscal year first; unpublished ones only when with_unpublished. */
enum rc call_list(struct db *db, struct arena *a, bool with_unpublished, struct call **list,
		  size_t *n);

/*
 * The call to feature at time now: the published call one of whose
 * categories is open at now (the earliest deadline wins), else the published
 * call with the latest fiscal year.  RC_NOT_FOUND when nothing is published.
 */
enum rc call_current(struct db *db, struct arena *a, int64_t now, struct call *c);

/* The categories of call_id, by position, id. */
enum rc call_categories(struct db *db, struct arena *a, int64_t call_id, struct category **list,
			size_t *n);
enum rc category_get(struct db *db, struct arena *a, int64_t id, struct category *c);

/* opens_at <= now <= deadline_at: one second after the deadline is closed. */
bool category_is_open(const struct category *c, int64_t now);

enum call_status {
	CALL_STATUS_BEFORE,    /* 受付前 */
	CALL_STATUS_OPEN,      /* 受付中 */
	CALL_STATUS_CLOSED,    /* 締切 */
	CALL_STATUS_REVIEW,    /* 審査中 */
	CALL_STATUS_ANNOUNCED, /* 結果発表済 */
	CALL_STATUS__MAX
};

/*
 * The status of v at now:
 * - 結果発表済 once the (last) 採択発表 milestone has started;
 * - else 受付中 while any category is open;
 * - else 受付前 while some category has yet to open (or nothing is set);
 * - else (every deadline passed) 審査中 once the first 1次審査 milestone has
 *   started, otherwise 締切.
 * A call without categories uses its 受付開始 and 締切 milestones instead.
 */
enum call_status call_status(const struct call_view *v, int64_t now);
/* "open", "before", ...: the API's key. */
const char *call_status_key(enum call_status s);
/* The message key of its label (受付中, 受付前, ...): "calls.status.open"... */
const char *call_status_label_key(enum call_status s);

/* The earliest deadline among the categories open at now, or 0 if none. */
int64_t call_next_deadline(const struct call_view *v, int64_t now);

/*
 * The time left until deadline, as the message key of the countdown
 * (締切まであと 3日 4時間) and its numbers: calls.countdown.days with
 * left[0] days and left[1] whole hours; under a day .hours (left[0]);
 * under an hour .minutes (left[0]); under a minute .under_minute.
 */
const char *call_countdown(int64_t deadline, int64_t now, int64_t left[2]);

/* Where milestone i of v stands at now, for the timeline. */
enum milestone_state { MS_STATE_FUTURE, MS_STATE_CURRENT, MS_STATE_DONE };
enum milestone_state milestone_state(const struct call_view *v, size_t i, int64_t now);

/* Append a JST time as 和暦 with weekday and time: 令和7年5月30日(金) 17:00. */
void call_format_jst(struct buf *out, int64_t t);
/* Append yen with thousands separators: 300,000 (no unit). */
void call_format_yen(struct buf *out, int64_t yen);

/* ---- forms (shared by the admin pages) and writes ---- */

enum division_field { DIVF_NAME, DIVF_CONTACT, DIVF__MAX };
extern const struct field_spec division_fields[DIVF__MAX];

enum program_field { PROGF_NAME, PROGF_DESCRIPTION, PROGF__MAX };
extern const struct field_spec program_fields[PROGF__MAX];

enum call_field {
	CALLF_PROGRAM,
	CALLF_FISCAL_YEAR,
	CALLF_TITLE,
	CALLF_DESCRIPTION,
	CALLF_PUBLISHED,
	CALLF__MAX
};
extern const struct field_spec call_fields[CALLF__MAX];

enum category_field {
	CATF_NAME,
	CATF_SHORT_NAME,
	CATF_DESCRIPTION,
	CATF_ELIGIBILITY,
	CATF_CAP_YEN,
	CATF_MIN_MEMBERS,
	CATF_MIN_GROUPS,
	CATF_NEEDS_COORDINATOR,
	CATF_NEEDS_DIVISION,
	CATF_OPENS_AT,
	CATF_DEADLINE_AT,
	CATF_IMPLEMENTATION_END,
	CATF_EXPECTED_ADOPTIONS,
	CATF_POSITION,
	CATF__MAX
};
extern const struct field_spec category_fields[CATF__MAX];

enum milestone_field { MSF_KIND, MSF_LABEL, MSF_STARTS_AT, MSF_ENDS_AT, MSF_PLACE, MSF__MAX };
extern const struct field_spec milestone_fields[MSF__MAX];

/*
 * Fill the struct from a validated form; cross-field checks (the deadline
 * after the opening, an end after its start, the program exists) add
 * errors (message keys) to f.  Return the number of errors.
 */
int division_from_form(struct form *f, struct division *d);
int program_from_form(struct form *f, struct program *p);
int call_from_form(struct db *db, struct form *f, struct call *c);
int category_from_form(struct form *f, struct category *c);
int milestone_from_form(struct form *f, struct milestone *m);

/*
 * Insert (id == 0, setting id) or update, with an audit entry by user_id,
 * in one transaction.  RC_CONFLICT for a duplicate name / fiscal year /
 * short name; RC_NOT_FOUND when the row to update is gone.
 */
enum rc division_save(struct db *db, struct division *d, int64_t user_id);
enum rc division_set_archived(struct db *db, int64_t id, bool archived, int64_t user_id);
enum rc program_save(struct db *db, struct program *p, int64_t user_id);
enum rc call_save(struct db *db, struct call *c, int64_t now, int64_t user_id);
enum rc category_save(struct db *db, struct category *c, int64_t user_id);
/* RC_STATE when proposals refer to it. */
enum rc category_delete(struct db *db, int64_t id, int64_t user_id);
enum rc milestone_save(struct db *db, struct milestone *m, int64_t user_id);
enum rc milestone_delete(struct db *db, int64_t call_id, int64_t id, int64_t user_id);
/* Attach stored file file_id to call_id as a guide document. */
enum rc call_document_add(struct db *db, int64_t call_id, int64_t file_id, const char *title,
			  int64_t user_id, int64_t *id);
enum rc call_document_delete(struct db *db, int64_t call_id, int64_t id, int64_t user_id);

#endif
