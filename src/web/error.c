#include "web/error.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"

#include <stdio.h>

void web_error(struct req *r, int status, const char *message)
{
	/* transitional: the message may still be text; remove when all are keys */
	message = msg_or_text(message);
	if (r->is_api) {
		respond_json(r, status, json_pack("{s:s}", "error", message));
		return;
	}
	/* The heading of each status is web.error.<status> in the catalogue. */
	char key[32];
	snprintf(key, sizeof(key), "web.error.%d", status);
	const char *heading = msg(msg_exists(key) ? key : "web.error.other");
	struct tv *ctx = page_ctx(r, heading, NAV_NONE);
	tv_set_int(ctx, "status", status);
	tv_set_str(ctx, "heading", heading);
	tv_set_str(ctx, "message", message);
	page_render(r, status, "error", ctx);
}

void web_error_rc(struct req *r, enum rc rc, const char *why)
{
	web_error(r, rc_status(rc), why ? why : rc_key(rc));
}
