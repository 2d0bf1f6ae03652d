/*
 * str: a (pointer, length) view of bytes that it does not own.
 * buf: a growable byte buffer that owns its memory (malloc), always kept
 *      NUL-terminated so that buf.p can be passed to C string functions.
 */
#ifndef KYODO_STR_H
#define KYODO_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char *p;
	size_t n;
};

#define STR_NULL ((struct str){NULL, 0})
/* A str from a string literal, computed at compile time. */
#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_c(const char *s); /* from a C string; NULL gives STR_NULL */
bool str_eq(struct str a, struct str b);
bool str_eq_c(struct str a, const char *b);
bool str_starts_with(struct str s, const char *prefix);
/* Parse a whole str as a decimal int64 in [min, max]; 0 on success, -1 otherwise. */
int str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out);

struct buf {
	char *p;
	size_t n;   /* bytes used, not counting the terminating NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT ((struct buf){NULL, 0, 0})

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addstr(struct buf *b, struct str s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Append s with & < > " ' replaced by entities: the one HTML escaper. */
void buf_add_html(struct buf *b, const char *s, size_t n);
/* Append s percent-encoded for use in a URL query value. */
void buf_add_urlenc(struct buf *b, const char *s, size_t n);
void buf_reset(struct buf *b);
/* Give the memory to the caller (who frees it); b becomes empty. */
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);

#endif
