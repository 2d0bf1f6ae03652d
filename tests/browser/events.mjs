#!/usr/bin/env node
// Browser test, part "events" (see lib.mjs; run.mjs runs all parts).
// After every navigation: <html lang="ja"> and axe-core (WCAG 2.1 A/AA).

import {
	ADMIN, test, assert, runPart, newContext, newPage, loginAs, submitForm,
	jstDateTime, ddText, escapeRe, field, describe, visit, clickAndWait, expectVisible,
	checkPage, expectFieldError, expectErrorSummary, expectFlash, h1Text,
} from './lib.mjs';

// ---------------------------------------------------------------- events (issue 5)

// Issue 5: the public event pages (list, calendar, past, the 2nd HUB with its
// report, the series), then registration on a small event the admin creates
// through /events/new (capacity 2, registration open from an hour ago):
// a refused submission, A and B confirmed, C waiting; the confirmation in
// /admin/outbox; A cancels through the secret link; C is promoted (and
// notified); the counts on the participant list; B checked in by reading.
const EV = {
	hubPast: 'まちづくりHUB Project in 金沢 第2回',
	hubOpen: 'まちづくりHUB Project in 金沢 第3回',
	series: 'まちづくりHUB Project in 金沢',
	title: 'ブラウザテスト用 防災ミニ講座',
	kana: 'ぶらうざてすとようぼうさいみにこうざ',
	people: {
		A: { name: '加賀 一郎', kana: 'かがいちろう', email: 'kaga.ichiro@example.jp' },
		B: { name: '能登 花子', kana: 'のとはなこ', reading: 'ノトハナコ', email: 'noto.hanako@example.jp' },
		C: { name: '白山 次郎', kana: 'はくさんじろう', email: 'hakusan.jiro@example.jp' },
	},
};

// Fill the sign-up form on an event page (or the re-displayed form) and submit.
async function fillRegistration(page, p, button = /^(申し込む|キャンセル待ちで申し込む)$/) {
	await field(page, 'お名前').fill(p.name);
	await field(page, 'ふりがな').fill(p.kana);
	await field(page, 'メールアドレス').fill(p.email);
	await field(page, '大人の人数').fill('1');
	return submitForm(page, page.getByRole('button', { name: button }));
}

async function events() {
	const visitorContext = await newContext();
	const visitor = await newPage(visitorContext);

	// 0. the public pages
	await test(`E0a. /events lists ${EV.hubOpen}`, async () => {
		await visit(visitor, '/events');
		assert((await h1Text(visitor)) === 'イベント', 'h1 is not イベント');
		await expectVisible(visitor.getByRole('link', { name: EV.hubOpen }), `a link to ${EV.hubOpen}`);
	}, visitor);
	await checkPage(visitor, 'events list');
	await test('E0b. /events/calendar shows a month table', async () => {
		await visit(visitor, '/events/calendar');
		assert((await h1Text(visitor)) === 'イベントカレンダー', 'h1 is not イベントカレンダー');
		await expectVisible(visitor.locator('table.calendar caption'), 'the calendar caption');
	}, visitor);
	await checkPage(visitor, 'calendar');
	await test(`E0c. 次の月 shows ${EV.hubOpen}`, async () => {
		await clickAndWait(visitor, visitor.getByRole('link', { name: /^次の月/ }));
		await expectVisible(visitor.locator('table.calendar').getByRole('link', { name: new RegExp(escapeRe(EV.hubOpen)) }), `${EV.hubOpen} in next month's calendar`);
		return [`next month: ${describe(visitor.url())}`];
	}, visitor);
	await checkPage(visitor, 'calendar next month');
	let hubPastPath = null;
	await test(`E0d. /events/past lists ${EV.hubPast} with 報告あり`, async () => {
		await visit(visitor, '/events/past');
		assert((await h1Text(visitor)) === '終了したイベント', 'h1 is not 終了したイベント');
		const link = visitor.getByRole('link', { name: EV.hubPast });
		await expectVisible(link, `a link to ${EV.hubPast}`);
		hubPastPath = await link.first().getAttribute('href');
		const card = visitor.getByRole('listitem').filter({ has: link });
		await expectVisible(card.getByText('報告あり'), 'the 報告あり badge on its card');
	}, visitor);
	await checkPage(visitor, 'past events');
	await test(`E0e. ${EV.hubPast}: the report with graphic minutes (alt text + summary) and free-talk notes`, async () => {
		assert(hubPastPath, 'no link to the 2nd HUB');
		await visit(visitor, hubPastPath);
		const report = visitor.getByRole('region', { name: '開催報告' });
		await expectVisible(report, 'the 開催報告 section');
		await expectVisible(report.getByRole('heading', { name: 'グラフィック議事録', exact: true }), 'a グラフィック議事録 heading');
		const img = report.locator('figure.report__graphic img');
		const alt = ((await img.getAttribute('alt')) || '').trim();
		assert(alt.length > 0, 'the graphic minutes image has no alt text');
		const ok = await img.evaluate((el) => el.complete && el.naturalWidth > 0);
		assert(ok, `the graphic minutes image did not load (${await img.getAttribute('src')})`);
		const summary = (await report.locator('#report-graphic-summary').innerText()).trim();
		assert(summary.length > 20, `the text summary is "${summary}"`);
		await expectVisible(report.getByRole('heading', { name: 'フリートーク', exact: true }), 'a フリートーク heading');
		const places = (await report.locator('.report__note h4').allInnerTexts()).map((t) => t.trim());
		assert(places.length > 0, 'no free-talk notes (h4 per district/table)');
		return [`alt: ${alt}`, `free talk: ${places.join(', ')}`];
	}, visitor);
	await checkPage(visitor, '2nd HUB with report');
	await test(`E0f. the series page lists the 2nd HUB in its history and the 3rd as upcoming`, async () => {
		await clickAndWait(visitor, visitor.getByRole('link', { name: EV.series, exact: true }));
		assert((await h1Text(visitor)) === EV.series, `h1 is not ${EV.series}`);
		const history = visitor.getByRole('list', { name: 'これまでの開催' });
		await expectVisible(history.getByRole('link', { name: new RegExp(`第2回.*${escapeRe(EV.hubPast)}`) }), 'the 2nd HUB in これまでの開催');
		await expectVisible(history.getByText('報告あり'), '報告あり in the history');
		const upcoming = visitor.getByRole('list', { name: 'これからの回' });
		await expectVisible(upcoming.getByRole('link', { name: new RegExp(escapeRe(EV.hubOpen)) }), 'the 3rd HUB in これからの回');
	}, visitor);
	await checkPage(visitor, 'series');
	await test(`E0g. ${EV.hubOpen}: places left and the sign-up form`, async () => {
		await visit(visitor, '/events');
		await clickAndWait(visitor, visitor.getByRole('link', { name: EV.hubOpen }).first());
		await expectVisible(visitor.locator('#places').getByText(/残り/), 'a 残り N 名 line');
		const form = visitor.getByRole('region', { name: '参加申し込み' });
		await expectVisible(form.getByRole('button', { name: '申し込む', exact: true }), 'a 申し込む button');
		return [`places: ${(await visitor.locator('#places').innerText()).trim()}`];
	}, visitor);
	await checkPage(visitor, '3rd HUB with the sign-up form');

	// The small test event, created by the admin through the UI.
	const adminContext = await newContext();
	const admin = await loginAs(adminContext, ADMIN.email, ADMIN.password);
	let eventPath = null;
	await test('E0h. /events/new loads', () => visit(admin, '/events/new'), admin);
	await checkPage(admin, 'new event form');
	await test(`E0i. the admin creates 「${EV.title}」 (capacity 2, registration open since an hour ago)`, async () => {
		await field(admin, 'タイトル').fill(EV.title);
		await field(admin, 'ふりがな').fill(EV.kana);
		await field(admin, '種類').selectOption({ label: '講座' });
		await field(admin, '開始日時').fill(jstDateTime(7 * 24 * 60));
		await field(admin, '終了日時').fill(jstDateTime(7 * 24 * 60 + 90));
		await field(admin, '定員（人）').fill('2');
		await field(admin, '申込開始').fill(jstDateTime(-60));
		const resp = await submitForm(admin, admin.getByRole('button', { name: '登録する' }));
		const m = /^\/events\/(\d+)$/.exec(describe(admin.url()));
		assert(m, `after 登録する: ${resp && resp.status()} at ${describe(admin.url())}`,
			(await admin.locator('.field__error, [role=alert]').allInnerTexts()).map((t) => `error: ${t.trim()}`));
		eventPath = m[0];
		assert((await h1Text(admin)) === EV.title, 'h1 is not the new title');
		assert((await ddText(admin, '定員')) === '2名', `定員 is "${await ddText(admin, '定員')}"`);
		return [`event: ${eventPath}`];
	}, admin);
	await checkPage(admin, 'new event');
	if (!eventPath) { await adminContext.close(); await visitorContext.close(); return; }

	// 1. a visitor registers: a refused form, then A and B confirmed, C waiting
	const secret = {};
	await test('E1a. a visitor opens the new event: 残り 2 名 and the 申し込む form', async () => {
		await visit(visitor, eventPath);
		const places = (await visitor.locator('#places').innerText()).trim();
		assert(places.includes('残り 2 名'), `places: "${places}"`);
		await expectVisible(visitor.getByRole('region', { name: '参加申し込み' }), 'the 参加申し込み section');
	}, visitor);
	await checkPage(visitor, 'event with sign-up form');
	await test('E1b. a reading in latin letters is refused (422), the error is on ふりがな, the input is kept', async () => {
		const bad = { ...EV.people.A, kana: 'Kaga Ichiro' };
		const resp = await fillRegistration(visitor, bad);
		assert(resp && resp.status() === 422, `answered ${resp && resp.status()}, expected 422`);
		await expectErrorSummary(visitor);
		await expectFieldError(field(visitor, 'ふりがな'), 'ふりがな', 'カタカナまたはひらがな');
		const kept = {
			name: await field(visitor, 'お名前').inputValue(),
			kana: await field(visitor, 'ふりがな').inputValue(),
			email: await field(visitor, 'メールアドレス').inputValue(),
		};
		assert(kept.name === bad.name && kept.kana === bad.kana && kept.email === bad.email,
			`the form lost the input: ${JSON.stringify(kept)}`);
	}, visitor);
	await checkPage(visitor, 'refused registration');
	await test('E1c. A corrects the reading and registers: 参加確定, on the secret link /r/…', async () => {
		await field(visitor, 'ふりがな').fill(EV.people.A.kana);
		await submitForm(visitor, visitor.getByRole('button', { name: /申し込む$/ }));
		assert(/^\/r\/[^/]+$/.test(new URL(visitor.url()).pathname), `ended on ${describe(visitor.url())}`);
		secret.A = new URL(visitor.url()).pathname;
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}"`);
		const qr = visitor.getByRole('img', { name: /受付用QRコード/ });
		await expectVisible(qr, 'the check-in QR code');
		assert(await qr.evaluate((el) => el.complete && el.naturalWidth > 0), 'the QR code image did not load');
	}, visitor);
	await test('E1d. the page right after registering says 申し込みを受け付けました (keep this address)', async () => {
		assert(secret.A, 'A did not register');
		await expectFlash(visitor, 'このページのアドレスを控えておいてください');
	}, visitor);
	await checkPage(visitor, 'A registered');
	await test('E1e. B registers (party 1): 参加確定', async () => {
		await visit(visitor, eventPath);
		await fillRegistration(visitor, EV.people.B);
		assert(/^\/r\/[^/]+$/.test(new URL(visitor.url()).pathname), `ended on ${describe(visitor.url())}`);
		secret.B = new URL(visitor.url()).pathname;
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}"`);
	}, visitor);
	await test('E1f. the event is now full: the button says キャンセル待ちで申し込む', async () => {
		await visit(visitor, eventPath);
		await expectVisible(visitor.getByRole('button', { name: 'キャンセル待ちで申し込む' }), 'a キャンセル待ちで申し込む button');
		return [`places: ${(await visitor.locator('#places').innerText().catch(() => '(none)')).trim()}`];
	}, visitor);
	await checkPage(visitor, 'event full');
	await test('E1g. C registers: キャンセル待ち, no QR code', async () => {
		await fillRegistration(visitor, EV.people.C, 'キャンセル待ちで申し込む');
		assert(/^\/r\/[^/]+$/.test(new URL(visitor.url()).pathname), `ended on ${describe(visitor.url())}`);
		secret.C = new URL(visitor.url()).pathname;
		assert((await ddText(visitor, '状態')) === 'キャンセル待ち', `状態 is "${await ddText(visitor, '状態')}"`);
		assert((await visitor.getByRole('img', { name: /受付用QRコード/ }).count()) === 0, 'a waiting registration shows a QR code');
	}, visitor);
	await test('E1h. the page right after registering says キャンセル待ちとして受け付けました', async () => {
		assert(secret.C, 'C did not register');
		await expectFlash(visitor, 'キャンセル待ちとして受け付けました');
	}, visitor);
	await checkPage(visitor, 'C waiting');

	// 2. the confirmation in the outbox
	const outboxRow = (email, subject) => admin.getByRole('row').filter({ hasText: email }).filter({ hasText: subject });
	await test(`E2. /admin/outbox lists 【申し込み完了】 for A's email, and 【キャンセル待ち】 for C's`, async () => {
		await visit(admin, '/admin/outbox');
		await expectVisible(outboxRow(EV.people.A.email, `【申し込み完了】${EV.title}`), `a row for ${EV.people.A.email} with 【申し込み完了】${EV.title}`);
		await expectVisible(outboxRow(EV.people.C.email, `【キャンセル待ち】${EV.title}`), `a row for ${EV.people.C.email} with 【キャンセル待ち】${EV.title}`);
		return [`row: ${(await outboxRow(EV.people.A.email, EV.title).first().innerText()).replace(/\s+/g, ' ')}`];
	}, admin);
	await checkPage(admin, 'outbox');

	// 3. A cancels through the secret link
	await test('E3a. A opens the secret link and cancels: 取り消し済み, no cancel button left', async () => {
		assert(secret.A, 'no secret link for A');
		await visit(visitor, secret.A);
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}" before cancelling`);
		await clickAndWait(visitor, visitor.getByRole('button', { name: '申し込みを取り消す' }));
		assert(new URL(visitor.url()).pathname === secret.A, `ended on ${describe(visitor.url())}`);
		assert((await ddText(visitor, '状態')) === '取り消し済み', `状態 is "${await ddText(visitor, '状態')}"`);
		assert((await visitor.getByRole('button', { name: '申し込みを取り消す' }).count()) === 0, 'the cancel button is still there');
	}, visitor);
	await test('E3b. the page after cancelling says 申し込みを取り消しました', () => expectFlash(visitor, '申し込みを取り消しました'), visitor);
	await checkPage(visitor, 'A cancelled');

	// 4. C is promoted and notified
	await test('E4a. C\'s secret page now says 参加確定 (promoted from the waiting list)', async () => {
		assert(secret.C, 'no secret link for C');
		await visit(visitor, secret.C);
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}"`);
		await expectVisible(visitor.getByRole('img', { name: /受付用QRコード/ }), 'the check-in QR code');
	}, visitor);
	await checkPage(visitor, 'C promoted');
	await test(`E4b. /admin/outbox has 【参加確定】 for C's email`, async () => {
		await visit(admin, '/admin/outbox');
		await expectVisible(outboxRow(EV.people.C.email, `【参加確定】${EV.title}`), `a row for ${EV.people.C.email} with 【参加確定】${EV.title}`);
	}, admin);

	// 5. the organiser: counts, then check-in by reading
	const countRow = async (label) => (await admin.getByRole('table', { name: '申し込みの集計' }).getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell').allInnerTexts()).map((t) => t.trim());
	await test('E5a. participants: 参加確定 2, キャンセル待ち 0, 取り消し 1, 出席 0', async () => {
		await visit(admin, `${eventPath}/participants`);
		const got = {};
		for (const l of ['参加確定', 'キャンセル待ち', '取り消し', '出席']) got[l] = (await countRow(l)).join('/');
		const want = { 参加確定: '2/2', キャンセル待ち: '0/0', 取り消し: '1/1', 出席: '0/0' };
		assert(JSON.stringify(got) === JSON.stringify(want), `counts (people/registrations) ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
		const list = admin.getByRole('region', { name: '申し込み（受付順）' });
		for (const p of Object.values(EV.people)) await expectVisible(list.getByText(p.email), `${p.email} in the list`);
	}, admin);
	await checkPage(admin, 'participants');
	await test('E5b. check-in page: 出席 0 名／参加確定 2 名', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: '当日の受付（出席確認）' }));
		assert(describe(admin.url()) === `${eventPath}/checkin`, `went to ${describe(admin.url())}`);
		await expectVisible(admin.getByText('出席 0 名／参加確定 2 名'), '出席 0 名／参加確定 2 名');
	}, admin);
	await checkPage(admin, 'checkin');
	await test(`E5c. search ${EV.people.B.reading} finds B only`, async () => {
		await field(admin, 'お名前またはふりがな').fill(EV.people.B.reading);
		await clickAndWait(admin, admin.getByRole('button', { name: '探す' }));
		await expectVisible(admin.getByText('見つかった申し込み（1件）'), '見つかった申し込み（1件）');
		await expectVisible(admin.getByRole('heading', { name: new RegExp(escapeRe(EV.people.B.name)) }), `B (${EV.people.B.name})`);
	}, admin);
	await checkPage(admin, 'checkin search');
	await test('E5d. mark B attended: 出席 1 名 and 出席済み', async () => {
		const b = admin.getByRole('region', { name: new RegExp(escapeRe(EV.people.B.name)) });
		await clickAndWait(admin, b.getByRole('button', { name: '出席にする' }));
		await expectVisible(admin.getByText('出席 1 名／参加確定 2 名'), '出席 1 名／参加確定 2 名');
		await expectVisible(admin.getByRole('region', { name: new RegExp(escapeRe(EV.people.B.name)) }).getByText(/出席済み/), 'B 出席済み');
	}, admin);
	await test('E5e. the check-in page says 出席にしました', () => expectFlash(admin, '出席にしました'), admin);
	await checkPage(admin, 'after check-in');
	await test('E5f. the participant list counts 出席 1', async () => {
		await visit(admin, `${eventPath}/participants`);
		const row = (await countRow('出席')).join('/');
		assert(row === '1/1', `出席 row is ${row}, expected 1/1`);
	}, admin);
	await adminContext.close();
	await visitorContext.close();
}

await runPart('events', [['events', events]]);
