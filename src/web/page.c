#include "core/who.h"
#include "web/page.h"
#include "core/role.h"
#include "core/settings.h"
#include "util/alloc.h"
#include "util/embed.h"
#include "util/date.h"
#include "util/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tmpl_set *templates;
static char *base_url;

const char *web_base_url(void)
{
	return base_url ? base_url : "";
}

int page_init(void)
{
	/* Tests run strict (KYODO_STRICT=1): a {{name}} that nothing sets
	 * fails the page (500), so the test sees it.  KYODO_STRICT_VARS=0
	 * only logs it, for a suite that still has such names to fix. */
	const char *strict = getenv("KYODO_STRICT"), *vars = getenv("KYODO_STRICT_VARS");
	if (!strict || strcmp(strict, "1") != 0)
		tmpl_strict_vars(TMPL_VARS_QUIET);
	else if (vars && strcmp(vars, "0") == 0)
		tmpl_strict_vars(TMPL_VARS_LOG);
	else
		tmpl_strict_vars(TMPL_VARS_FAIL);
	const char *b = getenv("KYODO_BASE_URL");
	free(base_url);
	base_url = NULL;
	if (b) {
		size_t n = strlen(b);
		while (n && b[n - 1] == '/')
			n--;
		base_url = xmalloc(n + 1);
		memcpy(base_url, b, n);
		base_url[n] = '\0';
	}

	char err[256];
	templates = tmpl_set_compile(embed_templates, embed_templates_count, err, sizeof(err));
	if (!templates) {
		fprintf(stderr, "kyodo: template error: %s\n", err);
		return -1;
	}
	return 0;
}

void page_release(void)
{
	tmpl_set_free(templates);
	templates = NULL;
	free(base_url);
	base_url = NULL;
}

const struct tmpl_set *page_templates(void)
{
	return templates;
}

struct db *page_db(struct req *r)
{
	struct db *db = db_thread();
	if (!db) {
		resp_text(r, 503, msg("web.db_unavailable"));
	}
	return db;
}

/* One-shot messages carried across a redirect in a cookie, by code; the
 * words are web.flash.<code> in the catalogue. */
static const struct {
	const char *code, *key;
	bool error;
} flashes[] = {
    {"created", "web.flash.created", false},
    {"saved", "web.flash.saved", false},
    {"archived", "web.flash.archived", false},
    {"restored", "web.flash.restored", false},
    {"login", "web.flash.login", false},
    {"logout", "web.flash.logout", false},
    {"password", "web.flash.password", false},
    {"read", "web.flash.read", false},
    {"expired", "web.flash.expired", true},
    {"deleted", "web.flash.deleted", false},
    {"registered", "web.flash.registered", false},
    {"waiting", "web.flash.waiting", false},
    {"registration_cancelled", "web.flash.registration_cancelled", false},
    {"attended", "web.flash.attended", false},
    {"already_attended", "web.flash.already_attended", false},
    {"slot_created", "web.flash.slot_created", false},
    {"slot_cancelled", "web.flash.slot_cancelled", false},
    {"booked", "web.flash.booked", false},
    {"booking_cancelled", "web.flash.booking_cancelled", false},
    {"consult_done", "web.flash.consult_done", false},
    {"division_recorded", "web.flash.division_recorded", false},
};

/* An error flash is a key with an "err" or "error" segment. */
static bool key_is_error(const char *key)
{
	for (const char *p = key; (p = strstr(p, "err")) != NULL; p++) {
		bool start = p == key || p[-1] == '.';
		const char *e = p + 3;
		if (strncmp(e, "or", 2) == 0)
			e += 2;
		if (start && (*e == '.' || *e == '\0'))
			return true;
	}
	return false;
}

/* The table entry of code, or -1. */
static long flash_find(const char *code)
{
	for (size_t i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++)
		if (strcmp(flashes[i].code, code) == 0)
			return (long)i;
	return -1;
}

void page_flash(struct req *r, const char *code)
{
	/* Only codes of the table and catalogue keys travel in the cookie:
	 * never text, which is not a valid cookie value and could carry
	 * personal data. */
	if (flash_find(code) >= 0 || msg_exists(code)) {
		resp_cookie(r, "kyodo_flash", code, 60);
		return;
	}
	fprintf(stderr, "kyodo: unknown flash code %s\n", code);
}

static void add_flash(struct req *r, struct tv *ctx)
{
	const char *code = req_cookie(r, "kyodo_flash");
	if (!code)
		return;
	long i = flash_find(code);
	const char *key = i >= 0 ? flashes[i].key : msg_exists(code) ? code : NULL;
	if (key) {
		bool error = i >= 0 ? flashes[i].error : key_is_error(key);
		struct tv *f = tv_obj(&r->arena);
		tv_set_str(f, "message", msg(key));
		tv_set_str(f, "kind", error ? "error" : "success");
		tv_set_bool(f, error ? "is_error" : "is_success", true);
		tv_set(ctx, "flash", f);
	}
	resp_cookie(r, "kyodo_flash", "", 0);
}

struct tv *page_ctx(struct req *r, const char *title, enum nav nav)
{
	struct arena *a = &r->arena;
	struct tv *ctx = tv_obj(a);
	struct db *db = db_thread();
	/* transitional: titles may still be text; remove when all are keys */
	tv_set_str(ctx, "title", msg_or_text(title));
	struct tv *n = tv_obj(a);
	static const char *const navkeys[] = {"",	"home", "groups",    "challenge",
					      "events", "hub",	"newsletter"};
	if (nav != NAV_NONE)
		tv_set_bool(n, navkeys[nav], true);
	tv_set(ctx, "nav", n);
	if (r->user) {
		struct tv *u = tv_obj(a);
		tv_set_str(u, "name", r->user->name);
		tv_set_bool(u, "is_admin", r->user->roles & ROLE_ADMIN);
		tv_set_bool(u, "is_staff", r->user->roles & PERM_STAFF);
		tv_set_bool(u, "is_reviewer", r->user->roles & ROLE_REVIEWER);
		/* The unread count next to お知らせ in the header. */
		struct db_stmt *st = db ? db_stmt(db, STMT_NOTIFICATION_UNREAD) : NULL;
		if (st) {
			db_bind_int(st, 1, r->user->id);
			if (db_step(st) == DB_ROW) {
				tv_set_int(u, "unread", db_int(st, 0));
				db_reset(st);
			}
		}
		tv_set(ctx, "user", u);
		tv_set_str(ctx, "csrf", req_csrf(r));
	}
	struct tv *office = tv_obj(a);
	if (db) {
		const char *v[SETTING__MAX];
		settings_snapshot(db, a, v);
		tv_set_str(ctx, "site_name", v[SETTING_SITE_NAME]);
		tv_set_str(office, "org", v[SETTING_OFFICE_ORG]);
		tv_set_str(office, "name", v[SETTING_OFFICE_NAME]);
		tv_set_str(office, "phone", v[SETTING_OFFICE_PHONE]);
		tv_set_str(office, "email", v[SETTING_OFFICE_EMAIL]);
		tv_set_str(office, "address", v[SETTING_OFFICE_ADDRESS]);
		tv_set_str(office, "hours", v[SETTING_OFFICE_HOURS]);
	}
	tv_set(ctx, "office", office);
	add_flash(r, ctx);
	return ctx;
}

/* A page whose template failed is not sent half-drawn: it is logged with
 * the template's name and answered 500, as the error page (or, when that
 * fails too, as text). */
static void render_failed(struct req *r, int rc)
{
	static _Thread_local bool failing;
	static const char *const why[] = {"", "no such template", "partials nested too deep",
					  "variable not set"};
	fprintf(stderr, "kyodo: %s: template %s: %s; answering 500\n", r->path ? r->path : "-",
		tmpl_last_problem(), why[-rc < 4 ? -rc : 0]);
	buf_reset(&r->body);
	if (failing) {
		resp_text(r, 500, msg("http.internal"));
		return;
	}
	failing = true;
	web_error(r, 500, "http.internal");
	failing = false;
}

void page_render(struct req *r, int status, const char *name, struct tv *ctx)
{
	struct buf body = BUF_INIT;
	int rc = tmpl_render(templates, name, ctx, &body);
	if (rc == TMPL_OK) {
		tv_set(ctx, "body",
		       tv_raw(&r->arena, arena_strndup(&r->arena, body.p ? body.p : "", body.n)));
		buf_reset(&r->body);
		rc = tmpl_render(templates, "layout", ctx, &r->body);
	}
	buf_release(&body);
	if (rc != TMPL_OK) {
		render_failed(r, rc);
		return;
	}
	resp_html(r, status);
}

bool page_query(struct req *r, const struct field_spec *spec, size_t n, struct form *q,
		const char *bad)
{
	form_check(&r->arena, spec, n, r->args, r->nargs, q);
	if (q->unknown || q->repeated || q->nerrors) {
		web_error(r, 400, bad);
		return false;
	}
	return true;
}

static const char *input_type(enum field_kind k)
{
	switch (k) {
	case F_EMAIL:
		return "email";
	case F_URL:
		return "url";
	case F_PASSWORD:
		return "password";
	case F_MONTH:
		return "month";
	case F_DATE:
		return "date";
	case F_DATETIME:
		return "datetime-local";
	default:
		return "text";
	}
}

struct tv *page_form(struct req *r, struct tv *ctx, const struct field_spec *spec, size_t n,
		     const struct form *f, const char *const *defaults)
{
	struct arena *a = &r->arena;
	struct tv *fields = tv_obj(a);
	struct tv *errors = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct field_spec *sp = &spec[i];
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", sp->name);
		/* transitional: remove msg_or_text when every label is a key */
		tv_set_str(o, "label", msg_or_text(sp->label));
		tv_set_str(o, "type", input_type(sp->kind));
		tv_set_bool(o, "required", sp->required);
		tv_set_bool(o, "textarea", sp->kind == F_TEXT || sp->kind == F_URLS);
		const char *value = defaults && defaults[i] ? defaults[i] : "";
		if (f) {
			const struct field_value *v = &f->v[i];
			if (sp->kind == F_MULTI) {
				struct buf b = BUF_INIT;
				for (size_t k = 0; k < v->nlist; k++)
					buf_printf(&b, "%s%s", k ? "\n" : "", v->list[k]);
				value = arena_strdup(a, b.p ? b.p : "");
				buf_release(&b);
			} else if (sp->kind != F_PASSWORD) {
				value = v->s ? v->s : "";
			}
			if (v->error) {
				tv_set_str(o, "error", v->error);
				struct tv *e = tv_obj(a);
				tv_set_str(e, "field", sp->name);
				tv_set_str(e, "label", msg_or_text(sp->label));
				tv_set_str(e, "message", v->error);
				tv_push(errors, e);
			}
		}
		tv_set_str(o, "value", value);
		tv_set(fields, sp->name, o);
	}
	tv_set(ctx, "errors", errors);
	tv_set_int(ctx, "error_count", (int64_t)tv_len(errors));
	tv_set(ctx, "f", fields);
	return fields;
}

void page_field_options(struct req *r, struct tv *fields, const char *name,
			const char *const *options, size_t n, const char *const *chosen,
			size_t nchosen, bool checkboxes)
{
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	struct tv *list = tv_list(&r->arena);
	if (!checkboxes) {
		struct tv *blank = tv_obj(&r->arena);
		tv_set_str(blank, "value", "");
		tv_set_str(blank, "label", msg("web.select_prompt"));
		tv_set_bool(blank, "selected", false);
		tv_push(list, blank);
	}
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(&r->arena);
		bool on = false;
		for (size_t k = 0; k < nchosen; k++)
			on |= chosen[k] && strcmp(chosen[k], options[i]) == 0;
		tv_set_str(o, "value", options[i]);
		/* The value is stored; the label may be a key (transitional). */
		tv_set_str(o, "label", msg_or_text(options[i]));
		tv_set_str(o, "id", arena_printf(&r->arena, "f-%s-%zu", name, i));
		tv_set_bool(o, checkboxes ? "checked" : "selected", on);
		tv_push(list, o);
	}
	tv_set(field, checkboxes ? "checkboxes" : "options", list);
	tv_set_bool(field, checkboxes ? "checkbox_list" : "select", true);
}

void page_field_set(struct tv *fields, const char *name, const char *key, struct tv *v)
{
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	const char *p;
	size_t n;
	/* transitional: a label or hint may be a key or the text itself */
	if ((strcmp(key, "hint") == 0 || strcmp(key, "label") == 0) && tv_string(v, &p, &n) &&
	    msg_index(p, n) >= 0) {
		tv_set_str(field, key, msg_at(msg_index(p, n)));
		return;
	}
	tv_set(field, key, v);
}

const char *page_datetime(struct arena *a, int64_t t)
{
	return date_format(a, t, DATE_DATETIME);
}

struct tv *page_text_html(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	bool open = false;
	for (const char *p = s; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0) {
			if (open)
				buf_adds(&b, "</p>");
			open = false;
		} else {
			buf_adds(&b, open ? "<br>" : "<p>");
			buf_add_html(&b, p, len);
			open = true;
		}
		p += len + (e ? 1 : 0);
	}
	if (open)
		buf_adds(&b, "</p>");
	struct tv *v = tv_raw(a, arena_strdup(a, b.p ? b.p : ""));
	buf_release(&b);
	return v;
}

const char *page_attachment(struct arena *a, const char *ascii, const char *name)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
	buf_add_urlenc(&b, name, strlen(name));
	const char *s = arena_strdup(a, b.p);
	buf_release(&b);
	return s;
}
