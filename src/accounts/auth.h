/*
 * auth: passwords, sessions, API tokens, CSRF tokens and login throttling.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str).
 * Session and API tokens are 256-bit random values sent to the client in
 * base64url; only their BLAKE2b hash is stored.  CSRF tokens are keyed
 * hashes of the session token (or of a visitor cookie before login) under
 * a server secret kept in the settings table, so they need no storage.
 */
#ifndef KYODO_AUTH_H
#define KYODO_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/who.h"
#include "store/db.h"
#include "util/arena.h"

#define SESSION_IDLE_SECONDS	 (2 * 60 * 60)	/* 2 hours without a request */
#define SESSION_ABSOLUTE_SECONDS (12 * 60 * 60) /* 12 hours after login */
#define LOGIN_WINDOW_SECONDS	 (15 * 60)
#define LOGIN_MAX_PER_ACCOUNT	 5
#define LOGIN_MAX_PER_IP	 20

/* Initialise libsodium and load (or create) the server secret.  Returns 0
 * or -1. */
int auth_init(struct db *db);

/* Argon2id hash of password into out (crypto_pwhash_STRBYTES).  0 or -1. */
int auth_hash_password(const char *password, char *out, size_t outlen);
bool auth_check_password(const char *hash, const char *password);
/* Spend as long as auth_check_password() does, for a login whose account
 * does not exist or is disabled, so that timing does not reveal it. */
void auth_burn_password_check(const char *password);

/* A new random token (base64url, 43 chars) in the arena. */
char *auth_new_token(struct arena *a);
/* The stored form of a token: hex BLAKE2b-256. */
char *auth_token_hash(struct arena *a, const char *token);

/* Create a session for user_id; returns the cookie token, or NULL. */
char *auth_session_create(struct db *db, struct arena *a, int64_t user_id);
/* Look up a session token; on success fills *who (arena) and refreshes the
 * idle timer.  Expired or unknown sessions give false. */
bool auth_session_lookup(struct db *db, struct arena *a, const char *token, int64_t now,
			 struct who **who);
/* Delete the session of token.  DB_OK or an error. */
int auth_session_delete(struct db *db, const char *token);

/* Log user_id in from ip: a new session and its "login" audit entry, in
 * one transaction.  The cookie token (arena), or NULL when either could
 * not be written (then neither was). */
char *auth_login(struct db *db, struct arena *a, int64_t user_id, const char *ip);
/* End the session of token with its "logout" audit entry for user_id, in
 * one transaction.  DB_OK, or an error and nothing changed. */
int auth_logout(struct db *db, const char *token, int64_t user_id);
/* Delete every session of user_id but keep_session (0: all of them), in
 * the caller's transaction.  DB_OK or an error. */
int auth_sessions_end(struct db *db, int64_t user_id, int64_t keep_session);

/* Create an API token for user_id; returns it (arena) or NULL. */
char *auth_token_create(struct db *db, struct arena *a, int64_t user_id);
bool auth_token_lookup(struct db *db, struct arena *a, const char *token, struct who **who);

/* A keyed hash (hex) of value for one purpose ("checkin"), under the server
 * secret: a code that proves knowledge of nothing but can be checked. */
char *auth_mac(struct arena *a, const char *purpose, const char *value);

/* CSRF token bound to a session or visitor token. */
char *auth_csrf(struct arena *a, const char *bound_to);

/* Login throttling.  auth_login_blocked() is true when the account or the
 * address has too many recent failures. */
bool auth_login_blocked(struct db *db, const char *email, const char *ip, int64_t now);
void auth_login_failed(struct db *db, const char *email, const char *ip, int64_t now);
void auth_login_succeeded(struct db *db, const char *email);

#endif
