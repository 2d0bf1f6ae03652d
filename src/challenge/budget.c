#include "challenge/budget.h"
#include "util/str.h"
#include "util/text.h"

#include <string.h>

const char *budget_kind_key(enum budget_kind k)
{
	return k == BUDGET_INCOME ? "income" : "expense";
}

const char *budget_kind_label_key(enum budget_kind k)
{
	return k == BUDGET_INCOME ? "budget.kind.income" : "budget.kind.expense";
}

/* *m = key with up to two arguments. */
static void say(struct budget_msg *m, const char *key, const char *arg1, const char *arg2)
{
	*m = (struct budget_msg){key, {arg1, arg2, NULL}};
}

enum number_rc { NUM_OK, NUM_EMPTY, NUM_NEGATIVE, NUM_FRACTION, NUM_NOT_NUMBER, NUM_TOO_LARGE };

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Digits with optional thousands commas: "12000", "12,000" (every group
 * after the first exactly three digits).  Returns the count of digits, or
 * -1 when the text is anything else. */
static int digits_with_commas(const char *s, size_t n)
{
	int digits = 0, group = 0;
	bool commas = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			digits++;
			group++;
		} else if (s[i] == ',' && group > 0 && (!commas || group == 3)) {
			commas = true;
			group = 0;
		} else {
			return -1;
		}
	}
	if (digits == 0 || (commas && group != 3))
		return -1;
	return digits;
}

/*
 * Parse a whole number as people type it.  The text is NFKC-normalised
 * first (full-width digits, ，, －, ．, ￥ become ASCII).  yen allows a
 * leading ¥ and a trailing 円.
 */
static enum number_rc parse_number(struct arena *a, const char *raw, bool yen, int64_t max,
				   int64_t *out)
{
	if (!raw)
		return NUM_EMPTY;
	const char *s = text_search_key(a, raw, strlen(raw));
	size_t n = strlen(s);
	if (n == 0)
		return NUM_EMPTY;
	if (yen) {
		if (starts_with(s, n, "\xc2\xa5")) /* ¥ */
			s += 2, n -= 2;
		else if (starts_with(s, n, "\\"))
			s += 1, n -= 1;
		if (ends_with(s, n, "\xe5\x86\x86")) /* 円: input syntax, not words */
			n -= 3;
		while (n && s[0] == ' ')
			s++, n--;
		while (n && s[n - 1] == ' ')
			n--;
		if (n == 0)
			return NUM_NOT_NUMBER;
	}
	/* Minus signs, and the ▲ / △ of Japanese accounts. */
	if (starts_with(s, n, "-") || starts_with(s, n, "\xe2\x88\x92") || starts_with(s, n, "▲") ||
	    starts_with(s, n, "△"))
		return NUM_NEGATIVE;
	const char *dot = memchr(s, '.', n);
	size_t whole = dot ? (size_t)(dot - s) : n;
	int digits = digits_with_commas(s, whole);
	if (digits < 0)
		return NUM_NOT_NUMBER;
	if (dot) {
		/* "1000.5" is a fraction; "1000.00" is still not a whole number
		 * as typed, and is refused the same way. */
		if (digits_with_commas(dot + 1, n - whole - 1) < 0 ||
		    memchr(dot + 1, ',', n - whole - 1))
			return NUM_NOT_NUMBER;
		return NUM_FRACTION;
	}
	int64_t v = 0;
	for (size_t i = 0; i < whole; i++) {
		if (s[i] == ',')
			continue;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
			return NUM_TOO_LARGE;
	}
	if (v > max)
		return NUM_TOO_LARGE;
	*out = v;
	return NUM_OK;
}

/* The reason for each refusal of parse_number(), for yen and quantities
 * (NUM_OK of a quantity is refused when it is 0). */
static const char *const yen_keys[] = {
    [NUM_EMPTY] = "budget.err.yen_empty",	  [NUM_NEGATIVE] = "budget.err.yen_negative",
    [NUM_FRACTION] = "budget.err.yen_fraction",	  [NUM_NOT_NUMBER] = "budget.err.yen_not_number",
    [NUM_TOO_LARGE] = "budget.err.yen_too_large",
};
static const char *const qty_keys[] = {
    [NUM_OK] = "budget.err.qty_zero",
    [NUM_EMPTY] = "budget.err.qty_empty",
    [NUM_NEGATIVE] = "budget.err.qty_negative",
    [NUM_FRACTION] = "budget.err.qty_fraction",
    [NUM_NOT_NUMBER] = "budget.err.qty_not_number",
    [NUM_TOO_LARGE] = "budget.err.qty_too_large",
};

int budget_parse_yen(struct arena *a, const char *s, int64_t max, int64_t *out, const char **err)
{
	enum number_rc rc = parse_number(a, s, true, max, out);
	if (rc == NUM_OK)
		return 0;
	*err = yen_keys[rc];
	return -1;
}

int budget_parse_qty(struct arena *a, const char *s, int64_t *out, const char **err)
{
	int64_t v = 0;
	enum number_rc rc = parse_number(a, s, false, BUDGET_MAX_QTY, &v);
	if (rc == NUM_OK && v >= 1) {
		*out = v;
		return 0;
	}
	*err = qty_keys[rc];
	return -1;
}

static bool given(const char *s)
{
	if (!s)
		return false;
	size_t n;
	text_trim(s, strlen(s), &n);
	return n > 0;
}

int budget_line_read(struct arena *a, enum budget_kind kind, int position,
		     const struct budget_input *in, struct budget_line *out,
		     struct budget_line_errors *err)
{
	memset(err, 0, sizeof(*err));
	memset(out, 0, sizeof(*out));
	if (!given(in->item) && !given(in->price) && !given(in->qty) && !given(in->amount))
		return 0;
	out->kind = kind;
	out->position = position;
	if (given(in->item)) {
		size_t n;
		const char *t = text_trim(in->item, strlen(in->item), &n);
		out->item = arena_strndup(a, t, n);
		if (text_length(t, n) > BUDGET_ITEM_MAX)
			say(&err->item, "budget.err.item_too_long",
			    arena_printf(a, "%d", BUDGET_ITEM_MAX), NULL);
	} else {
		say(&err->item, "budget.err.item_missing", NULL, NULL);
	}
	const char *key;
	const char *max_yen = budget_yen(a, BUDGET_MAX_YEN);
	bool price_ok = budget_parse_yen(a, in->price, BUDGET_MAX_YEN, &out->unit_price, &key) == 0;
	if (!price_ok)
		say(&err->price, key, max_yen, NULL);
	bool qty_ok = budget_parse_qty(a, in->qty, &out->quantity, &key) == 0;
	if (!qty_ok)
		say(&err->qty, key, budget_yen(a, BUDGET_MAX_QTY), NULL);
	if (price_ok && qty_ok) {
		int64_t amount;
		if (__builtin_mul_overflow(out->unit_price, out->quantity, &amount) ||
		    amount > BUDGET_MAX_YEN) {
			say(&err->amount, "budget.err.product_too_large", max_yen, NULL);
		} else {
			out->amount = amount;
			int64_t sent;
			if (given(in->amount)) {
				if (budget_parse_yen(a, in->amount, INT64_MAX, &sent, &key) != 0)
					say(&err->amount, key, budget_yen(a, INT64_MAX), NULL);
				else if (sent != amount)
					say(&err->amount, "budget.err.amount_mismatch",
					    budget_yen(a, sent), budget_yen(a, amount));
			}
		}
	}
	if (err->item.key || err->price.key || err->qty.key || err->amount.key)
		return -1;
	return 1;
}

int budget_total(const struct budget_line *lines, size_t n, struct budget_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		int64_t *sum = lines[i].kind == BUDGET_INCOME ? &t->income : &t->expense;
		if (__builtin_add_overflow(*sum, lines[i].amount, sum))
			return -1;
	}
	if (__builtin_sub_overflow(t->expense, t->income, &t->requested))
		return -1;
	return 0;
}

int budget_check_request(struct arena *a, const struct budget_totals *t, int64_t cap,
			 bool has_expense, struct budget_msg *why)
{
	memset(why, 0, sizeof(*why));
	if (!has_expense)
		say(why, "budget.err.no_expense", NULL, NULL);
	else if (t->requested <= 0)
		say(why, "budget.err.not_positive", budget_yen(a, t->requested), NULL);
	else if (t->requested > cap)
		say(why, "budget.err.over_cap", budget_yen(a, t->requested), budget_yen(a, cap));
	return why->key ? -1 : 0;
}

const char *budget_yen(struct arena *a, int64_t yen)
{
	char digits[32];
	/* Work on the magnitude as unsigned so INT64_MIN is safe. */
	uint64_t m = yen < 0 ? (uint64_t)0 - (uint64_t)yen : (uint64_t)yen;
	int n = 0;
	do {
		digits[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m);
	char out[48];
	size_t k = 0;
	if (yen < 0)
		out[k++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		out[k++] = digits[i];
		if (i > 0 && i % 3 == 0)
			out[k++] = ',';
	}
	return arena_strndup(a, out, k);
}
