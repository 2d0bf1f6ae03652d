/*
 * The accounts feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_ACCOUNTS_HANDLERS_H
#define KYODO_ACCOUNTS_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table accounts_routes;

/* accounts/account_pages.c */
void h_login_form(struct req *r);
void h_login(struct req *r);
void h_logout(struct req *r);
void h_password_form(struct req *r);
void h_password(struct req *r);
/* accounts/admin_users.c */
void h_admin_users(struct req *r);
void h_admin_user_new(struct req *r);
void h_admin_user_create(struct req *r);
void h_admin_user_edit(struct req *r);
void h_admin_user_update(struct req *r);
/* accounts/admin_audit.c */
void h_admin_audit(struct req *r);
/* accounts/admin_settings.c */
void h_admin(struct req *r);
void h_admin_settings(struct req *r);
void h_admin_settings_save(struct req *r);

#endif
