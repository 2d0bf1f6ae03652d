/*
 * The one place where allocation failure is handled: the process aborts with
 * a message.  Library-style code that must report failure uses malloc itself.
 */
#ifndef KYODO_ALLOC_H
#define KYODO_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* a*b, aborting on overflow; for sizes computed from input. */
size_t xmul(size_t a, size_t b);
/* a+b, aborting on overflow. */
size_t xadd(size_t a, size_t b);

#endif
