/*
 * The events feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_EVENTS_HANDLERS_H
#define KYODO_EVENTS_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table events_routes;

/* events/event_pages.c */
void h_events(struct req *r);
void h_events_calendar(struct req *r);
void h_events_past(struct req *r);
void h_event_series(struct req *r);
void h_event(struct req *r);
/* events/event_api.c */
void h_api_events(struct req *r);
/* events/event_admin.c */
void h_event_new(struct req *r);
void h_event_create(struct req *r);
void h_event_edit(struct req *r);
void h_event_update(struct req *r);
void h_event_image_add(struct req *r);
void h_event_image_delete(struct req *r);
void h_admin_venues(struct req *r);
void h_admin_venue_save(struct req *r);
void h_admin_venue_edit(struct req *r);
void h_admin_series(struct req *r);
void h_admin_series_save(struct req *r);
void h_admin_series_edit(struct req *r);
/* events/feeds.c */
void h_series_ics(struct req *r);
void h_group_events_ics(struct req *r);
void h_events_ics(struct req *r);
void h_events_atom(struct req *r);
void h_opendata_events_csv(struct req *r);
/* events/registration_pages.c */
void h_event_register(struct req *r);
void h_api_event_registrations(struct req *r);
void h_registration(struct req *r);
void h_registration_cancel(struct req *r);
void h_registration_qr(struct req *r);
void h_event_checkin(struct req *r);
void h_event_checkin_token(struct req *r);
void h_event_checkin_mark(struct req *r);
void h_event_participants(struct req *r);
void h_event_participants_csv(struct req *r);
void h_event_participants_xlsx(struct req *r);
/* events/report_pages.c */
void h_event_report_form(struct req *r);
void h_event_report_save(struct req *r);

#endif
