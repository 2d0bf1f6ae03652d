/*
 * The groups feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_GROUPS_HANDLERS_H
#define KYODO_GROUPS_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table groups_routes;

/* groups/group_pages.c */
void h_groups(struct req *r);
void h_group_new(struct req *r);
void h_group_create(struct req *r);
void h_group(struct req *r);
void h_group_edit(struct req *r);
void h_group_update(struct req *r);
void h_group_archive(struct req *r);
/* groups/group_api.c */
void h_api_groups(struct req *r);
void h_api_group_create(struct req *r);
void h_api_group(struct req *r);
void h_api_group_patch(struct req *r);
/* groups/theme_pages.c */
void h_admin_themes(struct req *r);
void h_admin_theme_create(struct req *r);
void h_admin_theme_update(struct req *r);

#endif
