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
void h_challenge(struct req *r);
void h_call(struct req *r);
void h_api_calls(struct req *r);
void h_api_call(struct req *r);
void h_admin_divisions(struct req *r);
void h_admin_division_create(struct req *r);
void h_admin_division_update(struct req *r);
void h_admin_calls(struct req *r);
void h_admin_program_new(struct req *r);
void h_admin_program_create(struct req *r);
void h_admin_program_edit(struct req *r);
void h_admin_program_update(struct req *r);
void h_admin_call_new(struct req *r);
void h_admin_call_create(struct req *r);
void h_admin_call_edit(struct req *r);
void h_admin_call_update(struct req *r);
void h_admin_category_new(struct req *r);
void h_admin_category_create(struct req *r);
void h_admin_category_edit(struct req *r);
void h_admin_category_update(struct req *r);
void h_admin_category_delete(struct req *r);
void h_admin_milestones(struct req *r);
void h_admin_milestone_create(struct req *r);
void h_admin_milestone_update(struct req *r);
void h_admin_milestone_delete(struct req *r);
void h_admin_document_create(struct req *r);
void h_admin_document_delete(struct req *r);
struct tv;
/* Set "current_call" in ctx (the home page): the call call_current()
 * features, with its status and countdown; nothing when none is published. */
void web_home_call(struct req *r, struct tv *ctx);
/* Make field name of a page_form() a <select> of the active divisions
 * (value: id); chosen is the selected value or NULL. */
void web_division_select(struct req *r, struct tv *fields, const char *name, const char *chosen);

/* files.c, notifications.c */
void h_file(struct req *r);
void h_notifications(struct req *r);
void h_notifications_read(struct req *r);
void h_admin_outbox(struct req *r);

/* consultations.c */
void h_consultations(struct req *r);
void h_consultation_slot_create(struct req *r);
void h_consultation_slot_cancel(struct req *r);
void h_consultation_book(struct req *r);
void h_consultation_booking_cancel(struct req *r);
void h_consultation_booking_done(struct req *r);
void h_consultations_division(struct req *r);
void h_consultation_division_record(struct req *r);

/* proposals.c */

/* The object templates/proposals/_body.html draws (proposals.c); the
 * reviewers' pages show the same body. */
struct proposal;
struct db;
struct tv *web_proposal_tv(struct req *r, struct db *db, const struct proposal *p);

/* screening.c */
void h_review(struct req *r);
void h_review_proposal(struct req *r);
void h_review_score(struct req *r);
void h_review_conflict(struct req *r);
void h_screening_call(struct req *r);
void h_screening_setup(struct req *r);
void h_screening_stage_add(struct req *r);
void h_screening_stage(struct req *r);
void h_screening_stage_delete(struct req *r);
void h_screening_settings(struct req *r);
void h_screening_settings_save(struct req *r);
void h_screening_window(struct req *r);
void h_screening_criterion_create(struct req *r);
void h_screening_criterion_update(struct req *r);
void h_screening_criterion_delete(struct req *r);
void h_screening_assign(struct req *r);
void h_screening_close(struct req *r);
void h_screening_proposal(struct req *r);
void h_screening_decide(struct req *r);
void h_screening_correct(struct req *r);
void h_screening_presentations(struct req *r);
void h_screening_presentation_save(struct req *r);
void h_screening_presentation_delete(struct req *r);
void h_screening_public(struct req *r);
void h_presentations(struct req *r);
struct db;
struct stored_file;
/* A rule for /files/{id} (web/files.c): f is attached to a proposal in a
 * stage the reviewer is assigned to. */
bool web_review_file_visible(struct req *r, struct db *db, const struct stored_file *f);
/* score_export.c: score sheets as .xlsx and CSV (staff) */
void h_score_export_xlsx(struct req *r);
void h_score_export_csv(struct req *r);

/* adoption.c */

/* events.c */
void h_events(struct req *r);
void h_events_calendar(struct req *r);
void h_events_past(struct req *r);
void h_event(struct req *r);
void h_event_series(struct req *r);
void h_event_new(struct req *r);
void h_event_create(struct req *r);
void h_event_edit(struct req *r);
void h_event_update(struct req *r);
void h_event_image_add(struct req *r);
void h_event_image_delete(struct req *r);
void h_api_events(struct req *r);
void h_admin_venues(struct req *r);
void h_admin_venue_edit(struct req *r);
void h_admin_venue_save(struct req *r);
void h_admin_series(struct req *r);
void h_admin_series_edit(struct req *r);
void h_admin_series_save(struct req *r);
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
struct tv;
/* For the event page: set "reg" in ctx — the sign-up form's event_id, csrf
 * and field objects (drawn by templates/events/_register.html). */
void web_registration_form(struct req *r, struct tv *ctx, int64_t event_id, int64_t max_party);

/* event_reports.c, feeds.c */
void h_event_report_form(struct req *r);
void h_event_report_save(struct req *r);
void h_events_ics(struct req *r);
void h_series_ics(struct req *r);
void h_group_events_ics(struct req *r);
void h_events_atom(struct req *r);
void h_opendata_events_csv(struct req *r);
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
void h_results(struct req *r);
void h_api_projects(struct req *r);
void h_proposal_result(struct req *r);
void h_proposal_letter(struct req *r);
void h_division_projects(struct req *r);
void h_admin_adoptions(struct req *r);
void h_admin_call_adoptions(struct req *r);
void h_admin_call_release(struct req *r);
void h_admin_call_letters(struct req *r);
void h_admin_adoption_form(struct req *r);
void h_admin_adoption_save(struct req *r);
void h_proposals(struct req *r);
void h_proposal_new(struct req *r);
void h_proposal_create(struct req *r);
void h_proposals_csv(struct req *r);
void h_proposals_xlsx(struct req *r);
void h_proposal(struct req *r);
void h_proposal_edit(struct req *r);
void h_proposal_update(struct req *r);
void h_proposal_receipt(struct req *r);
void h_proposal_print(struct req *r);
void h_proposal_withdraw(struct req *r);
void h_proposal_reopen(struct req *r);
void h_proposal_confirm(struct req *r);
void h_api_proposals(struct req *r);
void h_api_proposal(struct req *r);
void h_api_proposal_create(struct req *r);
void h_api_proposal_patch(struct req *r);
struct db;
struct stored_file;
/* A rule for /files/{id} (web/files.c): f is attached to a proposal the
 * user may see. */
bool web_proposal_file_visible(struct req *r, struct db *db, const struct stored_file *f);

/* Shared by handlers: may the current user edit group id? (staff, or a
 * member of the group) */
bool web_can_edit_group(struct req *r, int64_t group_id);
/* KYODO_BASE_URL without a trailing slash, or "" when unset. */
const char *web_base_url(void);
/* Render a 4xx/5xx page (HTML or JSON depending on r->is_api). */
void web_error(struct req *r, int status, const char *message);

#endif
