/*
 * Demo registrations.  The people are invented; their addresses are under
 * example.jp, which is reserved for examples and receives no mail.
 */
#include "cli/demo_registrations.h"
#include "cli/demo_events.h"
#include "events/event.h"
#include "events/registration.h"
#include "util/arena.h"
#include "util/msg.h"

#include <stdio.h>
#include <time.h>

struct demo_reg {
	const char *name, *kana, *email, *phone;
	int64_t adults, children;
	const char *notes, *access_needs;
};

/* The full event (capacity 10): 3 + 3 + 2 + 2 people confirmed, then two
 * parties on the waiting list. */
static const struct demo_reg full_regs[] = {
    {"北村 陽子", "キタムラ ヨウコ", "yoko.kitamura@example.jp", "090-1111-2201", 1, 2, "", ""},
    {"石田 健一", "イシダ ケンイチ", "k.ishida@example.jp", "", 2, 1, "", ""},
    {"浅野 美咲", "アサノ ミサキ", "misaki.asano@example.jp", "", 1, 1, "子どもは小学2年生です。",
     ""},
    {"中川 達也", "ナカガワ タツヤ", "t.nakagawa@example.jp", "076-200-0104", 1, 1, "",
     "ベビーカーで参加します。"},
    {"森本 さくら", "モリモト サクラ", "sakura.morimoto@example.jp", "", 1, 1, "", ""},
    {"谷口 浩二", "タニグチ コウジ", "koji.taniguchi@example.jp", "", 1, 0, "", ""},
};

/* The open 3rd HUB (capacity 40): a few students and residents. */
static const struct demo_reg open_regs[] = {
    {"西田 翔", "ニシダ ショウ", "sho.nishida@example.jp", "", 1, 0, "金沢大学の学生です。", ""},
    {"川上 由美", "カワカミ ユミ", "yumi.kawakami@example.jp", "", 2, 0,
     "木倉町の商店会から2名で参加します。", ""},
    {"坂本 大輔", "サカモト ダイスケ", "d.sakamoto@example.jp", "080-3333-0303", 1, 0, "",
     "車いすで参加します。"},
};

/* Register each of regs[0..n) for event_id at now.  Returns the number
 * added, or -1. */
static int register_all(struct db *db, struct arena *a, const char *title,
			const struct demo_reg *regs, size_t n, int64_t now)
{
	int64_t event_id = event_find(db, title, 0);
	if (!event_id) {
		fprintf(stderr, "kyodo: demo registrations: no event %s\n", title);
		return -1;
	}
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		struct registration r = {
		    .event_id = event_id,
		    .name = regs[i].name,
		    .name_kana = regs[i].kana,
		    .email = regs[i].email,
		    .phone = regs[i].phone,
		    .adults = regs[i].adults,
		    .children = regs[i].children,
		    .notes = regs[i].notes,
		    .access_needs = regs[i].access_needs,
		};
		char *token;
		const char *why = NULL;
		enum rc rc = registration_create(db, a, &r, now, &token, NULL, &why);
		if (rc == RC_CONFLICT)
			continue; /* registered already */
		if (rc != RC_OK) {
			fprintf(stderr, "kyodo: demo registration %s for %s: %s\n", regs[i].email,
				title, msg(why ? why : rc_key(rc)));
			return -1;
		}
		added++;
	}
	return added;
}

int demo_registrations(struct db *db)
{
	struct arena a;
	arena_init(&a);
	int64_t now = (int64_t)time(NULL);
	int full = register_all(db, &a, DEMO_EVENT_FULL_TITLE, full_regs,
				sizeof(full_regs) / sizeof(full_regs[0]), now);
	int open = full < 0 ? -1
			    : register_all(db, &a, DEMO_EVENT_OPEN_TITLE, open_regs,
					   sizeof(open_regs) / sizeof(open_regs[0]), now);
	arena_free(&a);
	if (open < 0)
		return -1;
	printf("demo data: %d registrations added\n", full + open);
	return 0;
}
