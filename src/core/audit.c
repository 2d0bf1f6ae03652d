#include "core/audit.h"

#include <time.h>

int audit(struct db *db, int64_t user_id, const char *action, const char *entity, int64_t entity_id,
	  const char *summary)
{
	struct db_stmt *st = db_stmt(db, STMT_AUDIT_INSERT);
	db_bind_int(st, 1, (int64_t)time(NULL));
	if (user_id > 0)
		db_bind_int(st, 2, user_id);
	else
		db_bind_null(st, 2);
	db_bind_str(st, 3, action);
	db_bind_str(st, 4, entity);
	if (entity_id > 0)
		db_bind_int(st, 5, entity_id);
	else
		db_bind_null(st, 5);
	db_bind_str(st, 6, summary ? summary : "");
	return db_exec(st);
}
