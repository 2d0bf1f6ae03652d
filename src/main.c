/*
 * kyodo: one binary, one table of subcommands.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
} commands[] = {
    {"serve", cmd_serve, "kyodo serve",
     "HTTPサーバーを起動します (serve HTTP; see docs/operations.md)"},
    {"migrate", cmd_migrate, "kyodo migrate",
     "未適用のマイグレーションを適用します (apply migrations)"},
    {"demo", cmd_demo, "kyodo demo",
     "デモデータを読み込みます。何度実行しても安全です (load demo data)"},
    {"user", cmd_user, "kyodo user add --email E --name N --role ROLE [--role ROLE...]",
     "利用者を追加します。パスワードは標準入力の1行目から読みます (add a user)"},
    {"token", cmd_token, "kyodo token add --email E",
     "APIトークンを発行し、最後の行に出力します (create an API token)"},
    {"backup", cmd_backup, "kyodo backup FILE",
     "稼働中のデータベースの一貫したコピーを作ります (online backup)"},
    {"jobs", cmd_jobs, "kyodo jobs run",
     "前日のリマインダー送信と申込者情報の匿名化を実行します。サーバーも1時間ごとに実行します "
     "(run reminders and retention)"},
    {"retention", cmd_retention, "kyodo retention run",
     "保存期間を過ぎた申込者情報を匿名化します (anonymise registrations past retention)"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: kyodo COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nenvironment: KYODO_DB (default var/kyodo.db), KYODO_LISTEN, KYODO_FILES,\n"
		     "KYODO_BASE_URL, KYODO_SECURE_COOKIES.  kyodo COMMAND --help for details.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (cli_wants_help(argc - 2, argv + 2)) {
			printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
			return 0;
		}
		return commands[i].run(argc - 2, argv + 2);
	}
	fprintf(stderr, "kyodo: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
