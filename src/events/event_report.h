/*
 * event_report: what organisers write after an event (開催報告) — the
 * number of participants, minutes (Markdown), the graphic minutes
 * (グラフィック議事録) as a stored image with a required text summary that
 * stands in for it, participants' voices, and free-talk notes per district
 * or table.
 *
 * One report per event (event_reports.event_id is the key); voices and
 * notes are ordered rows replaced as a whole on every save.  Who may write
 * a report is the events access rule (events/event.h): this module does
 * not decide it.
 *
 * Results are core/rc.h's: RC_OK, RC_NOT_FOUND (no report for the event
 * yet), RC_INVALID (a rule refused the values, with a reports.err.* key)
 * or RC_ERROR.
 */
#ifndef KYODO_EVENT_REPORT_H
#define KYODO_EVENT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"

/* Row limits of one report: the form draws at most this many rows, and a
 * save with more is refused. */
#define REPORT_MAX_VOICES 12
#define REPORT_MAX_NOTES  12
/* The largest participants count accepted (a sanity bound, not a rule). */
#define REPORT_MAX_PARTICIPANTS 100000

struct report_voice {
	const char *quote;
	const char *speaker; /* 大学生, 地域の方 ... may be "" */
};

struct report_note {
	const char *place; /* 材木地区, テーブルA */
	const char *notes;
};

struct event_report {
	int64_t event_id;
	int64_t participants;
	const char *minutes;	     /* Markdown */
	int64_t graphic_file_id;     /* 0 when none; served at /files/{id} */
	const char *graphic_summary; /* its text alternative; required with an image */
	int64_t updated_at;
	struct report_voice *voices;
	size_t nvoices;
	struct report_note *notes;
	size_t nnotes;
};

/* A short view of a report for lists (the series page's history). */
struct event_report_summary {
	int64_t participants;
	bool has_graphic;
	size_t nvoices, nnotes;
	const char **places; /* the notes' places, nnotes of them */
};

/* Load the report of event_id with its rows (strings in a).  RC_OK,
 * RC_NOT_FOUND or RC_ERROR. */
enum rc event_report_get(struct db *db, struct arena *a, int64_t event_id,
			 struct event_report *out);

/* The summary of event_id's report.  RC_OK, RC_NOT_FOUND or RC_ERROR. */
enum rc event_report_summary(struct db *db, struct arena *a, int64_t event_id,
			     struct event_report_summary *out);

/*
 * Check rep against the rules that need no form: participants in range,
 * a summary whenever there is an image, at most REPORT_MAX_* rows, each
 * voice with a quote and each note with a place and text.  On failure
 * returns RC_INVALID with *why the message key (reports.err.*).
 */
enum rc event_report_validate(const struct event_report *rep, const char **why);

/* Insert or replace the report of rep->event_id and its rows in one
 * transaction, with an audit entry by user_id (0 = the system; the
 * entry's words are the catalogue's reports.audit.saved).  updated_at is
 * set to now.  RC_OK, RC_INVALID (see event_report_validate) or RC_ERROR. */
enum rc event_report_save(struct db *db, const struct event_report *rep, int64_t now,
			  int64_t user_id);

/* True when file_id is the graphic minutes of a published event's report
 * (public, like the event page that shows it). */
bool event_report_file_public(struct db *db, int64_t file_id);

/* transitional: the old names for src/cli/demo_reports.c; remove when it
 * uses enum rc. */
#define report_rc	 rc
#define REPORT_OK	 RC_OK
#define REPORT_NOT_FOUND RC_NOT_FOUND

#endif
