/*
 * event: events (イベント) organised by the office, a citizen group or a
 * project — the call briefing, tours, courses, mixers, results
 * presentations and the まちづくりHUB Project meetings — with their venues
 * (会場) and series (シリーズ, 第N回).
 *
 * Times are Unix seconds; pages show them in JST (util/jp.h).  An event
 * with capacity 0 takes no registrations.  Places left are computed from
 * the confirmed registrations (adults + children), never stored.  Whether a
 * user may manage an event is decided here (event_can_manage), so every
 * page and the API apply the same rule.
 *
 * Loaders fill caller structs with strings in the caller's arena and return
 * an enum event_rc.
 */
#ifndef KYODO_EVENT_H
#define KYODO_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/who.h"
#include "store/db.h"
#include "util/arena.h"

enum event_rc {
	EVENT_OK = 0,
	EVENT_ERROR = -1,
	EVENT_NOT_FOUND = -2,
	EVENT_INVALID = -3,  /* a rule refused the values (see the error out-param) */
	EVENT_CONFLICT = -4, /* unique name already used */
};

/* The closed set of event types, in display order; NULL-terminated so it
 * can be used as an F_CHOICE list.  Stored as the Japanese word itself. */
extern const char *const event_types[];
/* Target audiences (対象), NULL-terminated; events store one per line. */
extern const char *const event_audiences[];

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
enum event_rc venue_list(struct db *db, struct arena *a, bool with_archived, struct venue **list,
			 size_t *n);
enum event_rc venue_get(struct db *db, struct arena *a, int64_t id, struct venue *v);
/* Insert v (v->id == 0, *id set) or update row v->id.  EVENT_CONFLICT when
 * the name is taken. */
enum event_rc venue_save(struct db *db, const struct venue *v, int64_t *id);
/* The venue named name, or 0. */
int64_t venue_find(struct db *db, const char *name);

/* ---- series (シリーズ) ---- */

struct series {
	int64_t id;
	const char *name;	 /* まちづくりHUB Project in 金沢 */
	const char *description; /* Markdown */
};

enum event_rc series_list(struct db *db, struct arena *a, struct series **list, size_t *n);
enum event_rc series_get(struct db *db, struct arena *a, int64_t id, struct series *s);
/* Insert (s->id == 0, *id set) or update.  EVENT_CONFLICT on a taken name. */
enum event_rc series_save(struct db *db, const struct series *s, int64_t *id);
/* The series named name, or 0. */
int64_t series_find(struct db *db, const char *name);

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
enum event_rc event_get(struct db *db, struct arena *a, int64_t id, struct event *e);

/* Events matching q into *list (arena), *n of them, and *total matching
 * without limit/offset (for pagination; total may be NULL). */
enum event_rc event_list(struct db *db, struct arena *a, const struct event_query *q,
			 struct event **list, size_t *n, int64_t *total);

/* Images of event id by position. */
enum event_rc event_images(struct db *db, struct arena *a, int64_t id, struct event_image **list,
			   size_t *n);
/* Attach file_id with alt text (required, non-empty). */
enum event_rc event_image_add(struct db *db, int64_t event_id, int64_t file_id, const char *alt);
enum event_rc event_image_delete(struct db *db, int64_t event_id, int64_t image_id);
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

/* May user (NULL = resident) edit e?  Admins and coordinators always; a
 * member of e's organising group for a group event. */
bool event_can_manage(struct db *db, const struct who *user, const struct event *e);
/* May user create an event for group_id (0 = the office)? */
bool event_can_create(struct db *db, const struct who *user, int64_t group_id);

/*
 * Check e against the rules that need no form: end after start, capacity
 * not negative and not below the confirmed people (existing events), max
 * party ≥ 1, type and audiences known, reading in kana.  On failure
 * returns EVENT_INVALID with *field the form key and *error a Japanese
 * message (arena).
 */
enum event_rc event_validate(struct db *db, struct arena *a, const struct event *e,
			     const char **field, const char **error);

/* Insert e (e->id == 0; *id set) or update row e->id, after
 * event_validate.  created_at/updated_at are set from now. */
enum event_rc event_save(struct db *db, struct arena *a, const struct event *e, int64_t now,
			 int64_t *id, const char **field, const char **error);

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
