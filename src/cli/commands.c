#include "cli/cli.h"
#include "accounts/auth.h"
#include "files/files.h"
#include "jobs/jobs.h"
#include "notifications/outbox.h"
#include "core/role.h"
#include "accounts/user.h"
#include "http/server.h"
#include "store/db.h"
#include "util/jp.h"
#include "util/text.h"
#include "web/page.h"
#include "web/web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_db_path(void)
{
	const char *p = getenv("KYODO_DB");
	return p && *p ? p : "var/kyodo.db";
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* Create the parent folder of path if it is missing (var/ on first run). */
static void ensure_parent(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		fprintf(stderr, "kyodo: cannot create %s: %s\n", dir, strerror(errno));
}

struct db *cli_open_db(void)
{
	const char *path = cli_db_path();
	ensure_parent(path);
	struct db *db = db_open(path);
	if (!db)
		return NULL;
	if (db_migrate(db) < 0 || auth_init(db) != 0) {
		fprintf(stderr, "kyodo: cannot prepare database %s\n", path);
		db_close(db);
		return NULL;
	}
	return db;
}

int cmd_migrate(int argc, char **argv)
{
	(void)argv;
	if (argc) {
		fprintf(stderr, "usage: kyodo migrate\n");
		return 2;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	db_close(db);
	printf("database %s is up to date\n", cli_db_path());
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	(void)argv;
	if (argc) {
		fprintf(stderr, "usage: kyodo serve\n");
		return 2;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	db_close(db);
	if (page_init() != 0)
		return 1;
	/* An unusable KYODO_FILES stops the server; the default folder only
	 * matters once someone uploads, so its problem is just reported. */
	const char *files = getenv("KYODO_FILES");
	if (files_init(files) != 0 && files && *files)
		return 1;
	struct server_config cfg;
	server_config_defaults(&cfg);
	web_configure(&cfg);
	db_thread_init(cli_db_path());
	outbox_start(cli_db_path(), getenv("KYODO_SMTP_URL"), getenv("KYODO_SMTP_FROM"),
		     web_base_url());
	jobs_start(cli_db_path());
	int rc = server_run(&cfg);
	jobs_stop();
	outbox_stop();
	db_thread_close_all();
	page_release();
	return rc == 0 ? 0 : 1;
}

/* Read the first line of stdin (without its newline) into buf. */
static int read_password(char *buf, size_t len)
{
	if (!fgets(buf, (int)len, stdin)) {
		fprintf(stderr, "kyodo: expected the password on the first line of stdin\n");
		return -1;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	size_t n = strlen(buf);
	if (!text_valid_utf8(buf, n) || text_length(buf, n) < 10 || text_length(buf, n) > 128) {
		fprintf(stderr, "kyodo: the password must be 10 to 128 characters\n");
		return -1;
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	const char *email = NULL, *name = NULL, *kana = "";
	unsigned roles = 0;
	if (argc < 1 || strcmp(argv[0], "add") != 0)
		goto usage;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "--email") == 0)
			email = argv[++i];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[++i];
		else if (strcmp(argv[i], "--kana") == 0)
			kana = argv[++i];
		else if (strcmp(argv[i], "--role") == 0) {
			unsigned r = role_parse(argv[++i]);
			if (!r) {
				fprintf(stderr,
					"kyodo: unknown role '%s' (admin, coordinator, "
					"division, reviewer, member)\n",
					argv[i]);
				return 2;
			}
			roles |= r;
		} else
			goto usage;
	}
	if (!email || !name)
		goto usage;
	if (!strchr(email, '@') || !text_valid_utf8(name, strlen(name))) {
		fprintf(stderr, "kyodo: invalid email or name\n");
		return 2;
	}
	struct arena a;
	arena_init(&a);
	char *kk = "";
	if (*kana && jp_kana_normalize(&a, kana, strlen(kana), &kk) != 0) {
		fprintf(stderr, "kyodo: --kana must be kana\n");
		arena_free(&a);
		return 2;
	}
	char *lower = text_search_key(&a, email, strlen(email));
	char pw[512];
	if (read_password(pw, sizeof(pw)) != 0) {
		arena_free(&a);
		return 1;
	}
	struct db *db = cli_open_db();
	if (!db) {
		arena_free(&a);
		return 1;
	}
	int64_t id;
	enum user_rc rc = user_create(db, lower, name, kk, roles, pw, &id);
	db_close(db);
	arena_free(&a);
	if (rc == USER_DUPLICATE) {
		fprintf(stderr, "kyodo: a user with email %s already exists\n", email);
		return 1;
	}
	if (rc != USER_OK) {
		fprintf(stderr, "kyodo: could not create the user\n");
		return 1;
	}
	printf("created user %lld <%s>\n", (long long)id, email);
	return 0;
usage:
	fprintf(stderr, "usage: kyodo user add --email E --name N --role ROLE [--kana K]\n");
	return 2;
}

int cmd_token(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[0], "add") != 0 || strcmp(argv[1], "--email") != 0) {
		fprintf(stderr, "usage: kyodo token add --email E\n");
		return 2;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	struct arena a;
	arena_init(&a);
	struct user u;
	int rc = 1;
	if (user_by_email(db, &a, argv[2], &u) != USER_OK) {
		fprintf(stderr, "kyodo: no user with email %s\n", argv[2]);
		goto out;
	}
	char *token = auth_token_create(db, &a, u.id);
	if (!token) {
		fprintf(stderr, "kyodo: could not create a token\n");
		goto out;
	}
	printf("API token for %s (shown once; only its hash is stored):\n%s\n", u.email, token);
	rc = 0;
out:
	arena_free(&a);
	db_close(db);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: kyodo backup FILE\n");
		return 2;
	}
	struct db *db = db_open(cli_db_path());
	if (!db)
		return 1;
	int rc = db_backup(db, argv[0]);
	db_close(db);
	if (rc != DB_OK) {
		fprintf(stderr, "kyodo: backup to %s failed\n", argv[0]);
		return 1;
	}
	printf("backed up %s to %s\n", cli_db_path(), argv[0]);
	return 0;
}
