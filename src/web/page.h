/*
 * page: what every HTML handler shares: the layout context, rendering a
 * template into the layout, and turning a declared form (util/form.h) into
 * the field objects that templates/partials/field.html draws.
 */
#ifndef KYODO_PAGE_H
#define KYODO_PAGE_H

#include "http/req.h"
#include "store/db.h"
#include "util/form.h"
#include "view/tmpl.h"
#include "web/error.h"

enum nav { NAV_NONE, NAV_HOME, NAV_GROUPS, NAV_CHALLENGE, NAV_EVENTS, NAV_HUB, NAV_NEWSLETTER };

/* Compile the embedded templates and read KYODO_BASE_URL; 0 or -1 (with
 * the error on stderr).  Call once at start-up, before threads. */
int page_init(void);
void page_release(void);
const struct tmpl_set *page_templates(void);

/* KYODO_BASE_URL without a trailing slash ("https://kyodo.example.jp"),
 * which makes links that leave the page absolute (the API's Location
 * header, links in mail), or "" when unset. */
const char *web_base_url(void);

/* The per-thread database connection; aborts the request with 503 when the
 * database cannot be opened (returns NULL: the caller returns at once). */
struct db *page_db(struct req *r);

/* A new context object for a page body, with the layout's keys set. */
struct tv *page_ctx(struct req *r, const char *title, enum nav nav);

/* Render template name with ctx inside the layout, as status.  When a
 * template fails (no such template; under KYODO_STRICT=1 a {{name}} that
 * nothing sets) the failure is logged with the template's name and the
 * answer is a 500. */
void page_render(struct req *r, int status, const char *name, struct tv *ctx);

/* Set a one-shot message shown on the next page (a cookie). */
void page_flash(struct req *r, const char *message);

/* Check the query string against spec[0..n) into q.  False when it has
 * an undeclared, repeated or invalid key: the request is then answered 400
 * with message key bad (e.g. "web.bad_query"), and the caller returns. */
bool page_query(struct req *r, const struct field_spec *spec, size_t n, struct form *q,
		const char *bad);

/*
 * Field objects for a form: for each spec entry, {name, label, value,
 * error, required, hint, type, maxlength, textarea, options/checkboxes}.
 * f may be NULL (an empty form); values then come from defaults[i] (may be
 * NULL).  Adds "errors" (summary list) and "error_count" to ctx and
 * returns the object holding one key per field name.
 */
struct tv *page_form(struct req *r, struct tv *ctx, const struct field_spec *spec, size_t n,
		     const struct form *f, const char *const *defaults);

/* Make a field a <select>/<checkbox list> with these options (values equal
 * labels); selected values are taken from the field's current value(s). */
void page_field_options(struct req *r, struct tv *fields, const char *name,
			const char *const *options, size_t n, const char *const *chosen,
			size_t nchosen, bool checkboxes);

/* Mark a field as a textarea / set its hint / input type. */
void page_field_set(struct tv *fields, const char *name, const char *key, struct tv *v);

/* Plain text as trusted HTML: escaped, paragraphs at blank lines, line
 * breaks kept (long form answers that are not Markdown). */
struct tv *page_text_html(struct arena *a, const char *s);

/* A Content-Disposition for a download (RFC 6266): an ASCII file name for
 * old clients and the Japanese name percent-encoded (RFC 8187). */
const char *page_attachment(struct arena *a, const char *ascii, const char *name);

/* The visible date of a Unix time in JST, e.g. 令和8年11月28日(土) 14:05:
 * date_format(a, t, DATE_DATETIME) (util/date.h, which has the other
 * styles). */
const char *page_datetime(struct arena *a, int64_t t);

#endif
