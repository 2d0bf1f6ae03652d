/*
 * The demo screening and adoption data, loaded by `kyodo demo` last (after
 * the groups, the calls and the proposals).
 */
#ifndef KYODO_DEMO_SCREENING_H
#define KYODO_DEMO_SCREENING_H

#include "store/db.h"

/*
 * Add what the challenge program's demo needs beyond calls and proposals:
 *
 * - adoption history from before kyodo (projects without a proposal):
 *   さくらんぼすまいる 令和4・5年度, the patients' family association 令和元年度,
 *   NPOエコラボ 令和4年度;
 * - the 令和6年度 call, and — when an admin exists to author proposals, as
 *   for the demo proposals — its proposals from the newsletter's list of
 *   adopted groups (plus one that did not pass), screened in two stages by
 *   demo reviewers (created with unusable random passwords when fewer than
 *   three exist), decided, adopted (projects with partner divisions) and
 *   released with comments;
 * - the 令和7年度 call in the middle of its 1次審査: two stages, the first
 *   open now, some score sheets submitted and some drafts.
 *
 * The screening goes through challenge/review.h and adoption.h, each step
 * at the time it happened, with the admin as the office; every step is
 * audited as it would be.  A call that has review stages is left alone,
 * so running it twice adds nothing.
 * Returns 0, or -1 on a storage error (with a message on stderr).
 */
int demo_screening(struct db *db);

#endif
