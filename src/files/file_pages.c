/*
 * GET /files/{id}: the bytes of a stored file (domain/files.h).
 *
 * Who may read a file is decided by file_access(), the files' rule in
 * core/access.h: the first rule of file_access_rules that says yes lets
 * the file through.  When none does, the answer is the same 404 as for an
 * id that does not exist, so that file ids cannot be probed.  Another
 * area that attaches files (proposals) adds its own rule to the table.
 */
#include "core/access.h"
#include "core/who.h"
#include "files/files.h"
#include "files/handlers.h"
#include "core/role.h"
#include "web/page.h"
#include "web/web.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest file read into a response.  Uploads are capped far below this
 * (KYODO_MAX_UPLOAD); a bigger file was not stored by kyodo. */
#define FILE_SERVE_MAX ((size_t)64 << 20)

/* The one answer for a file that is missing or not the user's to see. */
static const char *const not_found = "web.file_not_found";

typedef bool (*file_rule)(struct req *r, struct db *db, const struct stored_file *f);

/* Documents of a published call (募集要項 and the like) are public. */
static bool in_published_call(struct req *r, struct db *db, const struct stored_file *f)
{
	(void)r;
	struct db_stmt *st = db_stmt(db, STMT_FILE_IN_PUBLIC_CALL);
	db_bind_int(st, 1, f->id);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}

/* Staff see every file; anyone sees what they uploaded. */
static bool staff_or_uploader(struct req *r, struct db *db, const struct stored_file *f)
{
	(void)db;
	return who_is_staff(r->user) ||
	       (r->user && f->uploaded_by > 0 && f->uploaded_by == r->user->id);
}

static const file_rule file_access_rules[] = {
    in_published_call,
    staff_or_uploader,
    web_proposal_file_visible, /* proposals.c: attached to a proposal the user may see */
    web_review_file_visible,   /* screening.c: a proposal in a stage the reviewer is assigned to */
    web_event_report_file_visible, /* event_reports.c: graphic minutes of a published event */
    web_event_image_visible,	   /* events.c: images of a published event */
};

/*
 * The access rule for stored files (core/access.h, ACCESS_FILE): w may see
 * file id when one of file_access_rules says yes; only staff and the
 * uploader may do more.  The rules still take a request (the features
 * that own them read r->user and r->arena), so a request holding only w
 * and an arena stands in for one here.
 */
bool file_access(struct db *db, const struct who *w, int64_t id, enum access_act act)
{
	struct req r = {0};
	arena_init(&r.arena);
	r.user = (struct who *)w;
	struct stored_file f;
	const char *path;
	bool ok = false;
	if (file_get(db, &r.arena, id, &f, &path) == 0) {
		if (act != ACCESS_VIEW)
			ok = staff_or_uploader(&r, db, &f);
		for (size_t i = 0; act == ACCESS_VIEW && !ok &&
				   i < sizeof(file_access_rules) / sizeof(file_access_rules[0]);
		     i++)
			ok = file_access_rules[i](&r, db, &f);
	}
	arena_free(&r.arena);
	return ok;
}

/* "inline; filename*=UTF-8''%E5%8B%9F..." (RFC 6266 / RFC 8187): the name
 * percent-encoded except for RFC 8187's attr-chars. */
static const char *disposition(struct arena *a, const char *name)
{
	static const char attr[] = "!#$&+-.^_`|~";
	struct buf b = BUF_INIT;
	buf_adds(&b, "inline; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(attr, *p))
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	const char *s = arena_strdup(a, b.p);
	buf_release(&b);
	return s;
}

/* Read the whole file at path into out, if it is a regular file of at most
 * max bytes.  0, or -1 with errno set. */
static int read_whole(const char *path, size_t max, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	buf_grow(out, (size_t)st.st_size);
	for (;;) {
		char chunk[65536];
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || out->n + (size_t)got > max) {
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		buf_add(out, chunk, (size_t)got);
	}
	close(fd);
	return 0;
}

void h_file(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct stored_file f;
	const char *path;
	/* A file the user may not see answers like one that does not exist,
	 * so that ids cannot be probed. */
	if (id < 0 || !access_may(db, r->user, ACCESS_FILE, id, ACCESS_VIEW) ||
	    file_get(db, a, id, &f, &path) != 0) {
		web_error(r, 404, not_found);
		return;
	}
	/* The bytes never change for a given row: their hash is the ETag. */
	const char *etag = arena_printf(a, "\"%s\"", f.sha256);
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		resp_header(r, "ETag", etag);
		resp_header(r, "Cache-Control", "private");
		r->status = 304;
		return;
	}
	buf_reset(&r->body);
	if (read_whole(path, FILE_SERVE_MAX, &r->body) != 0) {
		/* The row is there but the bytes are not: a restore without
		 * the files folder, or a hand-made row.  Logged for the
		 * operators; the visitor sees the ordinary 404. */
		fprintf(stderr, "kyodo: file %lld (%s): %s\n", (long long)f.id, path,
			strerror(errno));
		buf_reset(&r->body);
		web_error(r, 404, not_found);
		return;
	}
	r->status = 200;
	r->content_type = f.mime;
	resp_header(r, "ETag", etag);
	resp_header(r, "Cache-Control", "private");
	resp_header(r, "Content-Disposition", disposition(a, f.name));
	/* No scripts, forms or framing, but the browser's PDF viewer may run. */
	resp_header(r, "Content-Security-Policy",
		    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
		    "object-src 'self'; plugin-types application/pdf; frame-ancestors 'none'; "
		    "form-action 'none'; base-uri 'none'");
}
