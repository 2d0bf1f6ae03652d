/*
 * The files feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_FILES_HANDLERS_H
#define KYODO_FILES_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table files_routes;

/* files/file_pages.c */
void h_file(struct req *r);

#endif
