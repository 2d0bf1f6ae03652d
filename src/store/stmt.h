/*
 * The closed set of statements the application runs.
 *
 * Each feature folder keeps its SQL in src/<feature>/<feature>.stmts as
 * STMT(NAME, sqlite) entries.  The build collects every such file into
 * $(BUILD)/stmts.h; this header expands it into enum stmt (STMT_NAME) and
 * store/sql_sqlite.c into the SQLite table.  Adding a statement therefore
 * edits only the feature's own .stmts file.
 */
#ifndef KYODO_STMT_H
#define KYODO_STMT_H

enum stmt {
#define STMT(name, sqlite) STMT_##name,
#include "stmts.h"
#undef STMT
	STMT__MAX
};

#endif
