#include "events/event.h"
#include "core/role.h"
#include "groups/group.h"
#include "store/row.h"
#include "util/jp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Upper bound on the rows one list returns, so that a page stays bounded. */
#define MAX_ROWS 500

const char *const event_types[] = {"説明会",	 "講座", "体験",   "ツアー", "交流会",
				   "成果発表会", "HUB",	 "その他", NULL};
const char *const event_audiences[] = {"親子", "学生", "一般", "シニア", "子ども", NULL};

/* ---- reading rows ------------------------------------------------------ */

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strndup(a, s ? s : "", s ? db_len(st, i) : 0);
}

/* An optional integer column: 0 when NULL. */
static int64_t opt(struct db_stmt *st, int i)
{
	return db_isnull(st, i) ? 0 : db_int(st, i);
}

/* The columns of VENUE_COLS (events.stmts). */
static void read_venue(struct db_stmt *st, struct arena *a, void *out)
{
	struct venue *v = out;
	v->id = db_int(st, 0);
	v->name = col(a, st, 1);
	v->name_kana = col(a, st, 2);
	v->pref = col(a, st, 3);
	v->city = col(a, st, 4);
	v->town = col(a, st, 5);
	v->street = col(a, st, 6);
	v->building = col(a, st, 7);
	/* db.h reads numbers as integers or text: REAL comes back as text. */
	v->has_latlng = !db_isnull(st, 8) && !db_isnull(st, 9);
	v->lat = v->has_latlng ? strtod(db_text(st, 8), NULL) : 0;
	v->lng = v->has_latlng ? strtod(db_text(st, 9), NULL) : 0;
	v->access = col(a, st, 10);
	v->parking = col(a, st, 11);
	v->barrier_free = col(a, st, 12);
	v->archived = db_int(st, 13) != 0;
}

static void read_series(struct db_stmt *st, struct arena *a, void *out)
{
	struct series *s = out;
	s->id = db_int(st, 0);
	s->name = col(a, st, 1);
	s->description = col(a, st, 2);
}

/* The columns of EVENT_COLS (events.stmts). */
static void read_event(struct db_stmt *st, struct arena *a, void *out)
{
	struct event *e = out;
	e->id = db_int(st, 0);
	e->title = col(a, st, 1);
	e->title_kana = col(a, st, 2);
	e->series_id = opt(st, 3);
	e->series_no = opt(st, 4);
	e->type = col(a, st, 5);
	e->group_id = opt(st, 6);
	e->project_id = opt(st, 7);
	e->starts_at = db_int(st, 8);
	e->ends_at = db_int(st, 9);
	e->venue_id = opt(st, 10);
	e->room = col(a, st, 11);
	e->online_url = col(a, st, 12);
	e->capacity = db_int(st, 13);
	e->max_party = db_int(st, 14);
	e->reg_opens_at = opt(st, 15);
	e->reg_closes_at = opt(st, 16);
	e->audience = col(a, st, 17);
	e->fee_yen = db_int(st, 18);
	e->fee_text = col(a, st, 19);
	e->accessibility = col(a, st, 20);
	e->contact_name = col(a, st, 21);
	e->contact_phone = col(a, st, 22);
	e->contact_email = col(a, st, 23);
	e->description = col(a, st, 24);
	e->published = db_int(st, 25) != 0;
	e->created_by = opt(st, 26);
	e->created_at = db_int(st, 27);
	e->updated_at = db_int(st, 28);
	e->venue_name = col(a, st, 29);
	e->series_name = col(a, st, 30);
	e->organiser_name = col(a, st, 31);
	e->has_report = db_int(st, 32) != 0;
}

static void read_image(struct db_stmt *st, struct arena *a, void *out)
{
	struct event_image *im = out;
	im->id = db_int(st, 0);
	im->event_id = db_int(st, 1);
	im->file_id = db_int(st, 2);
	im->alt = col(a, st, 3);
	im->position = db_int(st, 4);
}

/* What the access rule and the places count need of an event
 * (EVENT_FACTS). */
struct facts {
	int64_t group_id, capacity;
	bool published;
};

static void read_facts(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	struct facts *f = out;
	f->group_id = db_int(st, 0);
	f->published = db_int(st, 1) != 0;
	f->capacity = db_int(st, 2);
}

/* Run st (bound) and read up to max rows of size bytes into an arena array. */
static enum rc read_rows(struct arena *a, struct db_stmt *st, size_t size, size_t max,
			 db_read_fn read, void **out, size_t *n)
{
	char *rows = arena_alloc(a, (max ? max : 1) * size);
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == max) {
			db_reset(st);
			break;
		}
		read(st, a, rows + *n * size);
		(*n)++;
	}
	*out = rows;
	return rc == DB_ROW || rc == DB_DONE ? RC_OK : RC_ERROR;
}

/* The id of the first row of st (bound), or 0. */
static int64_t first_id(struct db_stmt *st)
{
	int64_t id = 0;
	if (db_step(st) == DB_ROW) {
		id = db_int(st, 0);
		db_reset(st);
	}
	return id;
}

static void bind_opt(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

/* Run the bound INSERT (old_id 0) or UPDATE of row old_id; *id (may be
 * NULL) gets the row's id.  RC_CONFLICT on a unique name. */
static enum rc write_row(struct db *db, struct db_stmt *st, int64_t old_id, int64_t *id)
{
	int rc = db_exec(st);
	if (rc != DB_OK)
		return rc == DB_CONSTRAINT ? RC_CONFLICT : RC_ERROR;
	if (id)
		*id = old_id ? old_id : db_last_id(db);
	return RC_OK;
}

/* ---- venues -------------------------------------------------------------- */

enum rc venue_list(struct db *db, struct arena *a, bool with_archived, struct venue **list,
		   size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_VENUE_LIST);
	db_bind_int(st, 1, with_archived);
	return read_rows(a, st, sizeof **list, MAX_ROWS, read_venue, (void **)list, n);
}

enum rc venue_get(struct db *db, struct arena *a, int64_t id, struct venue *v)
{
	return db_get(db, STMT_VENUE_GET, id, read_venue, a, v);
}

enum rc venue_save(struct db *db, const struct venue *v, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, v->id ? STMT_VENUE_UPDATE : STMT_VENUE_INSERT);
	const char *text[] = {v->name, v->name_kana, v->pref,	 v->city,
			      v->town, v->street,    v->building};
	for (int i = 0; i < 7; i++)
		db_bind_str(st, i + 1, text[i] ? text[i] : "");
	if (v->has_latlng) {
		/* db.h binds no doubles; SQLite's REAL affinity converts the text. */
		char b[32];
		snprintf(b, sizeof b, "%.7f", v->lat);
		db_bind_str(st, 8, b);
		snprintf(b, sizeof b, "%.7f", v->lng);
		db_bind_str(st, 9, b);
	} else {
		db_bind_null(st, 8);
		db_bind_null(st, 9);
	}
	db_bind_str(st, 10, v->access ? v->access : "");
	db_bind_str(st, 11, v->parking ? v->parking : "");
	db_bind_str(st, 12, v->barrier_free ? v->barrier_free : "");
	db_bind_int(st, 13, v->archived);
	if (v->id)
		db_bind_int(st, 14, v->id);
	return write_row(db, st, v->id, id);
}

int64_t venue_find(struct db *db, const char *name)
{
	struct db_stmt *st = db_stmt(db, STMT_VENUE_FIND);
	db_bind_str(st, 1, name);
	return first_id(st);
}

/* ---- series ---------------------------------------------------------------- */

enum rc series_list(struct db *db, struct arena *a, struct series **list, size_t *n)
{
	return read_rows(a, db_stmt(db, STMT_SERIES_LIST), sizeof **list, MAX_ROWS, read_series,
			 (void **)list, n);
}

enum rc series_get(struct db *db, struct arena *a, int64_t id, struct series *s)
{
	return db_get(db, STMT_SERIES_GET, id, read_series, a, s);
}

enum rc series_save(struct db *db, const struct series *s, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, s->id ? STMT_SERIES_UPDATE : STMT_SERIES_INSERT);
	db_bind_str(st, 1, s->name);
	db_bind_str(st, 2, s->description ? s->description : "");
	if (s->id)
		db_bind_int(st, 3, s->id);
	return write_row(db, st, s->id, id);
}

int64_t series_find(struct db *db, const char *name)
{
	struct db_stmt *st = db_stmt(db, STMT_SERIES_FIND);
	db_bind_str(st, 1, name);
	return first_id(st);
}

/* ---- choices ---------------------------------------------------------------- */

/* Columns 0 and 1 of a row: its id and name. */
static void read_choice(struct db_stmt *st, struct arena *a, void *out)
{
	struct event_choice *c = out;
	c->id = db_int(st, 0);
	c->name = col(a, st, 1);
}

enum rc event_choices(struct db *db, struct arena *a, enum event_pick what,
		      struct event_choice **list, size_t *n)
{
	static const enum stmt stmts[] = {
	    [EVENT_PICK_SERIES] = STMT_SERIES_LIST,
	    [EVENT_PICK_VENUE] = STMT_VENUE_LIST,
	    [EVENT_PICK_GROUP] = STMT_EVENT_GROUP_CHOICES,
	};
	struct db_stmt *st = db_stmt(db, stmts[what]);
	if (what == EVENT_PICK_VENUE)
		db_bind_int(st, 1, 0); /* without the archived ones */
	/* The group list is bounded by its statement (LIMIT 1000). */
	return read_rows(a, st, sizeof **list, 1000, read_choice, (void **)list, n);
}

/* ---- events -------------------------------------------------------------- */

bool event_audience_next(const char **p, struct str *line)
{
	const char *s = *p ? *p : "";
	while (*s == '\n')
		s++;
	if (!*s)
		return false;
	size_t n = strcspn(s, "\n");
	*line = (struct str){s, n};
	*p = s + n;
	return true;
}

enum rc event_get(struct db *db, struct arena *a, int64_t id, struct event *e)
{
	return db_get(db, STMT_EVENT_GET, id, read_event, a, e);
}

/* Bind the shared filters ?1..?9 of EVENT_FILTERS. */
static void bind_filters(struct db_stmt *st, const struct event_query *q)
{
	db_bind_int(st, 1, q->published_only);
	bind_opt(st, 2, q->from);
	bind_opt(st, 3, q->to);
	db_bind_str(st, 4, q->type && q->type[0] ? q->type : NULL);
	bind_opt(st, 5, q->series_id);
	bind_opt(st, 6, q->group_id);
	db_bind_str(st, 7, q->audience && q->audience[0] ? q->audience : NULL);
	db_bind_int(st, 8, q->any_time ? 2 : q->past ? 1 : 0);
	db_bind_int(st, 9, q->now ? q->now : (int64_t)time(NULL));
}

enum rc event_list(struct db *db, struct arena *a, const struct event_query *q, struct event **list,
		   size_t *n, int64_t *total)
{
	int64_t limit = q->limit > 0 && q->limit < MAX_ROWS ? q->limit : MAX_ROWS;
	struct db_stmt *st = db_stmt(db, STMT_EVENT_LIST);
	bind_filters(st, q);
	db_bind_int(st, 10, limit);
	db_bind_int(st, 11, q->offset > 0 ? q->offset : 0);
	enum rc rc = read_rows(a, st, sizeof **list, (size_t)limit, read_event, (void **)list, n);
	if (rc != RC_OK || !total)
		return rc;
	st = db_stmt(db, STMT_EVENT_COUNT);
	bind_filters(st, q);
	if (db_step(st) != DB_ROW)
		return RC_ERROR;
	*total = db_int(st, 0);
	db_reset(st);
	return RC_OK;
}

enum rc event_images(struct db *db, struct arena *a, int64_t id, struct event_image **list,
		     size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_EVENT_IMAGES);
	db_bind_int(st, 1, id);
	return read_rows(a, st, sizeof **list, 50, read_image, (void **)list, n);
}

enum rc event_image_add(struct db *db, int64_t event_id, int64_t file_id, const char *alt)
{
	if (!alt || !alt[0])
		return RC_INVALID;
	struct db_stmt *st = db_stmt(db, STMT_EVENT_IMAGE_ADD);
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, file_id);
	db_bind_str(st, 3, alt);
	return write_row(db, st, 0, NULL);
}

enum rc event_image_delete(struct db *db, int64_t event_id, int64_t image_id)
{
	struct db_stmt *st = db_stmt(db, STMT_EVENT_IMAGE_DELETE);
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, image_id);
	return write_row(db, st, 0, NULL);
}

int64_t event_of_image_file(struct db *db, int64_t file_id)
{
	struct db_stmt *st = db_stmt(db, STMT_EVENT_IMAGE_EVENT);
	db_bind_int(st, 1, file_id);
	return first_id(st);
}

int64_t event_confirmed_people(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, STMT_EVENT_CONFIRMED_PEOPLE);
	db_bind_int(st, 1, id);
	return first_id(st);
}

int64_t event_places_left(struct db *db, int64_t id)
{
	struct facts f;
	if (db_get(db, STMT_EVENT_FACTS, id, read_facts, NULL, &f) != RC_OK || f.capacity <= 0)
		return -1;
	int64_t left = f.capacity - event_confirmed_people(db, id);
	return left > 0 ? left : 0;
}

enum event_reg_state event_reg_state(const struct event *e, int64_t places_left, int64_t now)
{
	if (e->capacity <= 0)
		return EVENT_REG_NONE;
	if (now >= e->starts_at || (e->reg_closes_at && now > e->reg_closes_at))
		return EVENT_REG_CLOSED;
	if (e->reg_opens_at && now < e->reg_opens_at)
		return EVENT_REG_NOT_YET;
	return places_left > 0 ? EVENT_REG_OPEN : EVENT_REG_WAITLIST;
}

/* ---- who may --------------------------------------------------------------- */

bool event_can_create(struct db *db, const struct who *user, int64_t group_id)
{
	if (who_is_staff(user))
		return true;
	return group_id > 0 && who_has(user, ROLE_MEMBER) &&
	       group_is_member(db, group_id, user->id);
}

/* The one rule, on what it needs of the event. */
static bool may(struct db *db, const struct who *w, int64_t group_id, bool published,
		enum access_act act)
{
	if (act == ACCESS_VIEW && published)
		return true;
	return event_can_create(db, w, group_id);
}

bool event_access(struct db *db, const struct who *w, int64_t id, enum access_act act)
{
	struct facts f;
	if (db_get(db, STMT_EVENT_FACTS, id, read_facts, NULL, &f) != RC_OK)
		return false;
	return may(db, w, f.group_id, f.published, act);
}

bool event_may(struct db *db, const struct who *w, const struct event *e, enum access_act act)
{
	return may(db, w, e->group_id, e->published, act);
}

bool event_can_manage(struct db *db, const struct who *user, const struct event *e)
{
	return event_may(db, user, e, ACCESS_MANAGE);
}

/* ---- the rules of an event --------------------------------------------------- */

static bool in_list(const char *const *list, struct str s)
{
	for (size_t i = 0; list[i]; i++)
		if (str_eq_c(s, list[i]))
			return true;
	return false;
}

enum rc event_validate(struct db *db, struct arena *a, const struct event *e, const char **field,
		       const char **why)
{
#define FAIL(f, key)                                                                               \
	do {                                                                                       \
		*field = (f);                                                                      \
		*why = (key);                                                                      \
		return RC_INVALID;                                                                 \
	} while (0)
	if (!e->title || !e->title[0])
		FAIL("title", "events.err.title_required");
	if (e->title_kana && e->title_kana[0]) {
		char *k;
		if (jp_kana_normalize(a, e->title_kana, strlen(e->title_kana), &k) != 0)
			FAIL("title_kana", "events.err.title_kana");
	}
	if (!e->type || !in_list(event_types, str_c(e->type)))
		FAIL("type", "events.err.type");
	if (e->ends_at < e->starts_at)
		FAIL("ends_at", "events.err.ends_before_start");
	if (e->capacity < 0)
		FAIL("capacity", "events.err.capacity_negative");
	if (e->max_party < 1)
		FAIL("max_party", "events.err.max_party");
	if (e->reg_opens_at && e->reg_closes_at && e->reg_closes_at < e->reg_opens_at)
		FAIL("reg_closes_at", "events.err.reg_closes_before_opens");
	struct str line;
	for (const char *p = e->audience; event_audience_next(&p, &line);)
		if (!in_list(event_audiences, line))
			FAIL("audience", "events.err.audience");
	if (e->id && e->capacity > 0 && e->capacity < event_confirmed_people(db, e->id))
		FAIL("capacity", "events.err.capacity_below_people");
	return RC_OK;
#undef FAIL
}

enum rc event_save(struct db *db, struct arena *a, const struct event *e, int64_t now, int64_t *id,
		   const char **field, const char **why)
{
	enum rc rc = event_validate(db, a, e, field, why);
	if (rc != RC_OK)
		return rc;
	struct db_stmt *st = db_stmt(db, e->id ? STMT_EVENT_UPDATE : STMT_EVENT_INSERT);
	db_bind_str(st, 1, e->title);
	db_bind_str(st, 2, e->title_kana ? e->title_kana : "");
	bind_opt(st, 3, e->series_id);
	bind_opt(st, 4, e->series_no);
	db_bind_str(st, 5, e->type);
	bind_opt(st, 6, e->group_id);
	bind_opt(st, 7, e->project_id);
	db_bind_int(st, 8, e->starts_at);
	db_bind_int(st, 9, e->ends_at);
	bind_opt(st, 10, e->venue_id);
	db_bind_str(st, 11, e->room ? e->room : "");
	db_bind_str(st, 12, e->online_url ? e->online_url : "");
	db_bind_int(st, 13, e->capacity);
	db_bind_int(st, 14, e->max_party);
	bind_opt(st, 15, e->reg_opens_at);
	bind_opt(st, 16, e->reg_closes_at);
	db_bind_str(st, 17, e->audience ? e->audience : "");
	db_bind_int(st, 18, e->fee_yen);
	db_bind_str(st, 19, e->fee_text ? e->fee_text : "");
	db_bind_str(st, 20, e->accessibility ? e->accessibility : "");
	db_bind_str(st, 21, e->contact_name ? e->contact_name : "");
	db_bind_str(st, 22, e->contact_phone ? e->contact_phone : "");
	db_bind_str(st, 23, e->contact_email ? e->contact_email : "");
	db_bind_str(st, 24, e->description ? e->description : "");
	db_bind_int(st, 25, e->published);
	if (!e->id)
		bind_opt(st, 26, e->created_by);
	db_bind_int(st, 27, now);
	if (e->id)
		db_bind_int(st, 28, e->id);
	return write_row(db, st, e->id, id);
}

int64_t event_find_in_series(struct db *db, int64_t series_id, int64_t series_no)
{
	struct db_stmt *st = db_stmt(db, STMT_EVENT_FIND_IN_SERIES);
	db_bind_int(st, 1, series_id);
	db_bind_int(st, 2, series_no);
	return first_id(st);
}

int64_t event_find(struct db *db, const char *title, int64_t starts_at)
{
	struct db_stmt *st = db_stmt(db, STMT_EVENT_FIND);
	db_bind_str(st, 1, title);
	db_bind_int(st, 2, starts_at);
	return first_id(st);
}

/* ---- month calendar -------------------------------------------------------- */

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int month_grid_fill(struct month_grid *g, int year, int month)
{
	if (month < 1 || month > 12 || year < 1900 || year > 9999)
		return -1;
	memset(g, 0, sizeof *g);
	g->year = year;
	g->month = month;
	int col0 = jp_weekday(year, month, 1);
	int nd = days_in_month(year, month);
	for (int d = 1; d <= nd; d++) {
		int cell = col0 + d - 1;
		g->day[cell / 7][cell % 7] = d;
	}
	g->nweeks = (col0 + nd + 6) / 7;
	return 0;
}

int month_parse(const char *s, int *year, int *month)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = atoi(s), m = atoi(s + 5);
	if (y < 1900 || m < 1 || m > 12)
		return -1;
	*year = y;
	*month = m;
	return 0;
}
