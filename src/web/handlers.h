/*
 * The site feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_SITE_HANDLERS_H
#define KYODO_SITE_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table site_routes;

/* web/app.c */
void h_home(struct req *r);
void h_static(struct req *r);
void h_healthz(struct req *r);
void h_metrics(struct req *r);
void h_accessibility(struct req *r);
void h_placeholder(struct req *r);

#endif
