/*
 * Demo events.  Facts (names, dates, numbers) are the newsletter's
 * (vol.16); the address of the hall and all sentences are our own.
 */
#include "cli/demo_events.h"
#include "cli/demo_util.h"
#include "events/event.h"
#include "util/arena.h"
#include "util/jp.h"
#include "util/msg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const hall = "金沢学生のまち市民交流館";
static const char *const hub_series = "まちづくりHUB Project in 金沢";

/* Save e unless an event with its title (and, for series events, its
 * number) exists.  1 when added, 0 when present, -1 on error. */
static int add_event(struct db *db, struct arena *a, struct event *e)
{
	int64_t found = e->series_id ? event_find_in_series(db, e->series_id, e->series_no)
				     : event_find(db, e->title, 0);
	if (found)
		return 0;
	const char *field = NULL, *why = NULL;
	int64_t id;
	if (event_save(db, a, e, time(NULL), &id, &field, &why) != RC_OK) {
		fprintf(stderr, "kyodo: could not add demo event %s: %s %s\n", e->title,
			field ? field : "", why ? msg(why) : db_errmsg(db));
		return -1;
	}
	return 1;
}

/* A meeting of the HUB series at the hall: the same reading, type,
 * audience and party size every time. */
static struct event hub_meeting(int64_t series, int64_t no, const char *title, int64_t starts,
				int64_t capacity, const char *description)
{
	return (struct event){
	    .title = title,
	    .title_kana = "マチヅクリハブプロジェクトインカナザワ",
	    .series_id = series,
	    .series_no = no,
	    .type = "HUB",
	    .starts_at = starts,
	    .room = "交流ホール",
	    .capacity = capacity,
	    .max_party = 3,
	    .audience = "学生\n一般",
	    .description = description,
	};
}

int demo_events(struct db *db)
{
	struct arena a;
	arena_init(&a);
	int rc = -1, added = 0;
	int64_t venue = venue_find(db, hall);
	if (!venue) {
		struct venue v = {
		    .name = hall,
		    .name_kana = "カナザワガクセイノマチシミンコウリュウカン",
		    .pref = "石川県",
		    .city = "金沢市",
		    .town = "大工町",
		    .street = "15番1号",
		    .has_latlng = true,
		    .lat = 36.5640,
		    .lng = 136.6560,
		    .access = "北鉄バス「片町」または「香林坊」から徒歩約7分",
		    .parking =
			"専用駐車場はありません。近くの有料駐車場か公共交通機関をご利用ください。",
		    .barrier_free = "交流ホールは1階で段差がありません。多目的トイレがあります。",
		};
		if (venue_save(db, &v, &venue) != RC_OK)
			goto fail;
	}
	int64_t series = series_find(db, hub_series);
	if (!series) {
		struct series s = {
		    .name = hub_series,
		    .description =
			"まちで活動したい学生と、担い手を求める地域（町会・商店街）が出会う場です。"
			"地区と学生の取り組みの発表と、地区ごとのフリートークを行います。",
		};
		if (series_save(db, &s, &series) != RC_OK)
			goto fail;
	}

	/* The 3rd HUB and the full event sit about a month ahead of today,
	 * at 18:30 JST on the 15th, so they stay in the future. */
	struct jst now;
	jp_unix_to_jst(time(NULL), &now);
	int ny = now.m == 12 ? now.y + 1 : now.y, nm = now.m == 12 ? 1 : now.m + 1;
	int64_t next = jp_jst_to_unix(ny, nm, 15, 18, 30, 0);
	int64_t next_sat = jp_jst_to_unix(ny, nm, 20, 10, 0, 0);

	struct event events[] = {
	    hub_meeting(series, 2, "まちづくりHUB Project in 金沢 第2回",
			jp_jst_to_unix(2024, 10, 18, 18, 30, 0), 30,
			"「地域で活躍したい学生と市民集まれ!」をテーマに、地区と学生の取り組みの"
			"発表と、地区ごとのフリートークを行います。\n\n"
			"- 材木地区 × 金沢大学ボランティアさぽーとステーション\n"
			"- 尾張町商店街 × Project: AERU\n"
			"- 木倉町、小坂地区からの相談"),
	    {
		.title = "令和7年度 協働のまちづくりチャレンジ事業 事前説明会",
		.title_kana =
		    "レイワナナネンドキョウドウノマチヅクリチャレンジジギョウジゼンセツメイカイ",
		.type = "説明会",
		.starts_at = jp_jst_to_unix(2025, 4, 19, 14, 0, 0),
		.room = "交流ホール",
		.capacity = 40,
		.max_party = 5,
		.audience = "一般\n学生",
		.description =
		    "今年度の募集内容、部門ごとの上限額、応募までの流れ（事前相談を含む）を"
		    "説明します。説明のあとは、これまでの採択団体との交流の時間です。",
	    },
	    {
		.title = "カルタとクイズで兼六園!!",
		.title_kana = "カルタトクイズデケンロクエン",
		.type = "ツアー",
		.group_id = demo_group(db, "金沢城・兼六園研究会"),
		.starts_at = jp_jst_to_unix(2024, 11, 16, 10, 0, 0),
		.room = "兼六園 桂坂口に集合",
		.capacity = 30,
		.max_party = 5,
		.audience = "親子",
		.fee_text = "兼六園の入園料は各自でお支払いください（小人は無料）。",
		.accessibility = "園内は砂利道と坂があります。ベビーカーでの参加はご相談ください。",
		.contact_name = "金沢城・兼六園研究会",
		.description = "兼六園の名所をカルタとクイズで楽しく巡る、親子向けのツアーです。",
	    },
	    hub_meeting(series, 3, DEMO_EVENT_OPEN_TITLE, next, 40,
			"地区からの相談ごとをマッチングボードで紹介し、学生と地域の方が"
			"テーブルごとに話し合います。初めての方も歓迎します。"),
	    {
		.title = DEMO_EVENT_FULL_TITLE,
		.title_kana = "オヤコデアルクボウサイマチアルキ",
		.type = "体験",
		.starts_at = next_sat,
		.room = "交流ホール（集合・解散）",
		.capacity = 10,
		.max_party = 4,
		.audience = "親子",
		.description =
		    "避難場所や消火栓の場所を、親子で歩いて確かめます。定員に達したあとは"
		    "キャンセル待ちで受け付けます。",
	    },
	};
	for (size_t i = 0; i < DEMO_COUNT(events); i++) {
		struct event *e = &events[i];
		e->ends_at = e->starts_at + 2 * 3600; /* each takes two hours */
		e->published = true;
		if (!e->contact_name) { /* the city's own, at the hall */
			e->venue_id = venue;
			e->contact_name = "市民協働推進課";
		}
		int r = add_event(db, &a, e);
		if (r < 0)
			goto out;
		added += r;
	}
	printf("demo data: %d events added\n", added);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "kyodo: could not add demo venue or series: %s\n", db_errmsg(db));
out:
	arena_free(&a);
	return rc;
}
