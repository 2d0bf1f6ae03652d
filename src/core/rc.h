/*
 * rc: the one family of result codes the domain returns.  A function that
 * can fail for a reason the user should read also gives that reason as a
 * message key (util/msg.h) through a `const char **why` out-parameter;
 * the web layer turns the key into words and the code into an HTTP status
 * through rc_status(), the one table of that mapping.
 *
 * RC_OK is 0 and every failure is positive, so `if (rc)` reads "failed".
 */
#ifndef KYODO_RC_H
#define KYODO_RC_H

enum rc {
	RC_OK = 0,
	RC_ERROR,     /* storage or system failure: try again later */
	RC_NOT_FOUND, /* no such object (or not one this user may know of) */
	RC_INVALID,   /* the input breaks a rule: see the form's field errors or *why */
	RC_FORBIDDEN, /* this user may not do this to this object */
	RC_CONFLICT,  /* it clashes with what exists: taken, duplicate */
	RC_STATE,     /* the object's state does not allow it (submitted, locked, released) */
	RC_CLOSED,    /* outside its time window (before opening, after the deadline) */
	RC__MAX
};

/* The HTTP status for rc: 200, 503, 404, 422, 403, 409, 409, 409. */
int rc_status(enum rc rc);

/* The generic message key for rc ("rc.not_found" ...), for when no *why
 * was given. */
const char *rc_key(enum rc rc);

#endif
