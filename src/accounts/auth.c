#include "accounts/auth.h"
#include "core/audit.h"
#include "core/who.h"
#include "util/str.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned char secret[crypto_generichash_KEYBYTES];

int auth_init(struct db *db)
{
	if (sodium_init() < 0)
		return -1;
	struct db_stmt *st = db_stmt(db, STMT_SETTING_GET);
	db_bind_str(st, 1, "server_secret");
	char hex[2 * sizeof(secret) + 1] = "";
	if (db_step(st) == DB_ROW) {
		snprintf(hex, sizeof(hex), "%s", db_text(st, 0));
		db_reset(st);
	}
	if (strlen(hex) == 2 * sizeof(secret) &&
	    sodium_hex2bin(secret, sizeof(secret), hex, strlen(hex), NULL, NULL, NULL) == 0)
		return 0;
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	st = db_stmt(db, STMT_SETTING_SET);
	db_bind_str(st, 1, "server_secret");
	db_bind_str(st, 2, hex);
	return db_exec(st) == DB_OK ? 0 : -1;
}

int auth_hash_password(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#ifdef KYODO_TEST_HOOKS
	/* Only in build/kyodo-test (Makefile): the test suites create many
	 * users, and each Argon2 hash costs 64 MiB and tens of milliseconds.
	 * The production binary is built without this branch, so no setting
	 * can weaken its hashes. */
	const char *fast = getenv("KYODO_TEST_FAST_HASH");
	if (fast && strcmp(fast, "1") == 0) {
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
	}
#endif
	return crypto_pwhash_str(out, password, strlen(password), ops, mem);
}

bool auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A hash of a random password, made once, to spend the same time on a
 * login for an unknown or disabled account as on a real one. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char pw[33];
	randombytes_buf(pw, 16);
	sodium_bin2hex(pw, sizeof(pw), (const unsigned char *)pw, 16);
	auth_hash_password(pw, dummy_hash, sizeof(dummy_hash));
}

void auth_burn_password_check(const char *password)
{
	pthread_once(&dummy_once, make_dummy_hash);
	/* The answer is always "no"; only the time spent matters. */
	if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
		return;
}

char *auth_new_token(struct arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	size_t n = sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	sodium_bin2base64(out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static char *keyed_hex(struct arena *a, const unsigned char *key, size_t keylen, const char *s)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), key, keylen);
	char *out = arena_alloc(a, 2 * sizeof(h) + 1);
	sodium_bin2hex(out, 2 * sizeof(h) + 1, h, sizeof(h));
	return out;
}

char *auth_token_hash(struct arena *a, const char *token)
{
	return keyed_hex(a, NULL, 0, token);
}

char *auth_mac(struct arena *a, const char *purpose, const char *value)
{
	return keyed_hex(a, secret, sizeof(secret), arena_printf(a, "%s:%s", purpose, value));
}

char *auth_csrf(struct arena *a, const char *bound_to)
{
	char *msg = arena_printf(a, "csrf:%s", bound_to);
	return keyed_hex(a, secret, sizeof(secret), msg);
}

/* A new token for user_id, stored (hashed) by statement id: ?1 hash,
 * ?2 user, ?3 time.  The token (arena), or NULL. */
static char *token_insert(struct db *db, struct arena *a, enum stmt id, int64_t user_id)
{
	char *token = auth_new_token(a);
	struct db_stmt *st = db_stmt(db, id);
	db_bind_str(st, 1, auth_token_hash(a, token));
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, (int64_t)time(NULL));
	return db_exec(st) == DB_OK ? token : NULL;
}

char *auth_session_create(struct db *db, struct arena *a, int64_t user_id)
{
	return token_insert(db, a, STMT_SESSION_INSERT, user_id);
}

char *auth_login(struct db *db, struct arena *a, int64_t user_id, const char *ip)
{
	if (db_begin(db) != DB_OK)
		return NULL;
	char *token = auth_session_create(db, a, user_id);
	if (!token || audit(db, user_id, "login", "session", user_id, ip) != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		return NULL;
	}
	return token;
}

int auth_logout(struct db *db, const char *token, int64_t user_id)
{
	int rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = auth_session_delete(db, token);
	if (rc == DB_OK)
		rc = audit(db, user_id, "logout", "session", user_id, "");
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

int auth_sessions_end(struct db *db, int64_t user_id, int64_t keep_session)
{
	struct db_stmt *st = db_stmt(db, STMT_SESSION_DELETE_USER);
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, keep_session);
	return db_exec(st);
}

/* The row of statement id (?1 the hash) for a token of the right shape,
 * or NULL.  The caller resets the statement. */
static struct db_stmt *token_row(struct db *db, struct arena *a, enum stmt id, const char *token)
{
	if (!token || strlen(token) != 43)
		return NULL;
	struct db_stmt *st = db_stmt(db, id);
	db_bind_str(st, 1, auth_token_hash(a, token));
	return db_step(st) == DB_ROW ? st : NULL;
}

/* The user in columns col.. of a lookup row: id, email, name, roles,
 * disabled. */
static struct who *read_who(struct db_stmt *st, struct arena *a, int col, bool *disabled)
{
	struct who *w = arena_alloc(a, sizeof(*w));
	w->id = db_int(st, col);
	w->email = arena_strdup(a, db_text(st, col + 1));
	w->name = arena_strdup(a, db_text(st, col + 2));
	w->roles = (unsigned)db_int(st, col + 3);
	*disabled = db_int(st, col + 4) != 0;
	return w;
}

bool auth_session_lookup(struct db *db, struct arena *a, const char *token, int64_t now,
			 struct who **out)
{
	struct db_stmt *st = token_row(db, a, STMT_SESSION_LOOKUP, token);
	if (!st)
		return false;
	int64_t sid = db_int(st, 0), created = db_int(st, 1), seen = db_int(st, 2);
	bool disabled;
	struct who *w = read_who(st, a, 3, &disabled);
	w->session_id = sid;
	db_reset(st);
	if (disabled || now - seen > SESSION_IDLE_SECONDS ||
	    now - created > SESSION_ABSOLUTE_SECONDS) {
		auth_session_delete(db, token);
		return false;
	}
	/* Refresh the idle timer at most once a minute: most requests stay
	 * read-only. */
	if (now - seen >= 60) {
		st = db_stmt(db, STMT_SESSION_TOUCH);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, now);
		db_exec(st);
	}
	*out = w;
	return true;
}

int auth_session_delete(struct db *db, const char *token)
{
	struct arena a;
	arena_init(&a);
	struct db_stmt *st = db_stmt(db, STMT_SESSION_DELETE);
	db_bind_str(st, 1, auth_token_hash(&a, token));
	int rc = db_exec(st);
	arena_free(&a);
	return rc;
}

char *auth_token_create(struct db *db, struct arena *a, int64_t user_id)
{
	return token_insert(db, a, STMT_TOKEN_INSERT, user_id);
}

bool auth_token_lookup(struct db *db, struct arena *a, const char *token, struct who **out)
{
	struct db_stmt *st = token_row(db, a, STMT_TOKEN_LOOKUP, token);
	if (!st)
		return false;
	bool disabled;
	struct who *w = read_who(st, a, 0, &disabled);
	db_reset(st);
	if (disabled)
		return false;
	*out = w;
	return true;
}

static int failures(struct db *db, const char *key, int64_t now)
{
	struct db_stmt *st = db_stmt(db, STMT_LOGIN_FAIL_GET);
	db_bind_str(st, 1, key);
	int n = 0;
	if (db_step(st) == DB_ROW) {
		if (db_int(st, 0) >= now - LOGIN_WINDOW_SECONDS)
			n = (int)db_int(st, 1);
		db_reset(st);
	}
	return n;
}

bool auth_login_blocked(struct db *db, const char *email, const char *ip, int64_t now)
{
	char key[320];
	snprintf(key, sizeof(key), "email:%s", email);
	if (failures(db, key, now) >= LOGIN_MAX_PER_ACCOUNT)
		return true;
	snprintf(key, sizeof(key), "ip:%s", ip);
	return failures(db, key, now) >= LOGIN_MAX_PER_IP;
}

static void hit(struct db *db, const char *key, int64_t now)
{
	struct db_stmt *st = db_stmt(db, STMT_LOGIN_FAIL_HIT);
	db_bind_str(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now - LOGIN_WINDOW_SECONDS);
	db_exec(st);
}

void auth_login_failed(struct db *db, const char *email, const char *ip, int64_t now)
{
	char key[320];
	snprintf(key, sizeof(key), "email:%s", email);
	hit(db, key, now);
	snprintf(key, sizeof(key), "ip:%s", ip);
	hit(db, key, now);
}

void auth_login_succeeded(struct db *db, const char *email)
{
	char key[320];
	snprintf(key, sizeof(key), "email:%s", email);
	struct db_stmt *st = db_stmt(db, STMT_LOGIN_FAIL_CLEAR);
	db_bind_str(st, 1, key);
	db_exec(st);
}
