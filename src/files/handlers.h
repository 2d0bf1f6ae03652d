/*
 * The files feature's request handlers, named by its route table (routes.c),
 * and its access rule.
 */
#ifndef KYODO_FILES_HANDLERS_H
#define KYODO_FILES_HANDLERS_H

#include "core/access.h"
#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table files_routes;

/* files/file_pages.c */
void h_file(struct req *r);

/* The access rule for stored files (core/access.h's ACCESS_FILE), named in
 * web/features.c. */
bool file_access(struct db *db, const struct who *w, int64_t id, enum access_act act);

#endif
