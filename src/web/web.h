/*
 * web: the application's routes and handlers.  web/app.c holds the one
 * route table and the hooks the server calls (authentication, CSRF token,
 * error pages); each other file handles one area.
 */
#ifndef KYODO_WEB_H
#define KYODO_WEB_H

#include "http/server.h"

/* Fill in routes and hooks; call page_init() first. */
void web_configure(struct server_config *cfg);

/* Handlers, by file. */
/* app.c */
void h_home(struct req *r);
void h_static(struct req *r);
void h_healthz(struct req *r);
void h_metrics(struct req *r);
void h_accessibility(struct req *r);
void h_placeholder(struct req *r);
/* account.c */
void h_login_form(struct req *r);
void h_login(struct req *r);
void h_logout(struct req *r);
void h_password_form(struct req *r);
void h_password(struct req *r);
/* groups.c */
void h_groups(struct req *r);
void h_group(struct req *r);
void h_group_new(struct req *r);
void h_group_create(struct req *r);
void h_group_edit(struct req *r);
void h_group_update(struct req *r);
void h_group_archive(struct req *r);
/* api.c */
void h_api_groups(struct req *r);
void h_api_group(struct req *r);
void h_api_group_create(struct req *r);
void h_api_group_patch(struct req *r);
/* admin.c */
void h_admin(struct req *r);
void h_admin_users(struct req *r);
void h_admin_user_new(struct req *r);
void h_admin_user_create(struct req *r);
void h_admin_user_edit(struct req *r);
void h_admin_user_update(struct req *r);
void h_admin_audit(struct req *r);
void h_admin_themes(struct req *r);
void h_admin_theme_create(struct req *r);
void h_admin_theme_update(struct req *r);
void h_admin_settings(struct req *r);
void h_admin_settings_save(struct req *r);

/* calls.c (challenge: calls, divisions) */

/* files.c, notifications.c */

/* consultations.c */

/* proposals.c */

/* Shared by handlers: may the current user edit group id? (staff, or a
 * member of the group) */
bool web_can_edit_group(struct req *r, int64_t group_id);
/* KYODO_BASE_URL without a trailing slash, or "" when unset. */
const char *web_base_url(void);
/* Render a 4xx/5xx page (HTML or JSON depending on r->is_api). */
void web_error(struct req *r, int status, const char *message);

#endif
