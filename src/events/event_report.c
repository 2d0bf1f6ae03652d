/*
 * event_report: reports written after an event.  See event_report.h.
 */
#include "events/event_report.h"
#include "core/audit.h"
#include "util/msg.h"

#include <string.h>

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strndup(a, s ? s : "", s ? db_len(st, i) : 0);
}

/* The ordered voice rows of event_id into out (all of them, even past
 * what a save allows: hand-made data is shown, not hidden); -1 on error. */
static int load_voices(struct db *db, struct arena *a, int64_t event_id, struct event_report *out)
{
	struct db_stmt *st = db_stmt(db, STMT_REPORT_VOICES);
	db_bind_int(st, 1, event_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		out->voices = arena_grow(a, out->voices, out->nvoices, &cap, sizeof(*out->voices));
		out->voices[out->nvoices++] = (struct report_voice){col(a, st, 0), col(a, st, 1)};
	}
	return rc == DB_DONE ? 0 : -1;
}

/* The ordered free-talk notes of event_id into out, likewise. */
static int load_notes(struct db *db, struct arena *a, int64_t event_id, struct event_report *out)
{
	struct db_stmt *st = db_stmt(db, STMT_REPORT_NOTES);
	db_bind_int(st, 1, event_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		out->notes = arena_grow(a, out->notes, out->nnotes, &cap, sizeof(*out->notes));
		out->notes[out->nnotes++] = (struct report_note){col(a, st, 0), col(a, st, 1)};
	}
	return rc == DB_DONE ? 0 : -1;
}

enum rc event_report_get(struct db *db, struct arena *a, int64_t event_id, struct event_report *out)
{
	memset(out, 0, sizeof(*out));
	out->event_id = event_id;
	enum rc rc = RC_ERROR;
	db_read_begin(db);
	struct db_stmt *st = db_stmt(db, STMT_REPORT_GET);
	db_bind_int(st, 1, event_id);
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = RC_NOT_FOUND;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	out->participants = db_int(st, 0);
	out->minutes = col(a, st, 1);
	out->graphic_file_id = db_isnull(st, 2) ? 0 : db_int(st, 2);
	out->graphic_summary = col(a, st, 3);
	out->updated_at = db_int(st, 4);
	db_reset(st);
	if (load_voices(db, a, event_id, out) != 0 || load_notes(db, a, event_id, out) != 0)
		goto out;
	rc = RC_OK;
out:
	db_read_end(db);
	return rc;
}

enum rc event_report_summary(struct db *db, struct arena *a, int64_t event_id,
			     struct event_report_summary *out)
{
	memset(out, 0, sizeof(*out));
	struct event_report rep;
	enum rc rc = event_report_get(db, a, event_id, &rep);
	if (rc != RC_OK)
		return rc;
	out->participants = rep.participants;
	out->has_graphic = rep.graphic_file_id > 0;
	out->nvoices = rep.nvoices;
	out->nnotes = rep.nnotes;
	out->places = arena_alloc(a, (rep.nnotes + 1) * sizeof(*out->places));
	for (size_t i = 0; i < rep.nnotes; i++)
		out->places[i] = rep.notes[i].place;
	return RC_OK;
}

enum rc event_report_validate(const struct event_report *rep, const char **why)
{
	*why = NULL;
	if (rep->participants < 0 || rep->participants > REPORT_MAX_PARTICIPANTS)
		*why = "reports.err.participants";
	else if (rep->graphic_file_id > 0 && (!rep->graphic_summary || !*rep->graphic_summary))
		*why = "reports.err.need_summary";
	else if (rep->nvoices > REPORT_MAX_VOICES || rep->nnotes > REPORT_MAX_NOTES)
		*why = "reports.err.too_many_rows";
	for (size_t i = 0; !*why && i < rep->nvoices; i++)
		if (!rep->voices[i].quote || !*rep->voices[i].quote)
			*why = "reports.err.need_quote";
	for (size_t i = 0; !*why && i < rep->nnotes; i++)
		if (!rep->notes[i].place || !*rep->notes[i].place || !rep->notes[i].notes ||
		    !*rep->notes[i].notes)
			*why = "reports.err.need_place_and_text";
	return *why ? RC_INVALID : RC_OK;
}

enum rc event_report_save(struct db *db, const struct event_report *rep, int64_t now,
			  int64_t user_id)
{
	const char *why;
	if (event_report_validate(rep, &why) != RC_OK)
		return RC_INVALID;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REPORT_UPSERT);
	db_bind_int(st, 1, rep->event_id);
	db_bind_int(st, 2, rep->participants);
	db_bind_str(st, 3, rep->minutes ? rep->minutes : "");
	if (rep->graphic_file_id > 0)
		db_bind_int(st, 4, rep->graphic_file_id);
	else
		db_bind_null(st, 4);
	db_bind_str(st, 5, rep->graphic_summary ? rep->graphic_summary : "");
	db_bind_int(st, 6, now);
	if (db_exec(st) != DB_OK)
		goto fail;
	st = db_stmt(db, STMT_REPORT_VOICES_CLEAR);
	db_bind_int(st, 1, rep->event_id);
	if (db_exec(st) != DB_OK)
		goto fail;
	st = db_stmt(db, STMT_REPORT_NOTES_CLEAR);
	db_bind_int(st, 1, rep->event_id);
	if (db_exec(st) != DB_OK)
		goto fail;
	for (size_t i = 0; i < rep->nvoices; i++) {
		st = db_stmt(db, STMT_REPORT_VOICE_ADD);
		db_bind_int(st, 1, rep->event_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_str(st, 3, rep->voices[i].quote);
		db_bind_str(st, 4, rep->voices[i].speaker ? rep->voices[i].speaker : "");
		if (db_exec(st) != DB_OK)
			goto fail;
	}
	for (size_t i = 0; i < rep->nnotes; i++) {
		st = db_stmt(db, STMT_REPORT_NOTE_ADD);
		db_bind_int(st, 1, rep->event_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_str(st, 3, rep->notes[i].place);
		db_bind_str(st, 4, rep->notes[i].notes);
		if (db_exec(st) != DB_OK)
			goto fail;
	}
	if (audit(db, user_id, "update", "event", rep->event_id, msg("reports.audit.saved")) !=
	    DB_OK)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	return RC_OK;
fail:
	db_rollback(db);
	return RC_ERROR;
}

bool event_report_file_public(struct db *db, int64_t file_id)
{
	struct db_stmt *st = db_stmt(db, STMT_REPORT_FILE_PUBLIC);
	db_bind_int(st, 1, file_id);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}
