/*
 * arena: a region allocator for memory that lives exactly as long as one
 * request (or one command).  Allocations are never freed one by one; the
 * whole arena is released in one place with arena_free().
 *
 * Allocation failure aborts through xmalloc() (see util/alloc.h): a server
 * that cannot allocate a few kilobytes cannot do anything useful.
 */
#ifndef KYODO_ARENA_H
#define KYODO_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block first */
	size_t total;		  /* bytes handed out, for metrics */
};

/* Initialise an empty arena; no memory is taken until the first alloc. */
void arena_init(struct arena *a);

/* Return n bytes aligned for any type, zeroed.  Never returns NULL. */
void *arena_alloc(struct arena *a, size_t n);

/* Return a NUL-terminated copy of the n bytes at s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Return a NUL-terminated copy of s. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Release every block; the arena may be used again afterwards. */
/* An arena array of *cap elements of size bytes with room for element n:
 * items itself, or a copy twice as large (sizes checked for overflow).
 * Use as: items = arena_grow(a, items, n, &cap, sizeof(*items)). */
void *arena_grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size);

void arena_free(struct arena *a);

#endif
