/*
 * msg: the message catalogue (see msg.h for the file format).
 *
 * The reference catalogue (ja) gives the sorted key list; each language is
 * an array of texts indexed like that list, NULL where it lacks a key.
 * Everything is built once at start-up and read without locks afterwards.
 */
#include "util/msg.h"
#include "util/alloc.h"
#include "util/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_REF	      "ja"
#define MSG_MAX_LANG  16 /* bytes of a language tag, with its NUL */
#define MSG_MAX_LANGS 8

struct entry {
	const char *key;
	const char *text;
};

struct lang {
	char tag[MSG_MAX_LANG];
	const char **texts; /* indexed like cat.keys; NULL = fall back to ja */
};

static struct {
	char **keys; /* sorted, owned */
	size_t nkeys;
	struct lang langs[MSG_MAX_LANGS]; /* langs[0] is the reference */
	size_t nlangs;
	char *store; /* the parsed texts, owned */
	bool strict;
} cat;

static _Thread_local const struct lang *thread_lang;

static const struct lang *default_lang;

/* Format an error into err. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool key_ok(const char *k, size_t n)
{
	if (n == 0 || k[0] == '.' || k[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			  (c == '.' && k[i - 1] != '.');
		if (!ok)
			return false;
	}
	return true;
}

/* The language of a file name: "ja.msg" and "ja.groups.msg" are "ja".
 * False when the name is not a catalogue. */
static bool file_lang(const char *name, char tag[MSG_MAX_LANG])
{
	size_t n = strlen(name);
	if (n < 5 || strcmp(name + n - 4, ".msg") != 0 || strchr(name, '/'))
		return false;
	size_t t = strcspn(name, ".");
	if (t == 0 || t >= MSG_MAX_LANG)
		return false;
	memcpy(tag, name, t);
	tag[t] = '\0';
	return true;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/*
 * Parse one file into entries appended to *es (texts unescaped into *sp,
 * a block large enough for every file's bytes).
 */
static int parse(const struct embed_file *f, struct entry **es, size_t *n, size_t *cap, char **sp,
		 char *err, size_t errlen)
{
	const char *s = (const char *)f->data, *end = s + f->len;
	unsigned line = 0;
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		line++;
		const char *p = s, *q = eol;
		s = eol + 1;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
			q--;
		if (p == q || *p == '#')
			continue;
		const char *eq = memchr(p, '=', (size_t)(q - p));
		if (!eq)
			return fail(err, errlen, "%s:%u: expected \"key = text\"", f->name, line);
		const char *ke = eq;
		while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		if (!key_ok(p, (size_t)(ke - p)))
			return fail(err, errlen, "%s:%u: bad key \"%.*s\"", f->name, line,
				    (int)(ke - p), p);
		const char *t = eq + 1;
		while (t < q && (*t == ' ' || *t == '\t'))
			t++;
		if (*n == *cap) {
			*cap = *cap ? xmul(*cap, 2) : 256;
			*es = xrealloc(*es, xmul(*cap, sizeof(**es)));
		}
		char *key = *sp;
		memcpy(key, p, (size_t)(ke - p));
		key[ke - p] = '\0';
		*sp += (ke - p) + 1;
		char *text = *sp;
		char *o = text;
		for (const char *c = t; c < q; c++) {
			if (c[0] == '\\' && c + 1 < q && c[1] == 'n') {
				*o++ = '\n';
				c++;
			} else if (c[0] == '\\' && c + 1 < q && c[1] == '\\') {
				*o++ = '\\';
				c++;
			} else {
				*o++ = *c;
			}
		}
		*o++ = '\0';
		*sp = o;
		(*es)[(*n)++] = (struct entry){key, text};
	}
	return 0;
}

static struct lang *lang_find(const char *tag)
{
	for (size_t i = 0; i < cat.nlangs; i++)
		if (strcmp(cat.langs[i].tag, tag) == 0)
			return &cat.langs[i];
	return NULL;
}

long msg_index(const char *key, size_t n)
{
	size_t lo = 0, hi = cat.nkeys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		/* key is n bytes and may hold anything (a template's tag), NULs
		 * included: compare bytes, then lengths. */
		size_t kn = strlen(cat.keys[mid]);
		int c = memcmp(cat.keys[mid], key, kn < n ? kn : n);
		if (c == 0)
			c = kn < n ? -1 : kn > n;
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Load one language's entries (sorted) into l, checking them against the
 * reference keys. */
static int lang_fill(struct lang *l, struct entry *es, size_t n, char *err, size_t errlen)
{
	l->texts = xcalloc(cat.nkeys ? cat.nkeys : 1, sizeof(*l->texts));
	for (size_t i = 0; i < n; i++) {
		long k = msg_index(es[i].key, strlen(es[i].key));
		if (k < 0)
			return fail(err, errlen, "%s.msg: key \"%s\" is not in %s.msg", l->tag,
				    es[i].key, MSG_REF);
		l->texts[k] = es[i].text;
	}
	return 0;
}

/* Collect and sort the entries of every file of language tag. */
static int lang_entries(const struct embed_file *files, size_t nf, const char *tag,
			struct entry **es, size_t *n, char **sp, char *err, size_t errlen)
{
	size_t cap = 0;
	*es = NULL;
	*n = 0;
	for (size_t i = 0; i < nf; i++) {
		char t[MSG_MAX_LANG];
		if (!files[i].name || !file_lang(files[i].name, t) || strcmp(t, tag) != 0)
			continue;
		if (parse(&files[i], es, n, &cap, sp, err, errlen) < 0)
			return -1;
	}
	if (*n)
		qsort(*es, *n, sizeof(**es), entry_cmp);
	for (size_t i = 1; i < *n; i++)
		if (strcmp((*es)[i - 1].key, (*es)[i].key) == 0)
			return fail(err, errlen, "%s: key \"%s\" defined twice", tag, (*es)[i].key);
	return 0;
}

int msg_load(const struct embed_file *files, size_t nf, char *err, size_t errlen)
{
	struct entry *es = NULL;
	size_t n = 0, total = 0;
	msg_release();
	for (size_t i = 0; i < nf; i++)
		total = xadd(total, xadd(files[i].len, 2));
	/* Keys and texts, each NUL-terminated, never outgrow their lines. */
	cat.store = xmalloc(total ? total : 1);
	char *sp = cat.store;

	struct lang *ref = &cat.langs[cat.nlangs++];
	strcpy(ref->tag, MSG_REF);
	if (lang_entries(files, nf, MSG_REF, &es, &n, &sp, err, errlen) < 0)
		goto error;
	if (n == 0) {
		fail(err, errlen, "no %s.msg catalogue", MSG_REF);
		goto error;
	}
	cat.keys = xcalloc(n, sizeof(*cat.keys));
	cat.nkeys = n;
	for (size_t i = 0; i < n; i++)
		cat.keys[i] = (char *)es[i].key;
	if (lang_fill(ref, es, n, err, errlen) < 0)
		goto error;
	free(es);
	es = NULL;

	for (size_t i = 0; i < nf; i++) {
		char tag[MSG_MAX_LANG];
		if (!files[i].name || !file_lang(files[i].name, tag) || lang_find(tag))
			continue;
		if (cat.nlangs == MSG_MAX_LANGS) {
			fail(err, errlen, "more than %d languages", MSG_MAX_LANGS);
			goto error;
		}
		struct lang *l = &cat.langs[cat.nlangs++];
		strcpy(l->tag, tag);
		if (lang_entries(files, nf, tag, &es, &n, &sp, err, errlen) < 0 ||
		    lang_fill(l, es, n, err, errlen) < 0)
			goto error;
		free(es);
		es = NULL;
	}
	const char *want = getenv("KYODO_LANG");
	default_lang = (want && lang_find(want)) ? lang_find(want) : ref;
	return 0;

error:
	free(es);
	msg_release();
	return -1;
}

int msg_init(char *err, size_t errlen)
{
	const char *s = getenv("KYODO_STRICT");
	if (s && strcmp(s, "1") == 0)
		cat.strict = true;
	return msg_load(embed_messages, embed_messages_count, err, errlen);
}

void msg_release(void)
{
	for (size_t i = 0; i < cat.nlangs; i++)
		free(cat.langs[i].texts);
	free(cat.keys);
	free(cat.store);
	bool strict = cat.strict;
	memset(&cat, 0, sizeof(cat));
	cat.strict = strict;
	default_lang = NULL;
	thread_lang = NULL;
}

void msg_strict(bool on)
{
	cat.strict = on;
}

bool msg_use(const char *lang)
{
	const struct lang *l = lang ? lang_find(lang) : NULL;
	if (!l)
		return false;
	thread_lang = l;
	return true;
}

const char *msg_lang(void)
{
	const struct lang *l = thread_lang ? thread_lang : default_lang;
	return l ? l->tag : MSG_REF;
}

bool msg_exists(const char *key)
{
	return key && msg_index(key, strlen(key)) >= 0;
}

const char *msg_at(long k)
{
	if (k < 0 || (size_t)k >= cat.nkeys)
		return "";
	const struct lang *l = thread_lang ? thread_lang : default_lang;
	if (l && l->texts[k])
		return l->texts[k];
	return cat.langs[0].texts[k];
}

const char *msg(const char *key)
{
	long k = key ? msg_index(key, strlen(key)) : -1;
	if (k >= 0)
		return msg_at(k);
	fprintf(stderr, "msg: unknown message key \"%s\"\n", key ? key : "(null)");
	if (cat.strict)
		abort();
	return key ? key : "";
}

/* transitional: remove when every label is a key */
const char *msg_or_text(const char *s)
{
	if (!s)
		return NULL;
	long k = msg_index(s, strlen(s));
	return k >= 0 ? msg_at(k) : s;
}

/* Append text with {1}.. replaced by args[0..] and "{{" as "{"; key is
 * for the strict check's message. */
static void format_into(struct buf *b, const char *key, const char *t, const char *const *args)
{
	size_t nargs = 0;
	while (args[nargs])
		nargs++;
	for (const char *p = t; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			buf_addc(b, '{');
			p++;
		} else if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			size_t i = (size_t)(p[1] - '1');
			if (i < nargs)
				buf_adds(b, args[i]);
			else if (cat.strict) {
				fprintf(stderr, "msg: \"%s\" wants argument {%c}\n", key, p[1]);
				abort();
			}
			p += 2;
		} else {
			buf_addc(b, *p);
		}
	}
}

const char *msg_format(struct arena *a, const char *key, const char *const *args)
{
	struct buf b = BUF_INIT;
	format_into(&b, key, msg(key), args);
	const char *out = arena_strndup(a, b.p ? b.p : "", b.n);
	buf_release(&b);
	return out;
}

void msg_format_buf(struct buf *out, long index, const char *const *args)
{
	const char *key = index >= 0 && (size_t)index < cat.nkeys ? cat.keys[index] : "?";
	format_into(out, key, msg_at(index), args);
}
