/*
 * cache: a small in-memory cache of whole responses to anonymous GET
 * requests (the public directory pages), like a reverse proxy's micro-cache.
 *
 * Entries are keyed by the raw path and query.  Any write through the server
 * (POST, PATCH, ...) empties the cache at once; a time-to-live bounds how
 * stale a page can be after a change made outside this process (the CLI).
 * Only requests without a session, a flash message or credentials are
 * looked up, and only plain 200 responses that set no headers are stored,
 * so nothing personal or per-visitor is ever cached.
 */
#ifndef KYODO_CACHE_H
#define KYODO_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/str.h"

/* Set up slots entries of at most max_entry bytes each, living ttl
 * seconds; ttl 0 disables the cache. */
void cache_init(size_t slots, size_t max_entry, unsigned ttl);
void cache_release(void);

/* Copy the cached body for key into out; false on a miss. */
bool cache_get(const char *key, struct buf *out, const char **content_type);
/* Store body under key (copied).  content_type must be a static string. */
void cache_put(const char *key, const char *body, size_t n, const char *content_type);
/* Forget every entry (after a write). */
void cache_invalidate(void);

/* Hits and misses so far, for /metrics. */
void cache_stats(unsigned long *hits, unsigned long *misses);

#endif
