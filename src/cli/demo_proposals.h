/*
 * The demo proposals (企画提案書), loaded by `kyodo demo` after the demo
 * groups and calls.
 */
#ifndef KYODO_DEMO_PROPOSALS_H
#define KYODO_DEMO_PROPOSALS_H

#include "store/db.h"

/*
 * Add proposals in every status (draft, submitted with receipt numbers,
 * withdrawn, reopened) for demo groups on the 令和7年度 call, and one draft
 * on the call open now.  Proposals that exist (same call, group and title)
 * are left alone.  Without the 令和7年度 call or an admin to author them,
 * nothing is added and a message says why.  Returns 0, or -1 on a storage
 * error.
 */
int demo_proposals(struct db *db);

#endif
