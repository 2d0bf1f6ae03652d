/*
 * Demo screening and adoption: the 令和6年度 call as the newsletter (vol.16)
 * lists its adopted groups — categories and partner divisions are the
 * issue's; titles are the projects' names; summaries are in our own words —
 * screened, adopted and released; earlier adoptions of featured groups as
 * history; and the 令和7年度 call half way through its 1次審査.
 *
 * Proposals are written like the demo proposals (cli/demo_proposals.c):
 * rows first, then proposal_save() and the submission statements, because
 * the call closed long ago.  The screening rows (stages, criteria, sheets,
 * scores, decisions) go in directly, in one transaction per call, as the
 * review module would have left them; adoptions go through
 * adoption_store() so that projects are made as the office's decisions
 * make them.
 */
#include "cli/demo_screening.h"
#include "challenge/adoption.h"
#include "accounts/auth.h"
#include "challenge/call.h"
#include "groups/group.h"
#include "challenge/proposal.h"
#include "core/role.h"
#include "accounts/user.h"
#include "util/jp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define JST(y, m, d, hh, mi) jp_jst_to_unix(y, m, d, hh, mi, 0)

static const char demo_program[] = "協働のまちづくりチャレンジ事業";
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

struct demo_category {
	const char *name, *short_name, *description, *eligibility;
	int64_t cap_yen, min_members, min_groups;
	bool needs_division;
	const char *implementation_end;
	int64_t expected;
};

static const struct demo_category r6_categories[] = {
    {"スタート部門", "スタート",
     "活動を始めたばかりの団体が、新しい取り組みを小さく試すための部門です。",
     "5人以上で、主に市内で活動する団体（法人格は問いません）。", 100000, 5, 1, true, "2025-03-31",
     4},
    {"一般部門", "一般", "市の担当課と役割を分け合って地域の課題に取り組む、協働事業の部門です。",
     "5人以上で、主に市内で活動する団体（法人格は問いません）。", 500000, 5, 1, true, "2025-03-31",
     6},
    {"団体連携部門", "団体連携", "複数の団体が力を合わせ、市と一緒に一つの事業を進める部門です。",
     "2つ以上の団体が共同で応募します。代表団体は5人以上で、主に市内で活動すること。", 600000, 5, 2,
     true, "2025-03-31", 2},
    {"学生・高校生部門", "学生",
     "大学生・専門学校生・高校生が地域の人と一緒にまちの課題に挑む部門です。",
     "市内の学校に通う学生5人以上の団体。", 100000, 5, 1, false, "2025-02-28", 3},
};

struct demo_line {
	const char *item;
	int64_t price, qty;
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

/* The first row's first column of a statement already bound, or 0. */
static int64_t first_int(struct db_stmt *st)
{
	if (db_step(st) != DB_ROW)
		return 0;
	int64_t v = db_int(st, 0);
	db_reset(st);
	return v;
}

static int64_t group_by_name(struct db *db, const char *name)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_BY_NAME);
	db_bind_str(st, 1, name);
	return first_int(st);
}

static int64_t call_of(struct db *db, int64_t program_id, int fy)
{
	struct db_stmt *st = db_stmt(db, STMT_CALL_BY_PROGRAM_YEAR);
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, fy);
	return first_int(st);
}

static int64_t division_of(struct db *db, struct arena *a, const char *name)
{
	struct division *ds;
	size_t n;
	if (!name || division_list(db, a, true, &ds, &n) != CALL_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ds[i].name, name) == 0)
			return ds[i].id;
	return 0;
}

static int64_t category_of(struct db *db, struct arena *a, int64_t call_id, const char *short_name,
			   struct category *out)
{
	struct category *cats;
	size_t n;
	if (call_categories(db, a, call_id, &cats, &n) != CALL_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(cats[i].short_name, short_name) == 0) {
			if (out)
				*out = cats[i];
			return cats[i].id;
		}
	return 0;
}

/* A score 0..5 that varies by reviewer, proposal and criterion around
 * base, so that rankings and standard deviations have something to show. */
static int64_t score_of(int64_t base, size_t reviewer, size_t proposal, size_t criterion)
{
	int64_t v = base + (int64_t)((proposal * 7 + reviewer * 3 + criterion * 5) % 3) - 1;
	return v < 0 ? 0 : v > 5 ? 5 : v;
}

/* ---- history ---------------------------------------------------------- */

static int add_history(struct db *db, int64_t now)
{
	int added = 0;
	for (size_t i = 0; i < sizeof(history) / sizeof(history[0]); i++) {
		int64_t gid = group_by_name(db, history[i].group);
		if (!gid)
			continue;
		struct db_stmt *st = db_stmt(db, STMT_PROJECT_FIND);
		db_bind_int(st, 1, gid);
		db_bind_int(st, 2, history[i].fiscal_year);
		db_bind_str(st, 3, history[i].title);
		if (first_int(st))
			continue;
		st = db_stmt(db, STMT_PROJECT_INSERT);
		db_bind_null(st, 1);
		db_bind_int(st, 2, history[i].fiscal_year);
		db_bind_null(st, 3);
		db_bind_null(st, 4);
		db_bind_str(st, 5, history[i].category);
		db_bind_int(st, 6, gid);
		db_bind_str(st, 7, history[i].title);
		db_bind_str(st, 8, history[i].summary);
		for (int k = 9; k <= 12; k++)
			db_bind_null(st, k);
		db_bind_int(st, 13, now);
		if (db_exec(st) != DB_OK)
			return -1;
		int64_t pid = db_last_id(db);
		st = db_stmt(db, STMT_PROJECT_GROUP_ADD);
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, gid);
		if (db_exec(st) != DB_OK)
			return -1;
		added++;
	}
	return added;
}

/* ---- the 令和6年度 call ---------------------------------------------------- */

/* The call (published, results out in August 2024), its categories and
 * schedule.  Returns its id, or 0 on error. */
static int64_t r6_call(struct db *db, int64_t program_id, bool *added)
{
	*added = false;
	int64_t id = call_of(db, program_id, 2024);
	if (id)
		return id;
	struct call c = {
	    .program_id = program_id,
	    .fiscal_year = 2024,
	    .title = "令和6年度 協働のまちづくりチャレンジ事業 提案募集",
	    .description = "市と協働して取り組むまちづくりの企画を募集しました。\n\n"
			   "採択された事業は、採択事業一覧でご覧いただけます。",
	    .published = true,
	};
	if (call_save(db, &c, JST(2024, 3, 1, 9, 0), 0) != CALL_OK)
		return 0;
	for (size_t i = 0; i < sizeof(r6_categories) / sizeof(r6_categories[0]); i++) {
		const struct demo_category *d = &r6_categories[i];
		struct category k = {
		    .call_id = c.id,
		    .name = d->name,
		    .short_name = d->short_name,
		    .description = d->description,
		    .eligibility = d->eligibility,
		    .cap_yen = d->cap_yen,
		    .min_members = d->min_members,
		    .min_groups = d->min_groups,
		    .needs_coordinator = true,
		    .needs_division = d->needs_division,
		    .opens_at = JST(2024, 4, 1, 9, 0),
		    .deadline_at =
			d->needs_division ? JST(2024, 5, 31, 17, 0) : JST(2024, 6, 28, 17, 0),
		    .implementation_end = d->implementation_end,
		    .expected_adoptions = d->expected,
		    .position = (int64_t)(i + 1) * 10,
		};
		if (category_save(db, &k, 0) != CALL_OK)
			return 0;
	}
	const struct {
		enum milestone_kind kind;
		const char *label;
		int64_t starts_at, ends_at;
		const char *place;
	} ms[] = {
	    {MS_OPEN, "", JST(2024, 4, 1, 9, 0), 0, ""},
	    {MS_BRIEFING, "事前説明会・交流会", JST(2024, 4, 20, 13, 30), JST(2024, 4, 20, 15, 30),
	     "金沢市民活動サポートセンター"},
	    {MS_DEADLINE, "締切（スタート・一般・団体連携部門）", JST(2024, 5, 31, 17, 0), 0, ""},
	    {MS_REVIEW1, "1次審査（書類審査）", JST(2024, 6, 10, 9, 0), JST(2024, 6, 21, 17, 0),
	     ""},
	    {MS_DEADLINE, "締切（学生・高校生部門）", JST(2024, 6, 28, 17, 0), 0, ""},
	    {MS_REVIEW2, "2次審査（公開プレゼンテーション）", JST(2024, 7, 13, 13, 0),
	     JST(2024, 7, 13, 17, 0), "金沢市役所 第一本庁舎"},
	    {MS_ANNOUNCE, "", JST(2024, 8, 9, 10, 0), 0, ""},
	    {MS_RESULTS, "", JST(2025, 3, 15, 13, 0), JST(2025, 3, 15, 16, 30),
	     "金沢学生のまち市民交流館 交流ホール"},
	};
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		struct milestone m = {.call_id = c.id,
				      .kind = ms[i].kind,
				      .label = ms[i].label,
				      .starts_at = ms[i].starts_at,
				      .ends_at = ms[i].ends_at,
				      .place = ms[i].place};
		if (milestone_save(db, &m, 0) != CALL_OK)
			return 0;
	}
	*added = true;
	return c.id;
}

/* The second district association of the joint project, which the group
 * directory's demo does not have. */
static int add_baba(struct db *db, struct arena *a)
{
	if (group_by_name(db, "馬場地区町会連合会"))
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
	return group_save(db, a, &g, NULL, 0) == GROUP_OK ? 1 : -1;
}

/* Add one 令和6年度 proposal, submitted in late May 2024.  Its id, 0 when
 * its group is missing, -1 on error.  An existing one (same title) is
 * returned as it is. */
static int64_t r6_proposal(struct db *db, struct arena *a, int64_t call_id,
			   const struct demo_entry *d, size_t index, int64_t author)
{
	int64_t group_id = group_by_name(db, d->group);
	int64_t category_id = category_of(db, a, call_id, d->category, NULL);
	if (!group_id || !category_id)
		return 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_BY_TITLE);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, group_id);
	db_bind_str(st, 3, d->title);
	int64_t id = first_int(st);
	if (id)
		return id;
	int day = 10 + (int)index;
	int64_t created = JST(2024, 5, day, 10, 0);
	int64_t submitted = JST(2024, 5, day + 10, 16, 0);
	st = db_stmt(db, STMT_PROPOSAL_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, category_id);
	db_bind_int(st, 3, group_id);
	db_bind_int(st, 4, author);
	db_bind_int(st, 5, created);
	if (db_exec(st) != DB_OK)
		return -1;
	id = db_last_id(db);
	struct proposal p;
	if (proposal_get(db, a, id, &p) != PROPOSAL_OK)
		return -1;
	struct proposal_draft dr = {
	    .title = d->title,
	    .summary = d->summary,
	    .background = d->background,
	    .purpose = "地域の人と市が役割を分け合い、課題の解決に向けた取り組みを根づかせること。",
	    .content = d->content,
	    .roles_group = "企画と運営、参加者の募集、記録と報告書のまとめ。",
	    .roles_city = "関係機関との調整、市の広報媒体での周知、会場の紹介。",
	    .effect = "参加者の声を集め、事業の成果と次の課題を報告会で共有します。",
	    .division_id = division_of(db, a, d->division),
	};
	for (int i = 0; i < 2 && d->partners[i]; i++) {
		int64_t pid = group_by_name(db, d->partners[i]);
		if (pid)
			dr.partners[dr.npartners++] = pid;
	}
	dr.schedule[dr.nschedule++] =
	    (struct proposal_sched){1, "令和6年9月〜令和7年2月", "事業の実施"};
	dr.schedule[dr.nschedule++] = (struct proposal_sched){2, "令和7年3月", "成果発表会と報告"};
	int pos = 1;
	if (d->income.item && d->income.qty) {
		struct budget_line *l = &dr.budget[dr.nbudget++];
		*l = (struct budget_line){.kind = BUDGET_INCOME,
					  .position = 1,
					  .item = d->income.item,
					  .unit_price = d->income.price,
					  .quantity = d->income.qty,
					  .amount = d->income.price * d->income.qty};
	}
	for (int i = 0; i < 3 && d->expense[i].item; i++) {
		struct budget_line *l = &dr.budget[dr.nbudget++];
		*l = (struct budget_line){.kind = BUDGET_EXPENSE,
					  .position = pos++,
					  .item = d->expense[i].item,
					  .unit_price = d->expense[i].price,
					  .quantity = d->expense[i].qty,
					  .amount = d->expense[i].price * d->expense[i].qty};
	}
	const char *why;
	if (proposal_save(db, a, &p, &dr, author, created, &why) != PROPOSAL_OK) {
		fprintf(stderr, "kyodo: demo proposal %s: %s\n", d->title, why ? why : "");
		return -1;
	}
	for (size_t i = 0; i < dr.npartners; i++) {
		st = db_stmt(db, STMT_PROPOSAL_PARTNER_CONFIRM);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, dr.partners[i]);
		db_bind_int(st, 3, submitted - 3 * 86400);
		db_bind_int(st, 4, author);
		if (db_exec(st) != DB_OK)
			return -1;
	}
	if (proposal_get(db, a, id, &p) != PROPOSAL_OK)
		return -1;
	st = db_stmt(db, STMT_PROPOSAL_NEXT_SEQ);
	db_bind_int(st, 1, category_id);
	int64_t seq = first_int(st);
	const char *no = proposal_receipt_no(a, p.fiscal_year, p.category_short, seq);
	if (!seq || !no)
		return -1;
	st = db_stmt(db, STMT_PROPOSAL_SUBMIT);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, seq);
	db_bind_str(st, 3, no);
	db_bind_int(st, 4, submitted);
	return db_exec(st) == DB_OK ? id : -1;
}

/* Reviewers: the first DEMO_REVIEWERS users with the reviewer role, made
 * up to that number with demo accounts whose passwords nobody knows (an
 * admin may set one on the users page). */
static int reviewers(struct db *db, struct arena *a, int64_t *out)
{
	size_t n = 0;
	struct db_stmt *st = db_stmt(db, STMT_DEMO_REVIEWERS);
	db_bind_int(st, 1, DEMO_REVIEWERS);
	while (n < DEMO_REVIEWERS && db_step(st) == DB_ROW)
		out[n++] = db_int(st, 0);
	if (n == DEMO_REVIEWERS)
		db_reset(st);
	for (size_t i = 0; n < DEMO_REVIEWERS && i < DEMO_REVIEWERS; i++) {
		struct user u;
		if (user_by_email(db, a, demo_reviewers[i].email, &u) == USER_OK)
			continue; /* there, but disabled or without the role: skip */
		int64_t id;
		if (user_create(db, demo_reviewers[i].email, demo_reviewers[i].name,
				demo_reviewers[i].kana, ROLE_REVIEWER, auth_new_token(a),
				&id) != USER_OK)
			return -1;
		out[n++] = id;
	}
	return n == DEMO_REVIEWERS ? 0 : -1;
}

/* Insert a stage with the criteria; *crit gets their ids. */
static int64_t add_stage(struct db *db, int64_t call_id, int position, const char *name,
			 const char *kind, const char *entry, int64_t opens, int64_t closes,
			 int64_t closed, int64_t *crit)
{
	struct db_stmt *st = db_stmt(db, STMT_DEMO_STAGE_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, position);
	db_bind_str(st, 3, name);
	db_bind_str(st, 4, kind);
	db_bind_str(st, 5, entry);
	db_bind_int(st, 6, 60);
	db_bind_int(st, 7, opens);
	db_bind_int(st, 8, closes);
	if (closed)
		db_bind_int(st, 9, closed);
	else
		db_bind_null(st, 9);
	db_bind_int(st, 10, position == 2);
	if (db_exec(st) != DB_OK)
		return 0;
	int64_t stage = db_last_id(db);
	for (size_t i = 0; i < NCRITERIA; i++) {
		st = db_stmt(db, STMT_DEMO_CRITERION_INSERT);
		db_bind_int(st, 1, stage);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_str(st, 3, criteria[i].name);
		db_bind_str(st, 4, criteria[i].description);
		db_bind_int(st, 5, 5);
		db_bind_int(st, 6, criteria[i].weight);
		if (db_exec(st) != DB_OK)
			return 0;
		crit[i] = db_last_id(db);
	}
	return stage;
}

/* One sheet with every score around base (or only the first half of the
 * criteria for a draft). */
static int add_sheet(struct db *db, int64_t stage, const int64_t *crit, int64_t proposal,
		     int64_t reviewer, size_t ri, size_t pi, int64_t base, const char *comment,
		     bool submitted, int64_t at)
{
	struct db_stmt *st = db_stmt(db, STMT_DEMO_SHEET_INSERT);
	db_bind_int(st, 1, stage);
	db_bind_int(st, 2, proposal);
	db_bind_int(st, 3, reviewer);
	db_bind_str(st, 4, submitted ? "submitted" : "draft");
	db_bind_str(st, 5, comment);
	db_bind_int(st, 6, at);
	if (submitted)
		db_bind_int(st, 7, at);
	else
		db_bind_null(st, 7);
	if (db_exec(st) != DB_OK)
		return -1;
	int64_t sheet = db_last_id(db);
	size_t n = submitted ? NCRITERIA : NCRITERIA / 2;
	for (size_t c = 0; c < n; c++) {
		st = db_stmt(db, STMT_DEMO_SCORE_INSERT);
		db_bind_int(st, 1, sheet);
		db_bind_int(st, 2, crit[c]);
		db_bind_int(st, 3, score_of(base, ri, pi, c));
		if (db_exec(st) != DB_OK)
			return -1;
	}
	return 0;
}

static int add_decision(struct db *db, int64_t stage, int64_t proposal, bool pass, int64_t author,
			int64_t at)
{
	struct db_stmt *st = db_stmt(db, STMT_DEMO_DECISION_INSERT);
	db_bind_int(st, 1, stage);
	db_bind_int(st, 2, proposal);
	db_bind_str(st, 3, pass ? "pass" : "fail");
	db_bind_str(st, 4, pass ? "" : "合計点が通過点に届かなかったため。");
	db_bind_int(st, 5, author);
	db_bind_int(st, 6, at);
	return db_exec(st);
}

/* Stages, sheets, decisions, adoptions and the release of 令和6年度, in
 * one transaction.  ids[i] is r6[i]'s proposal (0 when missing). */
static int r6_screening(struct db *db, struct arena *a, int64_t call_id, const int64_t *ids,
			const int64_t *rev, int64_t author, int64_t now)
{
	if (db_begin(db) != DB_OK)
		return -1;
	int64_t c1[NCRITERIA], c2[NCRITERIA];
	int64_t s1 =
	    add_stage(db, call_id, 1, "1次審査（書類）", "document", "all_submitted",
		      JST(2024, 6, 10, 9, 0), JST(2024, 6, 21, 17, 0), JST(2024, 6, 24, 10, 0), c1);
	int64_t s2 = add_stage(db, call_id, 2, "2次審査（公開プレゼンテーション）", "presentation",
			       "passed_previous", JST(2024, 7, 13, 13, 0), JST(2024, 7, 13, 17, 0),
			       JST(2024, 7, 13, 18, 0), c2);
	if (!s1 || !s2)
		goto fail;
	size_t ci = 0;
	for (size_t i = 0; i < sizeof(r6) / sizeof(r6[0]); i++) {
		if (!ids[i])
			continue;
		bool passes = r6[i].stop == 0;
		for (size_t r = 0; r < DEMO_REVIEWERS; r++) {
			const char *comment =
			    passes
				? good_comments[(i + r) %
						(sizeof(good_comments) / sizeof(good_comments[0]))]
				: weak_comments[r %
						(sizeof(weak_comments) / sizeof(weak_comments[0]))];
			if (add_sheet(db, s1, c1, ids[i], rev[r], r, i, passes ? 4 : 2, comment,
				      true, JST(2024, 6, 14 + (int)r, 20, 0)) != 0)
				goto fail;
			if (passes &&
			    add_sheet(db, s2, c2, ids[i], rev[r], r, i + 1, 4,
				      good_comments[(i + r + 3) % (sizeof(good_comments) /
								   sizeof(good_comments[0]))],
				      true, JST(2024, 7, 13, 16, 30)) != 0)
				goto fail;
		}
		if (add_decision(db, s1, ids[i], passes, author, JST(2024, 6, 24, 11, 0)) != DB_OK)
			goto fail;
		if (passes &&
		    add_decision(db, s2, ids[i], true, author, JST(2024, 7, 13, 18, 30)) != DB_OK)
			goto fail;
		if (!passes)
			continue;
		struct proposal p;
		struct category k;
		if (proposal_get(db, a, ids[i], &p) != PROPOSAL_OK ||
		    category_get(db, a, p.category_id, &k) != CALL_OK)
			goto fail;
		struct adoption in = {
		    .proposal_id = p.id,
		    .adopted = true,
		    .grant_yen = r6[i].grant ? r6[i].grant : p.totals.requested,
		    .division_id = division_of(db, a, r6[i].division),
		    .contract_date =
			strcmp(r6[i].category, "学生") == 0 ? "2024-09-02" : "2024-08-20",
		    .reason = "",
		};
		if (adoption_store(db, a, &p, &k, &in, author, JST(2024, 8, 5, 15, 0)) !=
		    ADOPTION_OK)
			goto fail;
		ci++;
	}
	struct db_stmt *st = db_stmt(db, STMT_CALL_RESULTS_RELEASE);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, JST(2024, 8, 9, 10, 0));
	db_bind_int(st, 3, 1);
	if (db_exec(st) != DB_OK || db_commit(db) != DB_OK)
		goto fail;
	(void)now;
	printf("demo data: 令和6年度 screened in two stages, %zu projects adopted and released\n",
	       ci);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* 令和7年度: the 1次審査 open now (opened 5 days ago, closes in 9 days),
 * the 2次審査 three weeks ahead; of each reviewer's sheets some are
 * submitted, some drafts and some not started. */
static int r7_in_progress(struct db *db, int64_t call_id, const int64_t *rev, int64_t now)
{
	int64_t props[64];
	size_t np = 0;
	struct db_stmt *st = db_stmt(db, STMT_DEMO_SUBMITTED);
	db_bind_int(st, 1, call_id);
	while (np < 64 && db_step(st) == DB_ROW)
		props[np++] = db_int(st, 0);
	if (np == 64)
		db_reset(st);
	if (db_begin(db) != DB_OK)
		return -1;
	int64_t c1[NCRITERIA], c2[NCRITERIA];
	int64_t s1 = add_stage(db, call_id, 1, "1次審査（書類）", "document", "all_submitted",
			       now - 5 * 86400, now + 9 * 86400, 0, c1);
	int64_t s2 =
	    add_stage(db, call_id, 2, "2次審査（公開プレゼンテーション）", "presentation",
		      "passed_previous", now + 21 * 86400, now + 21 * 86400 + 4 * 3600, 0, c2);
	if (!s1 || !s2)
		goto fail;
	size_t submitted = 0, drafts = 0;
	for (size_t i = 0; i < np; i++)
		for (size_t r = 0; r < DEMO_REVIEWERS; r++) {
			size_t k = (i + r) % 3;
			if (k == 2)
				continue; /* not started */
			const char *comment =
			    k == 0 ? good_comments[(i + r) % (sizeof(good_comments) /
							      sizeof(good_comments[0]))]
				   : "";
			if (add_sheet(db, s1, c1, props[i], rev[r], r, i, 4, comment, k == 0,
				      now - (int64_t)(r + 1) * 86400) != 0)
				goto fail;
			if (k == 0)
				submitted++;
			else
				drafts++;
		}
	if (db_commit(db) != DB_OK)
		goto fail;
	printf("demo data: 令和7年度 1次審査 open: %zu sheets submitted, %zu drafts\n", submitted,
	       drafts);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static int64_t stage_count(struct db *db, int64_t call_id)
{
	struct db_stmt *st = db_stmt(db, STMT_DEMO_STAGE_COUNT);
	db_bind_int(st, 1, call_id);
	return first_int(st);
}

int demo_screening(struct db *db)
{
	struct arena a;
	arena_init(&a);
	int rc = -1;
	int64_t now = (int64_t)time(NULL);
	struct db_stmt *st = db_stmt(db, STMT_PROGRAM_BY_NAME);
	db_bind_str(st, 1, demo_program);
	int64_t program_id = first_int(st);
	if (!program_id) {
		printf("demo data: no screening (the program %s is missing)\n", demo_program);
		rc = 0;
		goto out;
	}
	int h = add_history(db, now);
	if (h < 0)
		goto fail;
	bool call_added;
	int64_t r6_id = r6_call(db, program_id, &call_added);
	if (!r6_id)
		goto fail;
	printf("demo data: %d earlier adoptions added%s\n", h,
	       call_added ? ", and the 令和6年度 call" : "");

	st = db_stmt(db, STMT_PROPOSAL_FIRST_ADMIN);
	int64_t author = first_int(st);
	if (!author) {
		printf(
		    "demo data: no screening (there is no admin to author the proposals yet: add "
		    "one with `kyodo user add` and run `kyodo demo` again)\n");
		rc = 0;
		goto out;
	}
	int64_t rev[DEMO_REVIEWERS];
	if (reviewers(db, &a, rev) != 0)
		goto fail;

	if (!stage_count(db, r6_id)) {
		if (add_baba(db, &a) < 0)
			goto fail;
		int64_t ids[sizeof(r6) / sizeof(r6[0])];
		for (size_t i = 0; i < sizeof(r6) / sizeof(r6[0]); i++) {
			ids[i] = r6_proposal(db, &a, r6_id, &r6[i], i, author);
			if (ids[i] < 0)
				goto fail;
		}
		if (r6_screening(db, &a, r6_id, ids, rev, author, now) != 0)
			goto fail;
	}
	int64_t r7_id = call_of(db, program_id, 2025);
	if (r7_id && !stage_count(db, r7_id) && r7_in_progress(db, r7_id, rev, now) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "kyodo: could not add the demo screening: %s\n", db_errmsg(db));
out:
	arena_free(&a);
	return rc;
}
