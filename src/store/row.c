#include "store/row.h"

enum rc db_get(struct db *db, enum stmt id, int64_t key, db_read_fn read, struct arena *a,
	       void *out)
{
	struct db_stmt *st = db_stmt(db, id);
	if (!st)
		return RC_ERROR;
	db_bind_int(st, 1, key);
	int rc = db_step(st);
	if (rc == DB_DONE)
		return RC_NOT_FOUND;
	if (rc != DB_ROW)
		return RC_ERROR;
	read(st, a, out);
	db_reset(st);
	return RC_OK;
}
