/*
 * Demo event report: the 2nd まちづくりHUB Project in 金沢 (2024-10-18, 30
 * participants).  The facts are the newsletter's (vol.16); the sentences
 * are our own.  The graphic minutes are a plain image drawn here — four
 * coloured blocks for the four districts, no text — because the printed
 * one is not ours to copy; its text summary says what the real one shows.
 */
#include "cli/demo_reports.h"
#include "events/event.h"
#include "events/event_report.h"
#include "files/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

static const char *const hub_series = "まちづくりHUB Project in 金沢";
static const int hub_no = 2;

static const char *const minutes =
    "## 当日の流れ\n\n"
    "「地域で活躍したい学生と市民集まれ!」をテーマに、学生と地域の方が顔を合わせました。\n\n"
    "1. 地区と学生団体の組み合わせによる事例発表\n"
    "2. 地区ごとに分かれてのフリートーク\n"
    "3. 全体での共有\n\n"
    "## 事例発表\n\n"
    "- 材木地区町会連合会と金沢大学ボランティアさぽーとステーション（KANAZAWA TSUNAGARU）\n"
    "- 尾張町商店街と金沢大学 Project: AERU\n\n"
    "## 連携のかたち\n\n"
    "地域と学生の関わり方として、協力型・協働型・共存型・共同型の4つを紹介しました。\n\n"
    "## これから\n\n"
    "当日の発表と意見は1枚のグラフィック議事録にまとめ、協働通信でも紹介します。";

static const char *const summary =
    "金沢市の地図を中央に置き、材木地区・木倉町地区・小坂地区・尾張町地区の4地区を示した1枚の絵です"
    "。\n"
    "各地区の枠には、地区と学生団体の組み合わせ（材木地区町会連合会と金沢大学ボランティアさぽーとス"
    "テーション、尾張町商店街と金沢大学 Project: AERU "
    "など）と、フリートークで出た意見を書いています。\n"
    "中央には「地域と学生の連携のカタチ」として、協力型・協働型・共存型・共同型の4つの型を並べてい"
    "ます。";

static const struct report_note notes[] = {
    {"材木地区",
     "町会連合会と金沢大学ボランティアさぽーとステーションが「KANAZAWA TSUNAGARU」として続けている"
     "連携を紹介しました。\n地区の行事に学生が加わる形を、ほかの地区でも使えないか話し合いました"
     "。"},
    {"木倉町地区",
     "飲食店はアルバイトの学生やお客さんとしての学生に来てほしい一方、学生はふだん十分な食事がとれ"
     "て"
     "いないという話が出ました。\n両方の困りごとをつなぐため、お店をめぐる「食」のツアーを企画する"
     "案"
     "が出ました。店主と話す機会をつくり、食や人への関心から交流が生まれることを目指します。"},
    {"小坂地区",
     "いろいろな目的に使える地域の集いの場をどう広げるかがテーマでした。\nいまは役割分担ができてい"
     "る"
     "ものの、今後は分担にこだわらず互いに協力し、交流を増やしたいという意見が出ました。キーワード"
     "は"
     "「複数」。公民館のような場所を、目的を持った人が集まる場にできないかを考えました。"},
    {"尾張町地区", "尾張町商店街が学生とうまくやりとりできている方法を、ほかの団体の学生に伝えまし"
		   "た。\n月1回の合同"
		   "会議、地域側にいる学生とのつなぎ役、学生の主体性の尊重、LINEなどの気軽な連絡手"
		   "段がポイントです。"
		   "これからも地域と学生が一緒に活動を続けたいという声がありました。"},
};

static const struct report_voice voices[] = {
    {"学生がやってみたいことを試せる場として、地域をどんどん使ってほしい。", "地域の方"},
    {"まだ知られていない地域の良さを拾い上げた企画ができたらうれしい。", "参加者"},
    {"小さなイベントからでも、地域を元気にしてもらえれば。", "地域の方"},
};

/* A plain 480×320 PNG: a light background and four blocks, one per
 * district.  0 with *png (g_free) and *n set, or -1. */
static int draw_png(void **png, size_t *n)
{
	static const double bg[3] = {250, 246, 236};
	static const double ink[4][3] = {
	    {0, 106, 182}, {212, 96, 0}, {38, 140, 60}, {150, 60, 140}};
	VipsImage *black = NULL, *img = NULL;
	int rc = -1;
	if (files_image_init() != 0) /* libvips, started as for every image */
		return -1;
	double one[3] = {0, 0, 0};
	if (vips_black(&black, 480, 320, "bands", 3, NULL) != 0 ||
	    vips_linear(black, &img, one, (double *)bg, 3, "uchar", TRUE, NULL) != 0)
		goto out;
	/* Drawing needs the pixels in memory. */
	VipsImage *mem = vips_image_copy_memory(img);
	if (!mem)
		goto out;
	g_object_unref(img);
	img = mem;
	for (int i = 0; i < 4; i++)
		if (vips_draw_rect(img, (double *)ink[i], 3, 40 + (i % 2) * 220, 30 + (i / 2) * 150,
				   180, 110, "fill", TRUE, NULL) != 0)
			goto out;
	if (vips_pngsave_buffer(img, png, n, NULL) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "kyodo: demo image: %s\n", vips_error_buffer());
	if (img)
		g_object_unref(img);
	if (black)
		g_object_unref(black);
	return rc;
}

int demo_reports(struct db *db)
{
	int64_t series = series_find(db, hub_series);
	int64_t event = series ? event_find_in_series(db, series, hub_no) : 0;
	if (!event) {
		printf("demo data: no 2nd HUB event, so no event report added\n");
		return 0;
	}
	int rc = -1;
	struct arena a;
	arena_init(&a);
	struct event_report rep;
	enum rc got = event_report_get(db, &a, event, &rep);
	if (got == RC_OK) {
		rc = 0;
		goto out;
	}
	if (got != RC_NOT_FOUND)
		goto out;
	if (files_init(getenv("KYODO_FILES")) != 0)
		goto out;
	void *png = NULL;
	size_t n = 0;
	if (draw_png(&png, &n) != 0)
		goto out;
	struct upload u = {.field = "graphic",
			   .filename = "hub-2-graphic-minutes.png",
			   .content_type = "image/png"};
	buf_add(&u.data, png, n);
	g_free(png);
	int64_t file_id = 0;
	const char *error = NULL;
	int stored = file_store(db, &a, &u, FILE_PNG, (size_t)10 << 20, 0, &file_id, &error);
	buf_release(&u.data);
	if (stored != 0) {
		fprintf(stderr, "kyodo: demo graphic minutes: %s\n", error ? error : "not stored");
		goto out;
	}
	memset(&rep, 0, sizeof(rep));
	rep.event_id = event;
	rep.participants = 30;
	rep.minutes = minutes;
	rep.graphic_file_id = file_id;
	rep.graphic_summary = summary;
	rep.voices = (struct report_voice *)voices;
	rep.nvoices = sizeof(voices) / sizeof(voices[0]);
	rep.notes = (struct report_note *)notes;
	rep.nnotes = sizeof(notes) / sizeof(notes[0]);
	if (event_report_save(db, &rep, (int64_t)time(NULL), 0) != RC_OK) {
		fprintf(stderr, "kyodo: could not add the demo event report\n");
		goto out;
	}
	printf("demo data: the report of the 2nd HUB meeting added\n");
	rc = 0;
out:
	arena_free(&a);
	return rc;
}
