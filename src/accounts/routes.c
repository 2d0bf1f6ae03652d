/*
 * The accounts feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "accounts/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
    {M_GET, "/login", h_login_form, PERM_PUBLIC, 0},
    {M_POST, "/login", h_login, PERM_PUBLIC, 0},
    {M_POST, "/logout", h_logout, PERM_USER, 0},
    {M_GET, "/account/password", h_password_form, PERM_USER, 0},
    {M_POST, "/account/password", h_password, PERM_USER, 0},
    {M_GET, "/admin", h_admin, PERM_ADMIN, 0},
    {M_GET, "/admin/users", h_admin_users, PERM_ADMIN, 0},
    {M_GET, "/admin/users/new", h_admin_user_new, PERM_ADMIN, 0},
    {M_POST, "/admin/users", h_admin_user_create, PERM_ADMIN, 0},
    {M_GET, "/admin/users/{id}", h_admin_user_edit, PERM_ADMIN, 0},
    {M_POST, "/admin/users/{id}", h_admin_user_update, PERM_ADMIN, 0},
    {M_GET, "/admin/audit", h_admin_audit, PERM_ADMIN, 0},
    {M_GET, "/admin/settings", h_admin_settings, PERM_ADMIN, 0},
    {M_POST, "/admin/settings", h_admin_settings_save, PERM_ADMIN, 0},
};

const struct route_table accounts_routes = {routes, sizeof(routes) / sizeof(routes[0])};
