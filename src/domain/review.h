/*
 * review: two-stage screening (1次審査・2次審査) — stages and criteria per
 * call, reviewer assignment, conflicts of interest, score sheets, the
 * aggregate per proposal, rankings and the office's decisions.
 *
 * This header starts with the functions other modules rely on; the
 * screening module adds the rest below.
 */
#ifndef KYODO_REVIEW_H
#define KYODO_REVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/*
 * May proposal_id be adopted or not adopted (採択/不採択)?  True when its
 * call has review stages, the proposal passed every stage before the last
 * (decision "pass"), and the last stage is closed.  Otherwise false, with
 * *why a Japanese message (e.g. 「1次審査を通過していない提案は採択できません」).
 */
bool review_may_adopt(struct db *db, struct arena *a, int64_t proposal_id, const char **why);

#endif
