#!/usr/bin/env node
// Browser test, part "challenge" (see lib.mjs; run.mjs runs all parts): the
// challenge program end to end (issue 3), then screening and adoption (issue
// 4) on the proposal it submitted.  After every navigation: <html lang="ja">
// and axe-core (WCAG 2.1 A/AA).

import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import {
	ADMIN, OPEN_CALL, OPEN_CALL_FY, DEFAULT_VIEWPORT, test, assert, Failure, kyodo,
	env, url, runPart, newContext, newPage, logIn, loginAs, download,
	submitForm, jstDate, jstDateTime, cell, pageText, escapeRe, labelRe, field,
	describe, visit, clickAndWait, expectVisible, checkPage, expectFieldError, expectErrorSummary, expectFlash,
	editLink, h1Text, expectNoHorizontalScroll,
} from './lib.mjs';

// ---------------------------------------------------------------- xlsx, read back

// The entries of a zip archive (an .xlsx is one), found through the central
// directory; deflated entries are inflated with zlib.  ZIP64 sizes and
// offsets are understood in case the writer uses them.
function unzip(buf) {
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
	}
	assert(eocd >= 0, `not a zip archive (${buf.length} bytes, no end of central directory record)`,
		[`first bytes: ${buf.subarray(0, 16).toString('hex')}`]);
	let count = buf.readUInt16LE(eocd + 10);
	let cd = buf.readUInt32LE(eocd + 16);
	if (count === 0xffff || cd === 0xffffffff) {
		const loc = eocd - 20;
		assert(loc >= 0 && buf.readUInt32LE(loc) === 0x07064b50, 'ZIP64 archive without a ZIP64 locator');
		const z = Number(buf.readBigUInt64LE(loc + 8));
		assert(buf.readUInt32LE(z) === 0x06064b50, 'ZIP64 end of central directory record missing');
		count = Number(buf.readBigUInt64LE(z + 32));
		cd = Number(buf.readBigUInt64LE(z + 48));
	}
	const entries = new Map();
	for (let p = cd, i = 0; i < count; i++) {
		assert(buf.readUInt32LE(p) === 0x02014b50, `bad central directory entry at offset ${p}`);
		const method = buf.readUInt16LE(p + 10);
		let csize = buf.readUInt32LE(p + 20);
		let usize = buf.readUInt32LE(p + 24);
		const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
		let local = buf.readUInt32LE(p + 42);
		const name = buf.toString('utf8', p + 46, p + 46 + nlen);
		for (let x = p + 46 + nlen, end = x + xlen; x + 4 <= end;) {
			const id = buf.readUInt16LE(x), size = buf.readUInt16LE(x + 2);
			if (id === 0x0001) { // ZIP64: only the fields that overflowed, in this order
				let q = x + 4;
				if (usize === 0xffffffff) { usize = Number(buf.readBigUInt64LE(q)); q += 8; }
				if (csize === 0xffffffff) { csize = Number(buf.readBigUInt64LE(q)); q += 8; }
				if (local === 0xffffffff) { local = Number(buf.readBigUInt64LE(q)); q += 8; }
			}
			x += 4 + size;
		}
		assert(buf.readUInt32LE(local) === 0x04034b50, `bad local header for ${name}`);
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const raw = buf.subarray(start, start + csize);
		let data;
		if (method === 0) data = raw;
		else if (method === 8) data = zlib.inflateRawSync(raw);
		else throw new Failure(`zip entry ${name} uses compression method ${method}`);
		assert(data.length === usize, `zip entry ${name}: ${data.length} bytes inflated, the directory says ${usize}`);
		entries.set(name, data);
		p += 46 + nlen + xlen + clen;
	}
	return entries;
}

const xmlUnescape = (s) => s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (m, e) => {
	if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
	return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
});
const xmlAttr = (tag, name) => {
	const m = new RegExp(`\\s${escapeRe(name)}="([^"]*)"`).exec(tag);
	return m ? xmlUnescape(m[1]) : null;
};
// The text of the <t> runs in a shared string or an inline string.
const xmlRuns = (s) => [...s.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlUnescape(m[1])).join('');

// The sheets of an .xlsx in workbook order: [{ name, rows: [[cell text]] }].
function readXlsx(buf) {
	const files = unzip(buf);
	const text = (n) => {
		const b = files.get(n);
		assert(b, `the .xlsx has no ${n}`, [`entries: ${[...files.keys()].join(', ')}`]);
		return b.toString('utf8');
	};
	const shared = files.has('xl/sharedStrings.xml')
		? [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => xmlRuns(m[1]))
		: [];
	const targets = new Map();
	for (const [tag] of text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g))
		targets.set(xmlAttr(tag, 'Id'), xmlAttr(tag, 'Target'));
	const sheets = [];
	for (const [tag] of text('xl/workbook.xml').matchAll(/<sheet\b[^>]*>/g)) {
		const target = targets.get(xmlAttr(tag, 'r:id'));
		assert(target, `no relationship for sheet ${xmlAttr(tag, 'name')}`);
		const xml = text(target.startsWith('/') ? target.slice(1) : `xl/${target}`);
		const rows = [];
		for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
			const ref = /^([A-Z]+)(\d+)$/.exec(xmlAttr(m[1], 'r') || '');
			if (!ref) continue;
			const col = [...ref[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
			const row = Number(ref[2]) - 1;
			const inner = m[2] || '';
			const v = /<v>([\s\S]*?)<\/v>/.exec(inner);
			const type = xmlAttr(m[1], 't');
			let value = '';
			if (type === 's') value = v ? shared[Number(v[1])] ?? '' : '';
			else if (type === 'inlineStr') value = xmlRuns(inner);
			else value = v ? xmlUnescape(v[1]) : '';
			(rows[row] ||= [])[col] = value;
		}
		sheets.push({ name: xmlAttr(tag, 'name'), rows: Array.from(rows, (r) => Array.from(r || [], (c) => c ?? '')) });
	}
	return sheets;
}

// ---------------------------------------------------------------- the challenge program, end to end

// A group member books a pre-consultation, writes a proposal over two
// sittings (one refused save first), submits it and sees the receipt and the
// notification; the office filters the list, opens the print view and
// exports .xlsx (read back) and CSV.  Own users (CLI); the demo group's size is
// written with sqlite3 (no page sets it without the whole group form), the
// membership through the admin's user page.
const CH = {
	password: 'challenge-browser-pass-1',
	coordinator: { email: 'challenge-coordinator@example.jp', name: '相談員三郎' },
	member: { email: 'challenge-member@example.jp', name: '会員四郎' },
	group: 'にじいろあそび',
	category: '一般部門',
	receiptRe: /^R8-一般-\d{3}$/,
	place: '市民活動サポートセンター 相談室C',
	division: '市民協働推進課',
};
const PROPOSAL = {
	title: '学校に行きづらい子の親がつながる「ほっとサロン」',
	summary: '学校に行きづらい子どもの親が、月に1回集まって話せる場を開きます。専門家の講座と交流会を組み合わせ、親の孤立を防ぎます。',
	background: '学校に行きづらい子どもが増えていますが、その親は相談できる相手が少なく、孤立しがちです。',
	purpose: '親どうしが気軽に話し、情報を分け合える場所を地域につくること。',
	content: '月1回の交流会（全10回）と、スクールカウンセラーを講師に招く講座（2回）を開きます。',
	rolesGroup: '交流会の企画と運営、参加者への案内、記録のまとめ。',
	rolesCity: '会場となる公共施設の紹介、学校や相談窓口を通じた案内の配布。',
	effect: '参加した親の8割が「気持ちが楽になった」と答え、交流会の後も続くつながりが生まれること。',
	schedule: [['令和9年4月', '参加者の募集と準備'], ['令和9年5月〜令和10年2月', '交流会と講座']],
	expense: [['講師謝礼', '30000', '2', '60,000'], ['会場費', '10000', '3', '30,000']],
	income: [['参加費', '500', '20', '10,000']],
	badPrice: '一万円',
	requested: '80,000',
};


// What the challenge block submitted, for the screening block after it.
const submitted = { proposalPath: null, receipt: null };

async function challenge() {
	let memberId = null, groupId = null;
	const setupOk = await test('challenge setup: a coordinator and a member (CLI), the group has 10 members (sqlite3)', async () => {
		kyodo(['user', 'add', '--email', CH.coordinator.email, '--name', CH.coordinator.name, '--role', 'coordinator'], `${CH.password}\n`);
		const out = kyodo(['user', 'add', '--email', CH.member.email, '--name', CH.member.name, '--role', 'member'], `${CH.password}\n`).toString();
		const m = /created user (\d+)/.exec(out);
		assert(m, `kyodo user add said "${out.trim()}"`);
		memberId = Number(m[1]);
		const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', env.KYODO_DB, q]).toString().trim();
		sql(`UPDATE groups SET members = 10 WHERE name = '${CH.group}'`);
		groupId = Number(sql(`SELECT id FROM groups WHERE name = '${CH.group}' AND members = 10`));
		assert(groupId > 0, `no group ${CH.group} with 10 members`);
		return [`member user ${memberId}, group ${groupId}`];
	});
	if (!setupOk) return;

	// The office adds the member to the group on the user's page.
	const adminContext = await newContext();
	const admin = await loginAs(adminContext, ADMIN.email, ADMIN.password);
	await test(`admin adds ${CH.member.name} to ${CH.group} on /admin/users/{id}`, async () => {
		await visit(admin, `/admin/users/${memberId}`);
		await field(admin, '所属団体の番号').fill(String(groupId));
		await clickAndWait(admin, admin.getByRole('button', { name: '保存する' }));
		await expectFlash(admin, '保存しました');
		await visit(admin, `/admin/users/${memberId}`);
		await expectVisible(admin.getByRole('list', { name: '現在の所属団体' }).getByRole('link', { name: CH.group }),
			`${CH.group} under 現在の所属団体`);
	}, admin);
	await checkPage(admin, 'member with a group');

	// 1. pre-consultations: the coordinator publishes a slot, the member books
	//    it, the coordinator marks it done; the division consultation is
	//    recorded by the coordinator.
	const coContext = await newContext();
	const co = await loginAs(coContext, CH.coordinator.email, CH.password);
	await test('1a. coordinator publishes a consultation slot', async () => {
		await clickAndWait(co, co.getByRole('link', { name: '事前相談', exact: true }));
		const day = jstDate(3);
		await field(co, '開始日時').fill(`${day}T14:00`);
		await field(co, '終了日時').fill(`${day}T15:00`);
		await field(co, '場所').fill(CH.place);
		await clickAndWait(co, co.getByRole('button', { name: '公開する' }));
		await expectFlash(co, '事前相談の枠を公開しました');
		await expectVisible(co.getByRole('article').filter({ hasText: CH.place }), `a slot card at ${CH.place}`);
	}, co);
	await checkPage(co, 'challenge coordinator, slot published');

	const memberContext = await newContext();
	let member = await loginAs(memberContext, CH.member.email, CH.password);
	await test('1b. member books the slot for their group and the open call', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '事前相談', exact: true }));
		const card = member.getByRole('article').filter({ hasText: CH.place });
		await expectVisible(card, `a free slot at ${CH.place}`);
		await expectVisible(card.getByText(`予約する団体：${CH.group}`), `予約する団体：${CH.group}`);
		await field(card, '相談する募集').selectOption({ label: OPEN_CALL });
		await clickAndWait(member, card.getByRole('button', { name: /予約する/ }));
		await expectFlash(member, '事前相談を予約しました');
		const row = member.getByRole('row').filter({ hasText: CH.place });
		await expectVisible(row, `a booking row at ${CH.place}`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(CH.group) && text.includes(OPEN_CALL) && text.includes('予約済み'),
			`the booking row says "${text}", expected ${CH.group}, ${OPEN_CALL} and 予約済み`);
	}, member);
	await checkPage(member, 'challenge member, booked');

	await test('1c. coordinator: お知らせ has the booking', async () => {
		await visit(co, '/');
		await clickAndWait(co, co.getByRole('link', { name: /^お知らせ/ }));
		assert(describe(co.url()) === '/notifications', `went to ${describe(co.url())}`);
		const card = co.getByRole('article').filter({ hasText: '事前相談の予約を受け付けました' });
		await expectVisible(card, 'a notification 事前相談の予約を受け付けました');
		const text = (await card.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(CH.group), `the notification says "${text}", expected ${CH.group}`);
	}, co);
	await checkPage(co, 'challenge coordinator notifications');
	await test('1d. coordinator marks the consultation done with notes', async () => {
		await visit(co, '/consultations');
		const card = co.getByRole('article').filter({ hasText: CH.place });
		await expectVisible(card.getByText(CH.group), `the booking by ${CH.group}`);
		await card.getByLabel(/^相談記録/).fill('交流会と講座の組み合わせについて助言。担当課との相談を案内した。');
		await clickAndWait(co, card.getByRole('button', { name: /相談済みにする/ }));
		await expectFlash(co, '相談記録を保存しました');
		await expectVisible(co.getByRole('article').filter({ hasText: CH.place }).getByText('相談済み', { exact: true }),
			'the 相談済み badge on the slot');
	}, co);
	await checkPage(co, 'challenge coordinator, consultation done');

	await test('1e. coordinator records the division consultation on /consultations/division', async () => {
		await clickAndWait(co, co.getByRole('link', { name: '担当課との事前相談の記録' }));
		await field(co, '団体名または団体番号').fill(CH.group);
		await field(co, '相談した募集').selectOption({ label: OPEN_CALL });
		await field(co, '担当課').selectOption({ label: CH.division });
		await field(co, '実施日').fill(jstDate(0));
		await field(co, '相談の内容').fill('会場となる公共施設と、学校を通じた案内について相談。');
		await clickAndWait(co, co.getByRole('button', { name: '記録する' }));
		await expectFlash(co, '担当課との事前相談を記録しました');
		const row = co.getByRole('row').filter({ hasText: CH.group });
		await expectVisible(row, `a record for ${CH.group}`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(CH.division) && text.includes(OPEN_CALL), `the record says "${text}"`);
	}, co);
	await checkPage(co, 'challenge division consultation recorded');
	await test('1f. member sees the booking as 相談済み', async () => {
		await visit(member, '/consultations');
		const row = member.getByRole('row').filter({ hasText: CH.place });
		await expectVisible(row.getByText('相談済み', { exact: true }), 'the 相談済み badge on the booking');
	}, member);
	await checkPage(member, 'challenge member, consultation done');

	// 2. the proposal, over two sittings
	let proposalPath = null;
	await test('2a. member: /proposals offers the open call\'s categories', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '企画提案書', exact: true }));
		await expectVisible(member.getByRole('link', { name: `${CH.category}の企画提案書を作成` }), `a link to start a ${CH.category} proposal`);
		await expectVisible(member.getByText('まだ企画提案書はありません。'), 'まだ企画提案書はありません');
	}, member);
	await checkPage(member, 'challenge member, no proposals');
	await test(`2b. member: /challenge → the open call → ${CH.category}に応募する`, async () => {
		await clickAndWait(member, member.getByRole('link', { name: 'チャレンジ事業', exact: true }));
		await clickAndWait(member, member.getByRole('link', { name: `${OPEN_CALL_FY}の募集の詳細を見る` }));
		const title = await h1Text(member);
		assert(title === OPEN_CALL, `h1 is "${title}", expected "${OPEN_CALL}"`);
	}, member);
	await checkPage(member, 'challenge call, as a member');
	await test('2c. the new-proposal form has the category and the group chosen', async () => {
		await clickAndWait(member, member.getByRole('link', { name: new RegExp(`^${escapeRe(CH.category)}に応募する`) }));
		assert(describe(member.url()).startsWith('/proposals/new?'), `went to ${describe(member.url())}`);
		const chosen = async (label) => field(member, label).evaluate((s) => s.options[s.selectedIndex].text);
		const cat = await chosen('部門');
		assert(cat === CH.category, `部門 shows "${cat}", expected "${CH.category}"`);
		const grp = await chosen('応募する団体');
		assert(grp === CH.group, `応募する団体 shows "${grp}", expected "${CH.group}"`);
	}, member);
	await checkPage(member, 'new proposal');
	await test('2d. 下書きを作成する opens the proposal form with the missing consultations gone', async () => {
		await clickAndWait(member, member.getByRole('button', { name: '下書きを作成する' }));
		const m = /^(\/proposals\/\d+)\/edit$/.exec(describe(member.url()));
		assert(m, `went to ${describe(member.url())}, expected /proposals/<id>/edit`);
		proposalPath = m[1];
		submitted.proposalPath = proposalPath;
		await expectFlash(member, '登録しました');
		await expectVisible(member.getByText('下書き', { exact: true }), 'the 下書き badge');
		assert((await member.getByText('提出の前に必要な事前相談が済んでいません').count()) === 0,
			'the form still says 提出の前に必要な事前相談が済んでいません');
		return [`proposal ${proposalPath}`];
	}, member);
	await checkPage(member, 'proposal form, new draft');

	const fillFirstSitting = async (price2) => {
		await field(member, '事業名').fill(PROPOSAL.title);
		await field(member, '事業の概要（公開）').fill(PROPOSAL.summary);
		await field(member, '協働を希望する課').selectOption({ label: CH.division });
		await field(member, '背景と地域の課題').fill(PROPOSAL.background);
		await cell(member, '日程1の時期').fill(PROPOSAL.schedule[0][0]);
		await cell(member, '日程1の内容').fill(PROPOSAL.schedule[0][1]);
		for (const [i, [item, price, qty]] of PROPOSAL.expense.entries()) {
			await cell(member, `支出${i + 1}の項目`).fill(item);
			await cell(member, `支出${i + 1}の単価`).fill(i === 1 ? price2 : price);
			await cell(member, `支出${i + 1}の数量`).fill(qty);
		}
	};
	await test('2e. sitting 1: a non-numeric unit price is refused, next to that field, with the input kept', async () => {
		assert(proposalPath, 'no proposal (previous step failed)');
		await fillFirstSitting(PROPOSAL.badPrice);
		await clickAndWait(member, member.getByRole('button', { name: '下書き保存' }));
		await expectErrorSummary(member);
		const price = cell(member, '支出2の単価');
		await expectFieldError(price, '支出2の単価', '金額は数字で入力してください');
		const id = await price.getAttribute('id');
		const link = member.getByRole('alert').locator(`a[href="#${id}"]`);
		assert((await link.count()) === 1, `the error summary has no link to #${id}`,
			(await member.getByRole('alert').allInnerTexts()).map((t) => `summary: ${t.replace(/\s+/g, ' ')}`));
		const kept = await price.inputValue();
		assert(kept === PROPOSAL.badPrice, `支出2の単価 holds "${kept}", expected the submitted "${PROPOSAL.badPrice}"`);
		const title = await field(member, '事業名').inputValue();
		assert(title === PROPOSAL.title, `事業名 holds "${title}" after the error`);
		const item = await cell(member, '支出1の項目').inputValue();
		assert(item === PROPOSAL.expense[0][0], `支出1の項目 holds "${item}" after the error`);
	}, member);
	await checkPage(member, 'proposal form with errors');
	await test('2f. sitting 1: the corrected draft is saved and the amounts computed', async () => {
		await cell(member, '支出2の単価').fill(PROPOSAL.expense[1][1]);
		await clickAndWait(member, member.getByRole('button', { name: '下書き保存' }));
		assert(describe(member.url()) === `${proposalPath}/edit`, `went to ${describe(member.url())}, expected ${proposalPath}/edit`);
		await expectFlash(member, '保存しました');
		const amount = (await member.locator('#f-expense_amount_1').innerText()).trim();
		assert(amount === PROPOSAL.expense[0][3], `支出1の金額 shows "${amount}", expected ${PROPOSAL.expense[0][3]}`);
	}, member);
	await checkPage(member, 'proposal form, draft saved');

	await test('2g. logout, and log in again', async () => {
		await clickAndWait(member, member.getByRole('button', { name: 'ログアウト' }));
		await expectVisible(member.getByRole('link', { name: 'ログイン' }), 'a ログイン link');
		await member.close();
		member = await newPage(memberContext);
		await logIn(member, CH.member.email, CH.password);
	}, () => member);
	await test('2h. the list shows the draft; its page links to the form', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '企画提案書', exact: true }));
		const row = member.getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row, `a row for ${PROPOSAL.title}`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes('下書き') && text.includes(CH.category), `the row says "${text}"`);
		await clickAndWait(member, row.getByRole('link', { name: PROPOSAL.title }));
		assert(describe(member.url()) === proposalPath, `went to ${describe(member.url())}, expected ${proposalPath}`);
		await expectVisible(member.getByRole('link', { name: '編集・提出する' }), 'an 編集・提出する link');
	}, member);
	await checkPage(member, 'proposal page, draft');
	await test('2i. sitting 2: the form shows what sitting 1 saved', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '編集・提出する' }));
		const checks = [
			[field(member, '事業名'), PROPOSAL.title, '事業名'],
			[field(member, '事業の概要（公開）'), PROPOSAL.summary, '事業の概要'],
			[field(member, '背景と地域の課題'), PROPOSAL.background, '背景と地域の課題'],
			[cell(member, '日程1の時期'), PROPOSAL.schedule[0][0], '日程1の時期'],
			[cell(member, '支出1の項目'), PROPOSAL.expense[0][0], '支出1の項目'],
			[cell(member, '支出1の単価'), PROPOSAL.expense[0][1], '支出1の単価'],
			[cell(member, '支出1の数量'), PROPOSAL.expense[0][2], '支出1の数量'],
			[cell(member, '支出2の単価'), PROPOSAL.expense[1][1], '支出2の単価'],
		];
		const wrong = [];
		for (const [loc, want, what] of checks) {
			const got = await loc.inputValue();
			if (got !== want) wrong.push(`${what}: "${got}", expected "${want}"`);
		}
		const div = await field(member, '協働を希望する課').evaluate((s) => s.options[s.selectedIndex].text);
		if (div !== CH.division) wrong.push(`協働を希望する課: "${div}", expected "${CH.division}"`);
		assert(wrong.length === 0, `${wrong.length} field(s) lost what was saved`, wrong);
	}, member);
	let receipt = null;
	await test('2j. sitting 2: the rest filled in (budget with income) and submitted', async () => {
		await field(member, '事業の目的').fill(PROPOSAL.purpose);
		await field(member, '事業の内容').fill(PROPOSAL.content);
		await field(member, '団体の役割').fill(PROPOSAL.rolesGroup);
		await field(member, '市（担当課）の役割').fill(PROPOSAL.rolesCity);
		await field(member, '期待される効果').fill(PROPOSAL.effect);
		await cell(member, '日程2の時期').fill(PROPOSAL.schedule[1][0]);
		await cell(member, '日程2の内容').fill(PROPOSAL.schedule[1][1]);
		const [item, price, qty] = PROPOSAL.income[0];
		await cell(member, '収入1の項目').fill(item);
		await cell(member, '収入1の単価').fill(price);
		await cell(member, '収入1の数量').fill(qty);
		await clickAndWait(member, member.getByRole('button', { name: '提出する' }));
		const errors = await member.locator('.error-summary li, .field__error').allInnerTexts();
		assert(describe(member.url()) === `${proposalPath}/receipt`,
			`went to ${describe(member.url())}, expected ${proposalPath}/receipt`, errors.map((e) => `error shown: ${e}`));
	}, member);

	// 3. the receipt
	await test(`3a. the receipt shows a receipt number like ${CH.receiptRe.source} and the requested amount`, async () => {
		const title = await h1Text(member);
		assert(title === '企画提案書を受け付けました', `h1 is "${title}"`);
		const no = (await member.locator('dt:text-is("受付番号") + dd').innerText()).trim();
		assert(CH.receiptRe.test(no), `受付番号 is "${no}", expected ${CH.receiptRe}`);
		receipt = no;
		submitted.receipt = no;
		const requested = (await member.locator('dt:text-is("申請額") + dd').innerText()).trim();
		assert(requested === `${PROPOSAL.requested}円`, `申請額 is "${requested}", expected ${PROPOSAL.requested}円`);
		return [`receipt ${receipt}`];
	}, member);
	await checkPage(member, 'receipt');
	await test('3b. the print view shows the budget lines', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '印刷用の表示' }));
		assert(describe(member.url()) === `${proposalPath}/print`, `went to ${describe(member.url())}`);
		await expectVisible(member.getByRole('cell', { name: PROPOSAL.expense[0][0] }).or(member.getByRole('rowheader', { name: PROPOSAL.expense[0][0] })),
			`the budget line ${PROPOSAL.expense[0][0]}`);
	}, member);
	await checkPage(member, 'print, member');
	await test('3c. the submitted proposal is read-only to the member', async () => {
		await visit(member, proposalPath);
		await expectVisible(member.getByText('提出済み', { exact: true }), 'the 提出済み badge');
		assert((await member.getByRole('link', { name: '編集・提出する' }).count()) === 0, 'still offers 編集・提出する');
		await expectVisible(member.getByRole('button', { name: 'この企画提案書を取り下げる' }), 'a 取り下げる button');
	}, member);
	await checkPage(member, 'proposal page, submitted');
	await test('3d. /notifications shows the receipt (and the booking) notification', async () => {
		assert(receipt, 'no receipt number (previous step failed)');
		await clickAndWait(member, member.getByRole('link', { name: /^お知らせ/ }));
		assert(describe(member.url()) === '/notifications', `went to ${describe(member.url())}`);
		await expectVisible(member.getByRole('heading', { name: new RegExp(`企画提案書の受付（受付番号 ${escapeRe(receipt)}）`) }),
			`a notification 企画提案書の受付（受付番号 ${receipt}）`);
		await expectVisible(member.getByRole('heading', { name: /事前相談の予約を受け付けました/ }),
			'a notification 事前相談の予約を受け付けました');
	}, member);
	await checkPage(member, 'member notifications');
	await memberContext.close();
	await coContext.close();

	// 4. the office: filter, print, export
	let filtered = null;
	await test('4a. admin: /proposals lists every proposal with the filters', async () => {
		await visit(admin, '/admin');
		await clickAndWait(admin, admin.getByRole('link', { name: '企画提案書', exact: true }));
		const title = await h1Text(admin);
		assert(title === '企画提案書の一覧（事務局）', `h1 is "${title}"`);
	}, admin);
	await checkPage(admin, 'office list');
	await test(`4b. filtered by call, ${CH.category} and 提出済み, the list shows the proposal`, async () => {
		await field(admin, '募集').selectOption({ label: OPEN_CALL });
		await clickAndWait(admin, admin.getByRole('button', { name: '絞り込む' }));
		await field(admin, '部門').selectOption({ label: CH.category });
		await field(admin, '状態').selectOption({ label: '提出済み' });
		await clickAndWait(admin, admin.getByRole('button', { name: '絞り込む' }));
		const q = new URL(admin.url()).searchParams;
		assert(q.get('call') && q.get('category') && q.get('status') === 'submitted', `went to ${describe(admin.url())}`);
		filtered = describe(admin.url());
		await expectVisible(admin.getByRole('heading', { name: /絞り込みの結果（\d+件）/ }), 'a 絞り込みの結果 heading');
		const rows = admin.locator('tbody tr').filter({ has: admin.locator('a[href^="/proposals/"]') });
		const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
		const ours = texts.filter((t) => t.includes(PROPOSAL.title));
		assert(ours.length === 1 && ours[0].includes(receipt) && ours[0].includes(CH.group),
			`expected one row with ${PROPOSAL.title}, ${receipt} and ${CH.group}`, texts.map((t) => `row: ${t}`));
		const others = texts.filter((t) => !t.includes(CH.category) || !t.includes('提出済み'));
		assert(others.length === 0, 'rows outside the filter', others.map((t) => `row: ${t}`));
		return [`${texts.length} row(s): ${filtered}`];
	}, admin);
	await checkPage(admin, 'office list filtered');
	await test('4c. admin: the proposal page, with the 差し戻し form', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: PROPOSAL.title }));
		assert(describe(admin.url()) === proposalPath, `went to ${describe(admin.url())}, expected ${proposalPath}`);
		await expectVisible(admin.getByRole('heading', { name: '差し戻し（事務局）' }), 'the 差し戻し form');
	}, admin);
	await checkPage(admin, 'proposal page, office');
	await test('4d. admin: the print view (和暦 date, budget table)', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: '印刷用の表示' }));
		assert(describe(admin.url()) === `${proposalPath}/print`, `went to ${describe(admin.url())}`);
		await expectVisible(admin.getByText(receipt).first(), `the receipt number ${receipt}`);
		const submitted = (await admin.locator('dt:text-is("提出日時") + dd').innerText()).trim();
		assert(/^令和(元|\d+)年\d{1,2}月\d{1,2}日/.test(submitted), `提出日時 is "${submitted}", expected a 和暦 date (令和…年…月…日)`);
		await expectVisible(admin.locator('table').getByText(PROPOSAL.expense[0][0], { exact: true }),
			`the budget line ${PROPOSAL.expense[0][0]} in a table`);
	}, admin);
	await checkPage(admin, 'print, office');
	// A4 with the stylesheet's 15 mm margins leaves 180 mm ≈ 680 CSS px.
	await test('4e. the print view fits the width of an A4 page in print media', async () => {
		await admin.emulateMedia({ media: 'print' });
		await admin.setViewportSize({ width: 680, height: 960 });
		try {
			return await expectNoHorizontalScroll(admin, 680);
		} finally {
			await admin.emulateMedia({ media: 'screen' });
			await admin.setViewportSize(DEFAULT_VIEWPORT);
		}
	}, admin);
	await test('4f. .xlsx export of the filtered list, read back: proposal sheet and budget sheet', async () => {
		assert(filtered && receipt, 'no filtered list or receipt (previous step failed)');
		await visit(admin, filtered);
		const f = await download(admin, admin.getByRole('link', { name: 'この一覧をExcel（.xlsx）で出力' }));
		assert(f.name.endsWith('.xlsx'), `the file is named "${f.name}"`);
		const sheets = readXlsx(f.data);
		const notes = [`${f.name}: ${f.data.length} bytes, sheets ${sheets.map((s) => `${s.name} (${s.rows.length} rows)`).join(', ')}`];
		assert(sheets.length >= 2, `${sheets.length} sheet(s), expected 2`, notes);
		const [list, budget] = sheets;
		const hit = list.rows.find((r) => r.includes(PROPOSAL.title));
		assert(hit, `sheet 1 (${list.name}) has no cell "${PROPOSAL.title}"`, [...notes, ...list.rows.slice(0, 3).map((r) => `row: ${r.join(' | ').slice(0, 200)}`)]);
		assert(hit.includes(receipt), `sheet 1's row for the proposal has no cell "${receipt}"`, [`row: ${hit.join(' | ').slice(0, 300)}`]);
		const line = budget.rows.find((r) => r.includes(PROPOSAL.expense[0][0]) && r.includes(receipt));
		assert(line, `sheet 2 (${budget.name}) has no row with "${PROPOSAL.expense[0][0]}" and "${receipt}"`,
			[...notes, ...budget.rows.slice(0, 4).map((r) => `row: ${r.join(' | ').slice(0, 200)}`)]);
		const amount = PROPOSAL.expense[0][3].replace(/,/g, '');
		assert(line.includes(amount) && line.includes(PROPOSAL.expense[0][1]),
			`the ${PROPOSAL.expense[0][0]} row lacks ${PROPOSAL.expense[0][1]} or ${amount}`, [`row: ${line.join(' | ')}`]);
		return notes;
	}, admin);
	await test('4g. CSV export: UTF-8 with a BOM, with the proposal', async () => {
		assert(filtered && receipt, 'no filtered list or receipt (previous step failed)');
		const f = await download(admin, admin.getByRole('link', { name: 'この一覧をCSVで出力' }));
		assert(f.name.endsWith('.csv'), `the file is named "${f.name}"`);
		assert(f.data.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `starts with ${f.data.subarray(0, 3).toString('hex')}, expected the BOM efbbbf`);
		const text = new TextDecoder('utf-8', { fatal: true }).decode(f.data.subarray(3));
		assert(text.includes(PROPOSAL.title) && text.includes(receipt), `the CSV lacks "${PROPOSAL.title}" or ${receipt}`,
			text.split('\n').slice(0, 3).map((l) => `line: ${l.slice(0, 200)}`));
		return [`${f.name}: ${f.data.length} bytes`];
	}, admin);
	await test('4h. /admin/outbox lists the receipt notification', async () => {
		await visit(admin, '/admin');
		await clickAndWait(admin, admin.getByRole('link', { name: /お知らせの送信状況/ }));
		assert(describe(admin.url()).startsWith('/admin/outbox'), `went to ${describe(admin.url())}`);
		const row = admin.getByRole('row').filter({ hasText: `企画提案書の受付（受付番号 ${receipt}）` });
		await expectVisible(row, `a row for 企画提案書の受付（受付番号 ${receipt}）`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(CH.member.email), `the row says "${text}", expected the recipient ${CH.member.email}`);
	}, admin);
	await checkPage(admin, 'outbox');
	await adminContext.close();
}

// ---------------------------------------------------------------- screening and adoption, end to end

// Issue 4: the office sets up the default stages on the open call, removes
// the 2nd stage before any scoring (so that 1次審査 is the last stage: the
// app allows that, and it is the shortest path to adoption), opens the 1次
// window now and assigns every reviewer.  Two reviewers (CLI) score the
// proposal the challenge block submitted: reviewer 1 saves a draft, is
// refused a score outside the scale, then submits; reviewer 2 scores without
// ever seeing reviewer 1's sheet.  The office closes the stage, checks the
// total in the ranking against the one computed here, decides 通過, adopts
// (a grant above the request first: 422), releases the results with the
// comments and prints the letters.  A visitor reads 採択事業一覧 and the
// applicant their result, with the comments but no reviewer's name.
const SC = {
	password: 'screening-browser-pass-1',
	reviewers: [
		{ email: 'reviewer1@example.jp', name: '審査員一郎', scores: [4, 5, 3, 4, 3, 4], bad: { index: 2, value: '9' },
			comment: '講評A：孤立しがちな親をつなぐ仕組みが具体的で、会場の確保も現実的です。' },
		{ email: 'reviewer2@example.jp', name: '審査員二郎', scores: [3, 4, 4, 3, 4, 3],
			comment: '講評B：講座の回数を増やすと、さらに効果が期待できます。' },
	],
	stage1: '1次審査（書類）',
	stage2: '2次審査（公開プレゼンテーション）',
	year: 2026, // 令和8年度, the open call's fiscal year
	tooMuch: '100000', // above the requested 80,000 yen, below the 一般部門 cap
	grant: '70000',
	grantText: '70,000',
	division: '子育て支援課', // not the one the group asked for: the office decides
};

// Σ(weight·score) / Σ(weight·max) × 100 per reviewer, then the mean over the
// reviewers, rounded once to 2 decimals, halves up, from exact integers.
function expectedTotal(criteria, sheets) {
	const M = criteria.reduce((t, c) => t + c.weight * c.max, 0);
	const points = sheets.map((s) => s.reduce((t, v, i) => t + criteria[i].weight * v, 0));
	const num = BigInt(points.reduce((a, b) => a + b, 0)) * 10000n;
	const den = BigInt(sheets.length * M);
	const hundredths = (2n * num + den) / (2n * den);
	return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

// The whole visible text of a page, for "must not appear" checks.

async function screening() {
	const proposalPath = submitted.proposalPath;
	const pid = proposalPath ? Number(proposalPath.split('/').pop()) : null;
	const [R1, R2] = SC.reviewers;
	const setupOk = await test('screening setup: two reviewers (kyodo user add --role reviewer), the submitted proposal', async () => {
		assert(proposalPath && submitted.receipt, 'the challenge block did not submit its proposal');
		for (const r of SC.reviewers) {
			const out = kyodo(['user', 'add', '--email', r.email, '--name', r.name, '--role', 'reviewer'], `${SC.password}\n`).toString();
			assert(/created user \d+/.test(out), `kyodo user add said "${out.trim()}"`);
		}
		return [`proposal ${proposalPath} (${submitted.receipt})`];
	});
	if (!setupOk) return;

	const adminContext = await newContext();
	const admin = await loginAs(adminContext, ADMIN.email, ADMIN.password);
	let callId = null, stageId = null, stage2Id = null;
	let criteria = null;

	// 0. the office sets up screening on the open call
	await test(`S0a. admin: the screening page of ${OPEN_CALL_FY} has no stages yet`, async () => {
		await visit(admin, '/admin/calls');
		await clickAndWait(admin, editLink(admin, OPEN_CALL));
		const m = /^\/admin\/calls\/(\d+)$/.exec(describe(admin.url()));
		assert(m, `went to ${describe(admin.url())}, expected /admin/calls/<id>`);
		callId = m[1];
		await visit(admin, `/admin/calls/${callId}/screening`);
		await expectVisible(admin.getByText('この募集には、まだ審査段階がありません。'), 'まだ審査段階がありません');
		return [`call ${callId}`];
	}, admin);
	await checkPage(admin, 'screening, no stages');
	await test('S0b. 「審査段階を初期設定」 makes 1次審査 and 2次審査', async () => {
		assert(callId, 'no call id (previous step failed)');
		await clickAndWait(admin, admin.getByRole('button', { name: '審査段階を初期設定' }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/screening`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '登録しました');
		const names = (await admin.locator('tbody th[scope="row"]').allInnerTexts()).map((t) => t.trim());
		assert(names.length === 2 && names[0] === SC.stage1 && names[1] === SC.stage2,
			`the stages are ${names.join(' / ')}, expected ${SC.stage1} / ${SC.stage2}`);
		const href = async (name) => admin.getByRole('link', { name, exact: true }).getAttribute('href');
		stageId = /\/admin\/screening\/stages\/(\d+)$/.exec(await href(SC.stage1))?.[1];
		stage2Id = /\/admin\/screening\/stages\/(\d+)$/.exec(await href(SC.stage2))?.[1];
		assert(stageId && stage2Id, 'no links to the stages');
		return [`stages ${stageId}, ${stage2Id}`];
	}, admin);
	await checkPage(admin, 'screening, two stages');
	await test(`S0c. the 2nd stage is removed before any scoring, so ${SC.stage1} is the last`, async () => {
		assert(stage2Id, 'no 2nd stage (previous step failed)');
		await clickAndWait(admin, admin.getByRole('link', { name: new RegExp(`^設定\\s*（${escapeRe(SC.stage2)}）$`) }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stage2Id}/settings`, `went to ${describe(admin.url())}`);
		await clickAndWait(admin, admin.getByRole('button', { name: `${SC.stage2}を削除する` }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/screening`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '保存しました');
		const names = (await admin.locator('tbody th[scope="row"]').allInnerTexts()).map((t) => t.trim());
		assert(names.length === 1 && names[0] === SC.stage1, `the stages are ${names.join(' / ')}, expected ${SC.stage1} only`);
	}, admin);
	await test(`S0d. ${SC.stage1} settings: the criteria (read for the total) and the default window`, async () => {
		assert(stageId, 'no stage (previous step failed)');
		await clickAndWait(admin, admin.getByRole('link', { name: new RegExp(`^設定\\s*（${escapeRe(SC.stage1)}）$`) }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stageId}/settings`, `went to ${describe(admin.url())}`);
		const rows = admin.locator('section[aria-labelledby="criteria-heading"] tbody tr');
		criteria = [];
		for (const row of await rows.all()) {
			const name = (await row.locator('th').innerText()).trim();
			const nums = (await row.locator('td.num').allInnerTexts()).map((t) => Number(t.trim()));
			criteria.push({ name, max: nums[0], weight: nums[1] });
		}
		const list = criteria.map((c) => `${c.name} ${c.max}点×${c.weight}`).join(', ');
		assert(criteria.length === R1.scores.length, `${criteria.length} criteria (${list}), expected ${R1.scores.length}`);
		assert(criteria.every((c) => c.weight === criteria[0].weight && c.max > 0), `the weights are not equal: ${list}`);
		return [`criteria: ${list}`];
	}, admin);
	await checkPage(admin, 'stage settings');
	await test('S0e. the 1次 window is set to include now (採点の開始・締切, datetime-local)', async () => {
		await field(admin, '採点の開始').fill(jstDateTime(-60));
		await field(admin, '採点の締切').fill(jstDateTime(24 * 60));
		await clickAndWait(admin, admin.getByRole('button', { name: '採点期間を保存する' }));
		await expectFlash(admin, '保存しました');
		await expectVisible(admin.locator('.lead').getByText('採点受付中'), 'the 採点受付中 badge');
	}, admin);
	await checkPage(admin, 'stage settings, window open');
	await test('S0f. assignment: 審査員全員, both reviewers listed', async () => {
		const form = admin.locator('form[action$="/reviewers"]');
		for (const r of SC.reviewers)
			await expectVisible(form.getByRole('rowheader', { name: r.name }), `the reviewer ${r.name}`);
		await form.getByRole('radio', { name: /審査員全員/ }).check();
		await clickAndWait(admin, form.getByRole('button', { name: '割り当てを保存する' }));
		await expectFlash(admin, '保存しました');
		await expectVisible(admin.getByText(/現在：審査員全員/), '現在：審査員全員');
	}, admin);

	// 1. two reviewers score
	const sheetPath = `/review/stages/${stageId}/proposals/${pid}`;
	const scoreField = (page, i) => field(page, criteria[i].name);
	const r1Context = await newContext();
	const r1 = await loginAs(r1Context, R1.email, SC.password);
	await test(`S1a. reviewer 1: /review lists the proposal under ${SC.stage1}, 0/1 採点済み`, async () => {
		await visit(r1, '/review');
		const section = r1.getByRole('region', { name: SC.stage1 });
		await expectVisible(section, `a section ${SC.stage1}`);
		await expectVisible(section.getByText('0/1 採点済み'), '0/1 採点済み');
		const row = section.getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row, `a row for ${PROPOSAL.title}`);
		const text = (await row.innerText()).replace(/\s+/g, ' ');
		assert(text.includes(submitted.receipt) && text.includes('未着手'), `the row says "${text}"`);
	}, r1);
	await checkPage(r1, 'reviewer 1 queue');
	await test('S1b. reviewer 1: the proposal read-only, with its budget, and an empty score sheet', async () => {
		await clickAndWait(r1, r1.getByRole('link', { name: PROPOSAL.title }));
		assert(describe(r1.url()) === sheetPath, `went to ${describe(r1.url())}, expected ${sheetPath}`);
		await expectVisible(r1.getByText(PROPOSAL.expense[0][0], { exact: true }), `the budget line ${PROPOSAL.expense[0][0]}`);
		assert((await r1.getByRole('link', { name: '編集・提出する' }).count()) === 0, 'a reviewer is offered 編集・提出する');
		for (let i = 0; i < criteria.length; i++) {
			const v = await scoreField(r1, i).inputValue();
			assert(v === '', `${criteria[i].name} holds "${v}" before any scoring`);
		}
	}, r1);
	await checkPage(r1, 'reviewer 1 sheet, empty');
	await test('S1c. reviewer 1 saves a draft (two scores and the comment)', async () => {
		await scoreField(r1, 0).fill(String(R1.scores[0]));
		await scoreField(r1, 1).fill(String(R1.scores[1]));
		await field(r1, 'コメント').fill(R1.comment);
		await clickAndWait(r1, r1.getByRole('button', { name: '下書きを保存する' }));
		assert(describe(r1.url()) === `${sheetPath}?done=draft`, `went to ${describe(r1.url())}`);
		await expectFlash(r1, '下書きを保存しました');
		await expectVisible(r1.getByRole('region', { name: '採点', exact: true }).getByText('下書き', { exact: true }), 'the 下書き badge');
		const v = await scoreField(r1, 1).inputValue();
		assert(v === String(R1.scores[1]), `${criteria[1].name} holds "${v}" after the draft`);
	}, r1);
	await checkPage(r1, 'reviewer 1 sheet, draft');
	await test(`S1d. reviewer 1: ${R1.bad.value} for ${criteria?.[R1.bad.index]?.name ?? 'a criterion'}, outside the scale, is refused (422) next to that criterion, input kept`, async () => {
		const bad = R1.bad.index;
		for (let i = 2; i < criteria.length; i++) await scoreField(r1, i).fill(i === bad ? R1.bad.value : String(R1.scores[i]));
		const resp = await submitForm(r1, r1.getByRole('button', { name: '提出する' }));
		assert(resp && resp.status() === 422, `POST ${sheetPath} answered ${resp && resp.status()}, expected 422`);
		await expectErrorSummary(r1);
		const f = scoreField(r1, bad);
		const c = criteria[bad];
		await expectFieldError(f, c.name, `${c.name}は0〜${c.max}の整数で入力してください`);
		const kept = await f.inputValue();
		assert(kept === R1.bad.value, `${c.name} holds "${kept}" after the error, expected the submitted "${R1.bad.value}"`);
		const other = await scoreField(r1, 3).inputValue();
		assert(other === String(R1.scores[3]), `${criteria[3].name} holds "${other}" after the error, expected ${R1.scores[3]}`);
		const comment = await field(r1, 'コメント').inputValue();
		assert(comment === R1.comment, `the comment holds "${comment}" after the error`);
		return [`「${c.name}は0〜${c.max}の整数で入力してください」`];
	}, r1);
	await checkPage(r1, 'reviewer 1 sheet, score outside the scale');
	await test('S1e. reviewer 1 corrects the score and submits', async () => {
		await scoreField(r1, R1.bad.index).fill(String(R1.scores[R1.bad.index]));
		await clickAndWait(r1, r1.getByRole('button', { name: '提出する' }));
		assert(describe(r1.url()) === `${sheetPath}?done=submitted`, `went to ${describe(r1.url())}`);
		await expectFlash(r1, '採点を提出しました');
		await expectVisible(r1.getByRole('region', { name: '採点', exact: true }).getByText('提出済み', { exact: true }), 'the 提出済み badge');
	}, r1);
	await checkPage(r1, 'reviewer 1 sheet, submitted');
	await test('S1f. reviewer 1: /review says 1/1 採点済み', async () => {
		await visit(r1, '/review');
		const section = r1.getByRole('region', { name: SC.stage1 });
		await expectVisible(section.getByText('1/1 採点済み'), '1/1 採点済み');
		await expectVisible(section.getByRole('row').filter({ hasText: PROPOSAL.title }).getByText('提出済み'), '提出済み in the row');
	}, r1);
	await r1Context.close();

	const r2Context = await newContext();
	const r2 = await loginAs(r2Context, R2.email, SC.password);
	const independent = async (what) => {
		const text = await pageText(r2);
		const leaks = [R1.comment, R1.name].filter((s) => text.includes(s));
		assert(leaks.length === 0, `${what} shows reviewer 1's ${leaks.join(' and ')}`);
	};
	await test('S1g. reviewer 2: /review lists the proposal as 未着手, nothing of reviewer 1', async () => {
		await visit(r2, '/review');
		const row = r2.getByRole('region', { name: SC.stage1 }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row.getByText('未着手'), '未着手 in the row');
		await independent('/review');
	}, r2);
	await checkPage(r2, 'reviewer 2 queue');
	await test('S1h. reviewer 2: the score sheet is empty and shows nothing of reviewer 1', async () => {
		await clickAndWait(r2, r2.getByRole('link', { name: PROPOSAL.title }));
		assert(describe(r2.url()) === sheetPath, `went to ${describe(r2.url())}`);
		const filled = [];
		for (let i = 0; i < criteria.length; i++) {
			const v = await scoreField(r2, i).inputValue();
			if (v !== '') filled.push(`${criteria[i].name}="${v}"`);
		}
		assert(filled.length === 0, `reviewer 2's sheet is prefilled: ${filled.join(', ')}`);
		const comment = await field(r2, 'コメント').inputValue();
		assert(comment === '', `reviewer 2's comment holds "${comment}"`);
		await independent(sheetPath);
	}, r2);
	await checkPage(r2, 'reviewer 2 sheet, empty');
	await test('S1i. reviewer 2 scores and submits; the page still shows nothing of reviewer 1', async () => {
		for (let i = 0; i < criteria.length; i++) await scoreField(r2, i).fill(String(R2.scores[i]));
		await field(r2, 'コメント').fill(R2.comment);
		await clickAndWait(r2, r2.getByRole('button', { name: '提出する' }));
		assert(describe(r2.url()) === `${sheetPath}?done=submitted`, `went to ${describe(r2.url())}`);
		await expectFlash(r2, '採点を提出しました');
		await independent('the submitted sheet');
	}, r2);
	await checkPage(r2, 'reviewer 2 sheet, submitted');
	await test('S1j. reviewer 2 cannot open the office\'s pages for the stage', async () => {
		for (const p of [`/admin/screening/stages/${stageId}`, `/admin/screening/stages/${stageId}/proposals/${pid}`,
			`/admin/calls/${callId}/scores.csv`]) {
			const resp = await r2.goto(url(p)).catch((e) => ({ status: () => `error ${e.message.split('\n')[0]}` }));
			assert([403, 404].includes(resp.status()), `GET ${p} as reviewer 2 answered ${resp.status()}, expected 403 or 404`);
			if ((await r2.evaluate(() => document.contentType)) === 'text/html') await independent(p);
		}
	}, r2);
	await r2Context.close();

	// 2. the office closes the stage and reads the ranking
	const total = criteria ? expectedTotal(criteria, SC.reviewers.map((r) => r.scores)) : null;
	await test('S2a. admin: the dashboard shows 2/2 submitted and, while open, no scores or comments', async () => {
		await visit(admin, `/admin/screening/stages/${stageId}`);
		await expectVisible(admin.getByText('全体：2/2 提出済み'), '全体：2/2 提出済み');
		for (const r of SC.reviewers) {
			const row = admin.getByRole('region', { name: '審査員ごと' }).getByRole('row').filter({ hasText: r.name });
			await expectVisible(row.getByText('完了'), `完了 for ${r.name}`);
		}
		const text = await pageText(admin);
		assert(!text.includes(R1.comment) && !text.includes(R2.comment), 'the open stage\'s dashboard shows a comment');
	}, admin);
	await checkPage(admin, 'screening dashboard, open');
	await test(`S2b. admin closes ${SC.stage1}`, async () => {
		await clickAndWait(admin, admin.getByRole('button', { name: `${SC.stage1}を締め切る` }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stageId}`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '保存しました');
		await expectVisible(admin.locator('.lead').getByText('締切済み'), 'the 締切済み badge');
	}, admin);
	await test(`S2c. the ranking lists the proposal under ${CH.category} with the total computed here (${total})`, async () => {
		assert(total, 'no criteria (set-up failed)');
		await expectVisible(admin.getByRole('heading', { name: '順位表' }), 'the 順位表 heading');
		const row = admin.getByRole('region', { name: CH.category }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row, `a ranking row for ${PROPOSAL.title} under ${CH.category}`);
		const cells = (await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
		// 順位, 受付番号, (th: title), 合計, 平均, 最低, 最高, 標準偏差, …
		const shown = /^(\d+\.\d{2})/.exec(cells[2] || '')?.[1];
		assert(shown === total, `合計（100点） is "${cells[2]}", expected ${total}`, [`cells: ${cells.join(' | ')}`]);
		assert(cells[0] === '1' && cells[1] === submitted.receipt, `順位 "${cells[0]}", 受付番号 "${cells[1]}"`);
		const scaled = SC.reviewers.map((r) => expectedTotal(criteria, [r.scores]));
		return [`total ${shown}/100 (reviewers ${scaled.join(' and ')}); row: ${cells.join(' | ')}`];
	}, admin);
	await checkPage(admin, 'ranking after close');

	// 3. the office decides and adopts
	await test('S3a. the office\'s proposal page now shows both sheets with their comments', async () => {
		const row = admin.getByRole('region', { name: CH.category }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await clickAndWait(admin, row.getByRole('link', { name: /判定する/ }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stageId}/proposals/${pid}`, `went to ${describe(admin.url())}`);
		for (const r of SC.reviewers) {
			const sheet = admin.getByRole('region', { name: '評価シート' }).getByRole('row').filter({ hasText: r.name });
			await expectVisible(sheet.getByText(r.comment), `${r.name}'s comment`);
		}
	}, admin);
	await checkPage(admin, 'decision form');
	await test(`S3b. admin decides 通過 for ${SC.stage1}`, async () => {
		await admin.getByRole('combobox', { name: labelRe('判定') }).selectOption({ label: '通過' });
		await field(admin, '判定の理由').fill('2名の平均が通過の目安を上回ったため。');
		await clickAndWait(admin, admin.getByRole('button', { name: '判定を保存する' }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stageId}`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '保存しました');
		const row = admin.getByRole('region', { name: CH.category }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row.getByText('通過', { exact: true }), '通過 in the ranking row');
	}, admin);
	await test('S3c. /admin/adoptions lists the open call', async () => {
		await visit(admin, '/admin/adoptions');
		const row = admin.getByRole('row').filter({ hasText: OPEN_CALL });
		await expectVisible(row, `a row for ${OPEN_CALL}`);
		const text = (await row.innerText()).replace(/\s+/g, ' ');
		assert(text.includes('未公開'), `the row says "${text}"`);
	}, admin);
	await checkPage(admin, 'adoptions');
	await test(`S3d. /admin/calls/{id}/adoptions: the proposal is 未決定 under ${CH.category}`, async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: OPEN_CALL }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/adoptions`, `went to ${describe(admin.url())}`);
		const row = admin.getByRole('region', { name: `${CH.category}の企画提案書` }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row.getByText('未決定'), '未決定 in the row');
		await expectVisible(row.getByText(`${PROPOSAL.requested}円`), `the requested ${PROPOSAL.requested}円`);
	}, admin);
	await checkPage(admin, 'call adoptions');
	const contractDate = (() => {
		const d = jstDate(0);
		return d >= `${SC.year}-04-01` && d <= `${SC.year + 1}-03-31` ? d : `${SC.year + 1}-03-01`;
	})();
	await test('S3e. the adoption form shows the requested amount and the cap, and may be decided', async () => {
		const row = admin.getByRole('row').filter({ hasText: PROPOSAL.title });
		await clickAndWait(admin, row.getByRole('link', { name: /決定する/ }));
		assert(describe(admin.url()) === `/admin/proposals/${pid}/adoption`, `went to ${describe(admin.url())}`);
		const requested = (await admin.locator('dt:text-is("申請額") + dd').innerText()).trim();
		assert(requested === `${PROPOSAL.requested}円`, `申請額 is "${requested}"`);
		const category = (await admin.locator('dt:text-is("部門") + dd').innerText()).trim();
		assert(category === `${CH.category}（上限額 500,000円）`, `部門 is "${category}"`);
		assert((await admin.getByRole('alert').count()) === 0, 'the form says it cannot be decided',
			(await admin.getByRole('alert').allInnerTexts()).map((t) => `alert: ${t.replace(/\s+/g, ' ')}`));
	}, admin);
	await checkPage(admin, 'adoption form');
	await test(`S3f. a grant above the requested amount (${SC.tooMuch}) is refused: 422 with the message next to 交付額`, async () => {
		await field(admin, '決定').selectOption({ label: '採択' });
		await field(admin, '交付額（円）').fill(SC.tooMuch);
		await field(admin, '担当課').selectOption({ label: SC.division });
		await field(admin, '契約日').fill(contractDate);
		const resp = await submitForm(admin, admin.getByRole('button', { name: '保存する' }));
		assert(resp && resp.status() === 422, `POST /admin/proposals/${pid}/adoption answered ${resp && resp.status()}, expected 422`);
		await expectErrorSummary(admin);
		const grant = field(admin, '交付額（円）');
		await expectFieldError(grant, '交付額', `交付額は申請額以下にしてください（申請額 ${PROPOSAL.requested}円）`);
		const kept = await grant.inputValue();
		assert(kept === SC.tooMuch, `交付額 holds "${kept}", expected the submitted ${SC.tooMuch}`);
		const div = await field(admin, '担当課').evaluate((s) => s.options[s.selectedIndex].text);
		assert(div === SC.division, `担当課 shows "${div}" after the error, expected ${SC.division}`);
	}, admin);
	await checkPage(admin, 'adoption form, 422');
	await test(`S3g. adopted with ${SC.grantText}円, ${SC.division} and the contract date ${contractDate}`, async () => {
		await field(admin, '交付額（円）').fill(SC.grant);
		await clickAndWait(admin, admin.getByRole('button', { name: '保存する' }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/adoptions?done=decided`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '採択・不採択を保存しました');
		const row = admin.getByRole('row').filter({ hasText: PROPOSAL.title });
		const text = (await row.innerText()).replace(/\s+/g, ' ');
		assert(text.includes('採択') && text.includes(`${SC.grantText}円・${SC.division}`), `the row says "${text}"`);
	}, admin);
	await checkPage(admin, 'call adoptions, decided');
	await test('S3h. the results are released with the comments', async () => {
		await admin.getByLabel(/審査員の講評/).check();
		await clickAndWait(admin, admin.getByRole('button', { name: '審査結果を公開する' }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/adoptions?done=released`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '審査結果を公開しました');
		await expectVisible(admin.getByText(/に公開しました。採択事業は採択事業一覧に掲載されています。/), 'に公開しました');
	}, admin);
	await checkPage(admin, 'results released');
	await test('S3i. the letters page: one 採択通知書, dated in 和暦, with the grant and the division', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: '通知書をまとめて印刷する' }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/letters`, `went to ${describe(admin.url())}`);
		const letter = admin.getByRole('article').filter({ hasText: PROPOSAL.title });
		await expectVisible(letter.getByRole('heading', { name: '採択通知書' }), 'a 採択通知書');
		const date = (await letter.locator('.letter__date').innerText()).trim();
		assert(/^令和(元|\d+)年\d{1,2}月\d{1,2}日$/.test(date), `the letter is dated "${date}", expected 令和…年…月…日`);
		const grant = (await letter.locator('dt:text-is("委託金額") + dd').innerText()).trim();
		const div = (await letter.locator('dt:text-is("担当課") + dd').innerText()).trim();
		assert(grant === `${SC.grantText}円` && div === SC.division, `委託金額 "${grant}", 担当課 "${div}"`);
		const text = await pageText(admin);
		const names = SC.reviewers.map((r) => r.name).filter((n) => text.includes(n));
		assert(names.length === 0, `the letter names the reviewer(s) ${names.join(', ')}`);
	}, admin);
	await checkPage(admin, 'letters');

	// 4. the public results, and the applicant's own
	await test('S4a. admin logs out', async () => {
		await visit(admin, '/');
		await clickAndWait(admin, admin.getByRole('button', { name: 'ログアウト' }));
		assert((await admin.getByRole('button', { name: 'ログアウト' }).count()) === 0, 'still shows a ログアウト button');
	}, admin);
	const visitor = admin;
	await test(`S4b. /challenge/results?year=${SC.year} lists the project under ${CH.category} with ${SC.division}`, async () => {
		await visit(visitor, `/challenge/results?year=${SC.year}`);
		const title = await h1Text(visitor);
		assert(title === `${OPEN_CALL_FY}採択事業一覧`, `h1 is "${title}"`);
		const card = visitor.getByRole('region', { name: CH.category }).getByRole('listitem').filter({ hasText: PROPOSAL.title });
		await expectVisible(card, `a card for ${PROPOSAL.title} under ${CH.category}`);
		const text = (await card.innerText()).replace(/\s+/g, ' ');
		assert(text.includes(`担当課：${SC.division}`) && text.includes(CH.group), `the card says "${text}"`);
		const names = SC.reviewers.map((r) => r.name).filter((n) => text.includes(n));
		assert(names.length === 0, `the public page names ${names.join(', ')}`);
		return [`card: ${text}`];
	}, visitor);
	await checkPage(visitor, 'public results');
	await test('S4c. /challenge/calls/{id}/presentations answers (no presentation stage: nothing published)', async () => {
		await visit(visitor, `/challenge/calls/${callId}/presentations`);
		await expectVisible(visitor.getByText('発表の日程はまだ公開されていません。'), 'まだ公開されていません');
	}, visitor);
	await checkPage(visitor, 'presentations');
	await adminContext.close();

	const memberContext = await newContext();
	const member = await loginAs(memberContext, CH.member.email, CH.password);
	await test('S4d. the applicant: the proposal page links to 審査結果を見る; the result says 採択', async () => {
		await visit(member, proposalPath);
		await clickAndWait(member, member.getByRole('link', { name: '審査結果を見る' }));
		assert(describe(member.url()) === `${proposalPath}/result`, `went to ${describe(member.url())}`);
		const result = member.getByRole('region', { name: '結果', exact: true });
		await expectVisible(result.getByText('採択', { exact: true }), 'the 採択 badge');
		const grant = (await result.locator('dt:text-is("委託金額") + dd').innerText()).trim();
		const div = (await result.locator('dt:text-is("担当課") + dd').innerText()).trim();
		assert(grant === `${SC.grantText}円` && div === SC.division, `委託金額 "${grant}", 担当課 "${div}"`);
	}, member);
	await test('S4e. the applicant sees both comments and no reviewer\'s name', async () => {
		const comments = (await member.getByRole('region', { name: '審査員の講評' }).getByRole('listitem').allInnerTexts()).map((t) => t.trim());
		for (const r of SC.reviewers) assert(comments.includes(r.comment), `the comments lack "${r.comment}"`, comments.map((c) => `comment: ${c}`));
		const html = await member.content();
		const names = SC.reviewers.flatMap((r) => [r.name, r.email]).filter((n) => html.includes(n));
		assert(names.length === 0, `the applicant's result page contains ${names.join(', ')}`);
	}, member);
	await checkPage(member, 'applicant result');
	await memberContext.close();
}

await runPart('challenge', [['challenge', challenge], ['screening', screening]]);
