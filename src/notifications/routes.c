/*
 * The notifications feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "notifications/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
    {M_GET, "/notifications", h_notifications, PERM_USER, 0},
    {M_POST, "/notifications/read", h_notifications_read, PERM_USER, 0},
    {M_GET, "/admin/outbox", h_admin_outbox, PERM_ADMIN, 0},
};

const struct route_table notifications_routes = {routes, sizeof(routes) / sizeof(routes[0])};
