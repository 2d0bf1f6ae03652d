/*
 * The events feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "events/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
    /* adoption and results */
    /* events */
    /* Places left and 受付終了 depend on the clock: not cached.  The fixed
     * paths come before /events/{id}. */
    {M_GET, "/events", h_events, PERM_PUBLIC, 0},
    {M_GET, "/events/calendar", h_events_calendar, PERM_PUBLIC, 0},
    {M_GET, "/events/past", h_events_past, PERM_PUBLIC, 0},
    {M_GET, "/events/new", h_event_new, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/events/new", h_event_create, PERM_STAFF | ROLE_MEMBER, 0},
    /* The feeds' ".ics" routes come before the pages they share a prefix
     * with: a parameter without a suffix takes the whole segment. */
    {M_GET, "/events/series/{id}.ics", h_series_ics, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/events/groups/{id}.ics", h_group_events_ics, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/events/series/{id}", h_event_series, PERM_PUBLIC, 0},
    {M_GET, "/events/{id}", h_event, PERM_PUBLIC, 0},
    {M_GET, "/events/{id}/edit", h_event_edit, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/events/{id}/edit", h_event_update, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/events/{id}/images", h_event_image_add, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/events/{id}/images/{iid}/delete", h_event_image_delete, PERM_STAFF | ROLE_MEMBER, 0},
    {M_GET, "/api/v1/events", h_api_events, PERM_PUBLIC, 0},
    {M_GET, "/admin/venues", h_admin_venues, PERM_STAFF, 0},
    {M_POST, "/admin/venues", h_admin_venue_save, PERM_STAFF, 0},
    {M_GET, "/admin/venues/{id}", h_admin_venue_edit, PERM_STAFF, 0},
    {M_POST, "/admin/venues/{id}", h_admin_venue_save, PERM_STAFF, 0},
    {M_GET, "/admin/series", h_admin_series, PERM_STAFF, 0},
    {M_POST, "/admin/series", h_admin_series_save, PERM_STAFF, 0},
    {M_GET, "/admin/series/{id}", h_admin_series_edit, PERM_STAFF, 0},
    {M_POST, "/admin/series/{id}", h_admin_series_save, PERM_STAFF, 0},
    /* registrations */
    {M_POST, "/events/{id}/register", h_event_register, PERM_PUBLIC, 0},
    {M_POST, "/api/v1/events/{id}/registrations", h_api_event_registrations, PERM_PUBLIC,
     ROUTE_NO_CSRF},
    {M_GET, "/r/{token}", h_registration, PERM_PUBLIC, 0},
    {M_POST, "/r/{token}/cancel", h_registration_cancel, PERM_PUBLIC, 0},
    {M_GET, "/r/{token}/qr.png", h_registration_qr, PERM_PUBLIC, 0},
    /* Organisers' pages: the route lets in users (visitors go to the
     * login page); the handler lets in those who may manage the event. */
    {M_GET, "/events/{id}/checkin", h_event_checkin, PERM_USER, 0},
    {M_GET, "/events/{id}/checkin/{rid}/{code}", h_event_checkin_token, PERM_USER, 0},
    {M_POST, "/events/{id}/checkin/{rid}", h_event_checkin_mark, PERM_USER, 0},
    {M_GET, "/events/{id}/participants", h_event_participants, PERM_USER, 0},
    {M_GET, "/events/{id}/participants.csv", h_event_participants_csv, PERM_USER, 0},
    {M_GET, "/events/{id}/participants.xlsx", h_event_participants_xlsx, PERM_USER, 0},
    /* event reports, feeds, open data */
    {M_GET, "/events/{id}/report", h_event_report_form, PERM_USER, 0},
    {M_POST, "/events/{id}/report", h_event_report_save, PERM_USER, 0},
    /* Feeds and open data are pure data (no clock, no user): cached, and
     * emptied by every write like the pages. */
    {M_GET, "/events.ics", h_events_ics, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/events.atom", h_events_atom, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/opendata/events.csv", h_opendata_events_csv, PERM_PUBLIC, ROUTE_CACHE},
};

const struct route_table events_routes = {routes, sizeof(routes) / sizeof(routes[0])};
