/*
 * files: uploaded documents and images (guide PDFs, proposal attachments).
 *
 * An upload's type is sniffed from its bytes with libmagic, never taken from
 * the client's Content-Type or file name.  Only the kinds a caller allows
 * are accepted.  Images are re-encoded with libvips without their metadata
 * (EXIF, GPS, comments); PDFs are stored exactly as given.  The bytes are
 * stored under KYODO_FILES by their SHA-256, and a row in the files table
 * records name, type and size.
 */
#ifndef KYODO_FILES_H
#define KYODO_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "store/db.h"
#include "util/arena.h"

enum file_kind {
	FILE_PDF = 1u << 0,
	FILE_PNG = 1u << 1,
	FILE_JPEG = 1u << 2,
};
#define FILE_DOCUMENTS (FILE_PDF | FILE_PNG | FILE_JPEG)

struct stored_file {
	int64_t id;
	const char *name; /* cleaned original name, for Content-Disposition */
	const char *mime;
	int64_t size;
	const char *sha256;
	int64_t uploaded_by; /* user id, 0 when unknown */
};

/* Set the storage folder (KYODO_FILES); NULL uses var/files.  0 or -1. */
int files_init(const char *dir);

/* Start libvips, once per process with one set of settings (no operation
 * cache), for every image kyodo makes: re-encoded uploads and QR codes.
 * Call at start-up; safe to call again (later calls only report).  0, or
 * -1 when libvips cannot start (images are then refused). */
int files_image_init(void);

/*
 * Store upload u if its sniffed type is in allowed and its size is at most
 * max_bytes.  On success *id is the new files row and 0 is returned; on
 * refusal -1 with *error set to the message for the field, already in
 * words (files.err.*, which carry the limits: type not allowed, too large,
 * unreadable image...).
 */
int file_store(struct db *db, struct arena *a, const struct upload *u, unsigned allowed,
	       size_t max_bytes, int64_t user_id, int64_t *id, const char **error);

/* Load the row of file id and the path of its bytes.  0 or -1. */
int file_get(struct db *db, struct arena *a, int64_t id, struct stored_file *f, const char **path);

#endif
