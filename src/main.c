/*
 * kyodo: one binary, one table of subcommands.
 */
#include "cli/cli.h"
#include "util/msg.h"

#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help; /* a message key (util/msg.h) */
} commands[] = {
    {"serve", cmd_serve, "kyodo serve", "cli.serve.help"},
    {"migrate", cmd_migrate, "kyodo migrate", "cli.migrate.help"},
    {"demo", cmd_demo, "kyodo demo", "cli.demo.help"},
    {"user", cmd_user, "kyodo user add --email E --name N --role ROLE [--role ROLE...]",
     "cli.user.help"},
    {"token", cmd_token, "kyodo token add --email E", "cli.token.help"},
    {"backup", cmd_backup, "kyodo backup FILE", "cli.backup.help"},
    {"jobs", cmd_jobs, "kyodo jobs run", "cli.jobs.help"},
    {"retention", cmd_retention, "kyodo retention run", "cli.retention.help"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: kyodo COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, msg(commands[i].help));
	fprintf(out, "\n%s\n", msg("cli.environment"));
}

int main(int argc, char **argv)
{
	char err[256];
	if (msg_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "kyodo: message catalogue: %s\n", err);
		return 1;
	}
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
			printf("usage: %s\n\n%s\n", commands[i].usage, msg(commands[i].help));
			return 0;
		}
		return commands[i].run(argc - 2, argv + 2);
	}
	struct arena a;
	arena_init(&a);
	fprintf(stderr, "kyodo: %s\n\n", msgf(&a, "cli.err.unknown_command", argv[1]));
	arena_free(&a);
	usage(stderr);
	return 2;
}
