/*
 * Files embedded into the binary at build time by tools/embed.c:
 * templates/ (embed_templates), static/ (embed_static), sql/ (embed_sql) and
 * the message catalogues messages/ (embed_messages).
 * Names are paths relative to those folders, e.g. "groups/list.html".
 */
#ifndef KYODO_EMBED_H
#define KYODO_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;
	const unsigned char *data; /* NUL-terminated for convenience */
	size_t len;
};

extern const struct embed_file embed_templates[];
extern const size_t embed_templates_count;
extern const struct embed_file embed_static[];
extern const size_t embed_static_count;
extern const struct embed_file embed_sql[];
extern const size_t embed_sql_count;
extern const struct embed_file embed_messages[];
extern const size_t embed_messages_count;

#endif
