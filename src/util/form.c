#include "util/form.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"
#include "util/text.h"

#include <string.h>

#define DEFAULT_MAX 200

/* The words for a field's label: the label is a message key, or (until
 * every feature's table is converted) the text itself.
 * transitional: remove when every label is a key (then msg(sp->label)). */
static const char *label_of(const struct field_spec *sp)
{
	return msg_or_text(sp->label);
}

/* Message key about field sp, with its label as {1}. */
static const char *field_msg(struct arena *a, const struct field_spec *sp, const char *key)
{
	return msgf(a, key, label_of(sp));
}

/* Trim, turn CRLF/CR into LF, and check UTF-8.  NULL on invalid text. */
static char *clean_text(struct arena *a, const char *s, size_t n, size_t *outn)
{
	if (!text_valid_utf8(s, n))
		return NULL;
	size_t tn;
	const char *t = text_trim(s, n, &tn);
	char *out = arena_alloc(a, tn + 1);
	size_t j = 0;
	for (size_t i = 0; i < tn; i++) {
		if (t[i] == '\r') {
			out[j++] = '\n';
			if (i + 1 < tn && t[i + 1] == '\n')
				i++;
		} else {
			out[j++] = t[i];
		}
	}
	out[j] = '\0';
	*outn = j;
	return out;
}

static bool valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("()<>,;:\\\"[]", c))
			return false;
	}
	return true;
}

static bool valid_url(const char *s, size_t n)
{
	const char *host;
	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return false;
	if (!*host || *host == '/' || n > 500)
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
		    c == '`')
			return false;
	}
	return true;
}

/* Validate one single-valued field.  raw may be NULL (absent). */
static void check_one(struct arena *a, const struct field_spec *sp, const char *raw, size_t rawn,
		      struct field_value *v)
{
	size_t max = sp->max ? sp->max : DEFAULT_MAX;
	size_t n = 0;
	char *s;

	v->s = "";
	if (!raw) {
		if (sp->kind == F_BOOL)
			return;
		goto empty;
	}
	if (sp->kind == F_PASSWORD) {
		if (!text_valid_utf8(raw, rawn)) {
			v->error = msg("form.invalid_chars");
			return;
		}
		size_t len = text_length(raw, rawn);
		v->s = raw;
		v->n = rawn;
		v->present = rawn > 0;
		if (!v->present)
			goto empty;
		if (len < 10 || len > 128)
			v->error = msg("form.password_length");
		return;
	}
	s = clean_text(a, raw, rawn, &n);
	if (!s) {
		v->error = field_msg(a, sp, "form.invalid_chars_in");
		return;
	}
	/* Numbers, dates, addresses: full-width input is normal in Japan. */
	if (sp->kind == F_INT || sp->kind == F_ID || sp->kind == F_MONTH || sp->kind == F_DATE ||
	    sp->kind == F_DATETIME || sp->kind == F_EMAIL || sp->kind == F_URL) {
		s = text_search_key(a, s, n);
		n = strlen(s);
	}
	v->s = s;
	v->n = n;
	v->present = n > 0;
	if (!v->present)
		goto empty;
	if (sp->kind != F_KANA && text_length(s, n) > max) {
		v->error = msgf(a, "form.too_long", label_of(sp), arena_printf(a, "%zu", max),
				arena_printf(a, "%zu", text_length(s, n)));
		return;
	}
	switch (sp->kind) {
	case F_LINE:
		if (memchr(s, '\n', n))
			v->error = field_msg(a, sp, "form.one_line");
		break;
	case F_INT:
		if (str_to_i64((struct str){s, n}, sp->min, sp->max_i, &v->i) != 0)
			v->error = msgf(a, "form.int_range", label_of(sp),
					arena_printf(a, "%lld", (long long)sp->min),
					arena_printf(a, "%lld", (long long)sp->max_i));
		break;
	case F_ID:
		if (str_to_i64((struct str){s, n}, 1, INT64_MAX, &v->i) != 0)
			v->error = field_msg(a, sp, "form.bad_value");
		break;
	case F_BOOL:
		v->i = strcmp(s, "1") == 0 || strcmp(s, "on") == 0 || strcmp(s, "true") == 0;
		if (!v->i && strcmp(s, "0") != 0 && strcmp(s, "false") != 0)
			v->error = field_msg(a, sp, "form.bad_value");
		break;
	case F_EMAIL:
		if (!valid_email(s))
			v->error = msg("form.email");
		break;
	case F_URL:
		if (!valid_url(s, n))
			v->error = field_msg(a, sp, "form.url");
		break;
	case F_URLS: {
		const char *p = s;
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char *line = arena_strndup(a, p, len);
			size_t ln;
			const char *t = text_trim(line, len, &ln);
			if (ln && !valid_url(arena_strndup(a, t, ln), ln)) {
				v->error = field_msg(a, sp, "form.urls");
				break;
			}
			p += len + (e ? 1 : 0);
		}
		break;
	}
	case F_KANA: {
		char *k;
		if (jp_kana_normalize(a, s, n, &k) != 0) {
			v->error = field_msg(a, sp, "form.kana");
			break;
		}
		v->s = k;
		v->n = strlen(k);
		if (text_length(k, v->n) > max)
			v->error = msgf(a, "form.kana_too_long", label_of(sp),
					arena_printf(a, "%zu", max));
		break;
	}
	case F_CHOICE:
		v->error = field_msg(a, sp, "form.not_a_choice");
		for (const char *const *c = sp->choices; c && *c; c++)
			if (strcmp(*c, s) == 0)
				v->error = NULL;
		break;
	case F_MONTH: {
		int64_t y, m;
		if (n != 7 || s[4] != '-' || str_to_i64((struct str){s, 4}, 1868, 2100, &y) != 0 ||
		    str_to_i64((struct str){s + 5, 2}, 1, 12, &m) != 0)
			v->error = field_msg(a, sp, "form.month");
		else
			v->i = y * 100 + m;
		break;
	}
	case F_DATE: {
		int y, m, d;
		if (jp_parse_iso_date(s, n, &y, &m, &d) != 0)
			v->error = field_msg(a, sp, "form.date");
		else
			v->i = (int64_t)y * 10000 + m * 100 + d;
		break;
	}
	case F_DATETIME: {
		int y, m, d;
		int64_t hh, mi;
		if (n < 16 || (s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
		    (n != 16 && !(n == 19 && s[16] == ':')) ||
		    jp_parse_iso_date(s, 10, &y, &m, &d) != 0 ||
		    str_to_i64((struct str){s + 11, 2}, 0, 23, &hh) != 0 ||
		    str_to_i64((struct str){s + 14, 2}, 0, 59, &mi) != 0)
			v->error = field_msg(a, sp, "form.datetime");
		else {
			v->i = jp_jst_to_unix(y, m, d, (int)hh, (int)mi, 0);
			/* The form control wants the upper-case T back. */
			v->s =
			    arena_printf(a, "%04d-%02d-%02dT%02d:%02d", y, m, d, (int)hh, (int)mi);
			v->n = 16;
		}
		break;
	}
	default:
		break;
	}
	return;
empty:
	v->present = false;
	if (sp->required)
		v->error = field_msg(a, sp, sp->kind == F_CHOICE ? "form.choose" : "form.required");
}

int form_check(struct arena *a, const struct field_spec *spec, size_t n, const struct kv *kv,
	       size_t nkv, struct form *f)
{
	memset(f, 0, sizeof(*f));
	f->spec = spec;
	f->n = n;
	f->v = arena_alloc(a, n * sizeof(*f->v) + 1);
	const struct kv **first = arena_alloc(a, n * sizeof(*first) + 1);

	for (size_t k = 0; k < nkv; k++) {
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(spec[i].name, kv[k].key) == 0)
				break;
		if (i == n) {
			if (!f->unknown)
				f->unknown = kv[k].key;
			continue;
		}
		struct field_value *v = &f->v[i];
		if (spec[i].kind == F_MULTI) {
			size_t len;
			char *s = clean_text(a, kv[k].val, kv[k].len, &len);
			if (!s || text_length(s, len) > (spec[i].max ? spec[i].max : DEFAULT_MAX)) {
				v->error = field_msg(a, &spec[i], "form.bad_value");
				continue;
			}
			if (len == 0)
				continue;
			if (v->nlist == FORM_MAX_LIST) {
				v->error = field_msg(a, &spec[i], "form.too_many");
				continue;
			}
			if (!v->list)
				v->list = arena_alloc(a, FORM_MAX_LIST * sizeof(*v->list));
			v->list[v->nlist++] = s;
			v->present = true;
			continue;
		}
		if (first[i]) {
			if (!f->repeated)
				f->repeated = kv[k].key;
			continue;
		}
		first[i] = &kv[k];
	}
	for (size_t i = 0; i < n; i++) {
		struct field_value *v = &f->v[i];
		if (spec[i].kind == F_MULTI) {
			if (!v->s)
				v->s = "";
			if (spec[i].required && !v->present && !v->error)
				v->error = field_msg(a, &spec[i], "form.choose_some");
		} else {
			check_one(a, &spec[i], first[i] ? first[i]->val : NULL,
				  first[i] ? first[i]->len : 0, v);
		}
		if (v->error)
			f->nerrors++;
	}
	return f->nerrors;
}

void form_error(struct form *f, size_t i, const char *m)
{
	if (i >= f->n)
		return;
	if (!f->v[i].error)
		f->nerrors++;
	/* transitional: remove the text case when every caller passes a key */
	f->v[i].error = msg_or_text(m);
}

const char *form_s(const struct form *f, size_t i)
{
	return i < f->n && f->v[i].s ? f->v[i].s : "";
}
