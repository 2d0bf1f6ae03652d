/*
 * respond: the one way to send each kind of answer that is not an HTML
 * page (page.h renders those): JSON, downloads (CSV and .xlsx), and the
 * page links of a long list.
 */
#ifndef KYODO_RESPOND_H
#define KYODO_RESPOND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "util/form.h"
#include "view/tmpl.h"

/* Answer j (taken: its reference is released) as compact JSON. */
void respond_json(struct req *r, int status, json_t *j);
/* A JSON string, or null for NULL or "". */
json_t *json_str_or_null(const char *s);

/* Answer the bytes already in r->body as a download of content_type:
 * ascii is the file name for old clients, name the real (Japanese) one. */
void respond_download(struct req *r, const char *content_type, const char *ascii, const char *name);

/* The body is UTF-8 CSV built by util/csv.h (with its BOM). */
#define RESPOND_CSV  "text/csv; charset=utf-8"
#define RESPOND_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/*
 * Answer a workbook as a download.  libxlsxwriter writes to a file, so
 * write(a, path, arg) fills a private temporary file, which is read back
 * into the response and removed.  write returns 0 or -1; on -1 (or when
 * the file cannot be made or read) the answer is a 503.
 */
void respond_xlsx(struct req *r, const char *ascii, const char *name,
		  int (*write)(struct arena *a, const char *path, void *arg), void *arg);

/*
 * The URL of page `page` of a list at path, keeping the filters: the
 * present fields f->v[from .. to] as query parameters (in that order),
 * then page=N when page > 1.  f may be NULL (no filters).
 */
const char *respond_list_url(struct arena *a, const char *path, const struct form *f, size_t from,
			     size_t to, int64_t page);

/*
 * The page links templates/partials/pagination.html draws, for `total`
 * rows shown `per` to a page: {current, total_pages, prev_url, next_url,
 * items: [{number, url, current} or a gap {}]}, with the two pages on
 * each side of the current one, the first and the last.  URLs as
 * respond_list_url().  NULL when everything fits on one page.
 */
struct tv *respond_pagination(struct req *r, int64_t page, int64_t per, int64_t total,
			      const char *path, const struct form *f, size_t from, size_t to);

/* The number of pages for total rows, per to a page (at least 1), and
 * page clamped to [1, that]. */
int64_t respond_page_clamp(int64_t page, int64_t per, int64_t total);

#endif
