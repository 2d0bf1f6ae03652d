/*
 * The challenge feature's request handlers, named by its route table (routes.c).
 */
#ifndef KYODO_CHALLENGE_HANDLERS_H
#define KYODO_CHALLENGE_HANDLERS_H

#include "http/req.h"
#include "http/router.h"

/* The route table (routes.c), assembled with the others in src/main.c. */
extern const struct route_table challenge_routes;

/* challenge/call_pages.c */
void h_challenge(struct req *r);
void h_call(struct req *r);
void h_api_calls(struct req *r);
void h_api_call(struct req *r);
/* challenge/call_admin_pages.c */
void h_admin_divisions(struct req *r);
void h_admin_division_create(struct req *r);
void h_admin_division_update(struct req *r);
void h_admin_calls(struct req *r);
void h_admin_call_create(struct req *r);
void h_admin_call_new(struct req *r);
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
void h_admin_program_new(struct req *r);
void h_admin_program_create(struct req *r);
void h_admin_program_edit(struct req *r);
void h_admin_program_update(struct req *r);
/* challenge/consultation_pages.c */
void h_consultations(struct req *r);
void h_consultation_slot_create(struct req *r);
void h_consultation_slot_cancel(struct req *r);
void h_consultation_book(struct req *r);
void h_consultation_booking_cancel(struct req *r);
void h_consultation_booking_done(struct req *r);
void h_consultations_division(struct req *r);
void h_consultation_division_record(struct req *r);
/* challenge/screening_review.c, screening_setup.c, screening_office.c */
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
/* challenge/score_export.c */
void h_score_export_xlsx(struct req *r);
void h_score_export_csv(struct req *r);
/* challenge/adoption_pages.c */
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
/* challenge/proposal_pages.c */
void h_proposals(struct req *r);
void h_proposal_new(struct req *r);
void h_proposal_create(struct req *r);
void h_proposals_csv(struct req *r);
void h_proposals_xlsx(struct req *r);
void h_proposal(struct req *r);
void h_proposal_update(struct req *r);
void h_proposal_edit(struct req *r);
void h_proposal_receipt(struct req *r);
void h_proposal_print(struct req *r);
void h_proposal_withdraw(struct req *r);
void h_proposal_reopen(struct req *r);
void h_proposal_confirm(struct req *r);
void h_api_proposals(struct req *r);
void h_api_proposal_create(struct req *r);
void h_api_proposal(struct req *r);
void h_api_proposal_patch(struct req *r);

#endif
