/*
 * audit: the record of every change (and of every look at personal data):
 * who, when, which entity, and a short summary.
 */
#ifndef KYODO_AUDIT_H
#define KYODO_AUDIT_H

#include <stdint.h>

#include "store/db.h"

/* Append an entry.  user_id 0 means the system (CLI, demo loader).
 * Returns DB_OK or an error; callers inside a transaction roll back on
 * error so that no change goes unrecorded. */
int audit(struct db *db, int64_t user_id, const char *action, const char *entity, int64_t entity_id,
	  const char *summary);

#endif
