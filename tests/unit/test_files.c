/*
 * Unit tests for stored files (domain/files.c): the type comes from the
 * bytes, images lose their metadata, the size limit comes first, the bytes
 * land under their SHA-256 with mode 0640, and the original name is
 * cleaned.  Each test gets a fresh storage folder and database.  The .c is
 * included to reach clean_name() and size_label().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include "util/msg.h"

#include "files/files.c"
#include "util/text.h"

#include <dirent.h>

/* A small but complete PDF: libmagic knows it by its "%PDF-" header. */
static const char pdf[] = "%PDF-1.4\n"
			  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
			  "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
			  "trailer << /Root 1 0 R >>\n"
			  "%%EOF\n";

/* A 2x2 RGB PNG with a tEXt chunk "Comment" = "GPS 36.5613,136.6562"
 * (made with Python's zlib and struct, so that it does not depend on the
 * code under test). */
static const unsigned char png_with_text[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
    0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x1c, 0x74, 0x45, 0x58, 0x74, 0x43, 0x6f, 0x6d, 0x6d,
    0x65, 0x6e, 0x74, 0x00, 0x47, 0x50, 0x53, 0x20, 0x33, 0x36, 0x2e, 0x35, 0x36, 0x31, 0x33,
    0x2c, 0x31, 0x33, 0x36, 0x2e, 0x36, 0x35, 0x36, 0x32, 0x48, 0x20, 0x96, 0x30, 0x00, 0x00,
    0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0x00, 0x04, 0xff, 0x19,
    0x20, 0x14, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xd6, 0x96, 0xf2, 0x2b, 0x00, 0x00, 0x00, 0x00,
    0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

struct fixture {
	char dir[64];
	char files[96];
	char db_path[96];
	struct db *db;
	struct arena a;
	int64_t user;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/kyodo-files-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->files, sizeof(f->files), "%s/files", f->dir);
	snprintf(f->db_path, sizeof(f->db_path), "%s/k.db", f->dir);
	if (files_init(f->files) != 0)
		return -1;
	f->db = db_open(f->db_path);
	if (!f->db || db_migrate(f->db) < 0)
		return -1;
	struct db_stmt *st = db_stmt(f->db, STMT_USER_INSERT);
	db_bind_str(st, 1, "uploader@example.jp");
	db_bind_str(st, 2, "送信者");
	db_bind_str(st, 3, "");
	db_bind_str(st, 4, "x");
	db_bind_int(st, 5, 0);
	db_bind_int(st, 6, 1700000000);
	if (db_exec(st) != DB_OK)
		return -1;
	f->user = db_last_id(f->db);
	arena_init(&f->a);
	*state = f;
	return 0;
}

/* Remove every file in dir (one level of subfolders), then dir. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || strcmp(e->d_name, "..") == 0))
			continue;
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (unlink(p) != 0)
			remove_dir(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	arena_free(&f->a);
	remove_dir(f->dir);
	free(f);
	return 0;
}

static struct upload upload_of(const char *name, const void *p, size_t n)
{
	struct upload u = {.field = "file", .filename = name, .content_type = "application/pdf"};
	u.data = BUF_INIT;
	buf_add(&u.data, p, n);
	return u;
}

/* Does (p, n) contain the n2 bytes at needle?  (memmem is a GNU
 * extension.) */
static bool has(const void *p, size_t n, const char *needle, size_t n2)
{
	for (size_t i = 0; i + n2 <= n; i++)
		if (memcmp((const char *)p + i, needle, n2) == 0)
			return true;
	return false;
}

/* The bytes of a stored file. */
static struct buf read_stored(const char *path)
{
	struct buf b = BUF_INIT;
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, got);
	fclose(fp);
	return b;
}

static int64_t count_files_rows(struct fixture *f)
{
	int64_t n = 0;
	for (int64_t id = 1; id < 100; id++) {
		struct stored_file sf;
		const char *path;
		if (file_get(f->db, &f->a, id, &sf, &path) == 0)
			n++;
	}
	return n;
}

static void test_pdf_is_stored_as_given_under_its_sha256(void **state)
{
	struct fixture *f = *state;
	struct upload u = upload_of("募集要項.pdf", pdf, sizeof(pdf) - 1);
	int64_t id = 0;
	const char *error = "unset";
	assert_int_equal(
	    file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, f->user, &id, &error), 0);
	assert_null(error);
	assert_true(id > 0);

	struct stored_file sf;
	const char *path;
	assert_int_equal(file_get(f->db, &f->a, id, &sf, &path), 0);
	assert_string_equal(sf.mime, "application/pdf");
	assert_string_equal(sf.name, "募集要項.pdf");
	assert_int_equal(sf.size, sizeof(pdf) - 1);
	assert_int_equal(sf.uploaded_by, f->user);

	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(h) + 1];
	crypto_hash_sha256(h, (const unsigned char *)pdf, sizeof(pdf) - 1);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(sf.sha256, hex);
	assert_string_equal(path, arena_printf(&f->a, "%s/%s", f->files, hex));

	struct buf b = read_stored(path);
	assert_int_equal(b.n, sizeof(pdf) - 1);
	assert_memory_equal(b.p, pdf, b.n);
	buf_release(&b);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	buf_release(&u.data);
}

static void test_text_named_pdf_is_refused(void **state)
{
	struct fixture *f = *state;
	const char text[] = "これはPDFではありません。ただのテキストです。\n";
	struct upload u = upload_of("x.pdf", text, sizeof(text) - 1);
	int64_t id = 0;
	const char *error = NULL;
	assert_int_equal(
	    file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, f->user, &id, &error), -1);
	assert_string_equal(error, "PDF・PNG・JPEGのファイルを選んでください");
	assert_int_equal(id, 0);
	assert_int_equal(count_files_rows(f), 0);
	buf_release(&u.data);
}

static void test_type_message_names_only_the_allowed_kinds(void **state)
{
	struct fixture *f = *state;
	struct upload u = upload_of("photo.png", png_with_text, sizeof(png_with_text));
	int64_t id = 0;
	const char *error = NULL;
	assert_int_equal(file_store(f->db, &f->a, &u, FILE_PDF, 10u << 20, f->user, &id, &error),
			 -1);
	assert_string_equal(error, "PDFのファイルを選んでください");
	buf_release(&u.data);
}

static void test_png_comes_back_without_its_text_chunk(void **state)
{
	struct fixture *f = *state;
	/* The input really has the chunk. */
	assert_true(has(png_with_text, sizeof(png_with_text), "tEXt", 4));
	struct upload u = upload_of("地図.png", png_with_text, sizeof(png_with_text));
	int64_t id = 0;
	const char *error = NULL;
	assert_int_equal(
	    file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, f->user, &id, &error), 0);
	struct stored_file sf;
	const char *path;
	assert_int_equal(file_get(f->db, &f->a, id, &sf, &path), 0);
	assert_string_equal(sf.mime, "image/png");
	struct buf b = read_stored(path);
	assert_int_equal(sf.size, (int64_t)b.n);
	assert_memory_equal(b.p, "\x89PNG\r\n\x1a\n", 8);
	assert_false(has(b.p, b.n, "tEXt", 4));
	assert_false(has(b.p, b.n, "zTXt", 4));
	assert_false(has(b.p, b.n, "iTXt", 4));
	assert_false(has(b.p, b.n, "eXIf", 4));
	assert_false(has(b.p, b.n, "36.5613", 7));
	buf_release(&b);
	buf_release(&u.data);
}

static void test_jpeg_comes_back_without_its_comment(void **state)
{
	struct fixture *f = *state;
	/* A JPEG made by libvips, with a COM segment put in after SOI. */
	pthread_once(&vips_once, vips_start);
	VipsImage *black = NULL;
	void *jpg = NULL;
	size_t n = 0;
	assert_int_equal(vips_black(&black, 4, 4, "bands", 3, NULL), 0);
	assert_int_equal(vips_jpegsave_buffer(black, &jpg, &n, NULL), 0);
	g_object_unref(black);
	const char comment[] = "GPS 36.5613,136.6562";
	struct buf in = BUF_INIT;
	buf_add(&in, jpg, 2);
	unsigned char seg[4] = {0xff, 0xfe, 0, (unsigned char)(sizeof(comment) - 1 + 2)};
	buf_add(&in, seg, 4);
	buf_add(&in, comment, sizeof(comment) - 1);
	buf_add(&in, (char *)jpg + 2, n - 2);
	g_free(jpg);

	struct upload u = upload_of("写真.JPEG", in.p, in.n);
	int64_t id = 0;
	const char *error = NULL;
	assert_int_equal(
	    file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, f->user, &id, &error), 0);
	struct stored_file sf;
	const char *path;
	assert_int_equal(file_get(f->db, &f->a, id, &sf, &path), 0);
	assert_string_equal(sf.mime, "image/jpeg");
	assert_string_equal(sf.name, "写真.JPEG");
	struct buf b = read_stored(path);
	assert_memory_equal(b.p, "\xff\xd8", 2);
	assert_false(has(b.p, b.n, "36.5613", 7));
	buf_release(&b);
	buf_release(&in);
	buf_release(&u.data);
}

static void test_broken_png_is_unreadable(void **state)
{
	struct fixture *f = *state;
	/* A PNG signature and header, then nothing a decoder can use. */
	struct buf in = BUF_INIT;
	buf_add(&in, png_with_text, 33);
	for (int i = 0; i < 64; i++)
		buf_addc(&in, (char)0x5a);
	struct upload u = upload_of("broken.png", in.p, in.n);
	int64_t id = 0;
	const char *error = NULL;
	assert_int_equal(
	    file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, f->user, &id, &error), -1);
	assert_string_equal(error, "画像を読み込めませんでした");
	assert_int_equal(count_files_rows(f), 0);
	buf_release(&in);
	buf_release(&u.data);
}

/* The size is checked before anything else: even a file that is not a PDF
 * gets the size message. */
static void test_size_limit_comes_first_and_names_the_limit(void **state)
{
	struct fixture *f = *state;
	struct buf big = BUF_INIT;
	for (size_t i = 0; i < 1025; i++)
		buf_addc(&big, 'x');
	struct upload u = upload_of("big.pdf", big.p, big.n);
	int64_t id = 0;
	const char *error = NULL;
	assert_int_equal(file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 1024, f->user, &id, &error),
			 -1);
	assert_string_equal(error, "ファイルは1KB以下にしてください");
	/* Exactly at the limit is fine. */
	struct buf pdf_at_limit = BUF_INIT;
	buf_add(&pdf_at_limit, pdf, sizeof(pdf) - 1);
	while (pdf_at_limit.n < 1024)
		buf_addc(&pdf_at_limit, '\n');
	struct upload ok = upload_of("ok.pdf", pdf_at_limit.p, pdf_at_limit.n);
	assert_int_equal(file_store(f->db, &f->a, &ok, FILE_DOCUMENTS, 1024, f->user, &id, &error),
			 0);
	buf_release(&big);
	buf_release(&pdf_at_limit);
	buf_release(&u.data);
	buf_release(&ok.data);
}

static void test_size_label_formats_the_limit(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(size_label(&f->a, 10u << 20), "10MB");
	assert_string_equal(size_label(&f->a, (5u << 20) / 2), "2.5MB");
	assert_string_equal(size_label(&f->a, 512u << 10), "512KB");
	assert_string_equal(size_label(&f->a, 1000), "1000バイト");
}

static void test_same_bytes_twice_share_one_stored_file(void **state)
{
	struct fixture *f = *state;
	struct upload u = upload_of("a.pdf", pdf, sizeof(pdf) - 1);
	int64_t id1 = 0, id2 = 0;
	const char *error = NULL, *p1, *p2;
	assert_int_equal(
	    file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, f->user, &id1, &error), 0);
	assert_int_equal(file_store(f->db, &f->a, &u, FILE_DOCUMENTS, 10u << 20, 0, &id2, &error),
			 0);
	assert_true(id2 != id1);
	struct stored_file s1, s2;
	assert_int_equal(file_get(f->db, &f->a, id1, &s1, &p1), 0);
	assert_int_equal(file_get(f->db, &f->a, id2, &s2, &p2), 0);
	assert_string_equal(p1, p2);
	assert_int_equal(s2.uploaded_by, 0);
	/* One file in the folder, and no temporary left behind. */
	int entries = 0;
	DIR *d = opendir(f->files);
	struct dirent *e;
	while ((e = readdir(d)))
		entries += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(entries, 1);
	buf_release(&u.data);
}

static void test_file_get_unknown_id_fails(void **state)
{
	struct fixture *f = *state;
	struct stored_file sf;
	const char *path = NULL;
	assert_int_equal(file_get(f->db, &f->a, 4242, &sf, &path), -1);
	assert_null(path);
}

/* ---- names ---- */

static void test_name_keeps_last_path_component_and_japanese(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(clean_name(&f->a, "C:\\Users\\山田\\募集要項（令和7年度）.pdf", 0),
			    "募集要項（令和7年度）.pdf");
	assert_string_equal(clean_name(&f->a, "../../etc/passwd.pdf", 0), "passwd.pdf");
}

static void test_name_drops_controls_and_direction_overrides(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(clean_name(&f->a,
				       "a\tb\x01"
				       "c.pdf",
				       0),
			    "abc.pdf");
	/* U+202E RIGHT-TO-LEFT OVERRIDE would show "...fdp.exe" as "...exe.pdf". */
	assert_string_equal(clean_name(&f->a,
				       "報告\xe2\x80\xae"
				       "fdp.exe",
				       0),
			    "報告fdp.exe.pdf");
}

static void test_name_is_nfc(void **state)
{
	struct fixture *f = *state;
	/* "ガイド" with the dakuten as a separate combining mark (macOS). */
	assert_string_equal(
	    clean_name(&f->a, "\xe3\x82\xab\xe3\x82\x99\xe3\x82\xa4\xe3\x83\x88\xe3\x82\x99.pdf",
		       0),
	    "ガイド.pdf");
}

static void test_name_gets_the_extension_of_its_type(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(clean_name(&f->a, "report.exe", 0), "report.exe.pdf");
	assert_string_equal(clean_name(&f->a, "REPORT.PDF", 0), "REPORT.PDF");
	assert_string_equal(clean_name(&f->a, "photo.jpeg", 2), "photo.jpeg");
	assert_string_equal(clean_name(&f->a, "photo.png", 2), "photo.png.jpg");
	assert_string_equal(clean_name(&f->a, "", 1), "ファイル.png");
	assert_string_equal(clean_name(&f->a, NULL, 0), "ファイル.pdf");
	assert_string_equal(clean_name(&f->a, " ..hidden. ", 0), "hidden.pdf");
	/* Not UTF-8: nothing of it can be trusted. */
	assert_string_equal(clean_name(&f->a, "\xff\xfe.pdf", 0), "ファイル.pdf");
}

static void test_long_name_is_cut_to_100_characters_keeping_the_extension(void **state)
{
	struct fixture *f = *state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 150; i++)
		buf_adds(&b, "協");
	buf_adds(&b, ".pdf");
	const char *name = clean_name(&f->a, b.p, 0);
	assert_int_equal(text_length(name, strlen(name)), 100);
	assert_non_null(strstr(name, "協.pdf"));
	assert_int_equal(strlen(name), 96 * 3 + 4);
	buf_reset(&b);
	for (int i = 0; i < 120; i++)
		buf_adds(&b, "x");
	name = clean_name(&f->a, b.p, 0); /* no extension: 96 + ".pdf" */
	assert_int_equal(strlen(name), 100);
	assert_string_equal(name + 96, ".pdf");
	buf_release(&b);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_pdf_is_stored_as_given_under_its_sha256),
	    T(test_text_named_pdf_is_refused),
	    T(test_type_message_names_only_the_allowed_kinds),
	    T(test_png_comes_back_without_its_text_chunk),
	    T(test_jpeg_comes_back_without_its_comment),
	    T(test_broken_png_is_unreadable),
	    T(test_size_limit_comes_first_and_names_the_limit),
	    T(test_size_label_formats_the_limit),
	    T(test_same_bytes_twice_share_one_stored_file),
	    T(test_file_get_unknown_id_fails),
	    T(test_name_keeps_last_path_component_and_japanese),
	    T(test_name_drops_controls_and_direction_overrides),
	    T(test_name_is_nfc),
	    T(test_name_gets_the_extension_of_its_type),
	    T(test_long_name_is_cut_to_100_characters_keeping_the_extension),
	};
#undef T
	/* files.c words its refusals from the catalogue. */
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	msg_strict(true);
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(files_dir);
	return failed;
}
