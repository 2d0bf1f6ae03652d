#include "core/rc.h"

static const struct {
	int status;
	const char *key;
} table[RC__MAX] = {
    [RC_OK] = {200, "rc.ok"},
    [RC_ERROR] = {503, "rc.error"},
    [RC_NOT_FOUND] = {404, "rc.not_found"},
    [RC_INVALID] = {422, "rc.invalid"},
    [RC_FORBIDDEN] = {403, "rc.forbidden"},
    [RC_CONFLICT] = {409, "rc.conflict"},
    [RC_STATE] = {409, "rc.state"},
    [RC_CLOSED] = {409, "rc.closed"},
};

int rc_status(enum rc rc)
{
	return (unsigned)rc < RC__MAX ? table[rc].status : 500;
}

const char *rc_key(enum rc rc)
{
	return (unsigned)rc < RC__MAX ? table[rc].key : "rc.error";
}
