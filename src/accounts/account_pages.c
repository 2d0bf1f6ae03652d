/*
 * Logging in and out, and changing one's own password.
 */
#include "accounts/auth.h"
#include "accounts/handlers.h"
#include "accounts/user.h"
#include "core/who.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

enum { LF_EMAIL, LF_PASSWORD, LF_NEXT, LF__MAX };
static const struct field_spec login_fields[LF__MAX] = {
    [LF_EMAIL] = {"email", "accounts.field.email", F_EMAIL, true, 254, 0, 0, NULL},
    [LF_PASSWORD] = {"password", "accounts.field.password", F_PASSWORD, true, 128, 0, 0, NULL},
    [LF_NEXT] = {"next", "accounts.field.next", F_LINE, false, 500, 0, 0, NULL},
};

/* Only local paths may be redirect targets: "/x", never "//host", and no
 * white space, control characters or backslashes, which browsers strip or
 * reinterpret ("/\t/evil" becomes "//evil"). */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/')
		return "/";
	for (const char *p = next; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == 0x7f || c == '\\')
			return "/";
	}
	return next;
}

/* The login form; message, when given, is the key of a sentence above it. */
static void login_page(struct req *r, int status, const struct form *f, const char *message)
{
	struct tv *ctx = page_ctx(r, msg("accounts.title.login"), NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	const char *defaults[LF__MAX] = {NULL, NULL, req_arg(r, "next")};
	struct tv *fields = page_form(r, ctx, login_fields, LF__MAX, f, defaults);
	page_field_set(fields, "email", "autocomplete", tv_str(&r->arena, "username"));
	page_field_set(fields, "password", "autocomplete", tv_str(&r->arena, "current-password"));
	if (message)
		tv_set_str(ctx, "message", msg(message));
	page_render(r, status, "login", ctx);
}

void h_login_form(struct req *r)
{
	if (r->user) {
		resp_redirect(r, "/");
		return;
	}
	login_page(r, 200, NULL, NULL);
}

void h_login(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form f;
	form_check(&r->arena, login_fields, LF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("accounts.err.bad_fields"));
		return;
	}
	if (f.nerrors) {
		login_page(r, 422, &f, NULL);
		return;
	}
	const char *email = form_s(&f, LF_EMAIL);
	int64_t now = (int64_t)time(NULL);
	if (auth_login_blocked(db, email, r->ip, now)) {
		login_page(r, 429, &f, "accounts.err.login_blocked");
		return;
	}
	struct user u;
	bool ok;
	if (user_by_email(db, &r->arena, email, &u) == RC_OK && !u.disabled) {
		ok = auth_check_password(u.pw_hash, form_s(&f, LF_PASSWORD));
	} else {
		auth_burn_password_check(form_s(&f, LF_PASSWORD));
		ok = false;
	}
	if (!ok) {
		auth_login_failed(db, email, r->ip, now);
		/* One message for every cause, so that the form does not reveal
		 * which addresses have accounts. */
		login_page(r, 401, &f, "accounts.err.bad_login");
		return;
	}
	auth_login_succeeded(db, email);
	char *token = auth_login(db, &r->arena, u.id, r->ip);
	if (!token) {
		web_error(r, 503, msg("accounts.err.login_failed"));
		return;
	}
	resp_cookie(r, "kyodo_session", token, SESSION_ABSOLUTE_SECONDS);
	page_flash(r, "login");
	resp_redirect(r, safe_next(form_s(&f, LF_NEXT)));
}

void h_logout(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	/* A request with an API token has no session to end. */
	if (r->session_token && auth_logout(db, r->session_token, r->user->id) != DB_OK) {
		web_error(r, 503, msg("accounts.err.logout_failed"));
		return;
	}
	resp_cookie(r, "kyodo_session", "", 0);
	page_flash(r, "logout");
	resp_redirect(r, "/");
}

enum { PF_CURRENT, PF_NEW, PF_CONFIRM, PF__MAX };
static const struct field_spec password_fields[PF__MAX] = {
    [PF_CURRENT] = {"current", "accounts.field.current_password", F_PASSWORD, true, 128, 0, 0,
		    NULL},
    [PF_NEW] = {"password", "accounts.field.new_password", F_PASSWORD, true, 128, 0, 0, NULL},
    [PF_CONFIRM] = {"confirm", "accounts.field.confirm_password", F_PASSWORD, true, 128, 0, 0,
		    NULL},
};

static void password_page(struct req *r, int status, const struct form *f)
{
	struct tv *ctx = page_ctx(r, msg("accounts.title.password"), NAV_NONE);
	struct tv *fields = page_form(r, ctx, password_fields, PF__MAX, f, NULL);
	page_field_set(fields, "current", "autocomplete", tv_str(&r->arena, "current-password"));
	page_field_set(fields, "password", "autocomplete", tv_str(&r->arena, "new-password"));
	page_field_set(fields, "confirm", "autocomplete", tv_str(&r->arena, "new-password"));
	page_field_set(fields, "password", "hint",
		       tv_str(&r->arena, msg("accounts.hint.new_password")));
	page_render(r, status, "password", ctx);
}

void h_password_form(struct req *r)
{
	password_page(r, 200, NULL);
}

void h_password(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form f;
	form_check(&r->arena, password_fields, PF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("accounts.err.bad_fields"));
		return;
	}
	struct user u;
	if (user_get(db, &r->arena, r->user->id, &u) != RC_OK) {
		web_error(r, 404, msg("accounts.err.self_not_found"));
		return;
	}
	if (!f.v[PF_CURRENT].error && !auth_check_password(u.pw_hash, form_s(&f, PF_CURRENT)))
		form_error(&f, PF_CURRENT, "accounts.err.wrong_current_password");
	if (!f.v[PF_NEW].error && !f.v[PF_CONFIRM].error &&
	    strcmp(form_s(&f, PF_NEW), form_s(&f, PF_CONFIRM)) != 0)
		form_error(&f, PF_CONFIRM, "accounts.err.confirm_mismatch");
	if (f.nerrors) {
		password_page(r, 422, &f);
		return;
	}
	/* Other sessions of this user end with the change; this one stays.
	 * (An API token has no session: then every session ends.) */
	if (user_change_password(db, u.id, form_s(&f, PF_NEW), r->user->session_id) != RC_OK) {
		web_error(r, 503, msg("accounts.err.password_failed"));
		return;
	}
	page_flash(r, "password");
	resp_redirect(r, "/");
}
