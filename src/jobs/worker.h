/*
 * worker: a background thread of the server that does a round of work,
 * then rests until its interval has passed, it is woken, or it is
 * stopped.  The hourly jobs (jobs.c) run on one; the mail thread
 * (notifications/outbox.c) has the same shape.
 *
 * The thread opens its own database connection from db_spec, and when it
 * cannot, says so and tries again the next round.  It blocks every signal:
 * the server's main thread waits for SIGTERM with sigwait(), and a thread
 * that did not block it would be killed by it instead.
 *
 * A worker is a static object set up with WORKER_INIT; worker_start(),
 * worker_wake() and worker_stop() are called from the main thread (wake
 * from any thread), round() runs on the worker's own.
 */
#ifndef KYODO_WORKER_H
#define KYODO_WORKER_H

#include <pthread.h>
#include <stdbool.h>

#include "store/db.h"

struct worker {
	const char *name;  /* in log lines: "kyodo: <name>: ..." */
	unsigned interval; /* seconds of rest between rounds */
	/* One round of work on the worker's connection.  A long round asks
	 * worker_stopping() between its steps. */
	void (*round)(struct worker *w, struct db *db);

	/* The thread's state: set by WORKER_INIT and the functions below. */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running; /* the thread exists (set and cleared by the main thread) */
	bool stop;    /* guarded by lock */
	bool woken;   /* guarded by lock: start the next round at once */
	char *db_spec;
};

#define WORKER_INIT(name_, interval_, round_)                                                      \
	{                                                                                          \
		.name = (name_), .interval = (interval_), .round = (round_),                       \
		.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER,               \
	}

/* Start w's thread: a round at once, then one after each rest, on a
 * connection opened from db_spec (copied).  0, or -1 (logged) when the
 * thread cannot be made; nothing happens when it runs already. */
int worker_start(struct worker *w, const char *db_spec);

/* End w's rest now, so that the next round starts at once (e.g. new work
 * was queued).  Harmless when w is not running. */
void worker_wake(struct worker *w);

/* True once worker_stop() was called: a round in progress should end. */
bool worker_stopping(struct worker *w);

/* Whether w's thread runs. */
bool worker_running(const struct worker *w);

/* Stop w and wait for its thread, letting a round in progress finish. */
void worker_stop(struct worker *w);

#endif
