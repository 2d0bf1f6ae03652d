/*
 * The groups feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "groups/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
    {M_GET, "/groups", h_groups, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/groups/new", h_group_new, PERM_STAFF, 0},
    {M_POST, "/groups", h_group_create, PERM_STAFF, 0},
    {M_GET, "/groups/{id}", h_group, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/groups/{id}/edit", h_group_edit, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/groups/{id}", h_group_update, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/groups/{id}/archive", h_group_archive, PERM_STAFF, 0},
    {M_GET, "/api/v1/groups", h_api_groups, PERM_PUBLIC, ROUTE_CACHE},
    {M_POST, "/api/v1/groups", h_api_group_create, PERM_STAFF, 0},
    {M_GET, "/api/v1/groups/{id}", h_api_group, PERM_PUBLIC, ROUTE_CACHE},
    {M_PATCH, "/api/v1/groups/{id}", h_api_group_patch, PERM_STAFF | ROLE_MEMBER, 0},
    {M_GET, "/admin/themes", h_admin_themes, PERM_ADMIN, 0},
    {M_POST, "/admin/themes", h_admin_theme_create, PERM_ADMIN, 0},
    {M_POST, "/admin/themes/{id}", h_admin_theme_update, PERM_ADMIN, 0},
};

const struct route_table groups_routes = {routes, sizeof(routes) / sizeof(routes[0])};
