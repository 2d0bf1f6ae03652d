/*
 * `kyodo jobs run` and `kyodo retention run`: the server's hourly jobs
 * (domain/jobs.h), by hand or from cron when the server is not running.
 */
#include "cli/cli.h"
#include "jobs/jobs.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Both commands take exactly the word "run". */
static int want_run(int argc, char **argv, const char *usage)
{
	if (argc == 1 && strcmp(argv[0], "run") == 0)
		return 1;
	fprintf(stderr, "usage: %s\n", usage);
	return 0;
}

int cmd_jobs(int argc, char **argv)
{
	if (!want_run(argc, argv, "kyodo jobs run"))
		return 2;
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	struct jobs_report r;
	int rc = jobs_run(db, (int64_t)time(NULL), &r);
	db_close(db);
	printf("reminders queued: %d\n", r.reminders);
	printf("registrations anonymised: %d (retention %lld days)\n", r.anonymised,
	       (long long)r.retention_days);
	printf("notifications anonymised: %d\n", r.notifications);
	if (rc != 0) {
		fprintf(stderr, "kyodo: a job failed; see the messages above\n");
		return 1;
	}
	return 0;
}

int cmd_retention(int argc, char **argv)
{
	if (!want_run(argc, argv, "kyodo retention run"))
		return 2;
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	struct jobs_report r = {0};
	int rc = jobs_retention(db, (int64_t)time(NULL), &r);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "kyodo: retention failed; nothing was changed\n");
		return 1;
	}
	printf("registrations anonymised: %d (retention %lld days)\n", r.anonymised,
	       (long long)r.retention_days);
	printf("notifications anonymised: %d\n", r.notifications);
	return 0;
}
