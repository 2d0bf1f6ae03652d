/*
 * row: the one way to read a single row by key, for every backend.
 */
#ifndef KYODO_ROW_H
#define KYODO_ROW_H

#include <stdint.h>

#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"

/* Read the current row of st into out (strings copied into a). */
typedef void (*db_read_fn)(struct db_stmt *st, struct arena *a, void *out);

/*
 * Run statement id with ?1 bound to key and read its first row with read.
 * RC_OK, RC_NOT_FOUND when there is no row, RC_ERROR when the statement
 * fails.  The statement is reset either way.
 */
enum rc db_get(struct db *db, enum stmt id, int64_t key, db_read_fn read, struct arena *a,
	       void *out);

#endif
