/*
 * group: the directory of citizen groups (市民活動団体).
 *
 * Fields are declared once (group_fields) and shared by the HTML form and
 * the JSON API, so both validate the same way and use the same names.
 * Groups are archived, never deleted; archived groups leave public pages.
 * private_contact is personal data: only staff and the group's members see it.
 */
#ifndef KYODO_GROUP_H
#define KYODO_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/access.h"
#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/form.h"

enum group_field {
	GF_NAME,
	GF_NAME_KANA,
	GF_KIND,
	GF_FOUNDED,
	GF_MEMBERS,
	GF_THEMES,
	GF_PURPOSE,
	GF_AWARDS,
	GF_WEBSITE,
	GF_SNS,
	GF_PUBLIC_CONTACT,
	GF_PRIVATE_CONTACT,
	GF_REP_TITLE,
	GF_REP_NAME,
	GF_REP_KANA,
	GF_PREF,
	GF_CITY,
	GF_TOWN,
	GF_STREET,
	GF_BUILDING,
	GF__MAX
};

extern const struct field_spec group_fields[GF__MAX];
extern const char *const group_kinds[]; /* NULL-terminated */
extern const char *const prefectures[]; /* NULL-terminated, JIS order */

struct award {
	int64_t year;
	const char *title;
};

struct group {
	int64_t id;
	const char *name, *name_kana, *kind;
	int64_t founded_year, founded_month; /* 0 when unknown */
	int64_t members;		     /* -1 when unknown */
	const char *purpose;		     /* Markdown */
	const char *public_contact, *private_contact;
	const char *rep_title, *rep_name, *rep_kana;
	const char *pref, *city, *town, *street, *building;
	const char *website;
	const char **sns;
	size_t nsns;
	const char **themes; /* names */
	size_t nthemes;
	struct award *awards;
	size_t nawards;
	bool archived;
	int64_t created_at, updated_at;
};

/* One row of a list. */
struct group_summary {
	int64_t id;
	const char *name, *name_kana, *kind, *city, *town, *excerpt;
	const char **themes; /* names, in the office's order */
	size_t nthemes;
	int64_t members;
};

struct group_query {
	const char *q;	  /* free text, may be NULL */
	const char *kind; /* NULL for any */
	int64_t theme_id; /* 0 for any */
	int64_t page;	  /* from 1 */
	int64_t per_page;
};

/* The query keys of the list page and the API list, declared once. */
enum group_query_field { GQ_Q, GQ_THEME, GQ_KIND, GQ_PAGE, GQ__MAX };
extern const struct field_spec group_query_fields[GQ__MAX];

/* Fill q from a form validated against group_query_fields. */
void group_query_from_form(const struct form *f, int64_t per_page, struct group_query *q);

struct group_page {
	struct group_summary *items;
	size_t n;
	int64_t total;
};

/* transitional: the old names of the codes (core/rc.h), for callers
 * outside groups (challenge/proposal.c, events/feeds.c, cli/demo*.c);
 * remove when they say RC_*. */
#define group_rc	rc
#define GROUP_OK	RC_OK
#define GROUP_ERROR	RC_ERROR
#define GROUP_NOT_FOUND RC_NOT_FOUND
#define GROUP_INVALID	RC_INVALID

/* Load a group with its themes and awards (arena).  RC_OK, RC_NOT_FOUND
 * or RC_ERROR. */
enum rc group_get(struct db *db, struct arena *a, int64_t id, struct group *g);
/* group_get() for a page or the API: RC_NOT_FOUND also for an id that
 * is not positive, and for an archived group unless archived_too (archived
 * groups have left the public pages). */
enum rc group_find(struct db *db, struct arena *a, int64_t id, bool archived_too, struct group *g);

/*
 * Fill g from a validated form f.  Cross-field and database checks (theme
 * names, award lines) add errors to f.  Returns the number of errors.
 * When partial is true (PATCH), fields absent from the request keep g's
 * current values; present tells which fields were sent.
 */
int group_from_form(struct db *db, struct arena *a, struct form *f, const bool *present,
		    struct group *g);

/*
 * Insert (g->id == 0) or update g with its themes and awards, in one
 * transaction that also writes the audit entry.  old, when given, is the
 * stored version, used to summarise what changed.  Sets g->id on insert.
 */
enum rc group_save(struct db *db, struct arena *a, struct group *g, const struct group *old,
		   int64_t user_id);

/* Archive or restore group id with its audit entry.  RC_NOT_FOUND for no
 * such group. */
enum rc group_set_archived(struct db *db, int64_t id, bool archived, int64_t user_id);

/* A page of public groups matching query, in 50音順 or by relevance. */
enum rc group_list(struct db *db, struct arena *a, const struct group_query *q,
		   struct group_page *out);

/* True if user_id is a member of group id. */
bool group_is_member(struct db *db, int64_t group_id, int64_t user_id);
int group_add_member(struct db *db, int64_t group_id, int64_t user_id);

/*
 * The access rule for groups (core/access.h, registered in
 * web/features.c): staff may do everything; a user with the member role
 * who belongs to group id may view its private fields (ACCESS_VIEW) and
 * edit it (ACCESS_EDIT), not manage it (archive); nobody else may.
 */
bool group_access(struct db *db, const struct who *w, int64_t id, enum access_act act);

/* Record that user_id was shown group id's private fields.  The caller
 * shows them only when this returns DB_OK: a look that cannot be recorded
 * does not happen. */
int group_log_private_view(struct db *db, int64_t id, int64_t user_id);

/* Render Markdown (raw HTML off) to sanitised HTML in the arena. */
char *markdown_html(struct arena *a, const char *md);

#endif
