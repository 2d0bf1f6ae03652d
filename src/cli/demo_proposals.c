/*
 * Demo proposals: what a few of the newsletter's groups might have sent to
 * the 令和7年度 call, written in our own words, in every status.  Each is
 * entered with demo_proposal_add() (cli/demo_util.c: the row and the
 * submission are written directly, because the call closed long ago and
 * the demo has no group members; the content goes through
 * proposal_save()); the office's reopening goes through proposal_reopen().
 */
#include "cli/demo_proposals.h"
#include "cli/demo_util.h"

#include <stdio.h>
#include <string.h>

struct demo_proposal {
	int fiscal_year;
	const char *group, *category; /* category short name */
	const char *status;	      /* draft / submitted / withdrawn / reopened */
	const char *title, *summary, *background, *purpose, *content;
	const char *roles_group, *roles_city, *effect;
	const char *division;
	const char *partner; /* a partner group (団体連携), confirmed */
	const char *schedule[4][2];
	struct demo_line income[3], expense[5];
	int month, day; /* created (and submitted) on this date of the fiscal year */
	const char *reopen_reason;
};

static const struct demo_proposal demo[] = {
    {2025,
     "NPOエコラボ",
     "一般",
     "submitted",
     "マイボトル給水スポットで広げる使い捨てないまち",
     "市内の店舗や公共施設に給水スポットを増やし、マイボトルを持ち歩く人を増やします。利用者の"
     "声と給水量を記録し、脱プラスチックの効果を見える形で市に提案します。",
     "ペットボトルなど使い捨て容器のごみが減らず、夏の熱中症対策で購入がさらに増えています。"
     "給水できる場所が知られていないことが、マイボトルが広がらない理由の一つです。",
     "気軽に水を補給できる場所を地域に増やし、使い捨て容器に頼らない暮らし方を広げること。",
     "協力店舗の募集と給水スポットの表示、地図の作成、給水量の記録と利用者アンケート、"
     "環境学習イベントでの啓発を行います。",
     "協力店舗との調整、地図とイベントの企画・運営、記録の集計と報告書の作成。",
     "公共施設での設置場所の調整、市の広報媒体での周知、政策への反映の検討。",
     "給水スポット30か所、利用者のべ5,000人を目指し、ごみの削減量を推計して公表します。",
     "市民協働推進課",
     NULL,
     {{"令和7年7月", "協力店舗の募集と説明会"},
      {"令和7年8月〜10月", "給水スポットの運用と記録"},
      {"令和7年11月", "環境学習イベント"},
      {"令和8年2月", "結果のまとめと報告会"}},
     {{"参加費（イベント）", 500, 60}, {"自己資金", 20000, 1}},
     {{"給水スポット表示ステッカー", 300, 100},
      {"地図の印刷", 80, 2000},
      {"イベント講師謝金", 15000, 2},
      {"会場使用料", 8000, 2},
      {"記録用タブレット", 30000, 1}},
     5,
     20,
     NULL},
    {2025,
     "Take a step",
     "スタート",
     "submitted",
     "「自分で決める力」を育てる親子のからだ講座",
     "子どもが自分のからだと心を大切にし、いやなことに「いや」と言える力を育てる親子講座を"
     "開きます。",
     "からだや心について家庭で話す機会が少なく、困ったときに相談できない子どもがいます。",
     "親子で一緒に学び、子どもが自分のことを自分で決められるようにすること。",
     "小学生とその保護者を対象に、絵本や人形を使った講座を3回開きます。",
     "講座の企画と講師、参加者への案内。",
     "会場となる施設の紹介、学校を通じた案内の配布。",
     "参加した親子のうち8割が「家で話すきっかけになった」と答えることを目指します。",
     "ダイバーシティ人権政策課",
     NULL,
     {{"令和7年9月", "第1回講座"}, {"令和7年11月", "第2回講座"}, {"令和8年1月", "第3回講座"}},
     {{"参加費", 300, 90}},
     {{"教材（絵本・人形）", 4000, 5}, {"チラシ印刷", 20, 1500}, {"会場使用料", 6000, 3}},
     5,
     28,
     NULL},
    {2025,
     "にじのわ",
     "一般",
     "reopened",
     "医療の専門職と学ぶ「子育ての学校」",
     "助産師や看護師などの専門職が講師となり、妊娠中から子育て期の親が学び合える連続講座を"
     "開きます。",
     "初めての子育てで頼れる人が近くにいない家庭が増え、孤立や不安を抱える親がいます。",
     "専門職から正しい知識を学び、親どうしがつながる場をつくること。",
     "月1回の連続講座（全6回）と、講座後の交流会を行います。",
     "講座の企画・講師の手配・運営、参加者の募集。",
     "保健師との連携、母子手帳交付時の案内。",
     "受講した親の不安が軽くなり、講座の後も続く親どうしのつながりが生まれること。",
     "福祉健康センター総務課",
     NULL,
     {{"令和7年8月", "講座の準備と募集"}, {"令和7年9月〜令和8年2月", "連続講座（全6回）"}},
     {{"自己資金", 30000, 1}},
     {{"講師謝金", 120000, 1}, {"会場使用料", 5000, 6}, {"託児スタッフ謝金", 3000, 12}},
     5,
     26,
     "収支予算の講師謝金が一式になっています。単価と回数（人数）に分けて記入し、再提出してくだ"
     "さい。"},
    {2025,
     "材木地区町会連合会",
     "団体連携",
     "submitted",
     "学生と町会でつくる防災まち歩きマップ",
     "大学生と町会が一緒に地区を歩き、避難に役立つ場所や危ない場所を地図にまとめます。",
     "高齢化が進み、災害時に手助けできる若い世代が地区に少なくなっています。",
     "学生と住民が顔の見える関係をつくり、災害に備えた地図を共有すること。",
     "まち歩き（3回）、ワークショップ、防災マップの作成と全戸配布。",
     "町会：住民への案内と当日の案内役。学生団体：ワークショップの進行と地図の作成。",
     "避難所や危険箇所の情報提供、防災訓練での活用。",
     "学生の参加者30人、住民の参加者100人、地区の全世帯への地図の配布。",
     "市民協働推進課",
     "金沢大学 ボランティアさぽーとステーション",
     {{"令和7年9月", "まち歩き（1回目）"},
      {"令和7年10月", "まち歩き（2・3回目）"},
      {"令和7年12月", "ワークショップ"},
      {"令和8年3月", "防災マップの配布"}},
     {{"町会からの負担金", 50000, 1}},
     {{"防災マップ印刷", 120, 1500}, {"ワークショップ資材", 20000, 1}, {"保険料", 500, 130}},
     5,
     29,
     NULL},
    {2025,
     "学生団体ウィーコード",
     "学生",
     "withdrawn",
     "高校生と大学生のプログラミング教室",
     "地域の公民館で、高校生と大学生が小学生にプログラミングを教える教室を開きます。",
     "プログラミング教育が始まったものの、家庭で学べる環境には差があります。",
     "学生が講師となり、地域の子どもが気軽に学べる場をつくること。",
     "月2回の教室を公民館で開きます。",
     "教室の企画と講師。",
     "公民館の紹介と広報。",
     "参加した小学生のべ200人。",
     "市民協働推進課",
     NULL,
     {{"令和7年9月〜令和8年1月", "月2回の教室"}},
     {{"自己資金", 10000, 1}},
     {{"ノートパソコン（中古）", 25000, 2}, {"チラシ印刷", 20, 500}},
     6,
     20,
     NULL},
    {2025,
     "金沢城・兼六園研究会",
     "一般",
     "draft",
     "親子で歩く金沢城の石垣ツアー",
     "",
     "石垣の見どころが知られていません。",
     "",
     "",
     "",
     "",
     "",
     NULL,
     NULL,
     {{"令和7年10月", "親子ツアー"}},
     {{NULL, 0, 0}},
     {{"ガイドブック印刷", 150, 300}},
     5,
     10,
     NULL},
    {2026,
     "重症児・医療的ケア児相談事業 さくらんぼすまいる",
     "一般",
     "draft",
     "医療的ケア児と家族のための防災キャンプ",
     "医療的ケアが必要な子どもと家族が、停電や避難を体験しながら備えを学ぶ1泊のキャンプを開き"
     "ます。",
     "人工呼吸器などを使う子どもの家庭は、災害時の電源や避難先に大きな不安を抱えています。",
     "",
     "",
     "",
     "",
     "",
     "福祉健康センター総務課",
     NULL,
     {{"令和9年5月", "防災キャンプ"}},
     {{NULL, 0, 0}},
     {{"会場（宿泊施設）使用料", 60000, 1}, {"非常用電源の借用", 15000, 2}},
     11,
     20,
     NULL},
};

/* Add one demo proposal to its fiscal year's call of program_id.  1 added,
 * 0 skipped, -1 error. */
static int add_one(struct db *db, struct arena *a, int64_t program_id,
		   const struct demo_proposal *d, int64_t author)
{
	int64_t call_id = demo_call_of(db, a, program_id, d->fiscal_year);
	int64_t group_id = demo_group(db, d->group);
	int64_t category_id = call_id ? demo_category(db, a, call_id, d->category, NULL) : 0;
	if (!call_id || !group_id || !category_id)
		return 0;
	/* Dates in the fiscal year: April to December of fy, the rest of fy+1. */
	int year = d->month >= 4 ? d->fiscal_year : d->fiscal_year + 1;
	int64_t created = JST(year, d->month, d->day, 10, 0) - 14 * 86400;
	int64_t submitted = JST(year, d->month, d->day, 16, 30);

	struct proposal_draft dr = {
	    .title = d->title,
	    .summary = d->summary,
	    .background = d->background,
	    .purpose = d->purpose,
	    .content = d->content,
	    .roles_group = d->roles_group,
	    .roles_city = d->roles_city,
	    .effect = d->effect,
	    .division_id = demo_division(db, a, d->division),
	};
	int64_t partner = d->partner ? demo_group(db, d->partner) : 0;
	if (partner)
		dr.partners[dr.npartners++] = partner;
	for (int i = 0; i < 4 && d->schedule[i][0]; i++)
		dr.schedule[dr.nschedule++] =
		    (struct proposal_sched){i + 1, d->schedule[i][0], d->schedule[i][1]};
	demo_budget(&dr, d->income, DEMO_COUNT(d->income), d->expense, DEMO_COUNT(d->expense));

	bool draft = strcmp(d->status, "draft") == 0;
	int64_t id;
	int added = demo_proposal_add(db, a, call_id, category_id, group_id, author, &dr, created,
				      draft ? 0 : submitted, &id);
	if (added <= 0 || draft || strcmp(d->status, "submitted") == 0)
		return added;
	int64_t later = submitted + 5 * 86400;
	if (strcmp(d->status, "reopened") == 0)
		return proposal_reopen(db, a, id, d->reopen_reason, author, later) == RC_OK ? 1
											    : -1;
	/* Withdrawn, directly: proposal_withdraw() acts for a member of the
	 * lead group, and the demo has none. */
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_SET_STATUS);
	db_bind_int(st, 1, id);
	db_bind_str(st, 2, "submitted");
	db_bind_str(st, 3, d->status);
	db_bind_null(st, 4);
	db_bind_int(st, 5, later);
	return db_exec(st) == DB_OK ? 1 : -1;
}

int demo_proposals(struct db *db)
{
	int64_t author = demo_admin(db);
	if (!author) {
		printf(
		    "demo data: no proposals (there is no admin to author them yet: add one with "
		    "`kyodo user add` and run `kyodo demo` again)\n");
		return 0;
	}
	struct arena a;
	arena_init(&a);
	int rc = 0, added = 0;
	int64_t program_id = demo_program(db, &a, demo_program_name);
	if (!demo_call_of(db, &a, program_id, 2025)) {
		printf("demo data: no proposals (the 令和7年度 call is missing)\n");
		goto out;
	}
	for (size_t i = 0; i < DEMO_COUNT(demo); i++) {
		int k = add_one(db, &a, program_id, &demo[i], author);
		if (k < 0) {
			fprintf(stderr, "kyodo: could not add demo proposal %s: %s\n",
				demo[i].title, db_errmsg(db));
			rc = -1;
			goto out;
		}
		added += k;
	}
	printf("demo data: %d proposals added\n", added);
out:
	arena_free(&a);
	return rc;
}
