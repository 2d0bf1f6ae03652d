/*
 * The route table, the server hooks, and the small pages.
 */
#include "web/web.h"
#include "domain/auth.h"
#include "domain/group.h"
#include "domain/role.h"
#include "store/db.h"
#include "util/alloc.h"
#include "util/embed.h"
#include "web/page.h"

#include <jansson.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static const struct route routes[] = {
    /* Not cached: the featured call's status depends on the clock. */
    {M_GET, "/", h_home, PERM_PUBLIC, 0},
    {M_GET, "/static/{file}", h_static, PERM_PUBLIC, 0},
    {M_GET, "/healthz", h_healthz, PERM_PUBLIC, 0},
    {M_GET, "/metrics", h_metrics, PERM_PUBLIC, 0},
    {M_GET, "/accessibility", h_accessibility, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/hub", h_placeholder, PERM_PUBLIC, 0},
    {M_GET, "/newsletter", h_placeholder, PERM_PUBLIC, 0},

    {M_GET, "/login", h_login_form, PERM_PUBLIC, 0},
    {M_POST, "/login", h_login, PERM_PUBLIC, 0},
    {M_POST, "/logout", h_logout, PERM_USER, 0},
    {M_GET, "/account/password", h_password_form, PERM_USER, 0},
    {M_POST, "/account/password", h_password, PERM_USER, 0},

    {M_GET, "/groups", h_groups, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/groups/new", h_group_new, PERM_STAFF, 0},
    {M_POST, "/groups", h_group_create, PERM_STAFF, 0},
    {M_GET, "/groups/{id}", h_group, PERM_PUBLIC, ROUTE_CACHE},
    {M_GET, "/groups/{id}/edit", h_group_edit, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/groups/{id}", h_group_update, PERM_STAFF | ROLE_MEMBER, 0},
    {M_POST, "/groups/{id}/archive", h_group_archive, PERM_STAFF, 0},

    {M_GET, "/api/v1/groups", h_api_groups, PERM_PUBLIC, ROUTE_CACHE},
    {M_POST, "/api/v1/groups", h_api_group_create, PERM_STAFF, 0},
    {M_GET, "/api/v1/groups/{id}", h_api_group, PERM_PUBLIC, ROUTE_CACHE},
    {M_PATCH, "/api/v1/groups/{id}", h_api_group_patch, PERM_STAFF | ROLE_MEMBER, 0},

    {M_GET, "/admin", h_admin, PERM_ADMIN, 0},
    {M_GET, "/admin/users", h_admin_users, PERM_ADMIN, 0},
    {M_GET, "/admin/users/new", h_admin_user_new, PERM_ADMIN, 0},
    {M_POST, "/admin/users", h_admin_user_create, PERM_ADMIN, 0},
    {M_GET, "/admin/users/{id}", h_admin_user_edit, PERM_ADMIN, 0},
    {M_POST, "/admin/users/{id}", h_admin_user_update, PERM_ADMIN, 0},
    {M_GET, "/admin/audit", h_admin_audit, PERM_ADMIN, 0},
    {M_GET, "/admin/themes", h_admin_themes, PERM_ADMIN, 0},
    {M_POST, "/admin/themes", h_admin_theme_create, PERM_ADMIN, 0},
    {M_POST, "/admin/themes/{id}", h_admin_theme_update, PERM_ADMIN, 0},
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

    /* files and notifications */
    {M_GET, "/files/{id}", h_file, PERM_PUBLIC, 0},
    {M_GET, "/notifications", h_notifications, PERM_USER, 0},
    {M_POST, "/notifications/read", h_notifications_read, PERM_USER, 0},
    {M_GET, "/admin/outbox", h_admin_outbox, PERM_ADMIN, 0},

    /* consultations */
    {M_GET, "/consultations", h_consultations, PERM_USER, 0},
    {M_POST, "/consultations/slots", h_consultation_slot_create, PERM_STAFF, 0},
    {M_POST, "/consultations/slots/{id}/cancel", h_consultation_slot_cancel, PERM_STAFF, 0},
    {M_POST, "/consultations/slots/{id}/book", h_consultation_book, ROLE_MEMBER, 0},
    {M_POST, "/consultations/bookings/{id}/cancel", h_consultation_booking_cancel, PERM_USER, 0},
    {M_POST, "/consultations/bookings/{id}/done", h_consultation_booking_done, PERM_STAFF, 0},
    {M_GET, "/consultations/division", h_consultations_division, PERM_STAFF | ROLE_DIVISION, 0},
    {M_POST, "/consultations/division", h_consultation_division_record, PERM_STAFF | ROLE_DIVISION,
     0},

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
    {M_POST, "/admin/screening/stages/{id}/criteria/{cid}", h_screening_criterion_update,
     PERM_ADMIN, 0},
    {M_POST, "/admin/screening/stages/{id}/criteria/{cid}/delete", h_screening_criterion_delete,
     PERM_ADMIN, 0},
    {M_POST, "/admin/screening/stages/{id}/reviewers", h_screening_assign, PERM_ADMIN, 0},
    {M_POST, "/admin/screening/stages/{id}/close", h_screening_close, PERM_ADMIN, 0},
    {M_GET, "/admin/screening/stages/{id}/proposals/{pid}", h_screening_proposal, PERM_STAFF, 0},
    {M_POST, "/admin/screening/stages/{id}/proposals/{pid}/decision", h_screening_decide,
     PERM_ADMIN, 0},
    {M_POST, "/admin/screening/sheets/{id}", h_screening_correct, PERM_ADMIN, 0},
    {M_GET, "/admin/screening/stages/{id}/presentations", h_screening_presentations, PERM_STAFF, 0},
    {M_POST, "/admin/screening/stages/{id}/presentations", h_screening_presentation_save,
     PERM_ADMIN, 0},
    {M_POST, "/admin/screening/stages/{id}/presentations/{pid}/delete",
     h_screening_presentation_delete, PERM_ADMIN, 0},
    {M_POST, "/admin/screening/stages/{id}/public", h_screening_public, PERM_ADMIN, 0},
    /* Who sees which slot depends on the user: not cached. */
    {M_GET, "/challenge/calls/{id}/presentations", h_presentations, PERM_PUBLIC, 0},
    {M_GET, "/admin/calls/{id}/scores.xlsx", h_score_export_xlsx, PERM_STAFF, 0},
    {M_GET, "/admin/calls/{id}/scores.csv", h_score_export_csv, PERM_STAFF, 0},

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

    {M_GET, "/admin/settings", h_admin_settings, PERM_ADMIN, 0},
    {M_POST, "/admin/settings", h_admin_settings_save, PERM_ADMIN, 0},
};

/* Session cookie first; an Authorization: Bearer header for API clients. */
static bool authenticate(struct req *r)
{
	const char *authz = req_header(r, "Authorization");
	struct db *db;
	if (authz) {
		if (strncmp(authz, "Bearer ", 7) != 0)
			return false;
		db = db_thread();
		return db && auth_token_lookup(db, &r->arena, authz + 7, &r->user);
	}
	const char *token = req_cookie(r, "kyodo_session");
	if (!token)
		return true;
	db = db_thread();
	if (db && auth_session_lookup(db, &r->arena, token, (int64_t)time(NULL), &r->user)) {
		r->session_token = token;
	} else {
		/* An expired or unknown session: forget the cookie. */
		resp_cookie(r, "kyodo_session", "", 0);
	}
	return true;
}

/* Logged-in users' tokens derive from the session; visitors get a random
 * kyodo_anon cookie the first time a form is shown to them. */
static const char *csrf_token(struct req *r)
{
	if (r->session_token)
		return auth_csrf(&r->arena, r->session_token);
	const char *anon = req_cookie(r, "kyodo_anon");
	if (!anon || strlen(anon) != 43) {
		if (!r->anon_token) {
			r->anon_token = auth_new_token(&r->arena);
			if (r->method == M_GET || r->method == M_HEAD)
				resp_cookie(r, "kyodo_anon", r->anon_token, -1);
		}
		anon = r->anon_token;
	}
	return auth_csrf(&r->arena, anon);
}

void web_error(struct req *r, int status, const char *message)
{
	if (r->is_api) {
		json_t *j = json_pack("{s:s}", "error", message);
		char *s = json_dumps(j, JSON_COMPACT);
		buf_reset(&r->body);
		buf_adds(&r->body, s);
		free(s);
		json_decref(j);
		r->status = status;
		r->content_type = "application/json; charset=utf-8";
		return;
	}
	static const struct {
		int status;
		const char *heading;
	} headings[] = {
	    {400, "リクエストが正しくありません"}, {401, "ログインが必要です"},
	    {403, "アクセスできません"},	   {404, "ページが見つかりません"},
	    {405, "この操作はできません"},	   {408, "時間切れになりました"},
	    {413, "データが大きすぎます"},	   {415, "この形式には対応していません"},
	    {409, "この操作は行えませんでした"},   {422, "入力内容を確認してください"},
	    {429, "しばらくお待ちください"},	   {501, "この操作には対応していません"},
	    {503, "ただいま利用できません"},
	};
	const char *heading = "エラーが発生しました";
	for (size_t i = 0; i < sizeof(headings) / sizeof(headings[0]); i++)
		if (headings[i].status == status)
			heading = headings[i].heading;
	struct tv *ctx = page_ctx(r, heading, NAV_NONE);
	tv_set_int(ctx, "status", status);
	tv_set_str(ctx, "heading", heading);
	tv_set_str(ctx, "message", message);
	page_render(r, status, "error", ctx);
}

static const char *base_url = "";

const char *web_base_url(void)
{
	return base_url;
}

void web_configure(struct server_config *cfg)
{
	/* KYODO_BASE_URL ("https://kyodo.example.jp") makes links that leave
	 * the page absolute, e.g. the API's Location header. */
	const char *b = getenv("KYODO_BASE_URL");
	if (b) {
		size_t n = strlen(b);
		while (n && b[n - 1] == '/')
			n--;
		char *copy = xmalloc(n + 1);
		memcpy(copy, b, n);
		copy[n] = '\0';
		base_url = copy;
	}
	cfg->routes = routes;
	cfg->nroutes = sizeof(routes) / sizeof(routes[0]);
	cfg->authenticate = authenticate;
	cfg->csrf_token = csrf_token;
	cfg->error = web_error;
}

bool web_can_edit_group(struct req *r, int64_t group_id)
{
	if (!r->user)
		return false;
	if (r->user->roles & PERM_STAFF)
		return true;
	struct db *db = db_thread();
	return (r->user->roles & ROLE_MEMBER) && db && group_is_member(db, group_id, r->user->id);
}

void h_home(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct tv *ctx = page_ctx(r, "ホーム", NAV_HOME);
	web_home_call(r, ctx);
	web_home_events(r, ctx);
	struct db_stmt *st = db_stmt(db, STMT_GROUP_COUNT_PUBLIC);
	if (db_step(st) == DB_ROW) {
		tv_set_int(ctx, "group_count", db_int(st, 0));
		db_reset(st);
	}
	page_render(r, 200, "home", ctx);
}

static const char *mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	    {".woff2", "font/woff2"},
	    {".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Embedded files only: the name is looked up in the table, so no path can
 * reach the file system.  The ETag is a hash of the content. */
void h_static(struct req *r)
{
	const char *name = r->params[0];
	for (size_t i = 0; i < embed_static_count; i++) {
		const struct embed_file *f = &embed_static[i];
		if (strcmp(f->name, name) != 0)
			continue;
		unsigned char h[8];
		char etag[2 * sizeof(h) + 3];
		crypto_generichash(h, sizeof(h), f->data, f->len, NULL, 0);
		etag[0] = '"';
		sodium_bin2hex(etag + 1, 2 * sizeof(h) + 1, h, sizeof(h));
		strcat(etag, "\"");
		resp_header(r, "ETag", etag);
		resp_header(r, "Cache-Control", "public, max-age=3600");
		r->content_type = mime_of(name);
		const char *inm = req_header(r, "If-None-Match");
		if (inm && strcmp(inm, etag) == 0) {
			r->status = 304;
			return;
		}
		r->body.p = (char *)f->data;
		r->body.n = f->len;
		r->body_static = true;
		r->status = 200;
		return;
	}
	web_error(r, 404, "お探しのファイルは見つかりませんでした。");
}

void h_healthz(struct req *r)
{
	struct db *db = db_thread();
	if (db && db_ping(db))
		resp_text(r, 200, "ok");
	else
		resp_text(r, 503, "database unavailable");
}

void h_metrics(struct req *r)
{
	buf_reset(&r->body);
	server_metrics(&r->body);
	struct db *db = db_thread();
	buf_adds(&r->body, "# HELP kyodo_db_size_bytes Size of the database files.\n"
			   "# TYPE kyodo_db_size_bytes gauge\n");
	buf_printf(&r->body, "kyodo_db_size_bytes %lld\n", db ? (long long)db_size(db) : -1LL);
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void h_accessibility(struct req *r)
{
	struct tv *ctx = page_ctx(r, "ウェブアクセシビリティ方針", NAV_NONE);
	page_render(r, 200, "accessibility", ctx);
}

void h_placeholder(struct req *r)
{
	static const struct {
		const char *path, *heading;
		enum nav nav;
	} sections[] = {
	    {"/hub", "まちづくりHUB", NAV_HUB},
	    {"/newsletter", "協働通信「いいねまちづくり」", NAV_NEWSLETTER},
	};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (strcmp(r->path, sections[i].path) != 0)
			continue;
		struct tv *ctx = page_ctx(r, sections[i].heading, sections[i].nav);
		tv_set_str(ctx, "heading", sections[i].heading);
		page_render(r, 200, "placeholder", ctx);
		return;
	}
	web_error(r, 404, "お探しのページは見つかりませんでした。");
}
