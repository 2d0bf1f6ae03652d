#include "http/cache.h"
#include "util/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Direct-mapped: a key has one slot, and a newer key replaces an older one
 * there.  Each slot has its own lock, so threads rarely wait. */
struct slot {
	pthread_mutex_t lock;
	char *key;
	char *body;
	size_t n;
	const char *content_type;
	unsigned generation;
	time_t stored;
};

static struct slot *slots;
static size_t nslots, max_entry;
static unsigned ttl;
static atomic_uint generation;
static atomic_ulong hits, misses;

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static time_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void cache_init(size_t n, size_t max, unsigned seconds)
{
	ttl = seconds;
	if (!ttl || !n)
		return;
	slots = xcalloc(n, sizeof(*slots));
	for (size_t i = 0; i < n; i++)
		pthread_mutex_init(&slots[i].lock, NULL);
	nslots = n;
	max_entry = max;
}

void cache_release(void)
{
	for (size_t i = 0; i < nslots; i++) {
		free(slots[i].key);
		free(slots[i].body);
		pthread_mutex_destroy(&slots[i].lock);
	}
	free(slots);
	slots = NULL;
	nslots = 0;
}

bool cache_get(const char *key, struct buf *out, const char **content_type)
{
	if (!nslots)
		return false;
	struct slot *s = &slots[hash(key) % nslots];
	bool hit = false;
	pthread_mutex_lock(&s->lock);
	if (s->key && s->generation == atomic_load(&generation) &&
	    now() - s->stored < (time_t)ttl && strcmp(s->key, key) == 0) {
		buf_add(out, s->body, s->n);
		*content_type = s->content_type;
		hit = true;
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add_explicit(hit ? &hits : &misses, 1, memory_order_relaxed);
	return hit;
}

void cache_put(const char *key, const char *body, size_t n, const char *content_type)
{
	if (!nslots || n > max_entry)
		return;
	struct slot *s = &slots[hash(key) % nslots];
	char *k = xstrdup(key), *b = xmalloc(n);
	memcpy(b, body, n);
	pthread_mutex_lock(&s->lock);
	char *oldk = s->key, *oldb = s->body;
	s->key = k;
	s->body = b;
	s->n = n;
	s->content_type = content_type;
	s->generation = atomic_load(&generation);
	s->stored = now();
	pthread_mutex_unlock(&s->lock);
	free(oldk);
	free(oldb);
}

void cache_invalidate(void)
{
	atomic_fetch_add(&generation, 1);
}

void cache_stats(unsigned long *h, unsigned long *m)
{
	*h = atomic_load(&hits);
	*m = atomic_load(&misses);
}
