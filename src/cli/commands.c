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
#include "util/msg.h"
#include "util/text.h"
#include "web/page.h"
#include "web/web.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_db_path(void)
{
	const char *p = getenv("KYODO_DB");
	return p && *p ? p : "var/kyodo.db";
}

/* Print message key with the string arguments before the NULL, one line,
 * to out; on stderr after "kyodo: ". */
static void cli_say(FILE *out, const char *key, ...) __attribute__((sentinel));
static void cli_say(FILE *out, const char *key, ...)
{
	const char *args[10];
	size_t n = 0;
	va_list ap;
	va_start(ap, key);
	for (const char *s; n < 9 && (s = va_arg(ap, const char *)) != NULL;)
		args[n++] = s;
	va_end(ap);
	args[n] = NULL;
	struct arena a;
	arena_init(&a);
	fprintf(out, "%s%s\n", out == stderr ? "kyodo: " : "", msg_format(&a, key, args));
	arena_free(&a);
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
		cli_say(stderr, "cli.err.mkdir", dir, strerror(errno), NULL);
}

struct db *cli_open_db(void)
{
	const char *path = cli_db_path();
	ensure_parent(path);
	struct db *db = db_open(path);
	if (!db)
		return NULL;
	if (db_migrate(db) < 0 || auth_init(db) != 0) {
		cli_say(stderr, "cli.err.prepare_db", path, NULL);
		db_close(db);
		return NULL;
	}
	return db;
}

/* For the commands that take no arguments and start by bringing the
 * database up to date: 0 when ready, else the exit status (2 for
 * arguments, with the usage; 1 when the database cannot be prepared). */
static int migrated(int argc, const char *usage)
{
	if (argc) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	db_close(db);
	return 0;
}

int cmd_migrate(int argc, char **argv)
{
	(void)argv;
	int rc = migrated(argc, "kyodo migrate");
	if (rc == 0)
		cli_say(stdout, "cli.migrated", cli_db_path(), NULL);
	return rc;
}

int cmd_serve(int argc, char **argv)
{
	(void)argv;
	int rc = migrated(argc, "kyodo serve");
	if (rc != 0)
		return rc;
	if (page_init() != 0)
		return 1;
	/* One set of libvips settings for every image, before any thread. */
	if (files_image_init() != 0)
		cli_say(stderr, "cli.err.images", NULL);
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
	rc = server_run(&cfg);
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
		cli_say(stderr, "cli.err.password_missing", NULL);
		return -1;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	size_t n = strlen(buf);
	if (!text_valid_utf8(buf, n) || text_length(buf, n) < 10 || text_length(buf, n) > 128) {
		cli_say(stderr, "cli.err.password_length", NULL);
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
				cli_say(stderr, "cli.err.unknown_role", argv[i], NULL);
				return 2;
			}
			roles |= r;
		} else
			goto usage;
	}
	if (!email || !name)
		goto usage;
	if (!strchr(email, '@') || !text_valid_utf8(name, strlen(name))) {
		cli_say(stderr, "cli.err.bad_user", NULL);
		return 2;
	}
	struct arena a;
	arena_init(&a);
	char *kk = "";
	if (*kana && jp_kana_normalize(&a, kana, strlen(kana), &kk) != 0) {
		cli_say(stderr, "cli.err.kana", NULL);
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
		cli_say(stderr, "cli.err.duplicate_user", email, NULL);
		return 1;
	}
	if (rc != USER_OK) {
		cli_say(stderr, "cli.err.create_user", NULL);
		return 1;
	}
	char idtext[32];
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	cli_say(stdout, "cli.created_user", idtext, email, NULL);
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
		cli_say(stderr, "cli.err.no_user", argv[2], NULL);
		goto out;
	}
	char *token = auth_token_create(db, &a, u.id);
	if (!token) {
		cli_say(stderr, "cli.err.token", NULL);
		goto out;
	}
	cli_say(stdout, "cli.token", u.email, NULL);
	printf("%s\n", token);
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
		cli_say(stderr, "cli.err.backup", argv[0], NULL);
		return 1;
	}
	cli_say(stdout, "cli.backed_up", cli_db_path(), argv[0], NULL);
	return 0;
}
