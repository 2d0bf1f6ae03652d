/*
 * db: the storage interface every other layer uses.  Domain code sees
 * statements as names (enum stmt) and values as bound parameters; the SQL
 * text, the driver and the dialect (placeholders, full-text search, upsert,
 * clock) live behind this header in src/store/.  SQLite is the one driver
 * today (db_sqlite.c); a PostgreSQL driver implements struct db_driver and
 * its own statement table without touching callers.
 *
 * A struct db is one connection and is used by one thread at a time.  The
 * server keeps one per worker thread (db_thread()).
 */
#ifndef KYODO_DB_H
#define KYODO_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/stmt.h"
#include "util/str.h"

enum db_rc {
	DB_OK = 0,
	DB_ROW = 1,	    /* db_step produced a row */
	DB_DONE = 2,	    /* db_step finished */
	DB_CONSTRAINT = -2, /* unique/foreign-key/check violation */
	DB_BUSY = -3,
	DB_ERROR = -1,
};

struct db;
struct db_stmt;

/* Open the database named by spec (a file path for SQLite).  Returns NULL
 * and logs the reason on failure. */
struct db *db_open(const char *spec);
void db_close(struct db *db);

/* The calling thread's connection, opened on first use from the spec given
 * to db_thread_init().  NULL if it cannot be opened. */
void db_thread_init(const char *spec);
struct db *db_thread(void);
/* Close every per-thread connection (at shutdown, after workers stopped). */
void db_thread_close_all(void);

/* Apply the migrations embedded from sql/ that are not yet recorded.
 * Returns the number applied, or -1. */
int db_migrate(struct db *db);

/* The prepared statement for id, reset and with no bindings.  Statements are
 * prepared once per connection and reused. */
struct db_stmt *db_stmt(struct db *db, enum stmt id);

/* Bind parameter i (1-based).  Text is copied by the driver. */
void db_bind_int(struct db_stmt *st, int i, int64_t v);
void db_bind_text(struct db_stmt *st, int i, const char *s, size_t n);
void db_bind_str(struct db_stmt *st, int i, const char *s); /* NULL binds NULL */
void db_bind_null(struct db_stmt *st, int i);

/*
 * Full-text search, whose syntax is the backend's business.  q is a search
 * key (util/text.h) made of space-separated terms.  db_match_min_chars() is
 * the shortest term the index can match (3 for SQLite's trigram tokenizer);
 * callers with shorter terms use a scan statement with db_bind_like().
 */
size_t db_match_min_chars(void);
/* Bind q as a query matching rows that contain every term. */
void db_bind_match(struct db_stmt *st, int i, const char *q);
/* Bind q as a LIKE pattern matching it anywhere ('%' '_' '\' escaped). */
void db_bind_like(struct db_stmt *st, int i, const char *q);

/* Step: DB_ROW, DB_DONE or an error code.  After DB_DONE or an error the
 * statement is reset; call db_reset() when abandoning it early. */
int db_step(struct db_stmt *st);
/* Run a statement that returns no rows: DB_OK or an error code. */
int db_exec(struct db_stmt *st);
void db_reset(struct db_stmt *st);

/* Column accessors for the current row (0-based).  Text is valid until the
 * next step or reset; NULL text reads as NULL / 0. */
int64_t db_int(struct db_stmt *st, int col);
const char *db_text(struct db_stmt *st, int col);
size_t db_len(struct db_stmt *st, int col);
bool db_isnull(struct db_stmt *st, int col);

int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

/* Transactions: begin/commit/rollback.  Return DB_OK or an error.  Writes
 * that span tables happen inside one transaction. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/*
 * Call fn once the current transaction commits: at once when there is none
 * (the statement just run has committed), never if it is rolled back.  The
 * same fn is noted once per transaction.  For waking another thread that
 * reads what was written (the mail outbox): before the commit it would
 * find nothing.
 */
#define DB_MAX_AFTER_COMMIT 4
void db_after_commit(struct db *db, void (*fn)(void));

/* A read transaction around several reads, for one consistent view (and
 * one lock instead of one per statement).  Inside an open transaction
 * these do nothing. */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);

/* Online consistent copy of the live database to path. */
int db_backup(struct db *db, const char *path);

/* Size of the database in bytes (for metrics), or -1. */
int64_t db_size(struct db *db);

/* True when the database answers a trivial query. */
bool db_ping(struct db *db);

/* The last error message of this connection (for logs, never for users). */
const char *db_errmsg(struct db *db);

#endif
