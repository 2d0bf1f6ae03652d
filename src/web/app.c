/*
 * The route table, the server hooks, and the small pages.
 */
#include "core/who.h"
#include "web/web.h"
#include "web/handlers.h"
#include "accounts/auth.h"
#include "store/db.h"
#include "util/embed.h"
#include "util/msg.h"
#include "web/page.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

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

void web_configure(struct server_config *cfg)
{
	cfg->route_tables = web_features;
	cfg->ntables = web_nfeatures;
	cfg->authenticate = authenticate;
	cfg->csrf_token = csrf_token;
	cfg->error = web_error;
}

void h_home(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct tv *ctx = page_ctx(r, msg("web.title.home"), NAV_HOME);
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
	web_error(r, 404, "web.file_not_found");
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
	struct tv *ctx = page_ctx(r, msg("web.title.accessibility"), NAV_NONE);
	page_render(r, 200, "accessibility", ctx);
}

void h_placeholder(struct req *r)
{
	static const struct {
		const char *path, *heading; /* heading: a message key */
		enum nav nav;
	} sections[] = {
	    {"/hub", "web.title.hub", NAV_HUB},
	    {"/newsletter", "web.title.newsletter", NAV_NEWSLETTER},
	};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (strcmp(r->path, sections[i].path) != 0)
			continue;
		const char *heading = msg(sections[i].heading);
		struct tv *ctx = page_ctx(r, heading, sections[i].nav);
		tv_set_str(ctx, "heading", heading);
		page_render(r, 200, "placeholder", ctx);
		return;
	}
	web_error(r, 404, "http.not_found");
}
