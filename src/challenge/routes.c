/*
 * The challenge feature's routes.  The router prefers literal path segments to
 * {parameters}, so the order of the entries does not matter; web/app.c
 * assembles every feature's table (see src/main.c).
 */
#include "challenge/handlers.h"
#include "core/role.h"
#include "http/router.h"

static const struct route routes[] = {
	/* challenge: calls, divisions */
	/* Status and countdown depend on the clock: none of these is cached. */
	{M_GET, "/challenge", h_challenge, PERM_PUBLIC, 0},
	{M_GET, "/challenge/calls/{id}", h_call, PERM_PUBLIC, 0},
	{M_GET, "/api/v1/calls", h_api_calls, PERM_PUBLIC, 0},
	{M_GET, "/api/v1/calls/{id}", h_api_call, PERM_PUBLIC, 0},
	{M_GET, "/admin/divisions", h_admin_divisions, PERM_ADMIN, 0},
	{M_POST, "/admin/divisions", h_admin_division_create, PERM_ADMIN, 0},
	{M_POST, "/admin/divisions/{id}", h_admin_division_update, PERM_ADMIN, 0},
	{M_GET, "/admin/calls", h_admin_calls, PERM_ADMIN, 0},
	{M_POST, "/admin/calls", h_admin_call_create, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/new", h_admin_call_new, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/{id}", h_admin_call_edit, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}", h_admin_call_update, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/{id}/categories/new", h_admin_category_new, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/categories", h_admin_category_create, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/{id}/categories/{cid}", h_admin_category_edit, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/categories/{cid}", h_admin_category_update, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/categories/{cid}/delete", h_admin_category_delete, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/{id}/milestones", h_admin_milestones, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/milestones", h_admin_milestone_create, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/milestones/{mid}", h_admin_milestone_update, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/milestones/{mid}/delete", h_admin_milestone_delete, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/documents", h_admin_document_create, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/documents/{did}/delete", h_admin_document_delete, PERM_ADMIN, 0},
	{M_GET, "/admin/programs/new", h_admin_program_new, PERM_ADMIN, 0},
	{M_POST, "/admin/programs", h_admin_program_create, PERM_ADMIN, 0},
	{M_GET, "/admin/programs/{id}", h_admin_program_edit, PERM_ADMIN, 0},
	{M_POST, "/admin/programs/{id}", h_admin_program_update, PERM_ADMIN, 0},
	/* consultations */
	{M_GET, "/consultations", h_consultations, PERM_USER, 0},
	{M_POST, "/consultations/slots", h_consultation_slot_create, PERM_STAFF, 0},
	{M_POST, "/consultations/slots/{id}/cancel", h_consultation_slot_cancel, PERM_STAFF, 0},
	{M_POST, "/consultations/slots/{id}/book", h_consultation_book, ROLE_MEMBER, 0},
	{M_POST, "/consultations/bookings/{id}/cancel", h_consultation_booking_cancel, PERM_USER, 0},
	{M_POST, "/consultations/bookings/{id}/done", h_consultation_booking_done, PERM_STAFF, 0},
	{M_GET, "/consultations/division", h_consultations_division, PERM_STAFF | ROLE_DIVISION, 0},
	{M_POST, "/consultations/division", h_consultation_division_record, PERM_STAFF | ROLE_DIVISION, 0},
	/* proposals */
	/* screening */
	{M_GET, "/review", h_review, ROLE_REVIEWER, 0},
	{M_GET, "/review/stages/{id}/proposals/{pid}", h_review_proposal, ROLE_REVIEWER, 0},
	{M_POST, "/review/stages/{id}/proposals/{pid}", h_review_score, ROLE_REVIEWER, 0},
	{M_POST, "/review/stages/{id}/proposals/{pid}/conflict", h_review_conflict, ROLE_REVIEWER, 0},
	{M_GET, "/admin/calls/{id}/screening", h_screening_call, PERM_STAFF, 0},
	{M_POST, "/admin/calls/{id}/screening/setup", h_screening_setup, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/screening/stages", h_screening_stage_add, PERM_ADMIN, 0},
	{M_GET, "/admin/screening/stages/{id}", h_screening_stage, PERM_STAFF, 0},
	{M_POST, "/admin/screening/stages/{id}/delete", h_screening_stage_delete, PERM_ADMIN, 0},
	{M_GET, "/admin/screening/stages/{id}/settings", h_screening_settings, PERM_STAFF, 0},
	{M_POST, "/admin/screening/stages/{id}/settings", h_screening_settings_save, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/window", h_screening_window, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/criteria", h_screening_criterion_create, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/criteria/{cid}", h_screening_criterion_update, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/criteria/{cid}/delete", h_screening_criterion_delete, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/reviewers", h_screening_assign, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/close", h_screening_close, PERM_ADMIN, 0},
	{M_GET, "/admin/screening/stages/{id}/proposals/{pid}", h_screening_proposal, PERM_STAFF, 0},
	{M_POST, "/admin/screening/stages/{id}/proposals/{pid}/decision", h_screening_decide, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/sheets/{id}", h_screening_correct, PERM_ADMIN, 0},
	{M_GET, "/admin/screening/stages/{id}/presentations", h_screening_presentations, PERM_STAFF, 0},
	{M_POST, "/admin/screening/stages/{id}/presentations", h_screening_presentation_save, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/presentations/{pid}/delete", h_screening_presentation_delete, PERM_ADMIN, 0},
	{M_POST, "/admin/screening/stages/{id}/public", h_screening_public, PERM_ADMIN, 0},
	/* Who sees which slot depends on the user: not cached. */
	{M_GET, "/challenge/calls/{id}/presentations", h_presentations, PERM_PUBLIC, 0},
	{M_GET, "/admin/calls/{id}/scores.xlsx", h_score_export_xlsx, PERM_STAFF, 0},
	{M_GET, "/admin/calls/{id}/scores.csv", h_score_export_csv, PERM_STAFF, 0},
	/* Public pages show projects only once their call's results are out;
	 * every write empties the page cache. */
	{M_GET, "/challenge/results", h_results, PERM_PUBLIC, ROUTE_CACHE},
	{M_GET, "/api/v1/projects", h_api_projects, PERM_PUBLIC, ROUTE_CACHE},
	{M_GET, "/proposals/{id}/result", h_proposal_result, PERM_USER, 0},
	{M_GET, "/proposals/{id}/letter", h_proposal_letter, PERM_STAFF, 0},
	{M_GET, "/division/projects", h_division_projects, ROLE_DIVISION, 0},
	{M_GET, "/admin/adoptions", h_admin_adoptions, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/{id}/adoptions", h_admin_call_adoptions, PERM_ADMIN, 0},
	{M_POST, "/admin/calls/{id}/results", h_admin_call_release, PERM_ADMIN, 0},
	{M_GET, "/admin/calls/{id}/letters", h_admin_call_letters, PERM_ADMIN, 0},
	{M_GET, "/admin/proposals/{id}/adoption", h_admin_adoption_form, PERM_ADMIN, 0},
	{M_POST, "/admin/proposals/{id}/adoption", h_admin_adoption_save, PERM_ADMIN, 0},
	/* The fixed paths come before /proposals/{id}, which would match them. */
	{M_GET, "/proposals", h_proposals, PERM_USER, 0},
	{M_GET, "/proposals/new", h_proposal_new, ROLE_MEMBER, 0},
	{M_POST, "/proposals", h_proposal_create, ROLE_MEMBER, 0},
	{M_GET, "/proposals/export.csv", h_proposals_csv, PERM_STAFF, 0},
	{M_GET, "/proposals/export.xlsx", h_proposals_xlsx, PERM_STAFF, 0},
	{M_GET, "/proposals/{id}", h_proposal, PERM_USER, 0},
	{M_POST, "/proposals/{id}", h_proposal_update, ROLE_MEMBER, 0},
	{M_GET, "/proposals/{id}/edit", h_proposal_edit, ROLE_MEMBER, 0},
	{M_GET, "/proposals/{id}/receipt", h_proposal_receipt, PERM_USER, 0},
	{M_GET, "/proposals/{id}/print", h_proposal_print, PERM_USER, 0},
	{M_POST, "/proposals/{id}/withdraw", h_proposal_withdraw, ROLE_MEMBER, 0},
	{M_POST, "/proposals/{id}/reopen", h_proposal_reopen, PERM_ADMIN, 0},
	{M_POST, "/proposals/{id}/confirm", h_proposal_confirm, ROLE_MEMBER, 0},
	{M_GET, "/api/v1/proposals", h_api_proposals, PERM_USER, 0},
	{M_POST, "/api/v1/proposals", h_api_proposal_create, ROLE_MEMBER, 0},
	{M_GET, "/api/v1/proposals/{id}", h_api_proposal, PERM_USER, 0},
	{M_PATCH, "/api/v1/proposals/{id}", h_api_proposal_patch, ROLE_MEMBER, 0},
};

const struct route_table challenge_routes = {routes, sizeof(routes) / sizeof(routes[0])};
