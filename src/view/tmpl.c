/*
 * tmpl: compile Mustache-like templates once into flat node arrays, render
 * them many times without parsing or allocating (see tmpl.h for the syntax).
 *
 * A compiled set owns three malloc'd arrays and one byte block:
 *   src    every template's name and text, NUL-terminated, copied from the
 *          embed_file list so that the set does not depend on its lifetime;
 *   tmpls  one entry per template, sorted by name for bsearch;
 *   nodes  the templates' nodes back to back; template t owns
 *          nodes[t->first .. t->end).  A section node's body is the nodes
 *          that follow it up to its `end` index, so the tree is implicit
 *          in the array and rendering a section is a recursive call over a
 *          sub-range;
 *   segs   the segments of dotted names ("a.b" -> "a", "b"), pointing into
 *          src by offset.
 * Partials are resolved to template indices at compile time, so an unknown
 * partial is a compile error and a render never looks a name up by string
 * except for the top-level template.
 */
#include "view/tmpl.h"
#include "util/alloc.h"
#include "util/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits.  Offsets into src are uint32_t, so the total must stay below 4 GiB;
 * far smaller limits are plenty for a site's templates. */
#define TMPL_MAX_FILE  (4u << 20)  /* bytes in one template */
#define TMPL_MAX_TOTAL (64u << 20) /* bytes of all names and templates */
#define TMPL_MAX_NEST  64	   /* sections open at once in one template */
#define TMPL_MAX_DEPTH 16	   /* partials nested at render time */
#define TMPL_ERR_NAME  64	   /* bytes of a bad name quoted in errors */
#define TV_MIN_CAP     8	   /* first capacity of lists and objects */

/* The length of a name quoted in an error message, for "%.*s". */
#define ERR_LEN(n) ((int)((n) < TMPL_ERR_NAME ? (n) : TMPL_ERR_NAME))

/* ---- values ---------------------------------------------------------- */

enum tv_type { TV_NULL, TV_STR, TV_INT, TV_BOOL, TV_RAW, TV_LIST, TV_OBJ };

struct tv_kv {
	const char *key;
	size_t klen;
	struct tv *val; /* may be NULL: renders like a null value */
};

struct tv {
	enum tv_type type;
	union {
		struct {
			const char *p;
			size_t n;
		} s; /* TV_STR, TV_RAW */
		int64_t i;
		bool b;
		struct {
			struct arena *a; /* where the array grows */
			struct tv **items;
			size_t n, cap;
		} list;
		struct {
			struct arena *a;
			struct tv_kv *kv;
			size_t n, cap;
		} obj;
	} u;
};

static struct tv *tv_new(struct arena *a, enum tv_type type)
{
	struct tv *v = arena_alloc(a, sizeof(*v));
	v->type = type;
	return v;
}

struct tv *tv_obj(struct arena *a)
{
	struct tv *v = tv_new(a, TV_OBJ);
	v->u.obj.a = a;
	return v;
}

struct tv *tv_list(struct arena *a)
{
	struct tv *v = tv_new(a, TV_LIST);
	v->u.list.a = a;
	return v;
}

struct tv *tv_strn(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return tv_new(a, TV_NULL);
	struct tv *v = tv_new(a, TV_STR);
	v->u.s.p = s;
	v->u.s.n = n;
	return v;
}

struct tv *tv_str(struct arena *a, const char *s)
{
	return tv_strn(a, s, s ? strlen(s) : 0);
}

struct tv *tv_int(struct arena *a, int64_t i)
{
	struct tv *v = tv_new(a, TV_INT);
	v->u.i = i;
	return v;
}

struct tv *tv_bool(struct arena *a, bool b)
{
	struct tv *v = tv_new(a, TV_BOOL);
	v->u.b = b;
	return v;
}

struct tv *tv_raw(struct arena *a, const char *html)
{
	if (!html)
		return tv_new(a, TV_NULL);
	struct tv *v = tv_new(a, TV_RAW);
	v->u.s.p = html;
	v->u.s.n = strlen(html);
	return v;
}

/* Find key (n bytes, not NUL-terminated) in obj.  Returns true and the value
 * (possibly NULL) in *out when obj is an object that has the key. */
static bool obj_find(const struct tv *obj, const char *key, size_t n, const struct tv **out)
{
	if (!obj || obj->type != TV_OBJ)
		return false;
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		const struct tv_kv *kv = &obj->u.obj.kv[i];
		if (kv->klen == n && memcmp(kv->key, key, n) == 0) {
			*out = kv->val;
			return true;
		}
	}
	return false;
}

/* Return an arena array of newcap elements of size sz holding the n elements
 * of old.  The old array stays in the arena until the arena is freed; the
 * doubling keeps that waste below the size of the final array. */
static void *arena_regrow(struct arena *a, const void *old, size_t n, size_t newcap, size_t sz)
{
	void *p = arena_alloc(a, xmul(newcap, sz));
	if (n)
		memcpy(p, old, n * sz);
	return p;
}

struct tv *tv_set(struct tv *obj, const char *key, struct tv *val)
{
	if (!obj || obj->type != TV_OBJ || !key)
		return obj;
	size_t klen = strlen(key);
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		struct tv_kv *kv = &obj->u.obj.kv[i];
		if (kv->klen == klen && memcmp(kv->key, key, klen) == 0) {
			kv->val = val;
			return obj;
		}
	}
	if (obj->u.obj.n == obj->u.obj.cap) {
		size_t cap = obj->u.obj.cap ? xmul(obj->u.obj.cap, 2) : TV_MIN_CAP;
		obj->u.obj.kv = arena_regrow(obj->u.obj.a, obj->u.obj.kv, obj->u.obj.n, cap,
					     sizeof(struct tv_kv));
		obj->u.obj.cap = cap;
	}
	obj->u.obj.kv[obj->u.obj.n++] = (struct tv_kv){key, klen, val};
	return obj;
}

bool tv_string(const struct tv *v, const char **p, size_t *n)
{
	if (!v || v->type != TV_STR)
		return false;
	*p = v->u.s.p;
	*n = v->u.s.n;
	return true;
}

struct tv *tv_set_str(struct tv *obj, const char *key, const char *s)
{
	if (!obj || obj->type != TV_OBJ)
		return obj;
	return tv_set(obj, key, tv_str(obj->u.obj.a, s));
}

struct tv *tv_set_int(struct tv *obj, const char *key, int64_t v)
{
	if (!obj || obj->type != TV_OBJ)
		return obj;
	return tv_set(obj, key, tv_int(obj->u.obj.a, v));
}

struct tv *tv_set_bool(struct tv *obj, const char *key, bool v)
{
	if (!obj || obj->type != TV_OBJ)
		return obj;
	return tv_set(obj, key, tv_bool(obj->u.obj.a, v));
}

void tv_push(struct tv *list, struct tv *val)
{
	if (!list || list->type != TV_LIST)
		return;
	if (list->u.list.n == list->u.list.cap) {
		size_t cap = list->u.list.cap ? xmul(list->u.list.cap, 2) : TV_MIN_CAP;
		list->u.list.items = arena_regrow(list->u.list.a, list->u.list.items,
						  list->u.list.n, cap, sizeof(struct tv *));
		list->u.list.cap = cap;
	}
	list->u.list.items[list->u.list.n++] = val;
}

size_t tv_len(const struct tv *list)
{
	return list && list->type == TV_LIST ? list->u.list.n : 0;
}

struct tv *tv_get(const struct tv *obj, const char *key)
{
	const struct tv *v = NULL;
	if (!key || !obj_find(obj, key, strlen(key), &v))
		return NULL;
	return (struct tv *)v; /* the caller built obj from non-const values */
}

/* ---- compiled form --------------------------------------------------- */

enum op {
	OP_TEXT,     /* a = offset in src, n = length */
	OP_VAR,	     /* {{name}}: a = first seg, n = seg count (0 means ".") */
	OP_RAW,	     /* {{{name}}}: as OP_VAR */
	OP_SECTION,  /* {{#name}}: as OP_VAR; body is (this, end) */
	OP_INVERTED, /* {{^name}}: as OP_SECTION */
	OP_PARTIAL,  /* {{>name}}: a = template index */
	OP_MSG,	     /* {{@key a b}}: a = message index (util/msg.h), n = argument count;
		      * the n OP_ARG nodes that follow name the arguments */
	OP_ARG,	     /* an argument of the OP_MSG before it: as OP_VAR */
};

#define TMPL_MAX_MSG_ARGS 9 /* {1} .. {9} */

struct node {
	uint32_t op;
	uint32_t a;
	uint32_t n;
	uint32_t end; /* sections: index of the first node after the body */
};

struct seg {
	uint32_t off; /* in src */
	uint32_t n;
};

struct tmpl {
	const char *name; /* in src, NUL-terminated, without ".html" */
	size_t namelen;
	const char *text; /* in src */
	size_t len;
	uint32_t first, end; /* nodes[first .. end) */
};

struct tmpl_set {
	char *src;
	struct tmpl *tmpls;
	size_t ntmpl;
	struct node *nodes;
	size_t nnodes, capnodes;
	struct seg *segs;
	size_t nsegs, capsegs;
};

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	free(set->segs);
	free(set->nodes);
	free(set->tmpls);
	free(set->src);
	free(set);
}

/* Order names as bytes, then by length: the one order used for sorting and
 * for every lookup, so that names need not be NUL-terminated. */
static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

static int tmpl_cmp(const void *x, const void *y)
{
	const struct tmpl *a = x, *b = y;
	return name_cmp(a->name, a->namelen, b->name, b->namelen);
}

/* Return the index of the template called name (n bytes), or -1. */
static long tmpl_find(const struct tmpl_set *set, const char *name, size_t n)
{
	size_t lo = 0, hi = set->ntmpl;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tmpl *t = &set->tmpls[mid];
		int r = name_cmp(name, n, t->name, t->namelen);
		if (r == 0)
			return (long)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* ---- compiler -------------------------------------------------------- */

struct parser {
	struct tmpl_set *set;
	const char *name; /* of the template being compiled: prefixes errors */
	size_t namelen;
	char *err;
	size_t errlen;
};

/* Write "name:line: message" into the caller's err buffer; returns -1. */
static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	if (!ps->err || ps->errlen == 0)
		return -1;
	int k = snprintf(ps->err, ps->errlen, "%.*s:%u: ", (int)ps->namelen, ps->name, line);
	if (k >= 0 && (size_t)k < ps->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err + k, ps->errlen - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Append a node to the set; returns its index through *idx. */
static int node_add(struct parser *ps, unsigned line, struct node nd, uint32_t *idx)
{
	struct tmpl_set *set = ps->set;
	if (set->nnodes >= UINT32_MAX)
		return fail(ps, line, "too many nodes");
	if (set->nnodes == set->capnodes) {
		size_t cap = set->capnodes ? xmul(set->capnodes, 2) : 256;
		set->nodes = xrealloc(set->nodes, xmul(cap, sizeof(*set->nodes)));
		set->capnodes = cap;
	}
	if (idx)
		*idx = (uint32_t)set->nnodes;
	set->nodes[set->nnodes++] = nd;
	return 0;
}

static int seg_add(struct parser *ps, unsigned line, const char *p, size_t n)
{
	struct tmpl_set *set = ps->set;
	if (set->nsegs >= UINT32_MAX)
		return fail(ps, line, "too many names");
	if (set->nsegs == set->capsegs) {
		size_t cap = set->capsegs ? xmul(set->capsegs, 2) : 256;
		set->segs = xrealloc(set->segs, xmul(cap, sizeof(*set->segs)));
		set->capsegs = cap;
	}
	/* p lies in src, whose size was checked against TMPL_MAX_TOTAL. */
	set->segs[set->nsegs++] = (struct seg){(uint32_t)(p - set->src), (uint32_t)n};
	return 0;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static unsigned count_lines(const char *p, const char *end)
{
	unsigned k = 0;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* Return the first "cc" in [p, end), or NULL. */
static const char *find_pair(const char *p, const char *end, char c)
{
	while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
		if (p + 1 < end && p[1] == c)
			return p;
		p++;
	}
	return NULL;
}

/* Split a variable or section name into segments and record them in
 * nd->a / nd->n.  "." is the current value; otherwise the name is one or
 * more non-empty runs of [A-Za-z0-9_-] joined by dots. */
static int name_compile(struct parser *ps, unsigned line, const char *p, size_t n, struct node *nd)
{
	if (n == 0)
		return fail(ps, line, "empty name");
	nd->a = (uint32_t)ps->set->nsegs;
	nd->n = 0;
	if (n == 1 && p[0] == '.')
		return 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && is_name_char(p[i]))
			continue;
		if ((i < n && p[i] != '.') || i == start)
			return fail(ps, line, "invalid name \"%.*s\"", ERR_LEN(n), p);
		if (seg_add(ps, line, p + start, i - start) < 0)
			return -1;
		nd->n++;
		start = i + 1;
	}
	return 0;
}

/* Resolve a partial's name to a template index in nd->a. */
static int partial_compile(struct parser *ps, unsigned line, const char *p, size_t n,
			   struct node *nd)
{
	if (n == 0)
		return fail(ps, line, "empty name");
	for (size_t i = 0; i < n; i++) {
		if (!is_name_char(p[i]) && p[i] != '/' && p[i] != '.')
			return fail(ps, line, "invalid partial name \"%.*s\"", ERR_LEN(n), p);
	}
	long idx = tmpl_find(ps->set, p, n);
	if (idx < 0)
		return fail(ps, line, "unknown partial \"%.*s\"", ERR_LEN(n), p);
	nd->a = (uint32_t)idx;
	return 0;
}

/* A section that is open while its body is compiled. */
struct open_section {
	uint32_t node;
	unsigned line;
	const char *name;
	size_t n;
};

/* Compile template t into nodes appended to the set (t->first .. t->end).
 * Text nodes and name segments point into the set's src block by offset. */
static int tmpl_compile(struct parser *ps, struct tmpl *t)
{
	struct open_section open[TMPL_MAX_NEST];
	size_t nopen = 0;
	const char *s = t->text, *end = t->text + t->len;
	unsigned line = 1;

	ps->name = t->name;
	ps->namelen = t->namelen;
	t->first = (uint32_t)ps->set->nnodes;
	while (s < end) {
		const char *tag = find_pair(s, end, '{');
		const char *text_end = tag ? tag : end;
		if (text_end > s) {
			struct node nd = {OP_TEXT, (uint32_t)(s - ps->set->src),
					  (uint32_t)(text_end - s), 0};
			if (node_add(ps, line, nd, NULL) < 0)
				return -1;
			line += count_lines(s, text_end);
		}
		if (!tag)
			break;

		/* tag points at "{{"; q at the sigil or the name. */
		unsigned tagline = line;
		const char *q = tag + 2;
		char sigil = q < end ? *q : '\0';
		bool triple = sigil == '{';
		if (sigil == '{' || sigil == '!' || sigil == '#' || sigil == '^' || sigil == '/' ||
		    sigil == '>' || sigil == '@')
			q++;
		else
			sigil = '\0';
		const char *close = find_pair(q, end, '}');
		if (!close)
			return fail(ps, tagline, "unclosed tag");
		if (triple && (close + 2 >= end || close[2] != '}'))
			return fail(ps, tagline, "unclosed tag: expected }}}");
		line += count_lines(tag, close);
		s = close + (triple ? 3 : 2);
		if (sigil == '!')
			continue;

		const char *np = q, *ne = close;
		while (np < ne && is_space(*np))
			np++;
		while (ne > np && is_space(ne[-1]))
			ne--;
		size_t nn = (size_t)(ne - np);
		struct node nd = {0, 0, 0, 0};
		uint32_t idx;

		switch (sigil) {
		case '@': {
			/* Resolved once: an unknown key is a compile error.  Names
			 * after the key are its arguments {1}, {2} ... */
			size_t kn = 0;
			while (kn < nn && !is_space(np[kn]))
				kn++;
			long k = msg_index(np, kn);
			if (k < 0)
				return fail(ps, tagline, "unknown message key \"%.*s\"",
					    ERR_LEN(kn), np);
			nd.op = OP_MSG;
			nd.a = (uint32_t)k;
			uint32_t msg_node;
			if (node_add(ps, tagline, nd, &msg_node) < 0)
				return -1;
			for (size_t at = kn;;) {
				while (at < nn && is_space(np[at]))
					at++;
				if (at == nn)
					break;
				size_t an = 0;
				while (at + an < nn && !is_space(np[at + an]))
					an++;
				if (ps->set->nodes[msg_node].n == TMPL_MAX_MSG_ARGS)
					return fail(ps, tagline, "more than %d message arguments",
						    TMPL_MAX_MSG_ARGS);
				struct node arg = {OP_ARG, 0, 0, 0};
				if (name_compile(ps, tagline, np + at, an, &arg) < 0 ||
				    node_add(ps, tagline, arg, NULL) < 0)
					return -1;
				ps->set->nodes[msg_node].n++;
				at += an;
			}
			break;
		}
		case '>':
			nd.op = OP_PARTIAL;
			if (partial_compile(ps, tagline, np, nn, &nd) < 0 ||
			    node_add(ps, tagline, nd, NULL) < 0)
				return -1;
			break;
		case '#':
		case '^':
			if (nopen == TMPL_MAX_NEST)
				return fail(ps, tagline, "sections nested deeper than %d",
					    TMPL_MAX_NEST);
			nd.op = sigil == '#' ? OP_SECTION : OP_INVERTED;
			if (name_compile(ps, tagline, np, nn, &nd) < 0 ||
			    node_add(ps, tagline, nd, &idx) < 0)
				return -1;
			open[nopen++] = (struct open_section){idx, tagline, np, nn};
			break;
		case '/':
			if (nn == 0)
				return fail(ps, tagline, "empty name");
			if (nopen == 0)
				return fail(ps, tagline, "close tag \"%.*s\" without open section",
					    ERR_LEN(nn), np);
			nopen--;
			if (name_cmp(np, nn, open[nopen].name, open[nopen].n) != 0)
				return fail(ps, tagline,
					    "close tag \"%.*s\" does not match section \"%.*s\" "
					    "opened on line %u",
					    ERR_LEN(nn), np, ERR_LEN(open[nopen].n),
					    open[nopen].name, open[nopen].line);
			ps->set->nodes[open[nopen].node].end = (uint32_t)ps->set->nnodes;
			break;
		default:
			nd.op = triple ? OP_RAW : OP_VAR;
			if (name_compile(ps, tagline, np, nn, &nd) < 0 ||
			    node_add(ps, tagline, nd, NULL) < 0)
				return -1;
			break;
		}
	}
	if (nopen > 0) {
		const struct open_section *o = &open[nopen - 1];
		return fail(ps, o->line, "unclosed section \"%.*s\"", ERR_LEN(o->n), o->name);
	}
	t->end = (uint32_t)ps->set->nnodes;
	return 0;
}

static bool is_template_file(const struct embed_file *f)
{
	static const char suffix[] = ".html";
	const size_t sn = sizeof(suffix) - 1;
	if (!f->name || (!f->data && f->len))
		return false;
	size_t n = strlen(f->name);
	return n > sn && memcmp(f->name + n - sn, suffix, sn) == 0;
}

/* Build the set: copy names and texts into one src block, sort the
 * templates by name (so that partials can be resolved while compiling),
 * then compile each.  On error the partial set is freed and NULL returned. */
struct tmpl_set *tmpl_set_compile(const struct embed_file *files, size_t n, char *err,
				  size_t errlen)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));
	struct parser ps = {set, "", 0, err, errlen};
	size_t total = 0, ntmpl = 0;

	if (err && errlen)
		err[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct embed_file *f = &files[i];
		if (!is_template_file(f))
			continue;
		size_t namelen = strlen(f->name);
		ps.name = f->name;
		ps.namelen = namelen - (sizeof(".html") - 1);
		if (f->len > TMPL_MAX_FILE) {
			fail(&ps, 1, "template larger than %u bytes", TMPL_MAX_FILE);
			goto error;
		}
		/* "x.html" and its text, each NUL-terminated, fit in namelen + len + 2. */
		total = xadd(total, xadd(xadd(namelen, f->len), 2));
		if (total > TMPL_MAX_TOTAL) {
			fail(&ps, 1, "templates larger than %u bytes in all", TMPL_MAX_TOTAL);
			goto error;
		}
		ntmpl++;
	}

	set->src = xmalloc(total ? total : 1);
	set->tmpls = xcalloc(ntmpl ? ntmpl : 1, sizeof(*set->tmpls));
	char *p = set->src;
	for (size_t i = 0; i < n; i++) {
		const struct embed_file *f = &files[i];
		if (!is_template_file(f))
			continue;
		struct tmpl *t = &set->tmpls[set->ntmpl++];
		t->namelen = strlen(f->name) - (sizeof(".html") - 1);
		t->name = p;
		memcpy(p, f->name, t->namelen);
		p[t->namelen] = '\0';
		p += t->namelen + 1;
		t->text = p;
		t->len = f->len;
		if (f->len)
			memcpy(p, f->data, f->len);
		p[f->len] = '\0';
		p += f->len + 1;
	}
	if (set->ntmpl)
		qsort(set->tmpls, set->ntmpl, sizeof(*set->tmpls), tmpl_cmp);
	for (size_t i = 1; i < set->ntmpl; i++) {
		if (tmpl_cmp(&set->tmpls[i - 1], &set->tmpls[i]) == 0) {
			ps.name = set->tmpls[i].name;
			ps.namelen = set->tmpls[i].namelen;
			fail(&ps, 1, "duplicate template");
			goto error;
		}
	}
	for (size_t i = 0; i < set->ntmpl; i++) {
		if (tmpl_compile(&ps, &set->tmpls[i]) < 0)
			goto error;
	}
	return set;

error:
	tmpl_set_free(set);
	return NULL;
}

/* ---- renderer -------------------------------------------------------- */

/* The context stack: one frame per section entered, on the C stack. */
struct ctx {
	const struct tv *v;
	const struct ctx *up;
};

/* What one render noticed, for tmpl_render()'s answer. */
struct render {
	const struct tmpl_set *set;
	const struct tmpl *cur; /* the template whose nodes are rendering */
	int rc;			/* TMPL_OK or the first problem */
	enum tmpl_vars vars;
};

/* Resolve the name of nd: the first segment from the innermost context
 * outwards, the rest inside the value found.  NULL when missing or null;
 * *defined says whether some context has the first segment at all. */
static const struct tv *lookup(const struct tmpl_set *set, const struct node *nd,
			       const struct ctx *cx, bool *defined)
{
	*defined = true;
	if (nd->n == 0)
		return cx->v;
	const struct seg *sg = &set->segs[nd->a];
	const struct tv *v = NULL;
	for (;; cx = cx->up) {
		if (!cx) {
			*defined = false;
			return NULL;
		}
		if (obj_find(cx->v, set->src + sg[0].off, sg[0].n, &v))
			break;
	}
	for (uint32_t k = 1; k < nd->n; k++) {
		if (!obj_find(v, set->src + sg[k].off, sg[k].n, &v))
			return NULL;
	}
	return v;
}

/* The name of the variable a render was missing, for the log. */
static _Thread_local char missing_name[160];

/* Note a problem; the first one is the render's answer. */
static void render_fail(struct render *rs, int rc, const struct node *nd)
{
	if (rs->rc != TMPL_OK)
		return;
	rs->rc = rc;
	const char *name = "";
	int n = 0;
	if (nd && nd->n) {
		const struct seg *sg = &rs->set->segs[nd->a];
		name = rs->set->src + sg[0].off;
		n = (int)sg[0].n;
	}
	snprintf(missing_name, sizeof(missing_name), "%.*s%s%.*s", ERR_LEN(rs->cur->namelen),
		 rs->cur->name, n ? ": " : "", ERR_LEN((size_t)n), name);
}

/* A {{name}} no context has: logged, and in TMPL_VARS_FAIL the answer. */
static void missing_var(struct render *rs, const struct node *nd)
{
	if (rs->vars == TMPL_VARS_FAIL) {
		render_fail(rs, TMPL_MISSING_VAR, nd);
		return;
	}
	const struct seg *sg = &rs->set->segs[nd->a];
	fprintf(stderr, "kyodo: template %.*s: {{%.*s}} is not set\n", ERR_LEN(rs->cur->namelen),
		rs->cur->name, ERR_LEN((size_t)sg[0].n), rs->set->src + sg[0].off);
}

const char *tmpl_last_problem(void)
{
	return missing_name;
}

/* Would a section over v render (at least once)? */
static bool truthy(const struct tv *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case TV_STR:
	case TV_RAW:
		return v->u.s.n > 0;
	case TV_INT:
		return v->u.i != 0;
	case TV_BOOL:
		return v->u.b;
	case TV_LIST:
		return v->u.list.n > 0;
	case TV_OBJ:
		return true;
	case TV_NULL:
		break;
	}
	return false;
}

static void emit_int(struct buf *out, int64_t i)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	/* Negate in unsigned arithmetic so that INT64_MIN does not overflow. */
	uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		*--p = '-';
	buf_add(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Interpolate v.  Raw output needs both a {{{ }}} tag (raw) and a tv_raw
 * value; everything else goes through the HTML escaper.  Lists and objects
 * interpolate as nothing. */
static void emit(struct buf *out, const struct tv *v, bool raw)
{
	if (!v)
		return;
	switch (v->type) {
	case TV_RAW:
		if (raw)
			buf_add(out, v->u.s.p, v->u.s.n);
		else
			buf_add_html(out, v->u.s.p, v->u.s.n);
		break;
	case TV_STR:
		buf_add_html(out, v->u.s.p, v->u.s.n);
		break;
	case TV_INT:
		emit_int(out, v->u.i);
		break;
	case TV_BOOL:
		if (v->u.b)
			buf_add(out, "true", 4);
		else
			buf_add(out, "false", 5);
		break;
	case TV_NULL:
	case TV_LIST:
	case TV_OBJ:
		break;
	}
}

/* The text of scalar v for a message argument, appended to b with its
 * NUL; lists, objects and missing values give "". */
static void arg_text(struct buf *b, const struct tv *v)
{
	if (v && (v->type == TV_STR || v->type == TV_RAW))
		buf_add(b, v->u.s.p, v->u.s.n);
	else if (v && v->type == TV_INT)
		emit_int(b, v->u.i);
	else if (v && v->type == TV_BOOL)
		buf_adds(b, v->u.b ? "true" : "false");
	buf_add(b, "", 1);
}

/* {{@key a b}}: the message with the values of its argument names, escaped. */
static void emit_msg(struct render *rs, const struct node *nd, const struct ctx *cx,
		     struct buf *out)
{
	if (nd->n == 0) {
		const char *m = msg_at((long)nd->a);
		buf_add_html(out, m, strlen(m));
		return;
	}
	struct buf vals = BUF_INIT, text = BUF_INIT;
	size_t ends[TMPL_MAX_MSG_ARGS];
	for (uint32_t k = 0; k < nd->n; k++) {
		bool defined;
		const struct node *an = nd + 1 + k;
		const struct tv *v = lookup(rs->set, an, cx, &defined);
		if (!defined && rs->vars != TMPL_VARS_QUIET)
			missing_var(rs, an);
		arg_text(&vals, v);
		ends[k] = vals.n;
	}
	const char *args[TMPL_MAX_MSG_ARGS + 1];
	for (uint32_t k = 0; k < nd->n; k++)
		args[k] = vals.p + (k ? ends[k - 1] : 0);
	args[nd->n] = NULL;
	msg_format_buf(&text, (long)nd->a, args);
	buf_add_html(out, text.p ? text.p : "", text.n);
	buf_release(&text);
	buf_release(&vals);
}

/* Render nodes[i .. end) with context cx at partial depth `depth`,
 * appending to out.  Recursion depth is bounded by TMPL_MAX_NEST sections
 * per template times TMPL_MAX_DEPTH partials. */
static void render_nodes(struct render *rs, uint32_t i, uint32_t end, const struct ctx *cx,
			 unsigned depth, struct buf *out)
{
	const struct tmpl_set *set = rs->set;
	while (i < end) {
		const struct node *nd = &set->nodes[i];
		const struct tv *v;
		bool defined;
		switch ((enum op)nd->op) {
		case OP_TEXT:
			buf_add(out, set->src + nd->a, nd->n);
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			v = lookup(set, nd, cx, &defined);
			/* Only a name no context has at all: a value set to
			 * null (tv_str(NULL)) is a deliberate blank. */
			if (!defined && rs->vars != TMPL_VARS_QUIET)
				missing_var(rs, nd);
			emit(out, v, nd->op == OP_RAW);
			i++;
			break;
		case OP_SECTION:
			/* A section over a missing name is simply false. */
			v = lookup(set, nd, cx, &defined);
			if (truthy(v)) {
				if (v->type == TV_LIST) {
					for (size_t k = 0; k < v->u.list.n; k++) {
						struct ctx inner = {v->u.list.items[k], cx};
						render_nodes(rs, i + 1, nd->end, &inner, depth,
							     out);
					}
				} else {
					struct ctx inner = {v, cx};
					render_nodes(rs, i + 1, nd->end, &inner, depth, out);
				}
			}
			i = nd->end;
			break;
		case OP_INVERTED:
			if (!truthy(lookup(set, nd, cx, &defined)))
				render_nodes(rs, i + 1, nd->end, cx, depth, out);
			i = nd->end;
			break;
		case OP_MSG:
			emit_msg(rs, nd, cx, out);
			i += 1 + nd->n;
			break;
		case OP_ARG: /* consumed by its OP_MSG */
			i++;
			break;
		case OP_PARTIAL:
			if (depth < TMPL_MAX_DEPTH) {
				const struct tmpl *t = &set->tmpls[nd->a], *up = rs->cur;
				rs->cur = t;
				render_nodes(rs, t->first, t->end, cx, depth + 1, out);
				rs->cur = up;
			} else {
				render_fail(rs, TMPL_TOO_DEEP, NULL);
			}
			i++;
			break;
		}
	}
}

static enum tmpl_vars vars_mode;

void tmpl_strict_vars(enum tmpl_vars mode)
{
	vars_mode = mode;
}

int tmpl_render(const struct tmpl_set *set, const char *name, const struct tv *ctx, struct buf *out)
{
	missing_name[0] = '\0';
	if (!set || !name || !out)
		return TMPL_NO_TEMPLATE;
	long idx = tmpl_find(set, name, strlen(name));
	if (idx < 0) {
		snprintf(missing_name, sizeof(missing_name), "%.100s", name);
		return TMPL_NO_TEMPLATE;
	}
	const struct tmpl *t = &set->tmpls[idx];
	struct ctx root = {ctx, NULL};
	struct render rs = {set, t, TMPL_OK, vars_mode};
	render_nodes(&rs, t->first, t->end, &root, 0, out);
	return rs.rc;
}

bool tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set && name && tmpl_find(set, name, strlen(name)) >= 0;
}
