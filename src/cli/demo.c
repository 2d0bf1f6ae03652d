/*
 * kyodo demo: themes and the citizen groups named in Kanazawa's newsletter
 * (vol.16), described in our own words with the facts the issue gives,
 * and then the rest of the demo (cli/demo_*.c), all through the domain's
 * functions.  Running it again adds only what is missing.
 */
#include "challenge/call.h"
#include "challenge/consultation.h"
#include "cli/cli.h"
#include "cli/demo_events.h"
#include "cli/demo_proposals.h"
#include "cli/demo_registrations.h"
#include "cli/demo_reports.h"
#include "cli/demo_screening.h"
#include "cli/demo_util.h"
#include "core/role.h"
#include "groups/group.h"
#include "groups/theme.h"
#include "store/db.h"
#include "util/jp.h"
#include "util/str.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const demo_themes[] = {"防災",	"子育て",     "福祉",	    "医療",
					  "環境",	"文化・歴史", "人権",	    "教育",
					  "地域活性化", "学生・若者", "多世代交流", NULL};

struct demo_group {
	const char *name, *kana, *kind;
	int founded_year, founded_month, members;
	const char *themes[4];
	const char *awards[3];
	const char *purpose;
	const char *town;
};

static const struct demo_group demo_groups[] = {
    {"多職種による防災知識のシェア団体 この指とまれ!",
     "タショクシュニヨルボウサイチシキノシェアダンタイ　コノユビトマレ",
     "任意団体",
     0,
     0,
     -1,
     {"防災", "子育て", "福祉"},
     {NULL},
     "さまざまな職業の経験を持つメンバーが集まり、災害への備えを伝える講座を開いています。\n\n"
     "- 災害時に支援が必要になりやすい方とそのご家族\n- 子育て中の家庭\n- 地域の防災士\n\n"
     "を主な対象に、「大切な人を守れる人」を増やすことを目指しています。令和6年度チャレンジ事業採択"
     "。",
     ""},
    {"金沢城・兼六園研究会",
     "カナザワジョウ・ケンロクエンケンキュウカイ",
     "任意団体",
     2018,
     6,
     115,
     {"文化・歴史", "教育"},
     {NULL},
     "金沢城と兼六園の歴史や文化財を学び、その魅力を多くの人に伝える会です。"
     "会員どうしで学び合いながら、親子向けの体験ツアーなども企画しています。令和6年度チャレンジ事業"
     "採択。",
     ""},
    {"重症児・医療的ケア児相談事業 さくらんぼすまいる",
     "ジュウショウジ・イリョウテキケアジソウダンジギョウ　サクランボスマイル",
     "任意団体",
     0,
     0,
     15,
     {"子育て", "福祉", "医療", "防災"},
     {NULL},
     "障がいのある子を育てる親が中心となり、グループ相談会を軸に、食事の支援や親子で参加できる"
     "防災キャンプなどを開いています。障がいの有無にかかわらず、どの親も安心して子育てできる"
     "社会を目指しています。令和4〜6年度チャレンジ事業採択。",
     ""},
    {"NPOエコラボ",
     "エヌピーオーエコラボ",
     "NPO法人",
     0,
     0,
     -1,
     {"環境", "教育", "地域活性化"},
     {"2020 いいね金沢環境活動賞", "2022 農林水産大臣賞", NULL},
     "気候変動をやわらげ、自然環境を守るため、地域の資源を生かした体験型の環境学習に取り組んでいま"
     "す。"
     "環境と食の学び、マイボトル給水スポットを広げる実証実験と政策提案、省エネの活動などを、"
     "地域の皆さんと進めています。令和4年度チャレンジ事業採択。",
     ""},
    {"脳脊髄液減少症 石川・金沢患者家族支援の会",
     "ノウセキズイエキゲンショウショウ　イシカワ・カナザワカンジャカゾクシエンノカイ",
     "任意団体",
     2019,
     5,
     -1,
     {"医療", "福祉"},
     {NULL},
     "石川県でもこの病気を検査・診断・治療できる体制をつくることを目標に、令和元年から"
     "患者と家族の支援や病気の周知に取り組んでいます。令和元年度チャレンジ事業採択。",
     ""},
    {"Take a step",
     "テイクアステップ",
     "任意団体",
     0,
     0,
     -1,
     {"人権", "子育て", "教育"},
     {NULL},
     "子どもが自分の体と心について自分で決める力を育てることを目指し、学びの場をつくっています。"
     "令和6年度スタート部門採択（担当課：ダイバーシティ人権政策課）。",
     ""},
    {"NPOウェルビーイング ライフサポート金沢",
     "エヌピーオーウェルビーイング　ライフサポートカナザワ",
     "その他",
     0,
     0,
     -1,
     {"子育て", "医療", "福祉"},
     {NULL},
     "出産の前後の心と体のケアを、専門職によるクラスで支えています。"
     "令和6年度スタート部門採択（担当課：福祉健康センター総務課）。",
     ""},
    {"NPO法人WEKプロジェクト",
     "ダブリューイーケープロジェクト",
     "NPO法人",
     0,
     0,
     -1,
     {"子育て", "地域活性化"},
     {NULL},
     "子育て世代と地域をつなぐ「金沢でもんなかプロジェクト」に取り組んでいます。"
     "令和6年度一般部門採択（担当課：子育て支援課）。",
     ""},
    {"にじのわ",
     "ニジノワ",
     "任意団体",
     0,
     0,
     -1,
     {"子育て", "医療", "教育"},
     {NULL},
     "医療の専門職が集まり、子育てを学べる「子育ての学校」を開く準備を進めています。"
     "令和6年度一般部門採択（担当課：福祉健康センター総務課）。",
     ""},
    {"にじいろあそび",
     "ニジイロアソビ",
     "任意団体",
     0,
     0,
     -1,
     {"子育て", "教育", "福祉"},
     {NULL},
     "学校に行きづらい子どもの親どうしがつながれる場をつくっています。"
     "令和6年度一般部門採択（担当課：市民協働推進課）。",
     ""},
    {"特定非営利活動法人ワークライフバランス北陸",
     "ワークライフバランスホクリク",
     "NPO法人",
     0,
     0,
     -1,
     {"地域活性化", "文化・歴史", "多世代交流"},
     {NULL},
     "材木地区・馬場地区の町会連合会と連携し、川と橋をテーマに地域を歩いて語り合う催しを開いていま"
     "す。"
     "令和6年度団体連携部門採択（担当課：市民協働推進課）。",
     "材木町"},
    {"ユースの保健室",
     "ユースノホケンシツ",
     "学生団体",
     0,
     0,
     -1,
     {"学生・若者", "医療", "人権"},
     {NULL},
     "若い世代が性と体の健康について安心して話せるよう、体験を通した対話の催しを開いています。"
     "令和6年度学生部門採択。",
     ""},
    {"学生団体ウィーコード",
     "ガクセイダンタイウィーコード",
     "学生団体",
     0,
     0,
     -1,
     {"学生・若者", "教育", "多世代交流"},
     {NULL},
     "子どもから高齢の方まで、世代をこえてプログラミングを体験できる催しを開いています。"
     "令和6年度学生部門採択。",
     ""},
    {"材木地区町会連合会",
     "ザイモクチクチョウカイレンゴウカイ",
     "町会・地域団体",
     0,
     0,
     -1,
     {"地域活性化", "多世代交流"},
     {NULL},
     "材木地区の町会の連合会です。学生と協力して地域の行事や交流を進めています（KANAZAWA "
     "TSUNAGARU）。",
     "材木町"},
    {"尾張町商店街",
     "オワリチョウショウテンガイ",
     "商店街",
     0,
     0,
     -1,
     {"地域活性化", "学生・若者"},
     {NULL},
     "尾張町の商店街です。毎月の合同会議や手軽な連絡手段を通じて、学生のプロジェクトと一緒に"
     "まちのにぎわいづくりに取り組んでいます。",
     "尾張町"},
    {"金沢大学 ボランティアさぽーとステーション",
     "カナザワダイガク　ボランティアサポートステーション",
     "学生団体",
     0,
     0,
     -1,
     {"学生・若者", "地域活性化"},
     {NULL},
     "地域で活動したい学生を支える学生団体です。材木地区の町会連合会と連携した活動を続けています。",
     ""},
};

/*
 * Pre-consultation slots (事前相談) on the coordinators' usual hours, from
 * tomorrow: three weekday evenings (18:00–19:00) and two weekend afternoons
 * (14:00–15:00), plus one past consultation of a demo group marked done.
 * Slots need an owner: the first coordinator, or else the first admin; with
 * neither, none are made.  Skipped when any slot exists.
 */
static int demo_consultations(struct db *db, struct arena *a)
{
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_SLOT_COUNT);
	if (db_step(st) != DB_ROW)
		return -1;
	int64_t existing = db_int(st, 0);
	db_reset(st);
	if (existing) {
		printf("demo data: consultation slots exist already\n");
		return 0;
	}
	st = db_stmt(db, STMT_CONSULT_DEMO_OWNER);
	db_bind_int(st, 1, ROLE_COORDINATOR | ROLE_ADMIN);
	db_bind_int(st, 2, ROLE_COORDINATOR);
	if (db_step(st) != DB_ROW) {
		printf("demo data: no consultation slots (there is no coordinator or admin yet: "
		       "add one with `kyodo user add` and run `kyodo demo` again)\n");
		return 0;
	}
	int64_t owner = db_int(st, 0);
	db_reset(st);

	int64_t now = (int64_t)time(NULL), id;
	int weekday = 0, weekend = 0;
	for (int day = 1; day <= 14 && (weekday < 3 || weekend < 2); day++) {
		struct jst d;
		jp_unix_to_jst(now + (int64_t)day * 86400, &d);
		bool is_weekend = d.wday == 0 || d.wday == 6;
		if (is_weekend ? weekend >= 2 : weekday >= 3)
			continue;
		int hour = is_weekend ? 14 : 18;
		int64_t starts = jp_jst_to_unix(d.y, d.m, d.d, hour, 0, 0);
		bool online = weekday == 1 && !is_weekend;
		if (consultation_slot_create(db, owner, starts, starts + 3600,
					     online ? "" : "市民活動サポートセンター 相談室",
					     online, 0, &id) != RC_OK)
			return -1;
		*(is_weekend ? &weekend : &weekday) += 1;
	}

	/* A consultation that took place last week, for a demo group, with the
	 * latest published call when there is one. */
	int64_t group = demo_group(db, "NPOエコラボ");
	if (!group)
		return -1;
	struct jst d;
	jp_unix_to_jst(now - 7 * 86400, &d);
	int64_t starts = jp_jst_to_unix(d.y, d.m, d.d, d.wday == 0 || d.wday == 6 ? 14 : 18, 0, 0);
	struct consultation_choice *calls;
	size_t ncalls = 0;
	int64_t call = 0, slot;
	if (consultation_calls(db, a, 1, &calls, &ncalls) == RC_OK && ncalls)
		call = calls[0].id;
	if (consultation_slot_create(db, owner, starts, starts + 3600,
				     "市民活動サポートセンター 相談室", false, 0, &slot) != RC_OK)
		return -1;
	/* The booking is written directly, with the consultation module's
	 * statement: consultation_book() takes bookings from a member of the
	 * group before the slot starts, and this one is in the past and the
	 * demo has no group members, so the slot's owner stands in as the
	 * booker.  Marking it done goes through the rule. */
	st = db_stmt(db, STMT_CONSULT_BOOKING_INSERT);
	db_bind_int(st, 1, slot);
	db_bind_int(st, 2, group);
	if (call)
		db_bind_int(st, 3, call);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, owner);
	db_bind_int(st, 5, starts - 3 * 86400);
	if (db_exec(st) != DB_OK)
		return -1;
	if (consultation_booking_done(
		db, db_last_id(db),
		"マイボトル給水スポットの実証実験を企画提案にまとめる方向で助言。"
		"担当課との事前相談を早めに予約するよう案内した。",
		owner, true, starts + 3600) != RC_OK)
		return -1;
	printf("demo data: %d consultation slots added, and one past consultation marked done\n",
	       weekday + weekend + 1);
	return 0;
}

/* ---- the challenge program: divisions, the program, two yearly calls ---- */

static const struct {
	const char *name, *contact;
} demo_divisions[] = {
    {"市民協働推進課", "TEL 076-220-2026　kyoudou@city.kanazawa.lg.jp"},
    {"子育て支援課", ""},
    {"福祉健康センター総務課", ""},
    {"ダイバーシティ人権政策課", ""},
};

/* The four categories; the year of each date comes from the call. */
static const struct demo_category demo_categories[] = {
    {"スタート部門", "スタート",
     "活動を始めたばかりの団体や、新しい取り組みをまず小さく試してみたい団体のための部門です。",
     "5人以上で構成され、主に市内で活動する団体（法人格は問いません）。", 100000, 5, 1, true,
     "03-31", 4},
    {"一般部門", "一般",
     "地域の課題に市の担当課と役割を分け合って取り組む、本格的な協働事業のための部門です。",
     "5人以上で構成され、主に市内で活動する団体（法人格は問いません）。", 500000, 5, 1, true,
     "03-31", 6},
    {"団体連携部門", "団体連携",
     "複数の団体が得意分野を持ち寄り、市と一緒に一つの事業を進めるための部門です。",
     "2つ以上の団体が共同で応募します。代表団体は5人以上で構成され、主に市内で活動すること。",
     600000, 5, 2, true, "03-31", 2},
    {"学生・高校生部門", "学生",
     "大学生・専門学校生・高校生が、地域の人と一緒にまちの課題に挑戦するための部門です。",
     "市内の大学・短期大学・専門学校・高校に通う学生5人以上で構成される団体。", 100000, 5, 1, false,
     "02-28", 3},
};

/* Divisions, the program and its 令和7年度 (closed, results announced) and
 * 令和8年度 (open now: the demo runs at the real date) calls.  Returns the
 * number of calls added, or -1. */
static int demo_challenge(struct db *db, struct arena *a)
{
	int rc = -1, added = 0;
	for (size_t i = 0; i < DEMO_COUNT(demo_divisions); i++) {
		if (demo_division(db, a, demo_divisions[i].name))
			continue;
		struct division d = {.name = demo_divisions[i].name,
				     .contact = demo_divisions[i].contact};
		if (division_save(db, &d, 0) != RC_OK)
			goto out;
	}
	int64_t program_id = demo_program(db, a, demo_program_name);
	if (!program_id) {
		struct program p = {
		    .name = demo_program_name,
		    .description =
			"市民のみなさんが提案するまちづくりの企画を、市の担当課と一緒に実現する事業"
			"です。採択された事業には委託金を支払い、団体と市が役割を分け合って進めます"
			"。\n\n応募の前に、サポートセンターのコーディネーターと担当課への**"
			"事前相談**"
			"をお願いしています（部門によって異なります）。",
		};
		if (program_save(db, &p, 0) != RC_OK)
			goto out;
		program_id = p.id;
	}

	const struct demo_call calls[] = {
	    {
		.fiscal_year = 2025,
		.title = "令和7年度 協働のまちづくりチャレンジ事業 提案募集",
		.description =
		    "市民のみなさんから、市と協働して取り組むまちづくりの企画を募集しました。"
		    "\n\n- 4つの部門があります\n- 部門ごとに上限額と締切が異なります\n"
		    "- 採択結果はこのページでお知らせします",
		.created = JST(2025, 4, 1, 9, 0) - 30 * 86400,
		.opens = JST(2025, 4, 1, 9, 0),
		.deadline = JST(2025, 5, 30, 17, 0),
		.other_deadline = JST(2025, 6, 30, 17, 0),
		.briefing = {JST(2025, 4, 19, 13, 30), JST(2025, 4, 19, 15, 30)},
		.review1 = {JST(2025, 6, 9, 9, 0), JST(2025, 6, 20, 17, 0)},
		.review2 = {JST(2025, 7, 12, 13, 0), JST(2025, 7, 12, 17, 0)},
		.other_review2 = {JST(2025, 8, 2, 13, 0), JST(2025, 8, 2, 16, 0)},
		.announce = JST(2025, 8, 8, 10, 0),
		.results = {JST(2026, 3, 14, 13, 0), JST(2026, 3, 14, 16, 30)},
		.categories = demo_categories,
		.ncategories = DEMO_COUNT(demo_categories),
	    },
	    {
		.fiscal_year = 2026,
		.title = "令和8年度 協働のまちづくりチャレンジ事業 提案募集",
		.description =
		    "市と協働して取り組むまちづくりの企画を募集しています。\n\n"
		    "応募の前に、コーディネーターへの事前相談を予約してください。"
		    "スタート・一般・団体連携部門は、協働を希望する担当課への事前相談も必要で"
		    "す。",
		.created = JST(2026, 10, 1, 9, 0) - 30 * 86400,
		.opens = JST(2026, 10, 1, 9, 0),
		.deadline = JST(2027, 1, 29, 17, 0),
		.other_deadline = JST(2027, 1, 29, 17, 0),
		.briefing = {JST(2026, 10, 17, 13, 30), JST(2026, 10, 17, 15, 30)},
		.review1 = {JST(2027, 2, 1, 9, 0), JST(2027, 2, 10, 17, 0)},
		.review2 = {JST(2027, 2, 20, 13, 0), JST(2027, 2, 20, 17, 0)},
		.announce = JST(2027, 2, 26, 10, 0),
		.categories = demo_categories,
		.ncategories = DEMO_COUNT(demo_categories),
	    }};
	for (size_t i = 0; i < DEMO_COUNT(calls); i++) {
		int64_t id;
		int n = demo_call_add(db, a, program_id, &calls[i], &id);
		if (n < 0)
			goto out;
		added += n;
	}
	rc = added;
out:
	if (rc < 0)
		fprintf(stderr, "kyodo: could not add the demo calls: %s\n", db_errmsg(db));
	return rc;
}

/* Is name among ts[0..n)? */
static bool has_theme(const struct theme *ts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ts[i].name, name) == 0)
			return true;
	return false;
}

/* The themes (theme_create) and the groups (group_save) the demo lacks;
 * *themes and *groups count those added.  0, or -1. */
static int demo_directory(struct db *db, struct arena *a, int *themes, int *groups)
{
	struct theme *ts;
	size_t nt = theme_list(db, a, true, &ts);
	for (int i = 0; demo_themes[i]; i++) {
		if (has_theme(ts, nt, demo_themes[i]))
			continue;
		if (theme_create(db, a, demo_themes[i], (i + 1) * 10, 0, NULL) != RC_OK)
			return -1;
		(*themes)++;
	}
	for (size_t i = 0; i < DEMO_COUNT(demo_groups); i++) {
		const struct demo_group *d = &demo_groups[i];
		if (demo_group(db, d->name))
			continue;
		struct group g = {
		    .name = d->name,
		    .name_kana = d->kana,
		    .kind = d->kind,
		    .founded_year = d->founded_year,
		    .founded_month = d->founded_month,
		    .members = d->members,
		    .purpose = d->purpose,
		    .public_contact = "",
		    .private_contact = "",
		    .rep_title = "",
		    .rep_name = "",
		    .rep_kana = "",
		    .pref = "石川県",
		    .city = "金沢市",
		    .town = d->town,
		    .street = "",
		    .building = "",
		    .website = "",
		};
		while (g.nthemes < 4 && d->themes[g.nthemes])
			g.nthemes++;
		g.themes = (const char **)d->themes;
		struct award aw[3];
		for (size_t k = 0; k < 3 && d->awards[k]; k++) {
			int64_t y;
			str_to_i64((struct str){d->awards[k], 4}, 1868, 2100, &y);
			aw[k].year = y;
			aw[k].title = d->awards[k] + 5;
			g.nawards++;
		}
		g.awards = aw;
		if (group_save(db, a, &g, NULL, 0) != RC_OK) {
			fprintf(stderr, "kyodo: could not add demo group %s\n", d->name);
			return -1;
		}
		(*groups)++;
	}
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	(void)argv;
	if (argc) {
		fprintf(stderr, "usage: kyodo demo\n");
		return 2;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	struct arena a;
	arena_init(&a);
	int themes = 0, groups = 0, rc = 1;
	if (demo_directory(db, &a, &themes, &groups) != 0)
		goto out;
	int calls = demo_challenge(db, &a);
	if (calls < 0)
		goto out;
	printf("demo data: %d themes and %d groups added\n", themes, groups);
	printf("demo data: %d calls added\n", calls);
	if (demo_consultations(db, &a) != 0) {
		fprintf(stderr, "kyodo: could not add demo consultations\n");
		goto out;
	}
	/* Reports and registrations need the demo events. */
	if (demo_proposals(db) != 0 || demo_screening(db) != 0 || demo_events(db) != 0 ||
	    demo_reports(db) != 0 || demo_registrations(db) != 0)
		goto out;
	rc = 0;
out:
	arena_free(&a);
	db_close(db);
	return rc;
}
