/*
 * bench/gen: fill a kyodo database with N generated citizen groups for the
 * benchmark (bench/run).  Every group goes through the real group_save(), so
 * the 50音順 sort key, the search text, the trigram index (by trigger), the
 * theme links and the audit entry are exactly what the application writes.
 *
 *   bench/gen DB_PATH [N]      (N defaults to 10000)
 *
 * The database must already hold the demo themes (`kyodo demo`).  The data
 * is deterministic (fixed PRNG seed), so two runs produce the same rows.
 * Prints the number of groups written, how many mention まちづくり, and the
 * time taken.
 */
#include "groups/group.h"
#include "groups/theme.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/msg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: small, fast, deterministic. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* Name stems with their readings.  まちづくり is one of twelve. */
static const char *const stems[][2] = {
    {"まちづくり", "マチヅクリ"},	{"防災ネット", "ボウサイネット"},
    {"子育てひろば", "コソダテヒロバ"}, {"みどりの", "ミドリノ"},
    {"ふるさと歴史", "フルサトレキシ"}, {"はぐくみ", "ハグクミ"},
    {"ささえあい", "ササエアイ"},	{"わかもの", "ワカモノ"},
    {"よりみち", "ヨリミチ"},		{"のびのび", "ノビノビ"},
    {"たすけあい", "タスケアイ"},	{"えがお", "エガオ"},
};
static const char *const suffixes[][2] = {
    {"研究会", "ケンキュウカイ"}, {"の会", "ノカイ"},	      {"ネットワーク", "ネットワーク"},
    {"クラブ", "クラブ"},	  {"協議会", "キョウギカイ"}, {"プロジェクト", "プロジェクト"},
    {"サークル", "サークル"},	  {"倶楽部", "クラブ"},
};
/* Leading kana so that readings (and so the 50音順 order) vary widely. */
static const char *const kana[] = {
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ",	  "サ",	  "シ",	  "ス", "セ",
    "ソ", "タ", "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ",	  "ノ",	  "ハ",	  "ヒ", "フ",
    "ヘ", "ホ", "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ",	  "ラ",	  "リ",	  "ル", "レ",
    "ロ", "ワ", "ガ", "ギ", "グ", "ゲ", "ゴ", "ザ", "ジ", "ズ",	  "ダ",	  "デ",	  "ド", "バ",
    "ビ", "ブ", "ベ", "ボ", "パ", "ピ", "プ", "ペ", "ポ", "キャ", "シュ", "チョ",
};
static const char *const digit_kana[] = {"ゼロ", "イチ", "ニ",	 "サン", "ヨン",
					 "ゴ",	 "ロク", "ナナ", "ハチ", "キュウ"};
/* Words for the purpose text; a few of them per group. */
static const char *const words[] = {
    "まちづくり", "防災",     "子育て", "高齢者の見守り", "環境保全", "地域の歴史",
    "多文化共生", "学習支援", "食育",	"スポーツ",	  "伝統工芸", "空き家の活用",
};
static const char *const towns[] = {"材木町", "尾張町", "東山", "片町", "長町",
				    "本多町", "野町",	"寺町", "森山", "小立野"};

static void add_kana_number(char *b, size_t cap, unsigned n)
{
	char d[16];
	snprintf(d, sizeof(d), "%u", n);
	for (const char *p = d; *p; p++)
		strncat(b, digit_kana[*p - '0'], cap - strlen(b) - 1);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s DB_PATH [N]\n", argv[0]);
		return 2;
	}
	long n = argc == 3 ? strtol(argv[2], NULL, 10) : 10000;
	if (n <= 0) {
		fprintf(stderr, "gen: N must be positive\n");
		return 2;
	}
	/* group_save() words its audit entries from the catalogue. */
	char err[256];
	if (msg_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "gen: %s\n", err);
		return 1;
	}
	struct db *db = db_open(argv[1]);
	if (!db || db_migrate(db) < 0) {
		fprintf(stderr, "gen: cannot open or migrate %s\n", argv[1]);
		return 1;
	}

	/* The active themes (the demo's), at most 64 of them. */
	struct arena ta;
	arena_init(&ta);
	struct theme *ts;
	size_t nthemes = theme_list(db, &ta, false, &ts);
	const char *themes[64];
	if (nthemes > 64)
		nthemes = 64;
	for (size_t i = 0; i < nthemes; i++)
		themes[i] = ts[i].name;
	if (!nthemes) {
		fprintf(stderr, "gen: no themes in %s; run `kyodo demo` first\n", argv[1]);
		return 1;
	}

	size_t nkinds = 0;
	while (group_kinds[nkinds])
		nkinds++;
	size_t nstems = sizeof(stems) / sizeof(stems[0]);
	size_t nsuf = sizeof(suffixes) / sizeof(suffixes[0]);
	size_t nkana = sizeof(kana) / sizeof(kana[0]);
	size_t nwords = sizeof(words) / sizeof(words[0]);
	size_t ntowns = sizeof(towns) / sizeof(towns[0]);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long machi = 0;
	for (long i = 1; i <= n; i++) {
		struct arena a;
		arena_init(&a);
		size_t s = rnd((uint32_t)nstems), x = rnd((uint32_t)nsuf);
		size_t k1 = rnd((uint32_t)nkana), k2 = rnd((uint32_t)nkana);
		/* A two-kana prefix ("カナ") varies the reading; the name keeps
		 * it in katakana so name and reading agree. */
		char name[256], reading[512];
		snprintf(name, sizeof(name), "%s%s%s%s 第%ld号", kana[k1], kana[k2], stems[s][0],
			 suffixes[x][0], i);
		snprintf(reading, sizeof(reading), "%s%s%s%s　ダイ", kana[k1], kana[k2],
			 stems[s][1], suffixes[x][1]);
		add_kana_number(reading, sizeof(reading), (unsigned)i);
		strncat(reading, "ゴウ", sizeof(reading) - strlen(reading) - 1);

		/* Purpose: a paragraph with two keywords, sometimes a list. */
		size_t w1 = rnd((uint32_t)nwords), w2 = rnd((uint32_t)nwords);
		const char *town = towns[rnd((uint32_t)ntowns)];
		char *purpose =
		    arena_printf(&a,
				 "%sの住民が中心となり、%sと%sに取り組んでいます。"
				 "月に一度の定例会のほか、季節ごとに公開講座や見学会を開き、"
				 "活動の記録を会報にまとめて地域の皆さんにお届けしています。%s",
				 town, words[w1], words[w2],
				 rnd(3) == 0 ? "\n\n- 定例会：毎月第2土曜日\n- 会費：年1,000円\n"
					       "- 見学・体験参加はいつでも歓迎します"
					     : "");
		if (s == 0 || w1 == 0 || w2 == 0)
			machi++;

		/* One to three distinct themes. */
		const char *gt[3];
		size_t ngt = 0, want = 1 + rnd(3);
		while (ngt < want && ngt < nthemes) {
			const char *t = themes[rnd((uint32_t)nthemes)];
			int dupl = 0;
			for (size_t j = 0; j < ngt; j++)
				dupl |= gt[j] == t;
			if (!dupl)
				gt[ngt++] = t;
		}
		struct award aw[1] = {{2015 + (int64_t)rnd(10), "まちの元気大賞"}};
		int founded = rnd(2);
		struct group g = {
		    .name = name,
		    .name_kana = reading,
		    .kind = group_kinds[rnd((uint32_t)nkinds)],
		    .founded_year = founded ? 1990 + (int64_t)rnd(35) : 0,
		    .founded_month = 0,
		    .members = rnd(4) ? 5 + (int64_t)rnd(300) : -1,
		    .purpose = purpose,
		    .public_contact = "",
		    .private_contact = "",
		    .rep_title = "代表",
		    .rep_name = "",
		    .rep_kana = "",
		    .pref = "石川県",
		    .city = "金沢市",
		    .town = town,
		    .street = "",
		    .building = "",
		    .website = "",
		    .themes = gt,
		    .nthemes = ngt,
		    .awards = aw,
		    .nawards = rnd(10) == 0,
		};
		if (founded)
			g.founded_month = 1 + (int64_t)rnd(12);
		if (group_save(db, &a, &g, NULL, 0) != RC_OK) {
			fprintf(stderr, "gen: group_save failed at %ld: %s\n", i, db_errmsg(db));
			arena_free(&a);
			arena_free(&ta);
			db_close(db);
			return 1;
		}
		arena_free(&a);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("gen: %ld groups (%ld mention まちづくり) in %.2f s (%.0f groups/s)\n", n, machi,
	       secs, (double)n / secs);
	arena_free(&ta);
	db_close(db);
	return 0;
}
