#include "web/respond.h"
#include "util/msg.h"
#include "web/page.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void respond_json(struct req *r, int status, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	buf_reset(&r->body);
	if (s)
		buf_adds(&r->body, s);
	free(s);
	json_decref(j);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
}

json_t *json_str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

void respond_download(struct req *r, const char *content_type, const char *ascii, const char *name)
{
	r->status = 200;
	r->content_type = content_type;
	resp_header(r, "Content-Disposition", page_attachment(&r->arena, ascii, name));
}

/* Read the whole file at path into out.  0 or -1. */
static int slurp(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	int rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}

void respond_xlsx(struct req *r, const char *ascii, const char *name,
		  int (*write)(struct arena *a, const char *path, void *arg), void *arg)
{
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(&r->arena, "%s/kyodo-export-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "kyodo: export: mkstemp: %s\n", strerror(errno));
		web_error(r, 503, msg("web.export_failed"));
		return;
	}
	close(fd);
	buf_reset(&r->body);
	int rc = write(&r->arena, path, arg);
	if (rc == 0)
		rc = slurp(path, &r->body);
	unlink(path);
	if (rc != 0) {
		buf_reset(&r->body);
		web_error(r, 503, msg("web.export_failed"));
		return;
	}
	respond_download(r, RESPOND_XLSX, ascii, name);
}

const char *respond_list_url(struct arena *a, const char *path, const struct form *f, size_t from,
			     size_t to, int64_t page)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, path);
	char sep = strchr(path, '?') ? '&' : '?';
	for (size_t i = from; f && i <= to && i < f->n; i++) {
		if (!f->v[i].present)
			continue;
		buf_printf(&b, "%c%s=", sep, f->spec[i].name);
		buf_add_urlenc(&b, f->v[i].s, f->v[i].n);
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)page);
	const char *s = arena_strndup(a, b.p ? b.p : "", b.n);
	buf_release(&b);
	return s;
}

int64_t respond_page_clamp(int64_t page, int64_t per, int64_t total)
{
	int64_t pages = per > 0 && total > 0 ? (total + per - 1) / per : 1;
	if (page < 1)
		return 1;
	return page > pages ? pages : page;
}

static void page_item(struct req *r, struct tv *items, int64_t i, int64_t page, const char *path,
		      const struct form *f, size_t from, size_t to)
{
	struct tv *it = tv_obj(&r->arena);
	tv_set_int(it, "number", i);
	tv_set_str(it, "url", respond_list_url(&r->arena, path, f, from, to, i));
	tv_set_bool(it, "current", i == page);
	tv_push(items, it);
}

struct tv *respond_pagination(struct req *r, int64_t page, int64_t per, int64_t total,
			      const char *path, const struct form *f, size_t from, size_t to)
{
	struct arena *a = &r->arena;
	int64_t pages = per > 0 ? (total + per - 1) / per : 1;
	if (pages <= 1)
		return NULL;
	struct tv *p = tv_obj(a);
	tv_set_int(p, "current", page);
	tv_set_int(p, "total_pages", pages);
	if (page > 1)
		tv_set_str(p, "prev_url", respond_list_url(a, path, f, from, to, page - 1));
	if (page < pages)
		tv_set_str(p, "next_url", respond_list_url(a, path, f, from, to, page + 1));
	struct tv *items = tv_list(a);
	int64_t lo = page - 2 < 1 ? 1 : page - 2, hi = page + 2 > pages ? pages : page + 2;
	struct tv *gap = tv_obj(a);
	if (lo > 1)
		page_item(r, items, 1, page, path, f, from, to);
	if (lo > 2)
		tv_push(items, gap);
	for (int64_t i = lo; i <= hi; i++)
		page_item(r, items, i, page, path, f, from, to);
	if (hi < pages - 1)
		tv_push(items, gap);
	if (hi < pages)
		page_item(r, items, pages, page, path, f, from, to);
	tv_set(p, "items", items);
	return p;
}
