/*
 * JSON API v1 for the group directory.  Field names and validation are the
 * HTML form's (groups/group.h group_fields).  Errors:
 *   401 no credentials, 403 wrong role, 400 malformed JSON,
 *   422 {"errors":{"field": message}} for invalid fields, each message in
 *   the reader's language (groups.*, form.* in the catalogue).
 * The private fields come only to those group_access() lets view them,
 * and each such answer is audited like a look at the page.
 */
#include "core/access.h"
#include "core/who.h"
#include "groups/group.h"
#include "groups/handlers.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <jansson.h>
#include <string.h>

#define API_PER_PAGE 20

static json_t *strings(const char **items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

static json_t *group_json(struct req *r, const struct group *g, bool private)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(g->id));
	json_object_set_new(j, "name", json_string(g->name));
	json_object_set_new(j, "name_kana", json_string(g->name_kana));
	json_object_set_new(j, "kind", json_string(g->kind));
	if (g->founded_year)
		json_object_set_new(
		    j, "founded",
		    json_string(arena_printf(&r->arena, "%04lld-%02lld", (long long)g->founded_year,
					     (long long)g->founded_month)));
	else
		json_object_set_new(j, "founded", json_null());
	json_object_set_new(j, "members", g->members >= 0 ? json_integer(g->members) : json_null());
	json_object_set_new(j, "themes", strings(g->themes, g->nthemes));
	json_object_set_new(j, "purpose", json_string(g->purpose));
	json_t *aw = json_array();
	for (size_t i = 0; i < g->nawards; i++)
		json_array_append_new(
		    aw, json_string(arena_printf(&r->arena, "%lld %s", (long long)g->awards[i].year,
						 g->awards[i].title)));
	json_object_set_new(j, "awards", aw);
	json_object_set_new(j, "website", json_string(g->website));
	json_object_set_new(j, "sns", strings(g->sns, g->nsns));
	json_object_set_new(j, "public_contact", json_string(g->public_contact));
	json_object_set_new(j, "rep_title", json_string(g->rep_title));
	json_object_set_new(j, "rep_name", json_string(g->rep_name));
	json_object_set_new(j, "rep_kana", json_string(g->rep_kana));
	json_object_set_new(j, "pref", json_string(g->pref));
	json_object_set_new(j, "city", json_string(g->city));
	json_object_set_new(j, "town", json_string(g->town));
	if (private) {
		json_object_set_new(j, "private_contact", json_string(g->private_contact));
		json_object_set_new(j, "street", json_string(g->street));
		json_object_set_new(j, "building", json_string(g->building));
	}
	json_object_set_new(j, "archived", json_boolean(g->archived));
	return j;
}

/* 422 with every field error of f, and every key of kv[0..n) that f does
 * not declare, as {"errors":{"field":"message"}}. */
static void send_errors(struct req *r, const struct form *f, const struct kv *kv, size_t n)
{
	json_t *errors = json_object();
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].error)
			json_object_set_new(errors, f->spec[i].name, json_string(f->v[i].error));
	for (size_t k = 0; k < n; k++) {
		bool known = false;
		for (size_t i = 0; i < f->n; i++)
			known |= strcmp(f->spec[i].name, kv[k].key) == 0;
		if (!known)
			json_object_set_new(errors, kv[k].key,
					    json_string(msg("groups.api.unknown_field")));
	}
	if (r->json_type_error)
		json_object_set_new(errors, r->json_type_error,
				    json_string(msg("groups.api.wrong_type")));
	if (f->repeated)
		json_object_set_new(errors, f->repeated, json_string(msg("groups.api.repeated")));
	respond_json(r, 422, json_pack("{s:o}", "errors", errors));
}

void h_api_groups(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form f;
	form_check(&r->arena, group_query_fields, GQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		send_errors(r, &f, r->args, r->nargs);
		return;
	}
	struct group_query q;
	group_query_from_form(&f, API_PER_PAGE, &q);
	struct group_page res;
	if (group_list(db, &r->arena, &q, &res) != RC_OK) {
		web_error(r, 503, msg("groups.api.search_failed"));
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < res.n; i++) {
		const struct group_summary *s = &res.items[i];
		json_t *themes = strings(s->themes, s->nthemes);
		json_array_append_new(
		    items, json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:o}", "id", (json_int_t)s->id,
				     "name", s->name, "name_kana", s->name_kana, "kind", s->kind,
				     "themes", themes, "city", s->city, "town", s->town, "members",
				     s->members >= 0 ? json_integer(s->members) : json_null()));
	}
	respond_json(r, 200,
		     json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)res.total,
			       "page", (json_int_t)q.page, "per_page", (json_int_t)q.per_page));
}

/* Load the group in the route; an archived one only when archived_too.
 * False with the answer sent. */
static bool load_group(struct req *r, struct db *db, struct group *g, bool archived_too)
{
	enum rc rc = group_find(db, &r->arena, req_param_id(r, 0), archived_too, g);
	if (rc != RC_OK) {
		web_error(r, rc_status(rc),
			  msg(rc == RC_NOT_FOUND ? "groups.api.not_found" : "groups.api.failed"));
		return false;
	}
	return true;
}

/* Answer group id as it is stored now, with its private fields (the
 * caller has just written them). */
static void send_saved(struct req *r, struct db *db, int status, int64_t id)
{
	struct group saved;
	if (group_get(db, &r->arena, id, &saved) != RC_OK) {
		web_error(r, 503, msg("groups.api.failed"));
		return;
	}
	respond_json(r, status, group_json(r, &saved, true));
}

void h_api_group(struct req *r)
{
	struct db *db = page_db(r);
	struct group g;
	if (!db || !load_group(r, db, &g, who_is_staff(r->user)))
		return;
	bool private = access_may(db, r->user, ACCESS_GROUP, g.id, ACCESS_VIEW);
	if (private && group_log_private_view(db, g.id, r->user->id) != DB_OK) {
		web_error(r, 503, msg("groups.err.audit_view"));
		return;
	}
	respond_json(r, 200, group_json(r, &g, private));
}

void h_api_group_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form f;
	form_check(&r->arena, group_fields, GF__MAX, r->form, r->nform, &f);
	struct group g = {0};
	group_from_form(db, &r->arena, &f, NULL, &g);
	if (f.nerrors || f.unknown || f.repeated || r->json_type_error) {
		send_errors(r, &f, r->form, r->nform);
		return;
	}
	if (group_save(db, &r->arena, &g, NULL, r->user->id) != RC_OK) {
		web_error(r, 503, msg("groups.api.save_failed"));
		return;
	}
	resp_header(
	    r, "Location",
	    arena_printf(&r->arena, "%s/api/v1/groups/%lld", web_base_url(), (long long)g.id));
	send_saved(r, db, 201, g.id);
}

void h_api_group_patch(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct group old;
	if (!load_group(r, db, &old, true))
		return;
	if (!access_may(db, r->user, ACCESS_GROUP, old.id, ACCESS_EDIT)) {
		web_error(r, 403, msg("groups.err.forbidden"));
		return;
	}
	struct form f;
	form_check(&r->arena, group_fields, GF__MAX, r->form, r->nform, &f);
	/* Only the fields sent are changed; absent ones keep their value, so
	 * "required" applies only to fields that are sent. */
	bool present[GF__MAX] = {0};
	for (size_t k = 0; k < r->nform; k++)
		for (size_t i = 0; i < GF__MAX; i++)
			if (strcmp(group_fields[i].name, r->form[k].key) == 0)
				present[i] = true;
	for (size_t i = 0; i < GF__MAX; i++) {
		if (!present[i] && f.v[i].error) {
			f.v[i].error = NULL;
			f.nerrors--;
		}
	}
	struct group g = old;
	group_from_form(db, &r->arena, &f, present, &g);
	if (f.nerrors || f.unknown || f.repeated || r->json_type_error) {
		send_errors(r, &f, r->form, r->nform);
		return;
	}
	if (group_save(db, &r->arena, &g, &old, r->user->id) != RC_OK) {
		web_error(r, 503, msg("groups.api.save_failed"));
		return;
	}
	send_saved(r, db, 200, g.id);
}
