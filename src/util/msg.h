/*
 * msg: the message catalogue.  Every word a user reads that the C code
 * produces comes from here; C code names a message by its key
 * ("group.err.name_taken") and never holds the prose.
 *
 * Catalogues are the files messages/<lang>.msg, embedded at build time
 * like the templates.  A language may also be split into parts named
 * messages/<lang>.<part>.msg; all parts of a language form one catalogue.
 * Japanese (ja) is the reference: it defines the set of keys, and every
 * other language must use only those keys.  A key another language lacks
 * falls back to Japanese, so adding a language is adding one file.
 *
 * File format, one entry a line:
 *
 *   # a comment
 *   group.err.name_taken = その団体名は既に登録されています。
 *   form.too_long = {1}は{2}文字以内で入力してください（現在{3}文字）
 *
 * Keys are [a-z0-9_] words joined by dots.  The text runs to the end of
 * the line with the spaces around it trimmed; "\n" in it is a line break.
 * {1} ... {9} are replaced by the arguments of msgf(); "{{" is a literal
 * brace.
 *
 * The language is per thread (msg_use), so one request's language never
 * leaks into another's.  Threads start in the default language, which is
 * KYODO_LANG or "ja".
 */
#ifndef KYODO_MSG_H
#define KYODO_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/embed.h"

/* Parse the catalogues in files[0..n) (names "ja.msg", "en.msg", ...).
 * Returns 0, or -1 with the reason (file, line) in err.  Replaces any
 * catalogue loaded before. */
int msg_load(const struct embed_file *files, size_t n, char *err, size_t errlen);
/* msg_load() of the embedded messages/ folder. */
int msg_init(char *err, size_t errlen);
void msg_release(void);

/* Make lang the calling thread's language.  False (and no change) when
 * there is no catalogue for it. */
bool msg_use(const char *lang);
/* The calling thread's language, e.g. "ja". */
const char *msg_lang(void);

/*
 * When strict, an unknown key aborts the process after logging it, so a
 * test that reaches it fails; otherwise it is logged and the key itself is
 * returned.  Strict when KYODO_STRICT=1 is in the environment at
 * msg_init() (the test harnesses set it) or after msg_strict(true).
 */
void msg_strict(bool on);

/* True when key is in the reference catalogue. */
bool msg_exists(const char *key);

/* The text of key in the thread's language.  Static storage: valid until
 * msg_release(). */
const char *msg(const char *key);

/* msg(s) when s is a key of the catalogue, else s itself.  Transitional:
 * lets labels and messages that are still literal text pass through while
 * the features move to keys; remove when every label is a key. */
const char *msg_or_text(const char *s);

/* The text of key with {1}.. replaced by args[0..], allocated in a.
 * Use through msgf(a, key, arg1, arg2, ...): the arguments are strings. */
const char *msg_format(struct arena *a, const char *key, const char *const *args);
#define msgf(a, key, ...) msg_format((a), (key), (const char *const[]){__VA_ARGS__, NULL})

/* msg_format() of the message at index (msg_index()), appended to out:
 * for the template engine, which formats without an arena. */
struct buf;
void msg_format_buf(struct buf *out, long index, const char *const *args);

/* Index of key in the reference catalogue, or -1; and the text of an
 * index in the thread's language (for the template engine, which resolves
 * {{@key}} once at compile time). */
long msg_index(const char *key, size_t n);
const char *msg_at(long index);

#endif
