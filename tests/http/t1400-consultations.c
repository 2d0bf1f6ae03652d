/*
 * t1400: pre-consultations (事前相談) — a coordinator publishes slots, group
 * members book and cancel them, one booking per slot even when two arrive
 * at once, the cancel deadline, notes private to staff, division
 * consultations, and who may do what.
 */
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GROUP_A "NPOエコラボ"
#define GROUP_B "金沢城・兼六園研究会"

static const char *const taken = "この枠はすでに予約されています";

/* One coordinator and one member of group A for the whole file. */
static struct client *coordinator(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "coordinator"));
	return c;
}

static struct client *member_a(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_member_of(s, group_id(s, GROUP_A)));
	return c;
}

/* "YYYY-MM-DD HH:00" in JST, days from today at hour. */
static const char *jst_at(int days, int hour)
{
	time_t t = time(NULL) + 9 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	return hfmt("%04d-%02d-%02d %02d:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hour);
}

/* Publish a slot as the coordinator; returns its id. */
static long long publish(struct server *s, int days, int hour, const char *place)
{
	struct client *c = coordinator(s);
	struct resp *r =
	    post_form(c, "/consultations/slots",
		      form_body("starts_at", jst_at(days, hour), "ends_at", jst_at(days, hour + 1),
				"place", place, "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	return (long long)sql_int(s, "SELECT max(id) FROM consultation_slots");
}

static struct resp *book(struct server *s, struct client *c, long long slot, const char *group)
{
	return post_form(c, hfmt("/consultations/slots/%lld/book", slot),
			 form_body("group", hfmt("%lld", (long long)group_id(s, group)), "_csrf",
				   client_csrf(c), NULL));
}

static long long booking_of(struct server *s, long long slot)
{
	return (long long)sql_int(s,
				  "SELECT id FROM consultation_bookings WHERE slot_id = %lld AND "
				  "cancelled_at IS NULL",
				  slot);
}

static void visitor_is_sent_to_login(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/consultations");
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/login");
}

static void reviewer_may_not_publish_book_or_record(void **state)
{
	struct server *s = *state;
	struct client *c = client_as(s, add_user(s, "reviewer"));
	struct resp *r = get(c, "/consultations");
	assert_status(r, 200);
	assert_not_contains(BODY(r), "相談枠を公開する");
	r = post_form(c, "/consultations/slots",
		      form_body("starts_at", jst_at(3, 18), "ends_at", jst_at(3, 19), "place", "室",
				"_csrf", client_csrf(c), NULL));
	assert_status(r, 403);
	long long slot = publish(s, 3, 14, "相談室R");
	assert_status(book(s, c, slot, GROUP_A), 403);
	assert_status(get(c, "/consultations/division"), 403);
}

static void end_before_start_is_refused_next_to_the_field(void **state)
{
	struct server *s = *state;
	struct client *c = coordinator(s);
	struct resp *r =
	    post_form(c, "/consultations/slots",
		      form_body("starts_at", jst_at(5, 19), "ends_at", jst_at(5, 18), "place",
				"保持される場所", "_csrf", client_csrf(c), NULL));
	assert_status(r, 422);
	const char *at = strstr(BODY(r), "id=\"f-ends_at-error\"");
	if (!at)
		fail_msg("no error next to ends_at: %.600s", excerpt(BODY(r)));
	assert_contains(at, "終了日時は開始日時より後にしてください");
	assert_contains(BODY(r), "value=\"保持される場所\"");
	/* nowhere to meet: neither a place nor online */
	r = post_form(c, "/consultations/slots",
		      form_body("starts_at", jst_at(5, 18), "ends_at", jst_at(5, 19), "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-place-error\"");
	/* in the past */
	r = post_form(c, "/consultations/slots",
		      form_body("starts_at", jst_at(-1, 18), "ends_at", jst_at(-1, 19), "place",
				"室", "_csrf", client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "開始日時は現在より後の日時にしてください");
	/* undeclared keys never reach the handler */
	r = post_form(c, "/consultations/slots",
		      form_body("starts_at", jst_at(5, 18), "ends_at", jst_at(5, 19), "place", "室",
				"coordinator_id", "1", "_csrf", client_csrf(c), NULL));
	assert_status(r, 400);
}

static void member_books_and_the_slot_leaves_the_free_list(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 10, 18, "サポートセンター相談室");
	const char *action = hfmt("/consultations/slots/%lld/book", slot);
	struct client *m = member_a(s);
	struct resp *r = get(m, "/consultations");
	assert_status(r, 200);
	assert_contains(BODY(r), action);
	assert_contains(BODY(r), "サポートセンター相談室");
	assert_contains(BODY(r), "令和"); /* 和暦 */
	r = book(s, m, slot, GROUP_A);
	assert_status(r, 303);
	r = get(m, "/consultations");
	assert_contains(BODY(r), "事前相談を予約しました。");
	assert_not_contains(BODY(r), action);
	assert_contains(BODY(r), "予約済み");
	/* the coordinator sees the booking */
	r = get(coordinator(s), "/consultations");
	assert_contains(BODY(r), GROUP_A);
	/* stored once, audited, and the coordinator notified */
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM consultation_bookings WHERE slot_id = %lld", slot), 1);
	assert_true(sql_int(s,
			    "SELECT count(*) FROM audit_log WHERE entity = 'consultation_booking' "
			    "AND entity_id = %lld",
			    booking_of(s, slot)) >= 1);
	assert_true(sql_int(s,
			    "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id "
			    "WHERE n.kind = 'booking' AND u.email LIKE 'coordinator-%%'") >= 1);
}

static void booking_a_taken_slot_is_refused(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 11, 18, "相談室T");
	assert_status(book(s, member_a(s), slot, GROUP_A), 303);
	struct client *b = client_as(s, add_member_of(s, group_id(s, GROUP_B)));
	struct resp *r = book(s, b, slot, GROUP_B);
	if (r->status != 409 && r->status != 422)
		fail_msg("expected 409 or 422, got %ld", r->status);
	assert_contains(BODY(r), taken);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM consultation_bookings WHERE slot_id = %lld", slot), 1);
}

static void booking_for_a_group_one_is_not_in_is_refused(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 11, 14, "相談室G");
	struct resp *r = book(s, member_a(s), slot, GROUP_B);
	assert_status(r, 422);
	assert_contains(BODY(r), "所属している団体から選んでください");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM consultation_bookings WHERE slot_id = %lld", slot), 0);
}

struct racer {
	struct server *s;
	struct client *c;
	const char *group;
	long long slot;
	pthread_barrier_t *start;
	long status;
};

static void *race(void *arg)
{
	struct racer *x = arg;
	const char *path = hfmt("/consultations/slots/%lld/book", x->slot);
	const char *body = form_body("group", hfmt("%lld", (long long)group_id(x->s, x->group)),
				     "_csrf", client_csrf(x->c), NULL);
	pthread_barrier_wait(x->start);
	x->status = post_form(x->c, path, body)->status;
	return NULL;
}

static void two_bookings_at_once_make_exactly_one(void **state)
{
	struct server *s = *state;
	struct client *a = member_a(s);
	struct client *b = client_as(s, add_member_of(s, group_id(s, GROUP_B)));
	for (int round = 0; round < 5; round++) {
		long long slot = publish(s, 12 + round, 18, "相談室C");
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, 2);
		struct racer x[2] = {{s, a, GROUP_A, slot, &start, 0},
				     {s, b, GROUP_B, slot, &start, 0}};
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, race, &x[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&start);
		assert_int_equal(
		    sql_int(s, "SELECT count(*) FROM consultation_bookings WHERE slot_id = %lld",
			    slot),
		    1);
		bool one_won = (x[0].status == 303) != (x[1].status == 303);
		bool other_refused = x[0].status == 409 || x[1].status == 409;
		if (!one_won || !other_refused)
			fail_msg("round %d: statuses %ld and %ld", round, x[0].status, x[1].status);
	}
}

static void member_cancels_before_the_deadline(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 20, 18, "相談室K");
	struct client *m = member_a(s);
	assert_status(book(s, m, slot, GROUP_A), 303);
	long long id = booking_of(s, slot);
	struct resp *r = post_form(m, hfmt("/consultations/bookings/%lld/cancel", id),
				   form_body("_csrf", client_csrf(m), NULL));
	assert_status(r, 303);
	assert_int_equal(sql_int(s,
				 "SELECT cancelled_at IS NOT NULL FROM consultation_bookings "
				 "WHERE id = %lld",
				 id),
			 1);
	/* the slot is free again, and the cancellation notified */
	assert_contains(BODY(get(m, "/consultations")),
			hfmt("/consultations/slots/%lld/book", slot));
	assert_true(sql_int(s, "SELECT count(*) FROM notifications WHERE kind = "
			       "'booking_cancelled'") >= 2);
}

static void member_cannot_cancel_after_the_deadline(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 21, 18, "相談室L");
	struct client *m = member_a(s);
	assert_status(book(s, m, slot, GROUP_A), 303);
	long long id = booking_of(s, slot);
	/* Move the slot to two hours from now: inside the 24-hour deadline. */
	long long now = (long long)time(NULL);
	sql(s, "UPDATE consultation_slots SET starts_at = %lld, ends_at = %lld WHERE id = %lld",
	    now + 7200, now + 10800, slot);
	struct resp *page = get(m, "/consultations");
	assert_contains(BODY(page), hfmt("id=\"booking-%lld-late\"", id));
	struct resp *r = post_form(m, hfmt("/consultations/bookings/%lld/cancel", id),
				   form_body("_csrf", client_csrf(m), NULL));
	assert_status(r, 409);
	assert_contains(BODY(r), "取消期限を過ぎたため");
	assert_int_equal(sql_int(s,
				 "SELECT cancelled_at IS NULL FROM consultation_bookings "
				 "WHERE id = %lld",
				 id),
			 1);
	/* another group's member may not cancel it at all */
	struct client *b = client_as(s, add_member_of(s, group_id(s, GROUP_B)));
	r = post_form(b, hfmt("/consultations/bookings/%lld/cancel", id),
		      form_body("_csrf", client_csrf(b), NULL));
	assert_status(r, 403);
}

static void notes_are_shown_to_staff_only(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 22, 18, "相談室N");
	struct client *m = member_a(s);
	assert_status(book(s, m, slot, GROUP_A), 303);
	long long id = booking_of(s, slot);
	struct client *c = coordinator(s);
	const char *notes = "予算の組み方を助言。内部メモ42";
	struct resp *r = post_form(c, hfmt("/consultations/bookings/%lld/done", id),
				   form_body("notes", notes, "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	assert_contains(BODY(get(c, "/consultations")), notes);
	r = get(m, "/consultations");
	assert_contains(BODY(r), "相談済み");
	assert_not_contains(BODY(r), "内部メモ42");
	/* a member cannot mark it done */
	r = post_form(m, hfmt("/consultations/bookings/%lld/done", id),
		      form_body("notes", "x", "_csrf", client_csrf(m), NULL));
	assert_status(r, 403);
	/* another coordinator's booking is not this coordinator's to close */
	struct client *c2 = client_as(s, add_user(s, "coordinator"));
	r = post_form(c2, hfmt("/consultations/bookings/%lld/done", id),
		      form_body("notes", "x", "_csrf", client_csrf(c2), NULL));
	assert_status(r, 403);
	/* too long notes come back next to the field */
	r = post_form(c, hfmt("/consultations/bookings/%lld/done", id),
		      form_body("notes", repeat("あ", 4001), "_csrf", client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), hfmt("id=\"notes-%lld-error\"", id));
}

static void coordinator_cancels_a_slot(void **state)
{
	struct server *s = *state;
	long long slot = publish(s, 23, 18, "相談室X");
	struct client *c = coordinator(s);
	struct resp *r = post_form(c, hfmt("/consultations/slots/%lld/cancel", slot),
				   form_body("_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT cancelled FROM consultation_slots WHERE id = %lld", slot), 1);
	assert_not_contains(BODY(get(member_a(s), "/consultations")),
			    hfmt("/consultations/slots/%lld/book", slot));
}

static void division_staff_record_a_division_consultation(void **state)
{
	struct server *s = *state;
	sql(s, "INSERT INTO divisions(name) VALUES ('テスト子育て支援課')");
	long long div = (long long)sql_int(s, "SELECT id FROM divisions WHERE name = "
					      "'テスト子育て支援課'");
	struct huser *u = add_user(s, "division");
	sql(s, "UPDATE users SET division_id = %lld WHERE id = %lld", div, (long long)u->id);
	struct client *c = client_as(s, u);
	struct resp *r = get(c, "/consultations/division");
	assert_status(r, 200);
	assert_contains(BODY(r), "テスト子育て支援課");
	/* a group that does not exist */
	r = post_form(c, "/consultations/division",
		      form_body("group", "存在しない団体", "held_on", "2025-05-01", "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-group-error\"");
	r = post_form(c, "/consultations/division",
		      form_body("group", GROUP_A, "held_on", "2025-05-01", "notes",
				"協働の役割分担を確認", "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	long long gid = (long long)group_id(s, GROUP_A);
	assert_int_equal(
	    sql_int(s,
		    "SELECT count(*) FROM division_consultations WHERE group_id = %lld "
		    "AND division_id = %lld AND held_on = '2025-05-01'",
		    gid, div),
	    1);
	r = get(c, "/consultations/division");
	assert_contains(BODY(r), "協働の役割分担を確認");
	assert_contains(BODY(r), "令和7年5月1日");
	/* division staff without a division cannot record */
	struct client *nodiv = client_as(s, add_user(s, "division"));
	r = post_form(nodiv, "/consultations/division",
		      form_body("group", GROUP_A, "held_on", "2025-05-01", "_csrf",
				client_csrf(nodiv), NULL));
	assert_status(r, 403);
	/* a coordinator chooses the division */
	struct client *co = coordinator(s);
	r = post_form(co, "/consultations/division",
		      form_body("group", hfmt("%lld", gid), "held_on", "2025-05-02", "_csrf",
				client_csrf(co), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "担当課を選んでください");
	r = post_form(co, "/consultations/division",
		      form_body("group", hfmt("%lld", gid), "division", hfmt("%lld", div),
				"held_on", "2025-05-02", "_csrf", client_csrf(co), NULL));
	assert_status(r, 303);
	/* members may not */
	assert_status(get(member_a(s), "/consultations/division"), 403);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(visitor_is_sent_to_login),
	    cmocka_unit_test(reviewer_may_not_publish_book_or_record),
	    cmocka_unit_test(end_before_start_is_refused_next_to_the_field),
	    cmocka_unit_test(member_books_and_the_slot_leaves_the_free_list),
	    cmocka_unit_test(booking_a_taken_slot_is_refused),
	    cmocka_unit_test(booking_for_a_group_one_is_not_in_is_refused),
	    cmocka_unit_test(two_bookings_at_once_make_exactly_one),
	    cmocka_unit_test(member_cancels_before_the_deadline),
	    cmocka_unit_test(member_cannot_cancel_after_the_deadline),
	    cmocka_unit_test(notes_are_shown_to_staff_only),
	    cmocka_unit_test(coordinator_cancels_a_slot),
	    cmocka_unit_test(division_staff_record_a_division_consultation),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
