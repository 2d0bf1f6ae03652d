/*
 * The SQLite backend's SQL text, one entry per enum stmt, gathered from
 * every feature's .stmts file (see store/stmt.h).
 */
#include "store/sql_sqlite.h"

const char *const sql_sqlite[STMT__MAX] = {
#define STMT(name, sqlite) [STMT_##name] = sqlite,
#include "stmts.h"
#undef STMT
};
