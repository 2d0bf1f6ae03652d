#!/usr/bin/env node
// Browser test, part "site" (see lib.mjs; run.mjs runs all parts): a visitor's
// public pages; the admin logs in, creates a group (first with errors), finds
// it in the list and by search (half-width katakana too), edits a demo group
// (with an error), archives and restores the new group, reads the audit log
// filtered to groups, and logs out; the placeholder pages, the calls, a 404
// and a group page as a visitor; reflow at 320 px (no horizontal scrolling);
// the skip link by keyboard; and the list/search with JavaScript disabled.
// After every navigation: <html lang="ja"> and axe-core (WCAG 2.1 A/AA).

import {
	ADMIN, DEMO_GROUP, OPEN_CALL, OPEN_CALL_FY, CLOSED_CALL, DEFAULT_VIEWPORT, NARROW, test,
	assert, runPart, newContext, newPage, labelRe, field, describe, visit,
	clickAndWait, expectVisible, checkPage, fieldTexts, expectFieldError, expectErrorSummary, expectFlash, h1Text,
	groupIdFromList, expectNoHorizontalScroll,
} from './lib.mjs';

const NEW_GROUP = {
	name: 'テスト用まちづくり団体',
	kana: 'てすとようまちづくりだんたい', // hiragana on purpose: the server stores katakana
	reading: 'テストヨウマチヅクリダンタイ',
	kind: '任意団体',
	theme: '環境',
	purpose: '犀川沿いの清掃活動と、地域の子どもたちとの自然観察会を通じて、まちの環境を守ります。',
};

// ---------------------------------------------------------------- the scenario

async function site(page) {
	const searchOn = async (query) => {
		await visit(page, '/groups');
		const box = field(page, '団体名・キーワード');
		await box.fill(query);
		const form = box.locator('xpath=ancestor::form[1]');
		await clickAndWait(page, form.getByRole('button', { name: '検索' }));
	};

	// a. home
	await test('home / loads', () => visit(page, '/'), page);
	await checkPage(page);

	// b. public group list with the demo data
	await test('/groups lists the demo groups', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(DEMO_GROUP), `demo group ${DEMO_GROUP}`);
	}, page);
	await checkPage(page);

	// c. accessibility statement
	await test('/accessibility loads', () => visit(page, '/accessibility'), page);
	await checkPage(page);

	// d. login
	await test('/login loads', () => visit(page, '/login'), page);
	await checkPage(page);
	await test('login as admin', async () => {
		await field(page, 'メールアドレス').fill(ADMIN.email);
		await field(page, 'パスワード').fill(ADMIN.password);
		await clickAndWait(page, page.getByRole('button', { name: 'ログイン' }));
		await expectVisible(page.getByRole('button', { name: 'ログアウト' }), 'a ログアウト button');
		await expectVisible(page.getByText(ADMIN.name), `the user's name ${ADMIN.name}`);
	}, page);
	await checkPage(page, 'after login');

	// e. new group: first the empty form (server-side validation), then a valid one
	let before = null;
	await test('/groups/new loads', async () => {
		await visit(page, '/groups/new');
		before = await fieldTexts(field(page, '団体名'));
	}, page);
	await checkPage(page);

	const notes = [];
	await test('empty /groups/new submit shows an error summary and a field error', async () => {
		// Browser validation (required attributes without novalidate) would stop
		// the submit before the server sees it; we test the server's messages,
		// so note it and submit anyway.
		const blocked = await page.getByRole('button', { name: '登録する' }).evaluate((b) => {
			const f = b.form;
			if (!f || f.noValidate || f.checkValidity()) return false;
			f.noValidate = true;
			return true;
		});
		if (blocked) notes.push('note: the form relies on browser validation (required without novalidate); bypassed to test the server');
		await clickAndWait(page, page.getByRole('button', { name: '登録する' }));
		await expectVisible(page.getByRole('alert').filter({ hasText: '入力内容に誤りがあります' }),
			'an error summary (role=alert) containing 入力内容に誤りがあります');
		const after = await fieldTexts(field(page, '団体名'));
		const grew = (a, b) => a.length > b.length && a !== b;
		assert(grew(after.description, before ? before.description : '') || grew(after.label, before ? before.label : ''),
			'no error message is attached to the 団体名 field (aria-describedby or its label)',
			[`aria-invalid=${after.invalid} aria-describedby text="${after.description}" label="${after.label}"`, after.context]);
		if (after.invalid !== 'true') notes.push('note: 団体名 has no aria-invalid="true"');
		return notes;
	}, page);
	await checkPage(page, 'after empty submit');

	await test('create a group', async () => {
		await field(page, '団体名').fill(NEW_GROUP.name);
		await field(page, '団体名（フリガナ）').fill(NEW_GROUP.kana);
		await field(page, '団体の種類').selectOption({ label: NEW_GROUP.kind });
		await page.getByRole('group', { name: /活動テーマ/ }).getByRole('checkbox', { name: labelRe(NEW_GROUP.theme) }).check();
		await field(page, '活動の目的').fill(NEW_GROUP.purpose);
		await clickAndWait(page, page.getByRole('button', { name: '登録する' }));
		const h1 = page.getByRole('heading', { level: 1 });
		await expectVisible(h1, 'an h1');
		const title = (await h1.first().innerText()).trim();
		assert(title === NEW_GROUP.name, `h1 is "${title}", expected "${NEW_GROUP.name}"`, [`page: ${describe(page.url())}`]);
		await expectVisible(page.getByText(NEW_GROUP.reading), `the reading ${NEW_GROUP.reading} (katakana)`);
	}, page);
	await checkPage(page, 'new group');

	// f. the public list shows it
	await test('/groups lists the new group', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(NEW_GROUP.name), NEW_GROUP.name);
	}, page);
	await checkPage(page);

	// g. search, including half-width katakana normalised to full-width
	await test('search まちづくり finds the new group', async () => {
		await searchOn('まちづくり');
		await expectVisible(page.getByText(NEW_GROUP.name), NEW_GROUP.name);
	}, page);
	await checkPage(page, 'search');
	await test('search ﾃｽﾄ (half-width) finds the new group and not the others', async () => {
		await searchOn('ﾃｽﾄ');
		await expectVisible(page.getByText(NEW_GROUP.name), NEW_GROUP.name);
		assert((await page.getByText(DEMO_GROUP).count()) === 0, `${DEMO_GROUP} should not match ﾃｽﾄ`);
	}, page);
	await checkPage(page, 'search');


	// h. editing a demo group, with an invalid reading first
	let demoId = null;
	await test(`edit form of ${DEMO_GROUP} loads`, async () => {
		demoId = await groupIdFromList(page, DEMO_GROUP);
		await visit(page, `/groups/${demoId}/edit`);
		const title = await h1Text(page);
		assert(title === '団体情報の編集', `h1 is "${title}", expected "団体情報の編集"`);
		const name = await field(page, '団体名').inputValue();
		assert(name === DEMO_GROUP, `団体名 holds "${name}", expected "${DEMO_GROUP}"`);
	}, page);
	await checkPage(page, 'edit');
	await test('group edit with 団体名（フリガナ）= 漢字 shows an error summary and a field error, keeping the input', async () => {
		assert(demoId, 'no demo group id (previous step failed)');
		await field(page, '団体名（フリガナ）').fill('漢字');
		await clickAndWait(page, page.getByRole('button', { name: '保存する' }));
		await expectErrorSummary(page);
		const kana = field(page, '団体名（フリガナ）');
		await expectFieldError(kana, '団体名（フリガナ）', 'カタカナまたはひらがなで入力してください');
		const kept = await kana.inputValue();
		assert(kept === '漢字', `団体名（フリガナ） holds "${kept}" after the error, expected the submitted "漢字"`);
		const name = await field(page, '団体名').inputValue();
		assert(name === DEMO_GROUP, `団体名 holds "${name}" after the error, expected "${DEMO_GROUP}"`);
	}, page);
	await checkPage(page, 'edit, after invalid submit');

	// i. archive the group this test created, then restore it
	let newId = null;
	await test('archive the new group', async () => {
		newId = await groupIdFromList(page, NEW_GROUP.name);
		await visit(page, `/groups/${newId}`);
		await clickAndWait(page, page.getByRole('button', { name: 'アーカイブする（公開を停止）' }));
		assert(describe(page.url()) === `/groups/${newId}`, `went to ${describe(page.url())}, expected /groups/${newId}`);
		await expectFlash(page, 'アーカイブしました');
		await expectVisible(page.getByText('アーカイブ済み'), 'the アーカイブ済み badge');
		await expectVisible(page.getByRole('button', { name: 'アーカイブを解除する' }), 'an アーカイブを解除する button');
	}, page);
	await checkPage(page, 'archived');
	await test('/groups no longer lists the archived group', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(DEMO_GROUP), `demo group ${DEMO_GROUP}`);
		assert((await page.getByText(NEW_GROUP.name).count()) === 0, `${NEW_GROUP.name} is still listed`);
	}, page);
	await test('restore the archived group', async () => {
		assert(newId, 'no id for the new group (previous step failed)');
		await visit(page, `/groups/${newId}`);
		await clickAndWait(page, page.getByRole('button', { name: 'アーカイブを解除する' }));
		await expectFlash(page, 'アーカイブを解除しました');
		assert((await page.getByText('アーカイブ済み').count()) === 0, 'still shows アーカイブ済み');
		await visit(page, '/groups');
		await expectVisible(page.getByText(NEW_GROUP.name), `${NEW_GROUP.name} back in the list`);
	}, page);

	// the audit log, filtered to the group entries made above
	await test('/admin/audit loads', async () => {
		await visit(page, '/admin/audit');
		await expectVisible(page.getByRole('heading', { name: /すべての記録/ }), 'a すべての記録 heading');
	}, page);
	await checkPage(page);
	await test('/admin/audit filtered to 団体 shows only group entries', async () => {
		await field(page, '対象の種類').selectOption({ label: '団体' });
		await clickAndWait(page, page.getByRole('button', { name: '絞り込む' }));
		const u = new URL(page.url());
		assert(u.searchParams.get('entity') === 'group', `went to ${describe(page.url())}, expected entity=group`);
		await expectVisible(page.getByRole('heading', { name: /絞り込みの結果/ }), 'a 絞り込みの結果 heading');
		const kinds = await page.locator('tbody tr td:nth-child(4)').allInnerTexts();
		assert(kinds.length > 0, 'no entries (the test archived and restored a group, so there must be some)');
		const other = kinds.filter((k) => !k.startsWith('団体'));
		assert(other.length === 0, `entries that are not about groups: ${other.slice(0, 3).join(' / ')}`);
		return [`${kinds.length} group entries on the first page`];
	}, page);
	await checkPage(page, 'filtered');

	// m. logout
	await test('logout', async () => {
		await clickAndWait(page, page.getByRole('button', { name: 'ログアウト' }));
		assert((await page.getByRole('button', { name: 'ログアウト' }).count()) === 0, 'still shows a ログアウト button');
		await expectVisible(page.getByRole('link', { name: 'ログイン' }).or(page.getByRole('button', { name: 'ログイン' })),
			'a ログイン link');
	}, page);
	await checkPage(page, 'after logout');

	// n. pages a visitor sees
	// /events is a real page since issue 5 (the events block below tests it).
	for (const [p, heading, placeholder] of [['/events', 'イベント', false], ['/hub', 'まちづくりHUB', true], ['/newsletter', '協働通信「いいねまちづくり」', true]]) {
		await test(`${p} loads${placeholder ? ' (placeholder)' : ''}`, async () => {
			await visit(page, p);
			const title = await h1Text(page);
			assert(title === heading, `h1 is "${title}", expected "${heading}"`);
			if (placeholder) await expectVisible(page.getByText('準備中'), 'the 準備中 notice');
			const current = await page.getByRole('navigation', { name: 'メインメニュー' }).locator('[aria-current="page"]').getAttribute('href');
			assert(current === p, `the menu marks ${current} as the current page, expected ${p}`);
		}, page);
		await checkPage(page);
	}
	await test('/challenge shows the open call with its status and countdown', async () => {
		await visit(page, '/challenge');
		const title = await h1Text(page);
		assert(title === '協働のまちづくりチャレンジ事業', `h1 is "${title}"`);
		assert((await page.getByText('準備中').count()) === 0, '/challenge still says 準備中');
		await expectVisible(page.getByText('受付中').first(), 'the 受付中 status');
		await expectVisible(page.getByText(/締切まであと \d+日 \d+時間/).first(), 'the countdown');
	}, page);
	await checkPage(page, 'program');
	await test('call page shows categories, timeline and status', async () => {
		await clickAndWait(page, page.getByRole('link', { name: `${OPEN_CALL_FY}の募集の詳細を見る` }));
		const title = await h1Text(page);
		assert(title === OPEN_CALL, `h1 is "${title}", expected "${OPEN_CALL}"`);
		await expectVisible(page.getByText('上限 500,000円'), '上限 500,000円');
		await expectVisible(page.getByText('現在', { exact: true }).first(), 'the 現在 step of the timeline');
	}, page);
	await checkPage(page, 'call');
	await test('the closed call says 結果発表済', async () => {
		await visit(page, '/challenge');
		await clickAndWait(page, page.getByRole('link', { name: CLOSED_CALL }));
		await expectVisible(page.getByText('結果発表済').first(), '結果発表済');
		await expectVisible(page.getByText('完了').first(), 'a 完了 step');
	}, page);
	await checkPage(page, 'closed call');
	await test('/no-such-page answers 404 with an error page', async () => {
		await visit(page, '/no-such-page', 404);
		await h1Text(page);
		await expectVisible(page.getByText('エラー 404'), 'エラー 404');
		await expectVisible(page.getByRole('link', { name: 'ホームへ戻る' }), 'a ホームへ戻る link');
	}, page);
	await checkPage(page, '404');
	let demoPath = null;
	await test(`group detail of ${DEMO_GROUP} as a visitor`, async () => {
		demoPath = `/groups/${await groupIdFromList(page, DEMO_GROUP)}`;
		await clickAndWait(page, page.getByRole('link', { name: DEMO_GROUP, exact: true }));
		const title = await h1Text(page);
		assert(title === DEMO_GROUP, `h1 is "${title}", expected "${DEMO_GROUP}"`);
		assert((await page.getByText('非公開の情報').count()) === 0, 'a visitor sees the 非公開の情報 section');
		assert((await page.getByRole('link', { name: '編集する' }).count()) === 0, 'a visitor sees 編集する');
	}, page);
	await checkPage(page, 'visitor');

	// o. reflow at 320 px
	await page.setViewportSize({ width: NARROW, height: 640 });
	for (const p of ['/', '/groups', '/challenge', demoPath]) {
		await test(`no horizontal scrolling at ${NARROW} px: ${p ?? 'group detail'}`, async () => {
			assert(p, 'no group detail path (previous step failed)');
			await visit(page, p);
			return expectNoHorizontalScroll(page, NARROW);
		}, page);
		await checkPage(page, `${NARROW}px`);
	}
	await page.setViewportSize(DEFAULT_VIEWPORT);

	// p. keyboard: the skip link
	await test('keyboard: the first Tab on / focuses the skip link', async () => {
		await visit(page, '/');
		await page.keyboard.press('Tab');
		const f = await page.evaluate(() => {
			const el = document.activeElement;
			return { tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'), html: el.outerHTML.slice(0, 200) };
		});
		assert(f.tag === 'A' && f.text.includes('本文'), `the first Tab focused ${f.html}, expected a skip link containing 本文`);
		assert(f.href === '#main', `the skip link points to ${f.href}, expected #main`);
		const visible = await page.evaluate(() => {
			const b = document.activeElement.getBoundingClientRect();
			return b.bottom > 0 && b.top < window.innerHeight && b.width > 1;
		});
		assert(visible, 'the focused skip link is not visible on screen');
	}, page);
	await test('keyboard: Enter on the skip link moves focus to the main element', async () => {
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main', null, { timeout: 2000 })
			.catch(() => {});
		const f = await page.evaluate(() => document.activeElement.outerHTML.slice(0, 120));
		assert(await page.evaluate(() => document.activeElement.id === 'main'), `focus is on ${f}, expected #main`);
	}, page);
}

// Lists and search are plain links and GET forms: they must work without JS.
async function noScript(context) {
	const page = await newPage(context);
	await test('without JavaScript: group list, search and detail link work', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(DEMO_GROUP), `demo group ${DEMO_GROUP}`);
		const box = field(page, '団体名・キーワード');
		await box.fill('ﾃｽﾄ');
		await clickAndWait(page, box.locator('xpath=ancestor::form[1]').getByRole('button', { name: '検索' }));
		assert(new URL(page.url()).pathname.startsWith('/groups'), `search went to ${describe(page.url())}`);
		await clickAndWait(page, page.getByRole('link', { name: NEW_GROUP.name }).first());
		const title = (await page.getByRole('heading', { level: 1 }).first().innerText()).trim();
		assert(title === NEW_GROUP.name, `detail h1 is "${title}", expected "${NEW_GROUP.name}"`);
	}, page);
	await page.close();
}


await runPart('site', [
	['the scenario', async () => {
		const context = await newContext();
		const page = await newPage(context);
		await site(page);
		await context.close();
	}],
	['without JavaScript', async () => noScript(await newContext({ javaScriptEnabled: false }))],
]);
