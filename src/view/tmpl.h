/*
 * tmpl: a small Mustache-like template engine.
 *
 * Syntax
 *   {{name}}        the value, HTML-escaped (& < > " ').  Dotted names
 *                   (a.b.c) walk into objects; {{.}} is the current value.
 *   {{{name}}}      raw output, only for values made with tv_raw(); any
 *                   other value is still escaped.  Raw needs both opt-ins.
 *   {{#name}}..{{/name}}  section: a list repeats its body once per item,
 *                   with the item pushed as context; an object is pushed
 *                   once; a true scalar renders once; false, null, "", 0
 *                   and empty lists render nothing.
 *   {{^name}}..{{/name}}  inverted section: renders when the section would not.
 *   {{> path/name}} partial: another template of the set, same context.
 *   {{@key}}        the catalogue's text for key (util/msg.h) in the
 *                   thread's language, HTML-escaped; an unknown key is a
 *                   compile error.
 *   {{@key a b.c}}  the same with the values of the names a, b.c as its
 *                   arguments {1}, {2} (at most 9; numbers as digits).
 *   {{! comment }}
 * Names are looked up from the innermost context outwards.  A missing name
 * renders as nothing (in strict mode, tmpl_strict_vars(), it is an error).  Templates are compiled
 * once (tmpl_set_compile) into an immutable set that threads share without locks.
 *
 * Values (struct tv) are allocated in a per-request arena.  Strings are not
 * copied: they must live as long as the render (arena or static storage).
 */
#ifndef KYODO_TMPL_H
#define KYODO_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/embed.h"
#include "util/str.h"

struct tv; /* a template value: null, string, int, bool, raw HTML, list, object */

struct tv *tv_obj(struct arena *a);
struct tv *tv_list(struct arena *a);
struct tv *tv_str(struct arena *a, const char *s); /* NULL s gives null */
struct tv *tv_strn(struct arena *a, const char *s, size_t n);
struct tv *tv_int(struct arena *a, int64_t v);
struct tv *tv_bool(struct arena *a, bool v);
struct tv *tv_raw(struct arena *a, const char *html); /* trusted HTML only */

/* Set key (a string literal or arena string) on an object; replaces an
 * existing key.  Returns the object for chaining. */
struct tv *tv_set(struct tv *obj, const char *key, struct tv *val);
struct tv *tv_set_str(struct tv *obj, const char *key, const char *s);
struct tv *tv_set_int(struct tv *obj, const char *key, int64_t v);
struct tv *tv_set_bool(struct tv *obj, const char *key, bool v);
/* Append to a list. */
void tv_push(struct tv *list, struct tv *val);
size_t tv_len(const struct tv *list);
/* Look up a (non-dotted) key in an object, or NULL. */
struct tv *tv_get(const struct tv *obj, const char *key);
/* The bytes of a string value: true and (*p, *n) for a string (not raw
 * HTML), false for anything else. */
bool tv_string(const struct tv *v, const char **p, size_t *n);

struct tmpl_set;

/* Compile every file in files[0..n).  A template's name is its file name
 * without ".html" (e.g. "groups/list").  On a syntax error returns NULL and
 * writes "name:line: message" into err. */
struct tmpl_set *tmpl_set_compile(const struct embed_file *files, size_t n, char *err,
				  size_t errlen);

enum tmpl_rc {
	TMPL_OK = 0,
	TMPL_NO_TEMPLATE = -1, /* no template of that name: nothing is appended */
	TMPL_TOO_DEEP = -2,    /* partials nested deeper than 16 (those render nothing) */
	TMPL_MISSING_VAR = -3, /* strict variables: a {{name}} that no context has */
};

/*
 * Render template name with ctx, appending to out.  Returns TMPL_OK or the
 * first problem met; the output is complete except for what the problem
 * left out, and the caller should not send it.  tmpl_last_problem() then
 * names the template (and variable) for the log.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, const struct tv *ctx,
		struct buf *out);

/* "template" or "template: variable" of the calling thread's last failed
 * tmpl_render(); "" after a good one. */
const char *tmpl_last_problem(void);

/*
 * Strict variables (tests): what a plain {{name}} or {{{name}}} whose
 * first segment no context level defines does.  A name set to null
 * (tv_str(NULL)) is defined; a section over a missing name is false, as
 * always, and never counts.  Set once at start-up, before threads.
 */
enum tmpl_vars {
	TMPL_VARS_QUIET, /* renders as nothing (production) */
	TMPL_VARS_LOG,	 /* also logs "template T: {{name}} is not set" */
	TMPL_VARS_FAIL,	 /* the render answers TMPL_MISSING_VAR */
};
void tmpl_strict_vars(enum tmpl_vars mode);

bool tmpl_exists(const struct tmpl_set *set, const char *name);

void tmpl_set_free(struct tmpl_set *set);

#endif
