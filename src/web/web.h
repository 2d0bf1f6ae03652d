/*
 * web: the site shell.  web/app.c holds the server hooks (authentication,
 * CSRF token, error page) and the site's own small pages; web/features.c
 * the list of every feature's route table.  Features do not include this
 * header for shared answers: web_error() and web_base_url() are in
 * web/page.h, JSON and downloads in web/respond.h.  What remains below the
 * configuration are the few functions one feature offers another (to be
 * moved into the features' own headers).
 */
#ifndef KYODO_WEB_H
#define KYODO_WEB_H

#include "http/server.h"

/* Every feature's route table (web/features.c). */
extern const struct route_table *const web_features[];
extern const size_t web_nfeatures;

/* Fill in routes and hooks; call page_init() first. */
void web_configure(struct server_config *cfg);

/* Handlers, by file. */
/* app.c */
/* account.c */
/* groups.c */
/* api.c */
/* admin.c */

/* calls.c (challenge: calls, divisions) */
struct tv;
/* Set "current_call" in ctx (the home page): the call call_current()
 * features, with its status and countdown; nothing when none is published. */
void web_home_call(struct req *r, struct tv *ctx);
/* Make field name of a page_form() a <select> of the active divisions
 * (value: id); chosen is the selected value or NULL. */
void web_division_select(struct req *r, struct tv *fields, const char *name, const char *chosen);

/* files.c, notifications.c */

/* consultations.c */

/* proposals.c */

/* The object templates/proposals/_body.html draws (proposals.c); the
 * reviewers' pages show the same body. */
struct proposal;
struct db;
struct tv *web_proposal_tv(struct req *r, struct db *db, const struct proposal *p);

/* screening.c */
struct db;
struct stored_file;
/* A rule for /files/{id} (web/files.c): f is attached to a proposal in a
 * stage the reviewer is assigned to. */
bool web_review_file_visible(struct req *r, struct db *db, const struct stored_file *f);
/* score_export.c: score sheets as .xlsx and CSV (staff) */

/* adoption.c */

/* events.c */
struct tv;
/* Set "upcoming_events" in ctx (the home page): the next three published
 * events; nothing when there are none. */
void web_home_events(struct req *r, struct tv *ctx);
struct db;
struct stored_file;
/* A rule for /files/{id} (web/files.c): f is an image of a published event,
 * or of one the user may manage. */
bool web_event_image_visible(struct req *r, struct db *db, const struct stored_file *f);

/* registrations.c */
struct tv;
/* For the event page: set "reg" in ctx — the sign-up form's event_id, csrf
 * and field objects (drawn by templates/events/_register.html). */
void web_registration_form(struct req *r, struct tv *ctx, int64_t event_id, int64_t max_party);

/* event_reports.c, feeds.c */
struct event;
struct tv;
struct db;
struct stored_file;
/* For the event page: set "report" in ctx (what templates/events/_report.html
 * draws) when e has a report, and "report_url" when the user may write it. */
void web_event_report(struct req *r, struct tv *ctx, const struct event *e);
/* For the series history: e's report in short ({participants, has_graphic,
 * nvoices, places, url}, drawn by events/_report_short.html), or NULL. */
struct tv *web_event_report_short(struct req *r, const struct event *e);
/* A rule for /files/{id} (web/files.c): f is the graphic minutes of a
 * published event's report. */
bool web_event_report_file_visible(struct req *r, struct db *db, const struct stored_file *f);
struct db;
struct stored_file;
/* A rule for /files/{id} (web/files.c): f is attached to a proposal the
 * user may see. */
bool web_proposal_file_visible(struct req *r, struct db *db, const struct stored_file *f);

#endif
