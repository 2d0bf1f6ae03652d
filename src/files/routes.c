/*
 * The files feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "files/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
    /* files and notifications */
    {M_GET, "/files/{id}", h_file, PERM_PUBLIC, 0},
};

const struct route_table files_routes = {routes, sizeof(routes) / sizeof(routes[0])};
