/*
 * error: the one error answer every handler gives, as an HTML page in the
 * layout or, under /api/, as {"error": "..."}.  Features include this
 * (through web/page.h) instead of web/app.c's header, so that the site
 * shell and the features do not include each other.
 */
#ifndef KYODO_WEB_ERROR_H
#define KYODO_WEB_ERROR_H

#include "core/rc.h"
#include "http/req.h"

/*
 * Answer status with message: a message key (util/msg.h), or
 * (transitionally, until every caller passes a key) the words themselves.
 * The page's heading is web.error.<status>.  This is also the server's
 * error hook (struct server_config.error).
 */
void web_error(struct req *r, int status, const char *message);

/* The error answer for a result code (core/rc.h): status rc_status(rc),
 * and the message key why, or rc's generic one (rc_key()) when why is
 * NULL. */
void web_error_rc(struct req *r, enum rc rc, const char *why);

#endif
