#include "util/form.h"
#include "util/jp.h"
#include "util/str.h"
#include "util/text.h"

#include <string.h>

#define DEFAULT_MAX 200

static const char *msg(struct arena *a, const struct field_spec *sp, const char *fmt)
{
	return arena_printf(a, fmt, sp->label);
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
			v->error = "使用できない文字が含まれています";
			return;
		}
		size_t len = text_length(raw, rawn);
		v->s = raw;
		v->n = rawn;
		v->present = rawn > 0;
		if (!v->present)
			goto empty;
		if (len < 10 || len > 128)
			v->error = "パスワードは10文字以上128文字以内で入力してください";
		return;
	}
	s = clean_text(a, raw, rawn, &n);
	if (!s) {
		v->error = msg(a, sp, "%sに使用できない文字が含まれています");
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
		v->error = arena_printf(a, "%sは%zu文字以内で入力してください（現在%zu文字）",
					sp->label, max, text_length(s, n));
		return;
	}
	switch (sp->kind) {
	case F_LINE:
		if (memchr(s, '\n', n))
			v->error = msg(a, sp, "%sは1行で入力してください");
		break;
	case F_INT:
		if (str_to_i64((struct str){s, n}, sp->min, sp->max_i, &v->i) != 0)
			v->error =
			    arena_printf(a, "%sは%lld〜%lldの数字で入力してください", sp->label,
					 (long long)sp->min, (long long)sp->max_i);
		break;
	case F_ID:
		if (str_to_i64((struct str){s, n}, 1, INT64_MAX, &v->i) != 0)
			v->error = msg(a, sp, "%sの値が正しくありません");
		break;
	case F_BOOL:
		v->i = strcmp(s, "1") == 0 || strcmp(s, "on") == 0 || strcmp(s, "true") == 0;
		if (!v->i && strcmp(s, "0") != 0 && strcmp(s, "false") != 0)
			v->error = msg(a, sp, "%sの値が正しくありません");
		break;
	case F_EMAIL:
		if (!valid_email(s))
			v->error = "メールアドレスの形式が正しくありません（例：name@example.jp）";
		break;
	case F_URL:
		if (!valid_url(s, n))
			v->error = msg(
			    a, sp, "%sは http:// または https:// で始まるURLを入力してください");
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
				v->error = msg(a, sp,
					       "%sは1行に1つずつ、http:// または https:// "
					       "で始まるURLを入力してください");
				break;
			}
			p += len + (e ? 1 : 0);
		}
		break;
	}
	case F_KANA: {
		char *k;
		if (jp_kana_normalize(a, s, n, &k) != 0) {
			v->error = msg(a, sp, "%sはカタカナまたはひらがなで入力してください");
			break;
		}
		v->s = k;
		v->n = strlen(k);
		if (text_length(k, v->n) > max)
			v->error =
			    arena_printf(a, "%sは%zu文字以内で入力してください", sp->label, max);
		break;
	}
	case F_CHOICE:
		v->error = msg(a, sp, "%sは選択肢から選んでください");
		for (const char *const *c = sp->choices; c && *c; c++)
			if (strcmp(*c, s) == 0)
				v->error = NULL;
		break;
	case F_MONTH: {
		int64_t y, m;
		if (n != 7 || s[4] != '-' || str_to_i64((struct str){s, 4}, 1868, 2100, &y) != 0 ||
		    str_to_i64((struct str){s + 5, 2}, 1, 12, &m) != 0)
			v->error = msg(a, sp, "%sは「2018-06」のように年と月を入力してください");
		else
			v->i = y * 100 + m;
		break;
	}
	case F_DATE: {
		int y, m, d;
		if (jp_parse_iso_date(s, n, &y, &m, &d) != 0)
			v->error = msg(a, sp, "%sは「2025-04-01」のように日付を入力してください");
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
			v->error = msg(
			    a, sp, "%sは「2025-04-01 09:00」のように日付と時刻を入力してください");
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
		v->error = sp->kind == F_CHOICE ? msg(a, sp, "%sを選んでください")
						: msg(a, sp, "%sを入力してください");
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
				v->error =
				    arena_printf(a, "%sの値が正しくありません", spec[i].label);
				continue;
			}
			if (len == 0)
				continue;
			if (v->nlist == FORM_MAX_LIST) {
				v->error = arena_printf(a, "%sが多すぎます", spec[i].label);
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
				v->error =
				    arena_printf(a, "%sを1つ以上選んでください", spec[i].label);
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
	f->v[i].error = m;
}

const char *form_s(const struct form *f, size_t i)
{
	return i < f->n && f->v[i].s ? f->v[i].s : "";
}
