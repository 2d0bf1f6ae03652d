/*
 * The SQLite driver behind store/db.h.
 *
 * Each connection runs in WAL mode with foreign keys on and a busy timeout,
 * and caches one prepared statement per enum stmt.  The server opens one
 * connection per worker thread (thread-local), so no statement is ever
 * shared between threads.
 */
#include "store/db.h"
#include "store/sql_sqlite.h"
#include "util/alloc.h"
#include "util/embed.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct db {
	sqlite3 *conn;
	sqlite3_stmt *stmts[STMT__MAX];
	struct db *next_open; /* list of per-thread connections, for shutdown */
	bool read_txn;	      /* db_read_begin() opened a transaction */
	/* db_after_commit(): run when the open transaction commits. */
	void (*after_commit[DB_MAX_AFTER_COMMIT])(void);
	int nafter;
};

/* A struct db_stmt is the sqlite3_stmt itself; the cast keeps sqlite3.h out
 * of callers. */
#define ST(s) ((sqlite3_stmt *)(s))

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		return DB_ERROR;
	}
}

static int exec_sql(struct db *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "kyodo: sql error: %s\n", err ? err : sqlite3_errmsg(db->conn));
		sqlite3_free(err);
	}
	return map_rc(rc);
}

struct db *db_open(const char *spec)
{
	struct db *db = xcalloc(1, sizeof(*db));
	int rc =
	    sqlite3_open_v2(spec, &db->conn,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "kyodo: cannot open database %s: %s\n", spec,
			db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->conn, 5000);
	sqlite3_extended_result_codes(db->conn, 0);
	if (exec_sql(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			 "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;") != DB_OK)
		goto fail;
	return db;
fail:
	sqlite3_close(db->conn);
	free(db);
	return NULL;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(db->stmts[i]);
	sqlite3_close(db->conn);
	free(db);
}

static char *thread_spec;
static _Thread_local struct db *thread_db;
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *open_list;

void db_thread_init(const char *spec)
{
	free(thread_spec);
	thread_spec = xstrdup(spec);
}

struct db *db_thread(void)
{
	if (thread_db)
		return thread_db;
	struct db *db = db_open(thread_spec);
	if (!db)
		return NULL;
	pthread_mutex_lock(&open_lock);
	db->next_open = open_list;
	open_list = db;
	pthread_mutex_unlock(&open_lock);
	thread_db = db;
	return db;
}

void db_thread_close_all(void)
{
	pthread_mutex_lock(&open_lock);
	struct db *db = open_list;
	open_list = NULL;
	pthread_mutex_unlock(&open_lock);
	while (db) {
		struct db *next = db->next_open;
		db_close(db);
		db = next;
	}
	thread_db = NULL;
}

/* Migrations are the embedded sql/NNN_name.sql files, applied in name order
 * inside one transaction each and recorded in schema_version. */
int db_migrate(struct db *db)
{
	int applied = 0;
	if (exec_sql(db,
		     "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
		     "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)") !=
	    DB_OK)
		return -1;
	for (size_t i = 0; i < embed_sql_count; i++) {
		const struct embed_file *f = &embed_sql[i];
		int version = atoi(f->name);
		if (version <= 0)
			continue;
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db->conn, "SELECT 1 FROM schema_version WHERE version = ?",
				       -1, &q, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_int(q, 1, version);
		int have = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
		if (have)
			continue;
		if (exec_sql(db, "BEGIN IMMEDIATE") != DB_OK)
			return -1;
		if (exec_sql(db, (const char *)f->data) != DB_OK)
			goto fail;
		if (sqlite3_prepare_v2(db->conn,
				       "INSERT INTO schema_version(version, name) VALUES (?, ?)",
				       -1, &q, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_int(q, 1, version);
		sqlite3_bind_text(q, 2, f->name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE || exec_sql(db, "COMMIT") != DB_OK)
			goto fail;
		fprintf(stderr, "kyodo: applied migration %s\n", f->name);
		applied++;
	}
	return applied;
fail:
	exec_sql(db, "ROLLBACK");
	return -1;
}

struct db_stmt *db_stmt(struct db *db, enum stmt id)
{
	sqlite3_stmt *s = db->stmts[id];
	if (!s) {
		if (sqlite3_prepare_v3(db->conn, sql_sqlite[id], -1, SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK) {
			/* A statement that does not prepare is a programming
			 * error caught by the first test that runs it. */
			fprintf(stderr, "kyodo: prepare %d failed: %s\n", (int)id,
				sqlite3_errmsg(db->conn));
			abort();
		}
		db->stmts[id] = s;
	}
	return (struct db_stmt *)s;
}

void db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(ST(st), i, v);
}

void db_bind_text(struct db_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text64(ST(st), i, s ? s : "", n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void db_bind_str(struct db_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(ST(st), i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(ST(st), i);
}

void db_bind_null(struct db_stmt *st, int i)
{
	sqlite3_bind_null(ST(st), i);
}

size_t db_match_min_chars(void)
{
	return 3;
}

/* FTS5: each term becomes a quoted phrase ("" doubles a quote), and the
 * phrases are ANDed by juxtaposition. */
void db_bind_match(struct db_stmt *st, int i, const char *q)
{
	struct buf b = BUF_INIT;
	const char *p = q;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (b.n)
			buf_addc(&b, ' ');
		buf_addc(&b, '"');
		for (; *p && *p != ' '; p++) {
			if (*p == '"')
				buf_addc(&b, '"');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
	}
	sqlite3_bind_text(ST(st), i, b.p ? b.p : "\"\"", -1, SQLITE_TRANSIENT);
	buf_release(&b);
}

void db_bind_like(struct db_stmt *st, int i, const char *q)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '%');
	sqlite3_bind_text(ST(st), i, b.p, (int)b.n, SQLITE_TRANSIENT);
	buf_release(&b);
}

int db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(ST(st));
	if (rc != SQLITE_ROW) {
		sqlite3_reset(ST(st));
		sqlite3_clear_bindings(ST(st));
	}
	return map_rc(rc);
}

int db_exec(struct db_stmt *st)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		db_reset(st);
		return DB_OK;
	}
	return rc == DB_DONE ? DB_OK : rc;
}

void db_reset(struct db_stmt *st)
{
	sqlite3_reset(ST(st));
	sqlite3_clear_bindings(ST(st));
}

int64_t db_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(ST(st), col);
}

const char *db_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(ST(st), col);
}

size_t db_len(struct db_stmt *st, int col)
{
	return (size_t)sqlite3_column_bytes(ST(st), col);
}

bool db_isnull(struct db_stmt *st, int col)
{
	return sqlite3_column_type(ST(st), col) == SQLITE_NULL;
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->conn);
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->conn);
}

int db_begin(struct db *db)
{
	return exec_sql(db, "BEGIN IMMEDIATE");
}

/* Run (on commit) or forget (on rollback) what db_after_commit() noted. */
static void after_commit_run(struct db *db, bool run)
{
	int n = db->nafter;
	db->nafter = 0;
	for (int i = 0; run && i < n; i++)
		db->after_commit[i]();
}

int db_commit(struct db *db)
{
	int rc = exec_sql(db, "COMMIT");
	/* A failed COMMIT may leave the transaction open (SQLITE_BUSY): the
	 * caller then retries or rolls back, which settles the hooks. */
	if (rc == DB_OK || sqlite3_get_autocommit(db->conn))
		after_commit_run(db, rc == DB_OK);
	return rc;
}

int db_rollback(struct db *db)
{
	after_commit_run(db, false);
	return exec_sql(db, "ROLLBACK");
}

void db_after_commit(struct db *db, void (*fn)(void))
{
	if (sqlite3_get_autocommit(db->conn)) {
		fn(); /* the write is already committed */
		return;
	}
	for (int i = 0; i < db->nafter; i++)
		if (db->after_commit[i] == fn)
			return;
	if (db->nafter == DB_MAX_AFTER_COMMIT) {
		/* Hooks only wake someone up: early is harmless, never is not. */
		fn();
		return;
	}
	db->after_commit[db->nafter++] = fn;
}

int db_read_begin(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		return DB_OK;
	int rc = exec_sql(db, "BEGIN");
	db->read_txn = rc == DB_OK;
	return rc;
}

void db_read_end(struct db *db)
{
	if (db->read_txn) {
		db->read_txn = false;
		exec_sql(db, "COMMIT");
	}
}

int db_backup(struct db *db, const char *path)
{
	sqlite3 *dst;
	int rc = sqlite3_open(path, &dst);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "kyodo: cannot open %s: %s\n", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return DB_ERROR;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->conn, "main");
	if (!b) {
		fprintf(stderr, "kyodo: backup: %s\n", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return DB_ERROR;
	}
	/* Copy in steps so writers are not blocked for the whole copy; a write
	 * during the copy makes SQLite restart it, which keeps it consistent. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	rc = sqlite3_errcode(dst);
	sqlite3_close(dst);
	return rc == SQLITE_OK ? DB_OK : DB_ERROR;
}

int64_t db_size(struct db *db)
{
	const char *path = sqlite3_db_filename(db->conn, "main");
	struct stat sb;
	if (!path || !*path || stat(path, &sb) != 0)
		return -1;
	int64_t size = sb.st_size;
	char wal[4096];
	if (snprintf(wal, sizeof(wal), "%s-wal", path) < (int)sizeof(wal) && stat(wal, &sb) == 0)
		size += sb.st_size;
	return size;
}

bool db_ping(struct db *db)
{
	struct db_stmt *st = db_stmt(db, STMT_PING);
	bool ok = db_step(st) == DB_ROW;
	db_reset(st);
	return ok;
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->conn);
}
