/* Admin pages: filled in below. */
#include "web/web.h"
#include "web/page.h"

void h_admin(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_users(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_user_new(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_user_create(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_user_edit(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_user_update(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_audit(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_themes(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_theme_create(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_settings(struct req *r) { web_error(r, 404, "準備中です。"); }
void h_admin_settings_save(struct req *r) { web_error(r, 404, "準備中です。"); }
