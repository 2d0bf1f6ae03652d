/*
 * Helpers the events feature's page files share (event_pages.c defines
 * them; event_admin.c, event_api.c and feeds.c use them).  Internal to
 * src/events.
 */
#ifndef KYODO_EVENT_PAGES_H
#define KYODO_EVENT_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "events/event.h"
#include "store/db.h"
#include "util/arena.h"
#include "view/tmpl.h"

/* The images of event id for a template: [{id, event_id, url, alt}]. */
struct tv *event_images_tv(struct arena *a, struct db *db, int64_t id);

/* Options [{id, name, selected}] of c[0..n), chosen selected. */
struct tv *event_choices_tv(struct arena *a, const struct event_choice *c, size_t n,
			    int64_t chosen);

/* The fee as shown: 「500円」, or 「無料」 for 0. */
const char *event_fee_label(struct arena *a, int64_t yen);

#endif
