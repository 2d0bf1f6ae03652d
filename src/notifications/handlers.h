/*
 * The notifications feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_NOTIFICATIONS_HANDLERS_H
#define KYODO_NOTIFICATIONS_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table notifications_routes;

/* notifications/notification_pages.c */
void h_notifications(struct req *r);
void h_notifications_read(struct req *r);
void h_admin_outbox(struct req *r);

#endif
