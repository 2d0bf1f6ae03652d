/*
 * cli: the kyodo subcommands.  Each takes the arguments after its name and
 * returns the process exit status.  main.c holds the one table of them.
 */
#ifndef KYODO_CLI_H
#define KYODO_CLI_H

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_backup(int argc, char **argv);
/* jobs.c: the hourly jobs (reminders, retention) by hand */
int cmd_jobs(int argc, char **argv);
int cmd_retention(int argc, char **argv);

/* The database path: $KYODO_DB or var/kyodo.db. */
const char *cli_db_path(void);
/* Open the database and apply pending migrations; NULL on failure. */
struct db *cli_open_db(void);
/* True when argv holds --help or -h. */
int cli_wants_help(int argc, char **argv);

#endif
