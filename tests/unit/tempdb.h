/*
 * tempdb: a temporary, migrated database for unit tests that need one,
 * with a second raw SQLite handle for fixture rows and counts.  The
 * message catalogue is loaded in strict mode, since the rules word their
 * audit summaries from it.
 *
 *   struct tempdb t;
 *   tempdb_open(&t, "groups");          // 0 or -1
 *   tempdb_exec(&t, "INSERT ...");      // fails the test on an error
 *   tempdb_int(&t, "SELECT count(*) ..."); // the first column of the first row
 *   tempdb_close(&t);
 */
#ifndef KYODO_TEST_TEMPDB_H
#define KYODO_TEST_TEMPDB_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db.h"
#include "util/msg.h"

struct tempdb {
	char path[80];
	struct db *db;
	sqlite3 *raw;
};

static inline int tempdb_open(struct tempdb *t, const char *name)
{
	char err[256];
	if (msg_init(err, sizeof(err)) != 0)
		return -1;
	msg_strict(true);
	snprintf(t->path, sizeof(t->path), "/tmp/kyodo-%s-XXXXXX", name);
	int fd = mkstemp(t->path);
	if (fd < 0)
		return -1;
	close(fd);
	t->db = db_open(t->path);
	if (!t->db || db_migrate(t->db) < 0)
		return -1;
	if (sqlite3_open(t->path, &t->raw) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(t->raw, 5000);
	return 0;
}

static inline void tempdb_close(struct tempdb *t)
{
	sqlite3_close(t->raw);
	db_close(t->db);
	char side[96];
	unlink(t->path);
	snprintf(side, sizeof(side), "%s-wal", t->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", t->path);
	unlink(side);
	msg_release();
}

static inline void tempdb_exec(struct tempdb *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void tempdb_exec(struct tempdb *t, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	char *err = NULL;
	if (sqlite3_exec(t->raw, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static inline int64_t tempdb_int(struct tempdb *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline int64_t tempdb_int(struct tempdb *t, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(t->raw, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(t->raw));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

#endif
