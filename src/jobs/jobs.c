/*
 * jobs: see jobs.h.
 *
 * A reminder is marked and queued in one write transaction per
 * registration, and only when the mark changed the row: two runs at the
 * same moment (the server's thread and `kyodo jobs run`) cannot both queue
 * it.  Retention is two UPDATE statements in one transaction.
 */
#include "jobs/jobs.h"
#include "core/settings.h"
#include "jobs/worker.h"
#include "notifications/outbox.h"
#include "util/arena.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECONDS_PER_DAY 86400

int64_t jobs_retention_days(struct db *db)
{
	struct arena a;
	arena_init(&a);
	const char *v = setting_get(db, &a, "retention_days");
	int64_t days;
	if (str_to_i64((struct str){v, strlen(v)}, JOBS_RETENTION_MIN, JOBS_RETENTION_MAX, &days) !=
	    0) {
		/* The settings form takes free text: a typo must not stop the
		 * job, nor shorten the period. */
		fprintf(stderr, "kyodo: jobs: retention_days \"%s\" is not %d..%d; using %d\n", v,
			JOBS_RETENTION_MIN, JOBS_RETENTION_MAX, JOBS_RETENTION_DEFAULT);
		days = JOBS_RETENTION_DEFAULT;
	}
	arena_free(&a);
	return days;
}

/* ---- reminders --------------------------------------------------------- */

struct due {
	int64_t id, party, event_id, starts_at, ends_at;
	const char *name, *email, *title, *venue, *room, *online_url;
};

static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_text(st, i) ? db_text(st, i) : "");
}

/* The 和暦 date of t with its weekday: 「令和7年11月16日(日)」. */
static const char *date_of(struct arena *a, const struct jst *t)
{
	struct buf b = BUF_INIT;
	jp_wareki_date(&b, t->y, t->m, t->d, true);
	const char *out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* 「令和7年11月16日(日) 10:00〜12:00」, the end with its date when it falls
 * on another day. */
static const char *when(struct arena *a, int64_t starts_at, int64_t ends_at)
{
	struct jst s, e;
	jp_unix_to_jst(starts_at, &s);
	jp_unix_to_jst(ends_at, &e);
	const char *start = arena_printf(a, "%d:%02d", s.hh, s.mi);
	const char *end = arena_printf(a, "%d:%02d", e.hh, e.mi);
	if (e.y == s.y && e.m == s.m && e.d == s.d)
		return msgf(a, "jobs.when.same_day", date_of(a, &s), start, end);
	return msgf(a, "jobs.when.days", date_of(a, &s), start, date_of(a, &e), end);
}

static const char *where(struct arena *a, const struct due *d)
{
	if (*d->venue)
		return *d->room ? arena_printf(a, "%s %s", d->venue, d->room) : d->venue;
	if (*d->online_url)
		return msgf(a, "jobs.where.online", d->online_url);
	return *d->room ? d->room : msg("jobs.where.see_page");
}

/* Mark d reminded and queue its reminder, in one transaction.  *sent is
 * set when this call queued it (not when another run did first). */
static int remind_one(struct db *db, struct arena *a, const struct due *d, int64_t now, bool *sent)
{
	*sent = false;
	if (db_begin(db) != DB_OK)
		return -1;
	struct db_stmt *st = db_stmt(db, STMT_JOBS_REMIND_MARK);
	db_bind_int(st, 1, d->id);
	db_bind_int(st, 2, now);
	if (db_exec(st) != DB_OK)
		goto rollback;
	if (db_changes(db) == 0) {
		db_rollback(db);
		return 0;
	}
	/* The secret /r/{token} link exists only in the confirmation (its
	 * hash is stored), so the reminder points to the event's page. */
	const char *body =
	    msgf(a, "jobs.reminder.body", d->name, d->title, when(a, d->starts_at, d->ends_at),
		 where(a, d), arena_printf(a, "%lld", (long long)d->party));
	if (notify_email(db, d->email, "registration_reminder",
			 msgf(a, "jobs.reminder.subject", d->title), body,
			 arena_printf(a, "/events/%lld", (long long)d->event_id)) != DB_OK)
		goto rollback;
	if (db_commit(db) != DB_OK)
		return -1;
	*sent = true;
	return 0;
rollback:
	db_rollback(db);
	return -1;
}

int jobs_remind(struct db *db, int64_t now, int *count)
{
	int n_sent = 0, rc = 0;
	for (;;) {
		struct arena a;
		arena_init(&a);
		/* Read a batch, then write: a statement is not stepped while
		 * others change the rows it reads.  Each marked row leaves the
		 * query, so the next batch holds only new ones. */
		struct due batch[64];
		size_t n = 0;
		struct db_stmt *st = db_stmt(db, STMT_JOBS_REMIND_DUE);
		db_bind_int(st, 1, now + JOBS_REMIND_FROM);
		db_bind_int(st, 2, now + JOBS_REMIND_TO);
		int s = DB_DONE;
		while (n < sizeof(batch) / sizeof(batch[0]) && (s = db_step(st)) == DB_ROW) {
			batch[n++] = (struct due){
			    .id = db_int(st, 0),
			    .name = col(&a, st, 1),
			    .email = col(&a, st, 2),
			    .party = db_int(st, 3),
			    .event_id = db_int(st, 4),
			    .title = col(&a, st, 5),
			    .starts_at = db_int(st, 6),
			    .ends_at = db_int(st, 7),
			    .venue = col(&a, st, 8),
			    .room = col(&a, st, 9),
			    .online_url = col(&a, st, 10),
			};
		}
		if (n == sizeof(batch) / sizeof(batch[0]))
			db_reset(st);
		else if (s != DB_DONE)
			rc = -1;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			bool sent;
			if (remind_one(db, &a, &batch[i], now, &sent) != 0) {
				fprintf(stderr, "kyodo: jobs: reminder for registration %lld: %s\n",
					(long long)batch[i].id, db_errmsg(db));
				rc = -1;
			}
			n_sent += sent;
		}
		arena_free(&a);
		/* Every row of a full batch left the query, marked by this run
		 * or another one: the next batch is new rows. */
		if (rc != 0 || n < sizeof(batch) / sizeof(batch[0]))
			break;
	}
	if (count)
		*count = n_sent;
	return rc;
}

/* ---- retention --------------------------------------------------------- */

int jobs_retention(struct db *db, int64_t now, struct jobs_report *out)
{
	int64_t days = jobs_retention_days(db);
	int64_t cutoff = now - days * SECONDS_PER_DAY;
	int anonymised = 0, blanked = 0;
	if (db_begin(db) != DB_OK)
		return -1;
	struct db_stmt *st = db_stmt(db, STMT_JOBS_ANONYMISE);
	db_bind_int(st, 1, cutoff);
	db_bind_int(st, 2, now);
	db_bind_str(st, 3, JOBS_ANONYMOUS_NAME);
	if (db_exec(st) != DB_OK)
		goto rollback;
	anonymised = db_changes(db);
	/* Registrants' notifications were all written before their event
	 * ended, so those older than the cutoff include every one about the
	 * events just anonymised. */
	st = db_stmt(db, STMT_JOBS_NOTIFY_BLANK);
	db_bind_int(st, 1, cutoff);
	db_bind_str(st, 2, JOBS_ANONYMOUS_NAME);
	if (db_exec(st) != DB_OK)
		goto rollback;
	blanked = db_changes(db);
	if (db_commit(db) != DB_OK)
		return -1;
	if (out) {
		out->anonymised = anonymised;
		out->notifications = blanked;
		out->retention_days = days;
	}
	return 0;
rollback:
	fprintf(stderr, "kyodo: jobs: retention: %s\n", db_errmsg(db));
	db_rollback(db);
	return -1;
}

int jobs_run(struct db *db, int64_t now, struct jobs_report *out)
{
	struct jobs_report r = {0};
	int rc = 0;
	if (jobs_remind(db, now, &r.reminders) != 0)
		rc = -1;
	if (jobs_retention(db, now, &r) != 0)
		rc = -1;
	if (out)
		*out = r;
	return rc;
}

/* ---- the server's thread ----------------------------------------------- */

/* One round: every job, with a line in the log when it did something. */
static void jobs_round(struct worker *w, struct db *db)
{
	(void)w;
	struct jobs_report r;
	if (jobs_run(db, (int64_t)time(NULL), &r) != 0)
		fprintf(stderr, "kyodo: jobs: a job failed; retrying in an hour\n");
	if (r.reminders || r.anonymised || r.notifications)
		fprintf(stderr,
			"kyodo: jobs: %d reminders queued, %d registrations "
			"and %d notifications anonymised\n",
			r.reminders, r.anonymised, r.notifications);
}

static struct worker jobs_worker = WORKER_INIT("jobs", JOBS_INTERVAL, jobs_round);

void jobs_start(const char *db_spec)
{
	worker_start(&jobs_worker, db_spec);
}

void jobs_stop(void)
{
	worker_stop(&jobs_worker);
}
