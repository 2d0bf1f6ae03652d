/*
 * kyodo demo: themes and the citizen groups named in Kanazawa's newsletter
 * (vol.16), described in our own words with the facts the issue gives.
 * Running it again adds only what is missing.
 */
#include "cli/cli.h"
#include "domain/group.h"
#include "store/db.h"
#include "util/str.h"

#include <stdio.h>
#include <string.h>

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
	int added_themes = 0, added_groups = 0, rc = 1;
	for (int i = 0; demo_themes[i]; i++) {
		struct db_stmt *st = db_stmt(db, STMT_THEME_BY_NAME);
		db_bind_str(st, 1, demo_themes[i]);
		if (db_step(st) == DB_ROW) {
			db_reset(st);
			continue;
		}
		st = db_stmt(db, STMT_THEME_INSERT);
		db_bind_str(st, 1, demo_themes[i]);
		db_bind_int(st, 2, (i + 1) * 10);
		if (db_exec(st) != DB_OK)
			goto out;
		added_themes++;
	}
	for (size_t i = 0; i < sizeof(demo_groups) / sizeof(demo_groups[0]); i++) {
		const struct demo_group *d = &demo_groups[i];
		struct db_stmt *st = db_stmt(db, STMT_GROUP_BY_NAME);
		db_bind_str(st, 1, d->name);
		if (db_step(st) == DB_ROW) {
			db_reset(st);
			continue;
		}
		struct arena a;
		arena_init(&a);
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
		size_t nt = 0;
		while (nt < 4 && d->themes[nt])
			nt++;
		g.themes = (const char **)d->themes;
		g.nthemes = nt;
		struct award aw[3];
		for (size_t k = 0; k < 3 && d->awards[k]; k++) {
			int64_t y;
			str_to_i64((struct str){d->awards[k], 4}, 1868, 2100, &y);
			aw[k].year = y;
			aw[k].title = d->awards[k] + 5;
			g.nawards++;
		}
		g.awards = aw;
		enum group_rc grc = group_save(db, &a, &g, NULL, 0);
		arena_free(&a);
		if (grc != GROUP_OK) {
			fprintf(stderr, "kyodo: could not add demo group %s\n", d->name);
			goto out;
		}
		added_groups++;
	}
	printf("demo data: %d themes and %d groups added\n", added_themes, added_groups);
	rc = 0;
out:
	db_close(db);
	return rc;
}
