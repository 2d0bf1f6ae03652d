/*
 * The proposals' JSON API (v1): GET/POST /api/v1/proposals, GET/PATCH
 * /api/v1/proposals/{id}.  The keys are the form's (proposal_fields), so a
 * client can PATCH what it read; refusals are 422 with
 * {"errors": {"field": "message"}}.
 */
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "challenge/proposal_web.h"
#include "core/who.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <jansson.h>
#include <string.h>

#define API_PER_PAGE 50

/* ISO 8601 in JST, 2025-05-30T17:00:00+09:00, or null for 0. */
static json_t *time_or_null(struct arena *a, int64_t t)
{
	if (!t)
		return json_null();
	struct jst j;
	jp_unix_to_jst(t, &j);
	return json_string(arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", j.y, j.m, j.d,
					j.hh, j.mi, j.ss));
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

/* The form's own keys, so that a client can PATCH what it read; empty
 * rows are left out. */
static void form_json(struct arena *a, const struct proposal *p, json_t *j)
{
	const char **values = arena_alloc(a, PRF__MAX * sizeof(*values));
	proposal_form_values(a, p, values);
	for (size_t i = 0; i < PRF__MAX; i++) {
		const struct field_spec *sp = &proposal_fields[i];
		if (i == PRF_ATTACHMENT || i == PRF_ATTACHMENT_TITLE || i == PRF_REMOVE_FILE ||
		    i == PRF_ACTION)
			continue;
		if (i == PRF_DIVISION || i == PRF_PREVIOUS) {
			json_object_set_new(
			    j, sp->name,
			    id_or_null(i == PRF_DIVISION ? p->division_id : p->previous_id));
			continue;
		}
		bool row = i >= PRF_PARTNER && i < PRF_PARTNER + PROPOSAL_PARTNER_SLOTS;
		row |= i >= PRF_SCHED;
		if (row && !*values[i])
			continue;
		json_object_set_new(j, sp->name, json_string(values[i]));
	}
}

/* The partners and the attachments. */
static void parties_json(struct arena *a, const struct proposal *p, json_t *j)
{
	json_t *partners = json_array();
	for (size_t i = 0; i < p->npartners; i++)
		json_array_append_new(partners,
				      json_pack("{s:I,s:s,s:b,s:o}", "group_id",
						(json_int_t)p->partners[i].group_id, "name",
						p->partners[i].group_name, "confirmed",
						p->partners[i].confirmed_at != 0, "confirmed_at",
						time_or_null(a, p->partners[i].confirmed_at)));
	json_object_set_new(j, "partners", partners);
	json_t *files = json_array();
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct proposal_file *f = &p->files[i];
		json_array_append_new(
		    files, json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)f->id,
				     "file_id", (json_int_t)f->file_id, "title", f->title, "name",
				     f->name, "mime", f->mime, "size", (json_int_t)f->size, "url",
				     arena_printf(a, "%s/files/%lld", web_base_url(),
						  (long long)f->file_id)));
	}
	json_object_set_new(j, "files", files);
}

static json_t *proposal_json(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "call_id", json_integer(p->call_id));
	json_object_set_new(j, "call", json_string(p->call_title));
	json_object_set_new(j, "category_id", json_integer(p->category_id));
	json_object_set_new(j, "category", json_string(p->category_name));
	json_object_set_new(j, "group_id", json_integer(p->group_id));
	json_object_set_new(j, "group", json_string(p->group_name));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "status_label", json_string(proposal_web_status(p->status)));
	json_object_set_new(j, "receipt_no", json_str_or_null(p->receipt_no));
	form_json(a, p, j);
	json_object_set_new(j, "division_name", json_str_or_null(p->division_name));
	parties_json(a, p, j);
	json_object_set_new(j, "income_total", json_integer(p->totals.income));
	json_object_set_new(j, "expense_total", json_integer(p->totals.expense));
	json_object_set_new(j, "requested", json_integer(p->totals.requested));
	struct category k;
	if (category_get(db, a, p->category_id, &k) == RC_OK)
		json_object_set_new(j, "cap", json_integer(k.cap_yen));
	bool cm, dm;
	proposal_missing_consultations(db, p, &cm, &dm);
	json_t *missing = json_array();
	if (cm)
		json_array_append_new(missing, json_string("coordinator"));
	if (dm)
		json_array_append_new(missing, json_string("division"));
	json_object_set_new(j, "missing_consultations", missing);
	json_object_set_new(j, "submitted_at", time_or_null(a, p->submitted_at));
	json_object_set_new(j, "created_at", time_or_null(a, p->created_at));
	json_object_set_new(j, "updated_at", time_or_null(a, p->updated_at));
	return j;
}

static json_t *summary_json(struct arena *a, const struct proposal_summary *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(s->id));
	json_object_set_new(j, "call_id", json_integer(s->call_id));
	json_object_set_new(j, "category_id", json_integer(s->category_id));
	json_object_set_new(j, "category", json_string(s->category_name));
	json_object_set_new(j, "group_id", json_integer(s->group_id));
	json_object_set_new(j, "group", json_string(s->group_name));
	json_object_set_new(j, "status", json_string(s->status));
	json_object_set_new(j, "receipt_no", json_str_or_null(s->receipt_no));
	json_object_set_new(j, "title", json_string(s->title));
	json_object_set_new(j, "division", id_or_null(s->division_id));
	json_object_set_new(j, "requested", json_integer(s->requested));
	json_object_set_new(j, "submitted_at", time_or_null(a, s->submitted_at));
	json_object_set_new(j, "updated_at", time_or_null(a, s->updated_at));
	return j;
}

/* 422 with the errors of the forms fs[0..nf) and every key of kv[0..n)
 * none of them declares: {"errors":{"field":"message"}}.  Problems of a
 * submission (ps[0..np)) are added by their field or part name; two for
 * the same name are joined by a line break. */
static void send_errors(struct req *r, const struct form *const *fs, size_t nf, const struct kv *kv,
			size_t n, const struct proposal_problem *ps, size_t np)
{
	json_t *errors = json_object();
	for (size_t k = 0; k < nf; k++) {
		const struct form *f = fs[k];
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].error)
				json_object_set_new(errors, f->spec[i].name,
						    json_string(f->v[i].error));
		if (f->repeated)
			json_object_set_new(errors, f->repeated,
					    json_string(msg("proposals.err.api_repeated")));
	}
	for (size_t i = 0; i < np; i++) {
		json_t *old = json_object_get(errors, ps[i].field);
		const char *text = proposal_web_problem(&r->arena, &ps[i]);
		if (old)
			text = arena_printf(&r->arena, "%s\n%s", json_string_value(old), text);
		json_object_set_new(errors, ps[i].field, json_string(text));
	}
	for (size_t i = 0; i < n; i++) {
		bool known = false;
		for (size_t k = 0; k < nf; k++)
			for (size_t f = 0; f < fs[k]->n; f++)
				known |= strcmp(fs[k]->spec[f].name, kv[i].key) == 0;
		if (!known)
			json_object_set_new(errors, kv[i].key,
					    json_string(msg("proposals.err.api_unknown")));
	}
	if (r->json_type_error)
		json_object_set_new(errors, r->json_type_error,
				    json_string(msg("proposals.err.api_type")));
	respond_json(r, 422, json_pack("{s:o}", "errors", errors));
}

/* The applicants' list: their groups' proposals, with q's filters, the
 * page of q into items; *total counts all that match.  False on error. */
static bool mine(struct req *r, struct db *db, const struct proposal_query *q, json_t *items,
		 int64_t *total)
{
	struct proposal_summary *ps;
	size_t n;
	if (proposal_list_mine(db, &r->arena, r->user->id, PROPOSALS_MINE_MAX, &ps, &n) != RC_OK)
		return false;
	int64_t skip = (q->page - 1) * q->per_page;
	for (size_t i = 0; i < n; i++) {
		const struct proposal_summary *s = &ps[i];
		if ((q->call_id && s->call_id != q->call_id) ||
		    (q->category_id && s->category_id != q->category_id) ||
		    (q->status && strcmp(q->status, s->status) != 0) ||
		    (q->division_id && s->division_id != q->division_id))
			continue;
		if ((*total)++ < skip || (int64_t)json_array_size(items) >= q->per_page)
			continue;
		json_array_append_new(items, summary_json(&r->arena, s));
	}
	return true;
}

void h_api_proposals(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, proposal_query_fields, PQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		const struct form *fs[] = {&f};
		send_errors(r, fs, 1, r->args, r->nargs, NULL, 0);
		return;
	}
	struct proposal_query q;
	proposal_query_from_form(&f, API_PER_PAGE, &q);
	json_t *items = json_array();
	int64_t total = 0;
	bool ok;
	if (who_is_staff(r->user)) {
		struct proposal_summary *ps;
		size_t n;
		ok = proposal_list(db, a, &q, &ps, &n, &total) == RC_OK;
		for (size_t i = 0; ok && i < n; i++)
			json_array_append_new(items, summary_json(a, &ps[i]));
	} else {
		ok = mine(r, db, &q, items, &total);
	}
	if (!ok) {
		json_decref(items);
		web_error(r, 503, msg("proposals.err.list_failed_api"));
		return;
	}
	respond_json(r, 200,
		     json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total,
			       "page", (json_int_t)q.page, "per_page", (json_int_t)q.per_page));
}

void h_api_proposal(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load(r, db, ACCESS_VIEW, &p))
		return;
	respond_json(r, 200, proposal_json(r, db, &p));
}

/* Split the body's pairs into the new-proposal keys and the others. */
static void split_pairs(struct req *r, struct kv **nk, size_t *nn, struct kv **ok, size_t *on)
{
	*nk = arena_alloc(&r->arena, (r->nform + 1) * sizeof(**nk));
	*ok = arena_alloc(&r->arena, (r->nform + 1) * sizeof(**ok));
	*nn = *on = 0;
	for (size_t i = 0; i < r->nform; i++) {
		bool is_new = false;
		for (size_t k = 0; k < PNF__MAX; k++)
			is_new |= strcmp(proposal_new_fields[k].name, r->form[i].key) == 0;
		if (is_new)
			(*nk)[(*nn)++] = r->form[i];
		else
			(*ok)[(*on)++] = r->form[i];
	}
}

/* Where a refused proposal_create() is reported: false when it has been
 * answered (403 or 503), true when it is an error of the form fn. */
static bool create_refused(struct req *r, struct form *fn, enum rc rc,
			   const struct proposal_problem *why)
{
	switch (rc) {
	case RC_FORBIDDEN:
		web_error(r, 403, msg("proposals.err.create_forbidden"));
		return false;
	case RC_NOT_FOUND:
		form_error(fn, PNF_GROUP, "proposals.err.api_not_found");
		return true;
	case RC_CLOSED:
		form_error(fn, PNF_CATEGORY, "proposals.err.category_closed");
		return true;
	case RC_INVALID:
		form_error(fn, PNF_CATEGORY, proposal_web_problem(&r->arena, why));
		return true;
	default:
		web_error(r, rc_status(rc), msg(proposal_rc_key(rc)));
		return false;
	}
}

void h_api_proposal_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct kv *nk, *ok;
	size_t nn, on;
	split_pairs(r, &nk, &nn, &ok, &on);
	struct form fn, fp;
	form_check(a, proposal_new_fields, PNF__MAX, nk, nn, &fn);
	form_check(a, proposal_fields, PRF__MAX, ok, on, &fp);
	const struct form *fs[] = {&fn, &fp};
	if (fn.nerrors || fn.repeated || fp.unknown || fp.repeated || r->json_type_error) {
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	if (strcmp(form_s(&fp, PRF_ACTION), "submit") == 0) {
		form_error(&fp, PRF_ACTION, "proposals.err.api_create_submit");
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	/* Check everything before anything is created, against what the new
	 * proposal will be. */
	struct call c;
	struct category k;
	struct proposal p0 = {0};
	if (call_get(db, a, fn.v[PNF_CALL].i, &c) != RC_OK ||
	    category_get(db, a, fn.v[PNF_CATEGORY].i, &k) != RC_OK || k.call_id != c.id) {
		form_error(&fn, PNF_CATEGORY, "proposals.err.api_call_category");
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	p0.call_id = c.id;
	p0.category_id = k.id;
	p0.group_id = fn.v[PNF_GROUP].i;
	p0.fiscal_year = c.fiscal_year;
	p0.status = "draft";
	p0.group_name = p0.call_title = p0.category_name = p0.division_name = "";
	struct proposal_draft d;
	if (proposal_from_form(db, a, &fp, &p0, &d)) {
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	int64_t id = 0;
	struct proposal_problem why;
	enum rc rc = proposal_create(db, a, c.id, k.id, p0.group_id, r->user->id,
				     proposal_web_now(), &id, &why);
	if (rc != RC_OK) {
		if (create_refused(r, &fn, rc, &why))
			send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	struct proposal p;
	const char *save_why = NULL;
	if (proposal_get(db, a, id, &p) != RC_OK ||
	    proposal_save(db, a, &p, &d, r->user->id, proposal_web_now(), &save_why) != RC_OK ||
	    proposal_get(db, a, id, &p) != RC_OK) {
		web_error(r, 503, msg("proposals.err.save_failed_api"));
		return;
	}
	resp_header(r, "Location",
		    arena_printf(a, "%s/api/v1/proposals/%lld", web_base_url(), (long long)id));
	respond_json(r, 201, proposal_json(r, db, &p));
}

/* The pairs a PATCH is checked as: the stored values, with the keys sent
 * in place of theirs (but not the amounts, which are computed again from
 * price × quantity).  The count in *n. */
static struct kv *patched_pairs(struct req *r, const struct proposal *p, size_t *n)
{
	struct arena *a = &r->arena;
	const char **values = arena_alloc(a, PRF__MAX * sizeof(*values));
	proposal_form_values(a, p, values);
	struct kv *kv = arena_alloc(a, (PRF__MAX + r->nform + 1) * sizeof(*kv));
	*n = 0;
	for (size_t i = 0; i < PRF__MAX; i++) {
		const struct field_spec *sp = &proposal_fields[i];
		bool sent = false;
		for (size_t k = 0; k < r->nform; k++)
			sent |= strcmp(r->form[k].key, sp->name) == 0;
		if (sent || !*values[i] || sp->kind == F_MULTI || i == PRF_ACTION ||
		    (i >= PRF_INCOME && (i - PRF_INCOME) % 4 == BCOL_AMOUNT))
			continue;
		kv[(*n)++] = (struct kv){sp->name, values[i], strlen(values[i])};
	}
	memcpy(kv + *n, r->form, r->nform * sizeof(*kv));
	*n += r->nform;
	return kv;
}

void h_api_proposal_patch(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load_draft(r, db, &p))
		return;
	struct arena *a = &r->arena;
	size_t n;
	struct kv *kv = patched_pairs(r, &p, &n);
	struct form f;
	form_check(a, proposal_fields, PRF__MAX, kv, n, &f);
	const struct form *fs[] = {&f};
	struct proposal_draft d;
	proposal_from_form(db, a, &f, &p, &d);
	struct proposal_problem *ps;
	size_t np;
	if (f.nerrors || f.unknown || f.repeated || r->json_type_error) {
		np = proposal_web_draft_problems(db, a, &p, &d, &f, &ps);
		send_errors(r, fs, 1, r->form, r->nform, ps, np);
		return;
	}
	enum rc rc;
	const char *why = NULL;
	if (d.submit) {
		const char *receipt;
		rc = proposal_submit(db, a, &p, &d, r->user->id, proposal_web_now(), &ps, &np,
				     &receipt);
		if (rc == RC_INVALID) {
			send_errors(r, fs, 1, r->form, r->nform, ps, np);
			return;
		}
	} else {
		rc = proposal_save(db, a, &p, &d, r->user->id, proposal_web_now(), &why);
	}
	if (rc != RC_OK) {
		web_error(r, rc == RC_STATE ? 409 : 503, msg(proposal_rc_key(rc)));
		return;
	}
	if (proposal_get(db, a, p.id, &p) != RC_OK) {
		web_error(r, 503, msg("proposals.err.read_failed"));
		return;
	}
	respond_json(r, 200, proposal_json(r, db, &p));
}
