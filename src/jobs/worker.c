/*
 * worker: see worker.h.
 */
#include "jobs/worker.h"
#include "util/alloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Rest until the interval has passed or the worker is woken.  False when
 * it is to stop. */
static bool rest(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += w->interval;
	while (!w->stop && !w->woken &&
	       pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
		;
	w->woken = false;
	bool go = !w->stop;
	pthread_mutex_unlock(&w->lock);
	return go;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct db *db = NULL;
	do {
		if (!db && !(db = db_open(w->db_spec)))
			fprintf(stderr, "kyodo: %s: cannot open the database; retrying\n", w->name);
		if (db)
			w->round(w, db);
	} while (rest(w));
	db_close(db);
	return NULL;
}

int worker_start(struct worker *w, const char *db_spec)
{
	if (w->running)
		return 0;
	w->db_spec = xstrdup(db_spec);
	w->stop = w->woken = false;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "kyodo: %s: cannot start the thread: %s\n", w->name, strerror(rc));
		free(w->db_spec);
		w->db_spec = NULL;
		return -1;
	}
	w->running = true;
	return 0;
}

void worker_wake(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->woken = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

bool worker_stopping(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	bool s = w->stop;
	pthread_mutex_unlock(&w->lock);
	return s;
}

bool worker_running(const struct worker *w)
{
	return w->running;
}

void worker_stop(struct worker *w)
{
	if (w->running) {
		pthread_mutex_lock(&w->lock);
		w->stop = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		w->running = false;
	}
	free(w->db_spec);
	w->db_spec = NULL;
}
