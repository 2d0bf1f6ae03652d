/*
 * The features the server runs: one route table each, matched together
 * (http/router.h: the most literal pattern wins, so the order here does
 * not matter).  A new feature folder adds its table here; a new route or
 * statement in an existing feature touches only that feature's folder.
 */
#include "accounts/handlers.h"
#include "core/access.h"
#include "challenge/handlers.h"
#include "challenge/proposal.h"
#include "events/event.h"
#include "events/handlers.h"
#include "files/handlers.h"
#include "groups/group.h"
#include "groups/handlers.h"
#include "notifications/handlers.h"
#include "web/handlers.h"
#include "web/web.h"

const struct route_table *const web_features[] = {
    &site_routes,   &accounts_routes,	   &groups_routes, &challenge_routes,
    &events_routes, &notifications_routes, &files_routes,
};
const size_t web_nfeatures = sizeof(web_features) / sizeof(web_features[0]);

/* Each entity's access rule (core/access.h), from its feature.  An entity
 * without one refuses everything. */
const access_rule access_rules[ACCESS__MAX] = {
    [ACCESS_GROUP] = group_access,
    [ACCESS_PROPOSAL] = proposal_access,
    [ACCESS_EVENT] = event_access,
    [ACCESS_FILE] = file_access,
};
