/*
 * consultation: pre-consultations (事前相談) before a proposal.
 *
 * Coordinators publish slots (a time, a place or online); a member of a
 * group books a free future slot for that group, optionally for one call.
 * One live booking per slot is guaranteed by the database (a partial unique
 * index), so two people booking at the same moment cannot both win.  The
 * group may cancel up to a configurable number of hours before the slot
 * (setting consult_cancel_hours).  The coordinator marks a consultation
 * done and keeps notes, which only staff (admin, coordinator) may read.
 *
 * Consultations with a partner division (担当課) are recorded by that
 * division's staff or by a coordinator.
 *
 * consultation_requirements() tells the proposal module which of the two
 * kinds a group has completed for a call.
 *
 * Every change writes an audit entry in the same transaction; booking and
 * cancelling also notify the coordinator and the group's members.
 */
#ifndef KYODO_CONSULTATION_H
#define KYODO_CONSULTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"

/*
 * Results are enum rc (core/rc.h): RC_NOT_FOUND (no such slot, booking,
 * group or call), RC_FORBIDDEN (the actor may not), RC_CONFLICT (the slot
 * already has a live booking), RC_CLOSED (the slot has started or is
 * cancelled; too late to cancel), RC_STATE (already cancelled or done),
 * RC_ERROR (storage).
 */

/* The message key of rc as this module means it (consult.err.*, rc.*);
 * functions with a why out-parameter say more precisely. */
const char *consultation_rc_key(enum rc rc);

/* transitional: the old name of RC_OK, for cli/demo.c; remove once it says RC_OK. */
#define CONSULT_OK RC_OK

/* A booking, with the slot it belongs to.  notes is "" unless the reader is
 * staff: list functions take a staff flag and blank it otherwise. */
struct consultation_booking {
	int64_t id, slot_id, group_id, call_id;		     /* call_id 0 when none */
	int64_t booked_by, booked_at, cancelled_at, done_at; /* 0 when not */
	const char *group_name, *call_title, *booked_by_name, *notes;
	/* the slot */
	int64_t starts_at, ends_at, coordinator_id;
	const char *place, *coordinator_name;
	bool online;
};

struct consultation_slot {
	int64_t id, coordinator_id, starts_at, ends_at, created_at;
	const char *place, *coordinator_name;
	bool online, cancelled;
	/* the live (not cancelled) booking, or booking.id == 0 */
	struct consultation_booking booking;
};

struct division_consultation {
	int64_t id, group_id, call_id, division_id, recorded_by, created_at;
	int64_t held_on; /* yyyymmdd, as F_DATE */
	const char *group_name, *call_title, *division_name, *recorded_by_name, *notes;
};

/* --- the cancel deadline ------------------------------------------------ */

/* The setting that holds the deadline in hours before the slot. */
#define CONSULT_CANCEL_HOURS_KEY "consult_cancel_hours"

/* The last moment (Unix seconds) a booking of a slot starting at starts_at
 * may be cancelled by its group: starts_at - hours * 3600 (hours < 0 is 0). */
int64_t consultation_cancel_deadline(int64_t starts_at, int64_t hours);
/* True while now <= the deadline (the deadline second itself is allowed). */
bool consultation_can_cancel(int64_t now, int64_t starts_at, int64_t hours);
/* The configured hours (setting consult_cancel_hours, default 24). */
int64_t consultation_cancel_hours(struct db *db);

/* --- slots -------------------------------------------------------------- */

/*
 * Publish a slot owned by coordinator_id.  The caller has validated that
 * ends_at > starts_at.  actor_id is audited.  *id gets the new slot's id.
 */
enum rc consultation_slot_create(struct db *db, int64_t coordinator_id, int64_t starts_at,
				 int64_t ends_at, const char *place, bool online, int64_t actor_id,
				 int64_t *id);

/*
 * Cancel a slot.  Allowed to its coordinator and to admins (is_admin);
 * RC_STATE when it is already cancelled or its consultation took place.
 * A live booking on it is cancelled too and its group notified.
 */
enum rc consultation_slot_cancel(struct db *db, int64_t slot_id, int64_t actor_id, bool is_admin,
				 int64_t now);

/* Load one slot with its live booking (notes blanked unless staff). */
enum rc consultation_slot_get(struct db *db, struct arena *a, int64_t slot_id, bool staff,
			      struct consultation_slot *out);

/* Future, not cancelled, unbooked slots, soonest first (at most max). */
enum rc consultation_free_slots(struct db *db, struct arena *a, int64_t now, size_t max,
				struct consultation_slot **out, size_t *n);

/*
 * Slots for staff, soonest first, with their live booking and its notes:
 * the coordinator's own slots, or every slot when coordinator_id is 0.
 * Slots that ended more than 30 days before now are left out.
 */
enum rc consultation_staff_slots(struct db *db, struct arena *a, int64_t coordinator_id,
				 int64_t now, size_t max, struct consultation_slot **out,
				 size_t *n);

/* --- bookings ----------------------------------------------------------- */

/*
 * user_id books slot_id for group_id (call_id 0 for no call).  The user
 * must be a member of the group; the slot must be live and start after now;
 * the call, if given, must be published.  Returns RC_CONFLICT when the
 * slot is already booked (including by a concurrent request), RC_CLOSED
 * when it has started or is cancelled, with *why the message key.
 * Notifies the coordinator and the group's members.  *id gets the booking
 * id.
 */
enum rc consultation_book(struct db *db, int64_t slot_id, int64_t group_id, int64_t call_id,
			  int64_t user_id, int64_t now, int64_t *id, const char **why);

/*
 * Cancel a booking.  A member of the booking's group may until the cancel
 * deadline (RC_CLOSED after it); the slot's coordinator and admins
 * (is_admin) may at any time before it is done.  *why is the message key
 * of a refusal.  Notifies the coordinator and the group's members.
 */
enum rc consultation_booking_cancel(struct db *db, int64_t booking_id, int64_t actor_id,
				    bool is_admin, int64_t now, const char **why);

/* Mark a booking done with notes (replacing earlier notes).  Allowed to the
 * slot's coordinator and to admins; may be repeated to edit the notes. */
enum rc consultation_booking_done(struct db *db, int64_t booking_id, const char *notes,
				  int64_t actor_id, bool is_admin, int64_t now);

/* Load one booking (notes blanked unless staff). */
enum rc consultation_booking_get(struct db *db, struct arena *a, int64_t booking_id, bool staff,
				 struct consultation_booking *out);

/* Bookings (live and cancelled, most recent slot first, at most max) of
 * every group user_id is a member of; notes are never filled. */
enum rc consultation_member_bookings(struct db *db, struct arena *a, int64_t user_id, size_t max,
				     struct consultation_booking **out, size_t *n);

/* --- division consultations --------------------------------------------- */

/*
 * Record that group_id consulted division_id on held_on (yyyymmdd) about
 * call_id (0 for none).  The caller checks who may (division staff for their
 * own division, coordinators, admins).  *id gets the new row's id.
 */
enum rc division_consultation_record(struct db *db, int64_t group_id, int64_t call_id,
				     int64_t division_id, int64_t held_on, const char *notes,
				     int64_t actor_id, int64_t *id);

/* Division consultations, newest first (division_id 0 for every division). */
enum rc division_consultation_list(struct db *db, struct arena *a, int64_t division_id, size_t max,
				   struct division_consultation **out, size_t *n);

/* --- choices for forms ------------------------------------------------- */

struct consultation_choice {
	int64_t id;
	const char *name;
};

/* Published calls, newest fiscal year first (at most max). */
enum rc consultation_calls(struct db *db, struct arena *a, size_t max,
			   struct consultation_choice **out, size_t *n);
/* Divisions that are not archived, by name (at most max). */
enum rc consultation_divisions(struct db *db, struct arena *a, size_t max,
			       struct consultation_choice **out, size_t *n);
/* The division user_id belongs to (users.division_id): RC_OK with *out
 * filled, or RC_NOT_FOUND when the user has none. */
enum rc consultation_user_division(struct db *db, struct arena *a, int64_t user_id,
				   struct consultation_choice *out);

/* When a slot takes place, in JST (arena): 令和7年6月2日(月) 18:00〜19:00. */
const char *consultation_when(struct arena *a, int64_t starts_at, int64_t ends_at);
/* Where it takes place, in words: the place, marked online when online
 * (consult.place_online), or consult.online alone (arena). */
const char *consultation_place(struct arena *a, const char *place, bool online);

/* --- requirements (for proposals) --------------------------------------- */

/*
 * Which consultations group_id has completed for call_id:
 * *coordinator_done when a booking of the group, for that call or for no
 * call, is marked done (and not cancelled); *division_done when a division
 * consultation of the group exists for that call or for no call.
 * Returns 0, or -1 on a storage error (both outputs false).
 */
int consultation_requirements(struct db *db, int64_t group_id, int64_t call_id,
			      bool *coordinator_done, bool *division_done);

#endif
