/*
 * files: see files.h.
 *
 * An upload goes through four gates in order: its size (cheapest first),
 * its type as libmagic sniffs it from the bytes, for images a re-encode
 * with libvips that drops every metadata block (EXIF with GPS, XMP, text
 * chunks, ICC), and then the write.  PDFs are stored exactly as given:
 * rewriting them safely would need a PDF library, and the people who
 * upload them are staff and applicants who meant to publish them.
 *
 * The bytes live in the storage folder under their SHA-256 in hex, so the
 * same content uploaded twice is stored once, and no name from the client
 * ever reaches the file system.
 */
#include "files/files.h"
#include "util/alloc.h"
#include "util/msg.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>
#include <vips/vips.h>

/* Longest cleaned file name, in characters. */
#define NAME_MAX_CHARS 100
/* Largest image accepted, in pixels: a small PNG can declare a huge canvas,
 * and decoding it would take that many pixels of memory. */
#define IMAGE_MAX_PIXELS (50 * 1000 * 1000)

static char *files_dir;

static const struct {
	enum file_kind kind;
	const char *mime;
	const char *label; /* for the "choose a ... file" message */
	const char *ext;   /* appended when the name lacks a matching one */
	const char *ext2;  /* another accepted extension, or NULL */
} kinds[] = {
    {FILE_PDF, "application/pdf", "PDF", ".pdf", NULL},
    {FILE_PNG, "image/png", "PNG", ".png", NULL},
    {FILE_JPEG, "image/jpeg", "JPEG", ".jpg", ".jpeg"},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* mkdir -p with mode 0750 for the folders it creates. */
static int make_dirs(const char *dir)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -1;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0750) != 0 && errno != EEXIST)
		return -1;
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

int files_init(const char *dir)
{
	if (sodium_init() < 0)
		return -1;
	if (!dir || !*dir)
		dir = "var/files";
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	free(files_dir);
	files_dir = xmalloc(n + 1);
	memcpy(files_dir, dir, n);
	files_dir[n] = '\0';
	if (make_dirs(files_dir) != 0) {
		fprintf(stderr, "kyodo: cannot create the files folder %s: %s\n", files_dir,
			strerror(errno));
		return -1;
	}
	return 0;
}

static const char *dir(void)
{
	return files_dir ? files_dir : "var/files";
}

/* ---- sniffing ------------------------------------------------------------ */

/*
 * One magic cookie for the process behind a mutex: a magic_t may not be
 * used by two threads at once, and each one holds its own copy of the
 * compiled magic database (megabytes), which is too much to keep per
 * worker thread for an operation as rare as an upload.
 */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_cookie;

/* The sniffed MIME type of data, copied into a, or NULL. */
static const char *sniff(struct arena *a, const void *data, size_t n)
{
	const char *type = NULL;
	pthread_mutex_lock(&magic_lock);
	if (!magic_cookie) {
		magic_cookie = magic_open(MAGIC_MIME_TYPE);
		if (magic_cookie && magic_load(magic_cookie, NULL) != 0) {
			fprintf(stderr, "kyodo: libmagic: %s\n", magic_error(magic_cookie));
			magic_close(magic_cookie);
			magic_cookie = NULL;
		}
	}
	if (magic_cookie) {
		const char *t = magic_buffer(magic_cookie, data, n);
		if (t)
			type = arena_strdup(a, t);
	}
	pthread_mutex_unlock(&magic_lock);
	return type;
}

/* files.err.type with the kinds in allowed, e.g.
 * 「PDF・PNG・JPEGのファイルを選んでください」. */
static const char *type_message(struct arena *a, unsigned allowed)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < NKINDS; i++)
		if (allowed & kinds[i].kind)
			buf_printf(&b, "%s%s", b.n ? msg("files.list_separator") : "",
				   kinds[i].label);
	const char *s = msgf(a, "files.err.type", b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* "10MB", "512KB" or 「100バイト」 (files.size.bytes) for a limit in bytes. */
static const char *size_label(struct arena *a, size_t bytes)
{
	const size_t mb = 1024 * 1024, kb = 1024;
	if (bytes >= mb && bytes % mb == 0)
		return arena_printf(a, "%zuMB", bytes / mb);
	if (bytes >= mb)
		return arena_printf(a, "%.1fMB", (double)bytes / (double)mb);
	if (bytes >= kb && bytes % kb == 0)
		return arena_printf(a, "%zuKB", bytes / kb);
	return msgf(a, "files.size.bytes", arena_printf(a, "%zu", bytes));
}

/* ---- images ---------------------------------------------------------------- */

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ok;

static void vips_start(void)
{
	if (VIPS_INIT("kyodo") != 0) {
		fprintf(stderr, "kyodo: libvips: %s\n", vips_error_buffer());
		vips_error_clear();
		return;
	}
	/* Each image (an upload, a QR code) is made once: caching operations
	 * would only keep its pixels in memory. */
	vips_cache_set_max(0);
	vips_ok = true;
}

int files_image_init(void)
{
	pthread_once(&vips_once, vips_start);
	return vips_ok ? 0 : -1;
}

enum image_rc { IMAGE_OK, IMAGE_UNREADABLE, IMAGE_TOO_BIG };

/*
 * Decode the image in (in, n) and encode it again as the same kind, turned
 * upright by its EXIF orientation and without any metadata.  On IMAGE_OK
 * *out (g_malloc'd, the caller g_free()s it) holds the new bytes.
 */
static enum image_rc reencode(const void *in, size_t n, enum file_kind kind, void **out,
			      size_t *outn)
{
	enum image_rc rc = IMAGE_UNREADABLE;
	VipsImage *img = NULL, *upright = NULL;
	*out = NULL;
	if (files_image_init() != 0)
		return IMAGE_UNREADABLE;
	/* Only the header is read here; pixels are decoded while saving. */
	img = vips_image_new_from_buffer(in, n, "", NULL);
	if (!img)
		goto done;
	if ((int64_t)vips_image_get_width(img) * vips_image_get_height(img) > IMAGE_MAX_PIXELS) {
		rc = IMAGE_TOO_BIG;
		goto done;
	}
	if (vips_autorot(img, &upright, NULL) != 0)
		goto done;
	int err = kind == FILE_PNG
		      ? vips_pngsave_buffer(upright, out, outn, "strip", TRUE, NULL)
		      : vips_jpegsave_buffer(upright, out, outn, "strip", TRUE, "Q", 90, NULL);
	if (err == 0)
		rc = IMAGE_OK;
done:
	if (rc == IMAGE_UNREADABLE) {
		const char *msg = vips_error_buffer();
		fprintf(stderr, "kyodo: image not readable: %.200s\n",
			msg && *msg ? msg : "no detail from libvips");
	}
	vips_error_clear();
	if (upright)
		g_object_unref(upright);
	if (img)
		g_object_unref(img);
	if (rc != IMAGE_OK && *out) {
		g_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- names ------------------------------------------------------------------ */

/* Do the code points cps[0..n) end with the ASCII extension ext, ignoring
 * case? */
static bool ends_with(const utf8proc_int32_t *cps, size_t n, const char *ext)
{
	size_t e = strlen(ext);
	if (n < e)
		return false;
	for (size_t i = 0; i < e; i++) {
		utf8proc_int32_t c = cps[n - e + i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)ext[i])
			return false;
	}
	return true;
}

static void add_cps(struct buf *b, const utf8proc_int32_t *cps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t k = utf8proc_encode_char(cps[i], enc);
		buf_add(b, enc, (size_t)k);
	}
}

/*
 * The uploader's file name as it may be shown and offered for download:
 * the last path component (browsers on Windows send "C:\\...\\x.pdf"),
 * NFC (macOS sends decomposed kana), without control and format characters
 * (a right-to-left override could disguise the extension), trimmed of
 * spaces and dots, ending in an extension that matches the sniffed kind
 * (added when missing), and at most NAME_MAX_CHARS characters, cut in the
 * stem so that the extension stays.
 */
static const char *clean_name(struct arena *a, const char *raw, size_t kind_index)
{
	const char *base = raw ? raw : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* NULL when base is not UTF-8: then nothing of it is kept. */
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)base);

	size_t len = nfc ? strlen((const char *)nfc) : 0, ncp = 0;
	utf8proc_int32_t *cps = arena_alloc(a, (len + 1) * sizeof(*cps));
	for (utf8proc_ssize_t i = 0; nfc && i < (utf8proc_ssize_t)len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t step = utf8proc_iterate(nfc + i, (utf8proc_ssize_t)len - i, &cp);
		if (step <= 0)
			break;
		i += step;
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_CC:
		case UTF8PROC_CATEGORY_CF:
		case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP:
			continue;
		case UTF8PROC_CATEGORY_ZS:
			cp = ' ';
			break;
		default:
			break;
		}
		cps[ncp++] = cp;
	}
	free(nfc);
	size_t from = 0;
	while (from < ncp && (cps[from] == ' ' || cps[from] == '.'))
		from++;
	while (ncp > from && (cps[ncp - 1] == ' ' || cps[ncp - 1] == '.'))
		ncp--;
	cps += from;
	ncp -= from;

	/* The extension kept from the name, or the one to add. */
	const char *ext = kinds[kind_index].ext, *ext2 = kinds[kind_index].ext2;
	size_t keep = 0;
	const char *add = ext;
	if (ends_with(cps, ncp, ext) && ncp > strlen(ext))
		keep = strlen(ext), add = "";
	else if (ext2 && ends_with(cps, ncp, ext2) && ncp > strlen(ext2))
		keep = strlen(ext2), add = "";
	struct buf b = BUF_INIT;
	if (ncp == 0) {
		buf_adds(&b, msg("files.default_name"));
	} else if (ncp + strlen(add) > NAME_MAX_CHARS) {
		add_cps(&b, cps, NAME_MAX_CHARS - strlen(add) - keep);
		add_cps(&b, cps + ncp - keep, keep);
	} else {
		add_cps(&b, cps, ncp);
	}
	const char *out = arena_printf(a, "%s%s", b.p, add);
	buf_release(&b);
	return out;
}

/* ---- storage ---------------------------------------------------------------- */

/* Write (p, n) to dir/hex through a temporary file and rename(), so that a
 * reader never sees half a file.  An existing file with that name already
 * holds these bytes. */
static int write_atomic(const char *hex, const void *p, size_t n)
{
	char path[4096], tmp[4096];
	unsigned char rnd[8];
	char rhex[2 * sizeof(rnd) + 1];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(rhex, sizeof(rhex), rnd, sizeof(rnd));
	if (snprintf(path, sizeof(path), "%s/%s", dir(), hex) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%s", dir(), hex, rhex) >= (int)sizeof(tmp))
		return -1;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n)
		return 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		goto fail;
	/* The umask may have taken more than asked; say exactly. */
	if (fchmod(fd, 0640) != 0)
		goto fail_fd;
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, (const char *)p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail_fd;
		done += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail_fd;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	/* The rename itself is durable once the folder is synced. */
	int dfd = open(dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail_fd:
	close(fd);
fail:
	fprintf(stderr, "kyodo: cannot store file %s: %s\n", path, strerror(errno));
	unlink(tmp);
	return -1;
}

int file_store(struct db *db, struct arena *a, const struct upload *u, unsigned allowed,
	       size_t max_bytes, int64_t user_id, int64_t *id, const char **error)
{
	const char *data = u->data.p ? u->data.p : "";
	size_t n = u->data.n;
	void *image = NULL;
	int rc = -1;
	*error = NULL;
	if (n > max_bytes) {
		*error = msgf(a, "files.err.too_large", size_label(a, max_bytes));
		return -1;
	}
	const char *mime = n ? sniff(a, data, n) : NULL;
	size_t k = NKINDS;
	for (size_t i = 0; mime && i < NKINDS; i++)
		if ((allowed & kinds[i].kind) && strcmp(mime, kinds[i].mime) == 0)
			k = i;
	if (k == NKINDS) {
		*error = type_message(a, allowed);
		return -1;
	}
	if (kinds[k].kind != FILE_PDF) {
		size_t outn = 0;
		switch (reencode(data, n, kinds[k].kind, &image, &outn)) {
		case IMAGE_OK:
			break;
		case IMAGE_TOO_BIG:
			*error = msgf(a, "files.err.too_many_pixels",
				      arena_printf(a, "%d", IMAGE_MAX_PIXELS / 10000));
			return -1;
		case IMAGE_UNREADABLE:
			*error = msg("files.err.unreadable");
			return -1;
		}
		/* Re-encoding may grow a file; what is stored keeps the limit. */
		if (outn > max_bytes) {
			*error = msgf(a, "files.err.too_large", size_label(a, max_bytes));
			goto done;
		}
		data = image;
		n = outn;
	}

	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(hash) + 1];
	crypto_hash_sha256(hash, (const unsigned char *)data, n);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	if (write_atomic(hex, data, n) != 0) {
		*error = msg("files.err.store");
		goto done;
	}
	struct db_stmt *st = db_stmt(db, STMT_FILE_INSERT);
	db_bind_str(st, 1, hex);
	db_bind_str(st, 2, clean_name(a, u->filename, k));
	db_bind_str(st, 3, kinds[k].mime);
	db_bind_int(st, 4, (int64_t)n);
	if (user_id > 0)
		db_bind_int(st, 5, user_id);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, (int64_t)time(NULL));
	if (db_exec(st) != DB_OK) {
		*error = msg("files.err.store");
		goto done;
	}
	*id = db_last_id(db);
	rc = 0;
done:
	g_free(image);
	return rc;
}

/* 64 lower-case hex digits: the only names file_get() will build a path
 * from, whatever the row says. */
static bool is_sha256_hex(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

int file_get(struct db *db, struct arena *a, int64_t id, struct stored_file *f, const char **path)
{
	struct db_stmt *st = db_stmt(db, STMT_FILE_GET);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW)
		return -1;
	const char *sha = db_text(st, 1), *name = db_text(st, 2), *mime = db_text(st, 3);
	f->id = db_int(st, 0);
	f->sha256 = arena_strdup(a, sha ? sha : "");
	f->name = arena_strdup(a, name ? name : "");
	f->mime = arena_strdup(a, mime ? mime : "application/octet-stream");
	f->size = db_int(st, 4);
	f->uploaded_by = db_int(st, 5);
	db_reset(st);
	if (!is_sha256_hex(f->sha256))
		return -1;
	*path = arena_printf(a, "%s/%s", dir(), f->sha256);
	return 0;
}
