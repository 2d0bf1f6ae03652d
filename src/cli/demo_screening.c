/*
 * Demo screening and adoption: the 令和6年度 call as the newsletter (vol.16)
 * lists its adopted groups — categories and partner divisions are the
 * issue's; titles are the projects' names; summaries are in our own words —
 * screened, adopted and released; earlier adoptions of featured groups as
 * history; and the 令和7年度 call half way through its 1次審査.
 *
 * Everything goes through the rules, at the time it happened: the office
 * sets up the default stages (review_setup_defaults) and words the
 * criteria as the demo wants them, the reviewers save their score sheets
 * in the scoring window (review_sheet_save), the office closes each stage
 * and decides (review_decide), adopts (adoption_decide) and releases the
 * results (adoption_release).  Two steps have no rule and stay direct,
 * each commented where it happens: entering a proposal that arrived in a
 * past year (cli/demo_util.c) and a project from before kyodo.
 */
#include "cli/demo_screening.h"
#include "accounts/auth.h"
#include "accounts/user.h"
#include "challenge/adoption.h"
#include "challenge/review.h"
#include "cli/demo_util.h"
#include "core/role.h"
#include "groups/group.h"
#include "util/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEMO_REVIEWERS 3

/* ---- history from before kyodo ------------------------------------------ */

static const struct {
	const char *group;
	int fiscal_year;
	const char *category, *title, *summary;
} history[] = {
    {"脳脊髄液減少症 石川・金沢患者家族支援の会", 2019, "一般部門",
     "脳脊髄液減少症を知ってもらうための啓発事業",
     "まだ広く知られていない脳脊髄液減少症について、講演会やリーフレットで患者と家族の"
     "声を届け、相談できる窓口と医療につなげます。"},
    {"重症児・医療的ケア児相談事業 さくらんぼすまいる", 2022, "一般部門",
     "医療的ケア児の親のグループ相談会",
     "医療的ケアが必要な子どもを育てる親が集まり、悩みや工夫を分け合う相談会を定期的に"
     "開きます。"},
    {"重症児・医療的ケア児相談事業 さくらんぼすまいる", 2023, "一般部門",
     "親子で参加できる食事支援と防災キャンプ",
     "障がいのある子どもと家族が参加できる食事の支援と、停電や避難を体験する防災キャンプ"
     "を行います。"},
    {"NPOエコラボ", 2022, "一般部門", "マイボトル給水スポットを広げる実証実験",
     "まちなかの店舗や施設にマイボトルへの給水スポットを設け、利用の記録をもとに使い捨て"
     "容器を減らす方法を市に提案します。"},
};

/* ---- the 令和6年度 call ---------------------------------------------------- */

static const struct demo_category r6_categories[] = {
    {"スタート部門", "スタート",
     "活動を始めたばかりの団体が、新しい取り組みを小さく試すための部門です。",
     "5人以上で、主に市内で活動する団体（法人格は問いません）。", 100000, 5, 1, true, "03-31", 4},
    {"一般部門", "一般", "市の担当課と役割を分け合って地域の課題に取り組む、協働事業の部門です。",
     "5人以上で、主に市内で活動する団体（法人格は問いません）。", 500000, 5, 1, true, "03-31", 6},
    {"団体連携部門", "団体連携", "複数の団体が力を合わせ、市と一緒に一つの事業を進める部門です。",
     "2つ以上の団体が共同で応募します。代表団体は5人以上で、主に市内で活動すること。", 600000, 5, 2,
     true, "03-31", 2},
    {"学生・高校生部門", "学生",
     "大学生・専門学校生・高校生が地域の人と一緒にまちの課題に挑む部門です。",
     "市内の学校に通う学生5人以上の団体。", 100000, 5, 1, false, "02-28", 3},
};

struct demo_entry {
	const char *group, *category, *division;
	const char *partners[2];
	const char *title, *summary, *background, *content;
	struct demo_line expense[3], income;
	int64_t grant; /* 0: the requested amount */
	int stop;      /* 0 adopted; 1 did not pass the 1次審査 */
};

static const struct demo_entry r6[] = {
    {"Take a step",
     "スタート",
     "ダイバーシティ人権政策課",
     {NULL},
     "「わたしの身体はわたしのもの」子供の自己決定能力を育む金沢に！",
     "子どもが自分のからだと気持ちを大切にし、自分のことを自分で決める力を育てる講座を、"
     "親子を対象に開きます。",
     "からだや気持ちのことを家庭で話す機会が少なく、困ったときに声を上げられない子どもが"
     "います。",
     "絵本や人形を使った親子講座を4回開き、家庭で続けられる話し方を紹介します。",
     {{"講師謝金", 10000, 4}, {"教材費", 15000, 1}, {"会場使用料", 5000, 4}},
     {"参加費", 500, 30},
     0,
     0},
    {"NPOウェルビーイング ライフサポート金沢",
     "スタート",
     "福祉健康センター総務課",
     {NULL},
     "産前・産後ケア（メンタルヘルス・プロケアクラス）",
     "妊娠中から産後の母親が心の不調に早く気づき、専門職の支えを受けられるクラスを開きます。",
     "産前・産後は心の不調が起きやすい時期ですが、相談先を知らないまま一人で抱える人が"
     "います。",
     "助産師や心理職によるクラスを4回開き、託児をつけて参加しやすくします。",
     {{"講師謝金", 15000, 4}, {"会場使用料", 6000, 4}, {"託児スタッフ謝金", 3000, 4}},
     {"参加費", 1000, 16},
     0,
     0},
    {"NPO法人WEKプロジェクト",
     "一般",
     "子育て支援課",
     {NULL},
     "金沢でもんなかプロジェクト",
     "子育て中の家族が気軽に立ち寄れる場を市内に開き、地域の人と一緒に子どもの育ちを見守る"
     "つながりをつくります。",
     "近くに頼れる人がいないまま子育てをしている家庭が増えています。",
     "月2回の居場所の開設、地域の人との交流会、情報をまとめた冊子の配布を行います。",
     {{"会場使用料", 10000, 24}, {"スタッフ謝金", 5000, 24}, {"冊子の印刷", 50, 2000}},
     {"参加費", 300, 400},
     300000,
     0},
    {"にじのわ",
     "一般",
     "福祉健康センター総務課",
     {NULL},
     "医療専門職による「子育ての学校・にじのわ」の開設に向けての準備事業",
     "助産師や看護師などの医療専門職が講師となる「子育ての学校」を開くため、試行講座と運営の"
     "仕組みづくりを行います。",
     "子育ての情報はあふれていますが、専門職から落ち着いて学べる場は多くありません。",
     "試行講座を12回開き、参加者の声をもとに学校のカリキュラムと運営体制をまとめます。",
     {{"講師謝金", 15000, 12}, {"会場使用料", 5000, 12}, {"教材費", 20000, 1}},
     {"自己資金", 30000, 1},
     0,
     0},
    {"にじいろあそび",
     "一般",
     "市民協働推進課",
     {NULL},
     "不登校児の親のための「つながりプラットフォーム」をつくる",
     "学校に行きづらい子どもの親どうしがつながり、経験や情報を分け合える交流の場とウェブの"
     "窓口をつくります。",
     "学校に行きづらい子どもの親は、相談できる相手が少なく孤立しがちです。",
     "月1回の交流会、専門家を招く講座、情報をまとめたウェブページの公開を行います。",
     {{"交流会の会場使用料", 8000, 12}, {"講師謝金", 20000, 3}, {"ウェブページ制作", 100000, 1}},
     {"参加費", 300, 120},
     0,
     0},
    {"多職種による防災知識のシェア団体 この指とまれ!",
     "一般",
     "市民協働推進課",
     {NULL},
     "「大切な人を守る人」を増やす多職種防災講座",
     "さまざまな職業の経験を持つメンバーが、子育て家庭や支援が必要な方とその家族に向けて、"
     "備えを身につける講座を開きます。",
     "災害時に支援が必要になりやすい人ほど、備えを学ぶ機会が少ないのが現状です。",
     "対象ごとに内容を変えた防災講座を6回開き、持ち帰れる備えのチェックリストを配ります。",
     {{"講座の資材", 30000, 1}, {"会場使用料", 8000, 6}, {"チラシの印刷", 20, 3000}},
     {"参加費", 300, 60},
     0,
     0},
    {"金沢城・兼六園研究会",
     "一般",
     "市民協働推進課",
     {NULL},
     "カルタとクイズで学ぶ親子の金沢城・兼六園ツアー",
     "カルタやクイズを使った親子向けの体験ツアーで、金沢城と兼六園の歴史や文化財を楽しく"
     "学んでもらいます。",
     "身近にある文化財の魅力が、子育て世代には十分に伝わっていません。",
     "オリジナルのカルタとガイドブックを作り、親子ツアーを開きます。",
     {{"カルタの制作", 800, 100}, {"ガイドブックの印刷", 150, 400}, {"保険料", 300, 100}},
     {"参加費", 500, 100},
     0,
     0},
    {"重症児・医療的ケア児相談事業 さくらんぼすまいる",
     "一般",
     "福祉健康センター総務課",
     {NULL},
     "障がいのある子の親の相談会と親子イベント",
     "障がいのある子を育てる親のグループ相談会を定期的に開き、食事の支援や親子で参加できる"
     "防災キャンプも行います。",
     "障がいのある子の親は、同じ立場の人と話せる機会や、親子で安心して参加できる催しが"
     "限られています。",
     "月1回の相談会、専門職を招く学習会、親子の防災キャンプを行います。",
     {{"相談会の会場使用料", 6000, 12}, {"防災キャンプ", 80000, 1}, {"専門職謝金", 10000, 6}},
     {"自己資金", 12000, 1},
     0,
     0},
    {"尾張町商店街",
     "一般",
     "市民協働推進課",
     {NULL},
     "空き店舗を学生の居場所にするプロジェクト",
     "商店街の空き店舗を学生が自由に使える場に改装し、商店主との交流を生み出します。",
     "商店街に空き店舗が増え、若い人が立ち寄る機会が減っています。",
     "空き店舗の改装と、学生が企画する催しの開催を行います。",
     {{"改装工事", 300000, 1}, {"備品", 100000, 1}, {"光熱水費", 10000, 5}},
     {"自己資金", 0, 0},
     0,
     1},
    {"特定非営利活動法人ワークライフバランス北陸",
     "団体連携",
     "市民協働推進課",
     {"材木地区町会連合会", "馬場地区町会連合会"},
     "【川と橋の物語】episode01 七つ橋わたりと体験型コミュニケーション",
     "川に架かる七つの橋を地域の人と一緒に渡り歩き、橋と川にまつわる話を聞きながら語り合う"
     "体験型の催しを、二つの地区の町会連合会とともに開きます。",
     "地域に残る川と橋の物語が、若い世代や新しく住み始めた人に伝わっていません。",
     "橋わたりの催し、語り部の聞き取り、橋と川の物語をまとめたマップの作成を行います。",
     {{"案内役謝金", 10000, 10}, {"マップ・冊子の印刷", 100, 2000}, {"保険・運営費", 50000, 1}},
     {"参加費", 500, 100},
     0,
     0},
    {"ユースの保健室",
     "学生",
     "市民協働推進課",
     {NULL},
     "知る・触れるSRHR 生理痛体験を通じた対話イベント",
     "生理痛を疑似体験できる機器を使い、性と健康について同世代や大人と気軽に話し合える"
     "イベントを開きます。",
     "性と健康について、若い人が安心して話したり学んだりできる場が身近にありません。",
     "体験と対話のイベントを2回開き、参加者の声をまとめて発信します。",
     {{"体験機器の借用", 30000, 1}, {"会場使用料", 5000, 2}, {"広報物の印刷", 20, 1500}},
     {NULL, 0, 0},
     0,
     0},
    {"学生団体ウィーコード",
     "学生",
     "市民協働推進課",
     {NULL},
     "多世代向けプログラミング体験イベント",
     "子どもから高齢の方までが一緒にプログラミングを体験できるイベントを、学生が講師になって"
     "開きます。",
     "プログラミングに触れる機会は世代や家庭によって大きく違います。",
     "公民館で体験イベントを3回開き、教材を地域に貸し出せる形にまとめます。",
     {{"機材の借用", 20000, 2}, {"会場使用料", 5000, 3}, {"チラシの印刷", 20, 1000}},
     {"参加費", 100, 50},
     0,
     0},
};

/* Criteria of both stages (the screening issue's defaults). */
static const struct {
	const char *name, *description;
	int64_t weight;
} criteria[] = {
    {"公益性", "広く市民の利益につながるか", 1},
    {"協働の必要性", "市と団体が協働することで効果が高まるか", 2},
    {"実現可能性", "計画・体制・予算が事業の実施に見合っているか", 1},
    {"独自性", "団体ならではの発想や強みが生かされているか", 1},
    {"発展性", "事業の終了後も活動の広がりが見込めるか", 1},
    {"費用対効果", "経費に見合った効果が期待できるか", 1},
};
#define NCRITERIA (sizeof(criteria) / sizeof(criteria[0]))

/* Reviewers' comments; a sheet takes one by its position. */
static const char *const good_comments[] = {
    "地域の課題がはっきりしていて、市との役割分担も具体的です。",
    "参加者の声を次の取り組みに生かす仕組みがあると、さらに良くなると思います。",
    "団体の経験が生きた企画です。事業後の継続の見通しも示してください。",
    "対象者に届く広報の工夫が鍵になります。担当課と早めに相談してください。",
    "予算が計画に見合っていて、無理のない内容です。",
    "他の団体や地域とのつながりが広がることを期待します。",
};
static const char *const weak_comments[] = {
    "市と協働する必要性が、企画書からは読み取りにくいと感じました。",
    "経費の大部分が改装に充てられており、費用対効果の説明が不足しています。",
    "学生の参加を確保する方法を具体的に示してほしいです。",
};

static const struct {
	const char *email, *name, *kana;
} demo_reviewers[DEMO_REVIEWERS] = {
    {"demo-reviewer-1@example.jp", "秋山 和子（デモ審査員）", "アキヤマ カズコ"},
    {"demo-reviewer-2@example.jp", "北村 誠（デモ審査員）", "キタムラ マコト"},
    {"demo-reviewer-3@example.jp", "杉本 陽介（デモ審査員）", "スギモト ヨウスケ"},
};

/* ---- small helpers ---------------------------------------------------- */

/* Say on stderr why the rules refused the demo's step what (rc, with *why
 * when there is one); returns -1. */
static int refused(struct arena *a, const char *what, enum rc rc, const struct review_why *why)
{
	const char *text = review_why_text(a, why);
	fprintf(stderr, "kyodo: demo screening, %s: %s\n", what,
		text ? text : msg(review_rc_key(rc)));
	return -1;
}

/* A score 0..5 that varies by reviewer, proposal and criterion around
 * base, so that rankings and standard deviations have something to show. */
static int64_t score_of(int64_t base, size_t reviewer, size_t proposal, size_t criterion)
{
	int64_t v = base + (int64_t)((proposal * 7 + reviewer * 3 + criterion * 5) % 3) - 1;
	return v < 0 ? 0 : v > 5 ? 5 : v;
}

/* 1 when call_id has review stages, 0 when not, -1 on error. */
static int has_stages(struct db *db, struct arena *a, int64_t call_id)
{
	struct review_stage *ss;
	size_t n;
	if (review_stages(db, a, call_id, &ss, &n) != RC_OK)
		return -1;
	return n != 0;
}

/* ---- history ---------------------------------------------------------- */

/* The project of group_id (lead) in fiscal year fy titled title, or 0. */
static int64_t project_of(struct db *db, struct arena *a, int64_t group_id, int64_t fy,
			  const char *title)
{
	struct project_query q = {.fiscal_year = fy, .group_id = group_id, .with_unreleased = true};
	struct project *ps;
	size_t n;
	if (project_list(db, a, &q, &ps, &n) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (ps[i].group_id == group_id && strcmp(ps[i].title, title) == 0)
			return ps[i].id;
	return 0;
}

/*
 * History entry h of group_id as a project without a proposal.  No rule
 * makes one: adoption_store() makes a project from a decided proposal, and
 * these were decided before kyodo.  So the row and its group are written
 * with the adoption module's statements, in one transaction: the smallest
 * direct path.  DB_OK or DB_ERROR.
 */
static int add_project(struct db *db, size_t h, int64_t group_id, int64_t now)
{
	if (db_begin(db) != DB_OK)
		return DB_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_PROJECT_INSERT);
	db_bind_null(st, 1);
	db_bind_int(st, 2, history[h].fiscal_year);
	db_bind_null(st, 3);
	db_bind_null(st, 4);
	db_bind_str(st, 5, history[h].category);
	db_bind_int(st, 6, group_id);
	db_bind_str(st, 7, history[h].title);
	db_bind_str(st, 8, history[h].summary);
	for (int k = 9; k <= 12; k++)
		db_bind_null(st, k);
	db_bind_int(st, 13, now);
	if (db_exec(st) != DB_OK)
		goto fail;
	int64_t id = db_last_id(db);
	st = db_stmt(db, STMT_PROJECT_GROUP_ADD);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, group_id);
	if (db_exec(st) == DB_OK && db_commit(db) == DB_OK)
		return DB_OK;
fail:
	db_rollback(db);
	return DB_ERROR;
}

/* The history entries whose group exists and that are not there yet: the
 * number added, or -1. */
static int add_history(struct db *db, struct arena *a, int64_t now)
{
	int added = 0;
	for (size_t i = 0; i < DEMO_COUNT(history); i++) {
		int64_t gid = demo_group(db, history[i].group);
		if (!gid || project_of(db, a, gid, history[i].fiscal_year, history[i].title))
			continue;
		if (add_project(db, i, gid, now) != DB_OK)
			return -1;
		added++;
	}
	return added;
}

/* ---- the 令和6年度 call ---------------------------------------------------- */

/* The call (published, results out in August 2024), its categories and
 * schedule: demo_call_add()'s result, with *id the call. */
static int r6_call(struct db *db, struct arena *a, int64_t program_id, int64_t *id)
{
	const struct demo_call c = {
	    .fiscal_year = 2024,
	    .title = "令和6年度 協働のまちづくりチャレンジ事業 提案募集",
	    .description = "市と協働して取り組むまちづくりの企画を募集しました。\n\n"
			   "採択された事業は、採択事業一覧でご覧いただけます。",
	    .created = JST(2024, 3, 1, 9, 0),
	    .opens = JST(2024, 4, 1, 9, 0),
	    .deadline = JST(2024, 5, 31, 17, 0),
	    .other_deadline = JST(2024, 6, 28, 17, 0),
	    .briefing = {JST(2024, 4, 20, 13, 30), JST(2024, 4, 20, 15, 30)},
	    .review1 = {JST(2024, 6, 10, 9, 0), JST(2024, 6, 21, 17, 0)},
	    .review2 = {JST(2024, 7, 13, 13, 0), JST(2024, 7, 13, 17, 0)},
	    .announce = JST(2024, 8, 9, 10, 0),
	    .results = {JST(2025, 3, 15, 13, 0), JST(2025, 3, 15, 16, 30)},
	    .categories = r6_categories,
	    .ncategories = DEMO_COUNT(r6_categories),
	};
	return demo_call_add(db, a, program_id, &c, id);
}

/* The second district association of the joint project, which the group
 * directory's demo does not have. */
static int add_baba(struct db *db, struct arena *a)
{
	if (demo_group(db, "馬場地区町会連合会"))
		return 0;
	const char *themes[] = {"地域活性化", "多世代交流"};
	struct group g = {
	    .name = "馬場地区町会連合会",
	    .name_kana = "ババチクチョウカイレンゴウカイ",
	    .kind = "町会・地域団体",
	    .members = -1,
	    .purpose = "馬場地区の町会の連合会です。地区の行事や防災、世代をこえた交流に取り組んで"
		       "います。令和6年度チャレンジ事業（団体連携部門）に連携団体として参加。",
	    .public_contact = "",
	    .private_contact = "",
	    .rep_title = "",
	    .rep_name = "",
	    .rep_kana = "",
	    .pref = "石川県",
	    .city = "金沢市",
	    .town = "",
	    .street = "",
	    .building = "",
	    .website = "",
	    .themes = themes,
	    .nthemes = 2,
	};
	return group_save(db, a, &g, NULL, 0) == RC_OK ? 1 : -1;
}

/* Enter one 令和6年度 proposal, submitted in late May 2024.  Its id, 0 when
 * its group is missing, -1 on error.  An existing one (same title) is
 * returned as it is. */
static int64_t r6_proposal(struct db *db, struct arena *a, int64_t call_id,
			   const struct demo_entry *d, size_t index, int64_t author)
{
	int64_t group_id = demo_group(db, d->group);
	int64_t category_id = demo_category(db, a, call_id, d->category, NULL);
	if (!group_id || !category_id)
		return 0;
	struct proposal_draft dr = {
	    .title = d->title,
	    .summary = d->summary,
	    .background = d->background,
	    .purpose = "地域の人と市が役割を分け合い、課題の解決に向けた取り組みを根づかせること。",
	    .content = d->content,
	    .roles_group = "企画と運営、参加者の募集、記録と報告書のまとめ。",
	    .roles_city = "関係機関との調整、市の広報媒体での周知、会場の紹介。",
	    .effect = "参加者の声を集め、事業の成果と次の課題を報告会で共有します。",
	    .division_id = demo_division(db, a, d->division),
	};
	for (int i = 0; i < 2 && d->partners[i]; i++) {
		int64_t pid = demo_group(db, d->partners[i]);
		if (pid)
			dr.partners[dr.npartners++] = pid;
	}
	dr.schedule[dr.nschedule++] =
	    (struct proposal_sched){1, "令和6年9月〜令和7年2月", "事業の実施"};
	dr.schedule[dr.nschedule++] = (struct proposal_sched){2, "令和7年3月", "成果発表会と報告"};
	demo_budget(&dr, &d->income, 1, d->expense, DEMO_COUNT(d->expense));
	int day = 10 + (int)index;
	int64_t id;
	if (demo_proposal_add(db, a, call_id, category_id, group_id, author, &dr,
			      JST(2024, 5, day, 10, 0), JST(2024, 5, day + 10, 16, 0), &id) < 0)
		return -1;
	return id;
}

/* ---- reviewers -------------------------------------------------------- */

static int by_id(const void *x, const void *y)
{
	int64_t a = ((const struct review_reviewer *)x)->id;
	int64_t b = ((const struct review_reviewer *)y)->id;
	return (a > b) - (a < b);
}

/* Reviewers: the first DEMO_REVIEWERS users with the reviewer role (oldest
 * first), made up to that number with demo accounts whose passwords nobody
 * knows (an admin may set one on the users page). */
static int reviewers(struct db *db, struct arena *a, int64_t *out)
{
	struct review_reviewer *rs;
	size_t nr, n = 0;
	if (review_reviewers(db, a, &rs, &nr) != RC_OK)
		return -1;
	if (nr > 1)
		qsort(rs, nr, sizeof(*rs), by_id);
	for (; n < DEMO_REVIEWERS && n < nr; n++)
		out[n] = rs[n].id;
	for (size_t i = 0; n < DEMO_REVIEWERS && i < DEMO_REVIEWERS; i++) {
		struct user u;
		if (user_by_email(db, a, demo_reviewers[i].email, &u) == RC_OK)
			continue; /* there, but disabled or without the role: skip */
		int64_t id;
		if (user_create(db, demo_reviewers[i].email, demo_reviewers[i].name,
				demo_reviewers[i].kana, ROLE_REVIEWER, auth_new_token(a),
				&id) != RC_OK)
			return -1;
		out[n++] = id;
	}
	return n == DEMO_REVIEWERS ? 0 : -1;
}

/* ---- screening through the rules -------------------------------------- */

/* A stage as the demo screens it. */
struct stage {
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
};

/*
 * The office (office_id, at now) gives call_id its two default stages,
 * words their criteria as criteria[] (the demo weighs 協働の必要性 twice),
 * moves each scoring window to win[k] when the call's milestones gave
 * another one, and publishes the 2次審査's presentation schedule.  st[0],
 * st[1] get the stages as they are then.  0, or -1.
 */
static int setup(struct db *db, struct arena *a, int64_t call_id, int64_t office_id, int64_t now,
		 const int64_t win[2][2], struct stage st[2])
{
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_setup_defaults(db, a, call_id, office_id, now, &why);
	if (rc != RC_OK)
		return refused(a, "set-up", rc, &why);
	struct review_stage *ss;
	size_t n;
	if (review_stages(db, a, call_id, &ss, &n) != RC_OK || n != 2)
		return -1;
	for (size_t k = 0; k < 2; k++) {
		if ((ss[k].opens_at != win[k][0] || ss[k].closes_at != win[k][1]) &&
		    (rc = review_stage_set_window(db, a, ss[k].id, win[k][0], win[k][1], office_id,
						  &why)) != RC_OK)
			return refused(a, "window", rc, &why);
		if (review_criteria(db, a, ss[k].id, &st[k].crit, &st[k].ncrit) != RC_OK ||
		    st[k].ncrit != NCRITERIA)
			return -1;
		for (size_t i = 0; i < NCRITERIA; i++) {
			struct review_criterion *c = &st[k].crit[i];
			c->name = criteria[i].name;
			c->description = criteria[i].description;
			c->weight = criteria[i].weight;
			if ((rc = review_criterion_save(db, a, c, office_id, &why)) != RC_OK)
				return refused(a, "criterion", rc, &why);
		}
	}
	if ((rc = review_set_public(db, ss[1].id, true, office_id)) != RC_OK)
		return refused(a, "schedule", rc, NULL);
	for (size_t k = 0; k < 2; k++)
		if (review_stage_get(db, a, ss[k].id, &st[k].s) != RC_OK)
			return -1;
	return 0;
}

/*
 * The reviewer (ri-th of the demo's) scores proposal (pi-th of its list)
 * in st at `at`, every criterion around base, and submits; or, as a
 * draft, only the first half.  A reviewer the rules recuse (a member of
 * the applicant group) writes nothing.  *saved counts the sheets saved.
 * 0, or -1.
 */
static int score(struct db *db, struct arena *a, const struct stage *st, int64_t proposal,
		 int64_t reviewer, size_t ri, size_t pi, int64_t base, const char *comment,
		 bool submit, int64_t at, size_t *saved)
{
	int64_t scores[NCRITERIA];
	bool has[NCRITERIA];
	for (size_t c = 0; c < NCRITERIA; c++) {
		scores[c] = score_of(base, ri, pi, c);
		has[c] = submit || c < NCRITERIA / 2;
	}
	const struct review_input in = {scores, has, NCRITERIA, comment, submit};
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_sheet_save(db, a, &st->s, st->crit, st->ncrit, proposal, reviewer, &in,
				       at, NULL, &why);
	if (rc == RC_FORBIDDEN)
		return 0;
	if (rc != RC_OK)
		return refused(a, "score sheet", rc, &why);
	(*saved)++;
	return 0;
}

/* The office closes st at `at`.  0, or -1. */
static int close_stage(struct db *db, struct arena *a, const struct stage *st, int64_t office_id,
		       int64_t at)
{
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_stage_close(db, a, st->s.id, office_id, at, &why);
	return rc == RC_OK ? 0 : refused(a, "close", rc, &why);
}

/*
 * The office decides proposal in st at `at`: pass, or fail with the
 * reason the demo gives.  When the stage expects sheets the demo did not
 * write (more users have the reviewer role than its three, or one was
 * recused), the rules want a reason for a pass too, and get one.  0, or -1.
 */
static int decide(struct db *db, struct arena *a, const struct stage *st, int64_t proposal,
		  bool pass, int64_t office_id, int64_t at)
{
	const char *decision = pass ? "pass" : "fail";
	struct review_why why = {NULL, {NULL}};
	enum rc rc =
	    review_decide(db, a, &st->s, proposal, decision,
			  pass ? "" : "合計点が通過点に届かなかったため。", office_id, at, &why);
	if (rc == RC_INVALID && why.key && strcmp(why.key, "review.why.decision_reason") == 0)
		rc = review_decide(db, a, &st->s, proposal, decision,
				   "デモの審査員3名の採点をもとに決定しました。", office_id, at,
				   &why);
	return rc == RC_OK ? 0 : refused(a, "decision", rc, &why);
}

/* The office adopts r6 entry d (proposal) with its grant and division,
 * on 5 August 2024.  0, or -1. */
static int adopt(struct db *db, struct arena *a, const struct demo_entry *d, int64_t proposal,
		 int64_t office_id)
{
	struct proposal p;
	if (proposal_get(db, a, proposal, &p) != RC_OK)
		return -1;
	const struct adoption in = {
	    .proposal_id = p.id,
	    .adopted = true,
	    .grant_yen = d->grant ? d->grant : p.totals.requested,
	    .division_id = demo_division(db, a, d->division),
	    .contract_date = strcmp(d->category, "学生") == 0 ? "2024-09-02" : "2024-08-20",
	    .reason = "",
	};
	struct adoption_problem *ps;
	size_t np;
	const char *why;
	enum rc rc = adoption_decide(db, a, &in, office_id, JST(2024, 8, 5, 15, 0), &ps, &np, &why);
	if (rc == RC_OK)
		return 0;
	const char *key = np ? ps[0].why.key : why ? why : adoption_rc_key(rc);
	fprintf(stderr, "kyodo: demo adoption of %s: %s\n", d->title, msg_or_text(key));
	return -1;
}

/* Stages, sheets, decisions, adoptions and the release of 令和6年度, each
 * at the time it happened.  ids[i] is r6[i]'s proposal (0 when missing). */
static int r6_screening(struct db *db, struct arena *a, int64_t call_id, const int64_t *ids,
			const int64_t *rev, int64_t office_id)
{
	const int64_t win[2][2] = {{JST(2024, 6, 10, 9, 0), JST(2024, 6, 21, 17, 0)},
				   {JST(2024, 7, 13, 13, 0), JST(2024, 7, 13, 17, 0)}};
	struct stage st[2];
	if (setup(db, a, call_id, office_id, JST(2024, 6, 3, 10, 0), win, st) != 0)
		return -1;
	size_t sheets = 0, adopted = 0;
	/* 1次審査: every proposal, each reviewer on another evening. */
	for (size_t i = 0; i < DEMO_COUNT(r6); i++) {
		bool passes = r6[i].stop == 0;
		for (size_t r = 0; ids[i] && r < DEMO_REVIEWERS; r++) {
			const char *comment =
			    passes ? good_comments[(i + r) % DEMO_COUNT(good_comments)]
				   : weak_comments[r % DEMO_COUNT(weak_comments)];
			if (score(db, a, &st[0], ids[i], rev[r], r, i, passes ? 4 : 2, comment,
				  true, JST(2024, 6, 14 + (int)r, 20, 0), &sheets) != 0)
				return -1;
		}
	}
	if (close_stage(db, a, &st[0], office_id, JST(2024, 6, 24, 10, 0)) != 0)
		return -1;
	for (size_t i = 0; i < DEMO_COUNT(r6); i++)
		if (ids[i] && decide(db, a, &st[0], ids[i], r6[i].stop == 0, office_id,
				     JST(2024, 6, 24, 11, 0)) != 0)
			return -1;
	/* 2次審査: those that passed, scored on the day of the presentations. */
	for (size_t i = 0; i < DEMO_COUNT(r6); i++)
		for (size_t r = 0; ids[i] && r6[i].stop == 0 && r < DEMO_REVIEWERS; r++)
			if (score(db, a, &st[1], ids[i], rev[r], r, i + 1, 4,
				  good_comments[(i + r + 3) % DEMO_COUNT(good_comments)], true,
				  JST(2024, 7, 13, 16, 30), &sheets) != 0)
				return -1;
	if (close_stage(db, a, &st[1], office_id, JST(2024, 7, 13, 18, 0)) != 0)
		return -1;
	for (size_t i = 0; i < DEMO_COUNT(r6); i++) {
		if (!ids[i] || r6[i].stop != 0)
			continue;
		if (decide(db, a, &st[1], ids[i], true, office_id, JST(2024, 7, 13, 18, 30)) != 0 ||
		    adopt(db, a, &r6[i], ids[i], office_id) != 0)
			return -1;
		adopted++;
	}
	/* The results, with the reviewers' comments, on 9 August 2024. */
	size_t notified;
	struct adoption_reason rwhy;
	enum rc rc = adoption_release(db, a, call_id, true, office_id, JST(2024, 8, 9, 10, 0),
				      &notified, &rwhy);
	if (rc != RC_OK) {
		fprintf(stderr, "kyodo: demo release: %s\n",
			msg(rwhy.key ? rwhy.key : adoption_rc_key(rc)));
		return -1;
	}
	printf("demo data: 令和6年度 screened in two stages, %zu projects adopted and released\n",
	       adopted);
	return 0;
}

/* 令和7年度: the 1次審査 open now (opened 5 days ago, closes in 9 days),
 * the 2次審査 three weeks ahead; of each reviewer's sheets on the submitted
 * proposals some are submitted, some drafts and some not started. */
static int r7_in_progress(struct db *db, struct arena *a, int64_t call_id, const int64_t *rev,
			  int64_t office_id, int64_t now)
{
	struct proposal_query q = {
	    .call_id = call_id, .status = "submitted", .page = 1, .per_page = 64};
	struct proposal_summary *ps;
	size_t np;
	int64_t total;
	if (proposal_list(db, a, &q, &ps, &np, &total) != RC_OK)
		return -1;
	const int64_t win[2][2] = {{now - 5 * 86400, now + 9 * 86400},
				   {now + 21 * 86400, now + 21 * 86400 + 4 * 3600}};
	struct stage st[2];
	if (setup(db, a, call_id, office_id, now, win, st) != 0)
		return -1;
	size_t submitted = 0, drafts = 0;
	for (size_t i = 0; i < np; i++)
		for (size_t r = 0; r < DEMO_REVIEWERS; r++) {
			size_t k = (i + r) % 3;
			if (k == 2)
				continue; /* not started */
			const char *comment =
			    k == 0 ? good_comments[(i + r) % DEMO_COUNT(good_comments)] : "";
			if (score(db, a, &st[0], ps[i].id, rev[r], r, i, 4, comment, k == 0,
				  now - (int64_t)(r + 1) * 86400,
				  k == 0 ? &submitted : &drafts) != 0)
				return -1;
		}
	printf("demo data: 令和7年度 1次審査 open: %zu sheets submitted, %zu drafts\n", submitted,
	       drafts);
	return 0;
}

int demo_screening(struct db *db)
{
	struct arena a;
	arena_init(&a);
	int rc = -1;
	int64_t now = (int64_t)time(NULL);
	int64_t program_id = demo_program(db, &a, demo_program_name);
	if (!program_id) {
		printf("demo data: no screening (the program %s is missing)\n", demo_program_name);
		rc = 0;
		goto out;
	}
	int h = add_history(db, &a, now);
	if (h < 0)
		goto fail;
	int64_t r6_id;
	int call_added = r6_call(db, &a, program_id, &r6_id);
	if (call_added < 0)
		goto fail;
	printf("demo data: %d earlier adoptions added%s\n", h,
	       call_added ? ", and the 令和6年度 call" : "");

	int64_t office_id = demo_admin(db);
	if (!office_id) {
		printf(
		    "demo data: no screening (there is no admin to author the proposals yet: add "
		    "one with `kyodo user add` and run `kyodo demo` again)\n");
		rc = 0;
		goto out;
	}
	int64_t rev[DEMO_REVIEWERS];
	if (reviewers(db, &a, rev) != 0)
		goto fail;

	int has = has_stages(db, &a, r6_id);
	if (has < 0)
		goto fail;
	if (!has) {
		if (add_baba(db, &a) < 0)
			goto fail;
		int64_t ids[DEMO_COUNT(r6)];
		for (size_t i = 0; i < DEMO_COUNT(r6); i++) {
			ids[i] = r6_proposal(db, &a, r6_id, &r6[i], i, office_id);
			if (ids[i] < 0)
				goto fail;
		}
		if (r6_screening(db, &a, r6_id, ids, rev, office_id) != 0)
			goto fail;
	}
	int64_t r7_id = demo_call_of(db, &a, program_id, 2025);
	has = r7_id ? has_stages(db, &a, r7_id) : 1;
	if (has < 0 || (!has && r7_in_progress(db, &a, r7_id, rev, office_id, now) != 0))
		goto fail;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "kyodo: could not add the demo screening: %s\n", db_errmsg(db));
out:
	arena_free(&a);
	return rc;
}
