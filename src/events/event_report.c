/*
 * event_report: reports written after an event.  See event_report.h.
 */
#include "events/event_report.h"
#include "core/audit.h"

#include <string.h>

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strndup(a, s ? s : "", s ? db_len(st, i) : 0);
}

/* Load the ordered voice rows of event_id into out; -1 on error. */
static int load_voices(struct db *db, struct arena *a, int64_t event_id, struct event_report *out)
{
	struct db_stmt *st = db_stmt(db, STMT_REPORT_VOICES);
	db_bind_int(st, 1, event_id);
	size_t cap = REPORT_MAX_VOICES;
	out->voices = arena_alloc(a, cap * sizeof(*out->voices));
	out->nvoices = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->nvoices == cap) {
			/* More rows than a save allows (hand-made data): keep
			 * them all rather than hide some. */
			struct report_voice *v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, out->voices, cap * sizeof(*v));
			out->voices = v;
			cap *= 2;
		}
		out->voices[out->nvoices].quote = col(a, st, 0);
		out->voices[out->nvoices].speaker = col(a, st, 1);
		out->nvoices++;
	}
	return rc == DB_DONE ? 0 : -1;
}

static int load_notes(struct db *db, struct arena *a, int64_t event_id, struct event_report *out)
{
	struct db_stmt *st = db_stmt(db, STMT_REPORT_NOTES);
	db_bind_int(st, 1, event_id);
	size_t cap = REPORT_MAX_NOTES;
	out->notes = arena_alloc(a, cap * sizeof(*out->notes));
	out->nnotes = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->nnotes == cap) {
			struct report_note *v = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(v, out->notes, cap * sizeof(*v));
			out->notes = v;
			cap *= 2;
		}
		out->notes[out->nnotes].place = col(a, st, 0);
		out->notes[out->nnotes].notes = col(a, st, 1);
		out->nnotes++;
	}
	return rc == DB_DONE ? 0 : -1;
}

enum report_rc event_report_get(struct db *db, struct arena *a, int64_t event_id,
				struct event_report *out)
{
	memset(out, 0, sizeof(*out));
	out->event_id = event_id;
	enum report_rc rc = REPORT_ERROR;
	db_read_begin(db);
	struct db_stmt *st = db_stmt(db, STMT_REPORT_GET);
	db_bind_int(st, 1, event_id);
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = REPORT_NOT_FOUND;
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
	rc = REPORT_OK;
out:
	db_read_end(db);
	return rc;
}

enum report_rc event_report_summary(struct db *db, struct arena *a, int64_t event_id,
				    struct event_report_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->places = "";
	struct event_report rep;
	enum report_rc rc = event_report_get(db, a, event_id, &rep);
	if (rc != REPORT_OK)
		return rc;
	out->participants = rep.participants;
	out->has_graphic = rep.graphic_file_id > 0;
	out->nvoices = rep.nvoices;
	out->nnotes = rep.nnotes;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < rep.nnotes; i++)
		buf_printf(&b, "%s%s", i ? "・" : "", rep.notes[i].place);
	out->places = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return REPORT_OK;
}

enum report_rc event_report_validate(const struct event_report *rep, const char **error)
{
	*error = NULL;
	if (rep->participants < 0 || rep->participants > REPORT_MAX_PARTICIPANTS)
		*error = "参加者数は0以上の数で入力してください";
	else if (rep->graphic_file_id > 0 && (!rep->graphic_summary || !*rep->graphic_summary))
		*error = "画像の内容を文章で入力してください";
	else if (rep->nvoices > REPORT_MAX_VOICES || rep->nnotes > REPORT_MAX_NOTES)
		*error = "行の数が多すぎます";
	for (size_t i = 0; !*error && i < rep->nvoices; i++)
		if (!rep->voices[i].quote || !*rep->voices[i].quote)
			*error = "参加者の声を入力してください";
	for (size_t i = 0; !*error && i < rep->nnotes; i++)
		if (!rep->notes[i].place || !*rep->notes[i].place || !rep->notes[i].notes ||
		    !*rep->notes[i].notes)
			*error = "地区・テーブル名と内容の両方を入力してください";
	return *error ? REPORT_INVALID : REPORT_OK;
}

enum report_rc event_report_save(struct db *db, const struct event_report *rep, int64_t now,
				 int64_t user_id)
{
	const char *error;
	if (event_report_validate(rep, &error) != REPORT_OK)
		return REPORT_INVALID;
	if (db_begin(db) != DB_OK)
		return REPORT_ERROR;
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
	if (audit(db, user_id, "update", "event", rep->event_id, "開催報告を保存") != DB_OK)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	return REPORT_OK;
fail:
	db_rollback(db);
	return REPORT_ERROR;
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
