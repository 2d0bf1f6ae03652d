/* The SQLite backend's SQL text, one entry per enum stmt (internal to store/). */
#ifndef KYODO_SQL_SQLITE_H
#define KYODO_SQL_SQLITE_H

#include "store/stmt.h"

extern const char *const sql_sqlite[STMT__MAX];

#endif
