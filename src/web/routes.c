/*
 * The site feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "web/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
    /* Not cached: the featured call's status depends on the clock. */
    {M_GET, "/", h_home, PERM_PUBLIC, 0},
    {M_GET, "/static/{file}", h_static, PERM_PUBLIC, 0},
    {M_GET, "/healthz", h_healthz, PERM_PUBLIC, 0},
    {M_GET, "/metrics", h_metrics, PERM_PUBLIC, 0},
    {M_GET, "/accessibility", h_accessibility, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/hub", h_placeholder, PERM_PUBLIC, 0},
    {M_GET, "/newsletter", h_placeholder, PERM_PUBLIC, 0},
};

const struct route_table site_routes = {routes, sizeof(routes) / sizeof(routes[0])};
