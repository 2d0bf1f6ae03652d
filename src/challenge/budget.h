/*
 * budget: the 収支予算 of a proposal, as pure arithmetic and validation.
 *
 * A budget is income lines (自己資金, 参加費 ...) and expense lines
 * (謝金, 印刷費 ...), each an item × unit price × quantity.  The server
 * computes every amount and total itself and never trusts one sent by a
 * client: a posted amount that differs from unit price × quantity is an
 * error, not a correction.  The amount requested from the city is
 * expenses − other income, and must be more than 0 and at most the
 * category's cap.
 *
 * Yen are whole, non-negative numbers.  Input is read the way people type
 * it in Japan: full-width digits, thousands commas ("12,000"), a leading ¥
 * or a trailing 円 are accepted; negative amounts (-, ▲, △), fractions and
 * anything else are refused with a reason saying which.  All arithmetic
 * is checked for overflow.  Nothing here touches the database, so the
 * rules are unit-tested on their own (tests/unit/test_budget.c).
 *
 * Reasons are data: a message key of the catalogue (budget.*, util/msg.h)
 * and the texts of its arguments; the caller turns them into words.
 */
#ifndef KYODO_BUDGET_H
#define KYODO_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

enum budget_kind { BUDGET_INCOME, BUDGET_EXPENSE };

#define BUDGET_ROWS	10	     /* lines of each kind on the form */
#define BUDGET_MAX_YEN	1000000000LL /* ¥1,000,000,000: a unit price or an amount */
#define BUDGET_MAX_QTY	1000000LL
#define BUDGET_ITEM_MAX 100 /* characters of an item */

struct budget_line {
	enum budget_kind kind;
	int position; /* 1-based row on the form */
	const char *item;
	int64_t unit_price, quantity, amount;
};

/* One line as entered: each text may be NULL or "" (not given).  amount is
 * only for checking: the server computes it. */
struct budget_input {
	const char *item, *price, *qty, *amount;
};

/*
 * Why something is refused: a message key (budget.*) and the texts of its
 * {1}, {2} (NULL-terminated), shown with msg_format(a, m.key, m.args).
 * key is NULL when there is nothing to say.
 */
struct budget_msg {
	const char *key;
	const char *args[3];
};

/* The reasons for the fields of one line; key NULL where fine. */
struct budget_line_errors {
	struct budget_msg item, price, qty, amount;
};

struct budget_totals {
	int64_t income, expense;
	int64_t requested; /* expense - income; may be <= 0 */
};

/* The key used in storage and in the API ("income" / "expense"), and the
 * message key of its label (budget.kind.income: 収入 / 支出). */
const char *budget_kind_key(enum budget_kind k);
const char *budget_kind_label_key(enum budget_kind k);

/*
 * Parse yen typed by a person (see above) into *out, at most max.  Returns 0,
 * or -1 with *err the message key (budget.err.yen_*) saying what is wrong;
 * its {1} is max as budget_yen() writes it.  Empty text is an error too
 * (budget.err.yen_empty).
 */
int budget_parse_yen(struct arena *a, const char *s, int64_t max, int64_t *out, const char **err);

/* The same for a quantity: a whole number from 1 to BUDGET_MAX_QTY
 * (budget.err.qty_*, {1} BUDGET_MAX_QTY). */
int budget_parse_qty(struct arena *a, const char *s, int64_t *out, const char **err);

/*
 * Read one line.  A line whose four texts are all empty is no line: returns
 * 0.  Otherwise the item, unit price and quantity are required, the amount
 * is unit price × quantity (overflow and BUDGET_MAX_YEN checked), and a
 * given amount must equal it.  Returns 1 with *out filled (item points into
 * in) when the line is good, -1 with *err filled when it is not.
 */
int budget_line_read(struct arena *a, enum budget_kind kind, int position,
		     const struct budget_input *in, struct budget_line *out,
		     struct budget_line_errors *err);

/* Sum lines[0..n) into *t.  Returns 0, or -1 when a sum overflows (which
 * lines read by budget_line_read cannot cause in practice). */
int budget_total(const struct budget_line *lines, size_t n, struct budget_totals *t);

/*
 * The submission rule on the requested amount: 0 when 0 < requested <= cap,
 * else -1 with *why (budget.err.over_cap: 申請額（650,000円）がこの部門の
 * 上限額（500,000円）を超えています, ...).  has_expense tells whether any
 * expense line exists.
 */
int budget_check_request(struct arena *a, const struct budget_totals *t, int64_t cap,
			 bool has_expense, struct budget_msg *why);

/* "12,000" for 12000 (no unit), in the arena. */
const char *budget_yen(struct arena *a, int64_t yen);

#endif
