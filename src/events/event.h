/*
 * event: events (イベント) organised by the office, a citizen group or a
 * project — the call briefing, tours, courses, mixers, results
 * presentations and the まちづくりHUB Project meetings — with their venues
 * (会場) and series (シリーズ, 第N回).
 *
 * Times are Unix seconds; pages show them in JST (util/jp.h).  An event
 * with capacity 0 takes no registrations.  Places left are computed from
 * the confirmed registrations (adults + children), never stored.  Who may
 * see, edit or manage an event is decided here, once (event_access, the
 * ACCESS_EVENT rule of core/access.h), so every page, the API and /files
 * apply the same rule.
 *
 * Loaders fill caller structs with strings in the caller's arena and return
 * an enum rc (core/rc.h).  Nothing here produces prose: a rule that refuses
 * names the form field and gives the reason as a message key (events.*).
 */
#ifndef KYODO_EVENT_H
#define KYODO_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access.h"
#include "core/rc.h"
#include "core/who.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/str.h"

/* Transitional: callers that still compare with the old name
 * (events/registration_pages.c, events/report_pages.c, cli/demo_events.c).
 * Remove once they compare with RC_OK. */
#define EVENT_OK RC_OK

/* The closed set of event types, in display order; NULL-terminated so it
 * can be used as an F_CHOICE list.  Stored as the Japanese word itself
 * (data, not words to translate: the database and the open data hold it). */
extern const char *const event_types[];
/* Target audiences (対象), NULL-terminated; events store one per line, as
 * the Japanese word itself, like event_types. */
extern const char *const event_audiences[];

/* The next non-empty line of an audience column (親子 LF 学生) at *p, as a
 * view into it; *p moves past it.  False at the end.  Use as
 * for (const char *p = e->audience; event_audience_next(&p, &line);). */
bool event_audience_next(const char **p, struct str *line);

/* ---- venues (会場) ---- */

struct venue {
	int64_t id;
	const char *name;      /* 金沢学生のまち市民交流館 */
	const char *name_kana; /* katakana reading */
	const char *pref;      /* 石川県 */
	const char *city;      /* 金沢市 */
	const char *town;      /* 町字 */
	const char *street;    /* 番地以下 */
	const char *building;  /* 建物名 */
	bool has_latlng;
	double lat, lng;
	const char *access;
	const char *parking;
	const char *barrier_free;
	bool archived;
};

/* Venues by reading; archived ones only when with_archived. */
enum rc venue_list(struct db *db, struct arena *a, bool with_archived, struct venue **list,
		   size_t *n);
enum rc venue_get(struct db *db, struct arena *a, int64_t id, struct venue *v);
/* Insert v (v->id == 0, *id set) or update row v->id.  RC_CONFLICT when
 * the name is taken. */
enum rc venue_save(struct db *db, const struct venue *v, int64_t *id);
/* The venue named name, or 0. */
int64_t venue_find(struct db *db, const char *name);

/* ---- series (シリーズ) ---- */

struct series {
	int64_t id;
	const char *name;	 /* まちづくりHUB Project in 金沢 */
	const char *description; /* Markdown */
};

enum rc series_list(struct db *db, struct arena *a, struct series **list, size_t *n);
enum rc series_get(struct db *db, struct arena *a, int64_t id, struct series *s);
/* Insert (s->id == 0, *id set) or update.  RC_CONFLICT on a taken name. */
enum rc series_save(struct db *db, const struct series *s, int64_t *id);
/* The series named name, or 0. */
int64_t series_find(struct db *db, const char *name);

/* ---- choices for a select ---- */

/* One option of a select: a row's id and name. */
struct event_choice {
	int64_t id;
	const char *name;
};
enum event_pick {
	EVENT_PICK_SERIES, /* every series, by name */
	EVENT_PICK_VENUE,  /* venues in use (not archived), by reading */
	EVENT_PICK_GROUP,  /* groups that may organise: the active ones, 50音順 */
};
/* The choices of what into *list (arena), *n of them. */
enum rc event_choices(struct db *db, struct arena *a, enum event_pick what,
		      struct event_choice **list, size_t *n);

/* ---- events ---- */

/* Every column of events, plus the names joined in for display.  Optional
 * ids are 0 when NULL; optional times are 0 when NULL. */
struct event {
	int64_t id;
	const char *title;
	const char *title_kana;
	int64_t series_id;
	int64_t series_no; /* 第N回, 0 when none */
	const char *type;  /* one of event_types */
	int64_t group_id;  /* organising group; 0 with project_id 0 = the office */
	int64_t project_id;
	int64_t starts_at, ends_at;
	int64_t venue_id;
	const char *room;	/* 交流ホール (方書) */
	const char *online_url; /* "" when in person */
	int64_t capacity;	/* people; 0 = no registration */
	int64_t max_party;	/* people per registration */
	int64_t reg_opens_at;	/* 0 = open from publication */
	int64_t reg_closes_at;	/* 0 = until the start */
	const char *audience;	/* one per line */
	int64_t fee_yen;
	const char *fee_text;
	const char *accessibility;
	const char *contact_name;
	const char *contact_phone;
	const char *contact_email;
	const char *description; /* Markdown */
	bool published;
	int64_t created_by;
	int64_t created_at, updated_at;

	/* Joined for display ("" when none). */
	const char *venue_name;
	const char *series_name;
	const char *organiser_name; /* group name, or "" for the office */
	bool has_report;	    /* a row in event_reports exists */
};

struct event_image {
	int64_t id;
	int64_t event_id;
	int64_t file_id; /* served at /files/{file_id} */
	const char *alt;
	int64_t position;
};

/* Filters for event_list; zero/NULL fields do not filter. */
struct event_query {
	int64_t from, to; /* starts_at in [from, to) when non-zero */
	const char *type;
	int64_t series_id;
	int64_t group_id;
	const char *audience; /* a line of events.audience */
	/* Upcoming (not yet ended at now), soonest first, unless past: ended
	 * before now, newest first.  any_time ignores the clock (calendar). */
	bool past;
	bool any_time;
	bool published_only;
	int64_t now; /* the clock for past/upcoming; 0 = time(NULL) */
	int64_t limit, offset;
};

/* Load event id (unpublished too: callers hide it from residents). */
enum rc event_get(struct db *db, struct arena *a, int64_t id, struct event *e);

/* Events matching q into *list (arena), *n of them, and *total matching
 * without limit/offset (for pagination; total may be NULL). */
enum rc event_list(struct db *db, struct arena *a, const struct event_query *q, struct event **list,
		   size_t *n, int64_t *total);

/* Images of event id by position. */
enum rc event_images(struct db *db, struct arena *a, int64_t id, struct event_image **list,
		     size_t *n);
/* Attach file_id with alt text (required, non-empty). */
enum rc event_image_add(struct db *db, int64_t event_id, int64_t file_id, const char *alt);
enum rc event_image_delete(struct db *db, int64_t event_id, int64_t image_id);
/* The event whose image file_id is, or 0. */
int64_t event_of_image_file(struct db *db, int64_t file_id);

/* People (adults + children) in confirmed registrations of event id. */
int64_t event_confirmed_people(struct db *db, int64_t id);
/* capacity - confirmed people, never below 0; -1 when the event takes no
 * registrations (capacity 0) or does not exist. */
int64_t event_places_left(struct db *db, int64_t id);

/* Where registration stands at time now (for the 「受付前」/「受付終了」 line). */
enum event_reg_state {
	EVENT_REG_NONE,	    /* capacity 0: no registration */
	EVENT_REG_NOT_YET,  /* before reg_opens_at: 受付前 */
	EVENT_REG_OPEN,	    /* places left: 残り N 名 */
	EVENT_REG_WAITLIST, /* full: 満席（キャンセル待ちで受付中） */
	EVENT_REG_CLOSED,   /* after reg_closes_at or the start: 受付終了 */
};
enum event_reg_state event_reg_state(const struct event *e, int64_t places_left, int64_t now);

/*
 * The ACCESS_EVENT rule (core/access.h), registered in web/features.c:
 * may w (NULL = resident) act on event id?  ACCESS_VIEW: a published
 * event, or one w may manage.  ACCESS_EDIT and ACCESS_MANAGE (its form,
 * images, participants, check-in, report): admins and coordinators always;
 * a member of the organising group for a group event.  False when the
 * event does not exist.
 */
bool event_access(struct db *db, const struct who *w, int64_t id, enum access_act act);
/* The same rule for an event already loaded (no second read). */
bool event_may(struct db *db, const struct who *w, const struct event *e, enum access_act act);
/* event_may(db, user, e, ACCESS_MANAGE). */
bool event_can_manage(struct db *db, const struct who *user, const struct event *e);
/* May user create an event for group_id (0 = the office)?  The rule
 * event_access applies to the event once it exists. */
bool event_can_create(struct db *db, const struct who *user, int64_t group_id);

/*
 * Check e against the rules that need no form: end after start, capacity
 * not negative and not below the confirmed people (existing events), max
 * party ≥ 1, type and audiences known, reading in kana.  On failure
 * returns RC_INVALID with *field the form key and *why a message key
 * (events.err.*); events.err.capacity_below_people takes the confirmed
 * people (event_confirmed_people) as {1}.
 */
enum rc event_validate(struct db *db, struct arena *a, const struct event *e, const char **field,
		       const char **why);

/* Insert e (e->id == 0; *id set) or update row e->id, after
 * event_validate (RC_INVALID with *field and *why as there).
 * created_at/updated_at are set from now. */
enum rc event_save(struct db *db, struct arena *a, const struct event *e, int64_t now, int64_t *id,
		   const char **field, const char **why);

/* The event of series_id with series_no, or 0 (demo idempotency). */
int64_t event_find_in_series(struct db *db, int64_t series_id, int64_t series_no);
/* The event titled title starting at starts_at (any start when 0), or 0. */
int64_t event_find(struct db *db, const char *title, int64_t starts_at);

/* ---- month calendar (pure) ---- */

/* A month grid: weeks × 7 days starting on Sunday; day 0 = outside the month. */
struct month_grid {
	int year, month; /* 1..12 */
	int nweeks;	 /* 4..6 */
	int day[6][7];
};
/* Fill g for year/month (1..12).  0, or -1 for an out-of-range month. */
int month_grid_fill(struct month_grid *g, int year, int month);
/* Parse "YYYY-MM" (year 1900..9999).  0 or -1. */
int month_parse(const char *s, int *year, int *month);

#endif
