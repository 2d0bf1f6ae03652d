/*
 * form: every form, query and JSON key is declared with a validator.
 *
 * A caller declares its fields once as a const table of struct field_spec
 * (indexed by its own enum), then form_check() validates the raw pairs
 * against it: text is trimmed and checked for UTF-8 and length, numbers,
 * dates, e-mail addresses, URLs and readings are parsed and normalised, and
 * each problem is recorded as a message (util/msg.h, form.*) next to its
 * field.  Keys
 * not in the table are reported, never passed on.
 */
#ifndef KYODO_FORM_H
#define KYODO_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/* A raw key/value pair from a query string, form body or JSON object. */
struct kv {
	const char *key;
	const char *val; /* NUL-terminated; len excludes the NUL */
	size_t len;
};

enum field_kind {
	F_TEXT,	    /* multi-line text; CRLF becomes LF */
	F_LINE,	    /* one line of text */
	F_INT,	    /* integer in [min, max]; full-width digits accepted */
	F_EMAIL,    /* lower-cased address */
	F_URL,	    /* http:// or https:// URL */
	F_URLS,	    /* one URL per line */
	F_KANA,	    /* reading: hiragana/katakana, stored as full-width katakana */
	F_CHOICE,   /* one of spec->choices */
	F_MULTI,    /* any number of values (checkboxes); the caller checks them */
	F_MONTH,    /* YYYY-MM; value i = year * 100 + month */
	F_DATE,	    /* YYYY-MM-DD; value i = year * 10000 + month * 100 + day */
	F_DATETIME, /* YYYY-MM-DDTHH:MM (or a space for T) in JST; value i = Unix seconds */
	F_PASSWORD, /* 10 to 128 characters, kept exactly as typed */
	F_BOOL,	    /* checkbox: present and "1"/"on"/"true" */
	F_ID,	    /* positive integer id */
};

struct field_spec {
	const char *name;
	const char *label; /* message key of the words shown in messages and forms
			    * (transitional: literal text is still accepted) */
	enum field_kind kind;
	bool required;
	size_t max;		    /* maximum characters for text kinds (0 = 200) */
	int64_t min, max_i;	    /* range for F_INT */
	const char *const *choices; /* NULL-terminated, for F_CHOICE */
};

struct field_value {
	const char *s; /* normalised text, "" when absent */
	size_t n;
	int64_t i;	   /* numeric value for F_INT/F_BOOL/F_ID/F_MONTH/F_DATE */
	bool present;	   /* given and not empty */
	const char **list; /* F_MULTI values */
	size_t nlist;
	const char *error; /* the message (words, already translated), or NULL */
};

struct form {
	const struct field_spec *spec;
	size_t n;
	struct field_value *v; /* n entries, arena */
	int nerrors;
	const char *unknown;  /* first undeclared key, if any */
	const char *repeated; /* first single-valued key given twice, if any */
};

#define FORM_MAX_LIST 64

/*
 * Validate pairs kv[0..nkv) against spec[0..n).  Fills f (values in the
 * arena) and returns the number of fields with errors.  Undeclared and
 * repeated keys are noted in f->unknown / f->repeated and otherwise ignored:
 * the caller turns them into a 400 (forms) or 422 (API).
 */
int form_check(struct arena *a, const struct field_spec *spec, size_t n, const struct kv *kv,
	       size_t nkv, struct form *f);

/* Record a domain-level error (e.g. a duplicate e-mail) against field i:
 * msg is a message key, translated here (transitional: literal text is
 * still accepted and kept as it is). */
void form_error(struct form *f, size_t i, const char *msg);

/* Value of field i as text ("" when absent). */
const char *form_s(const struct form *f, size_t i);

#endif
