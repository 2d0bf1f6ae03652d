#!/usr/bin/env node
// Browser test, part "admin" (see lib.mjs; run.mjs runs all parts): the admin
// logs in; a wrong current password; the admin pages: users (a duplicate
// email, then a new coordinator and their edit page), themes (add, edit),
// settings, the calls (a category with errors, the schedule), divisions; the
// longest form at 320 px.  After every navigation: <html lang="ja"> and
// axe-core (WCAG 2.1 A/AA).

import {
	ADMIN, OPEN_CALL, DEFAULT_VIEWPORT, NARROW, test, assert, runPart, newContext,
	loginAs, labelRe, field, describe, visit, clickAndWait, expectVisible, checkPage,
	expectFieldError, expectErrorSummary, expectFlash, editLink, h1Text, expectNoHorizontalScroll,
} from './lib.mjs';

const COORDINATOR = {
	email: 'coordinator@example.jp', name: '協働太郎', kana: 'きょうどうたろう', reading: 'キョウドウタロウ',
	role: 'コーディネーター', password: 'coordinator-pass-1',
};
const NEW_THEME = { name: 'ブラウザテスト用テーマ', position: '999' };

// ---------------------------------------------------------------- the scenario

async function admin(page) {
	// j. own password: a wrong current password
	await test('/account/password loads', async () => {
		await visit(page, '/');
		await clickAndWait(page, page.getByRole('link', { name: 'パスワード変更' }));
		assert(describe(page.url()) === '/account/password', `the link went to ${describe(page.url())}`);
	}, page);
	await checkPage(page);
	await test('password change with a wrong current password shows the error next to that field', async () => {
		await field(page, '現在のパスワード').fill('not-the-password-0');
		await field(page, '新しいパスワード').fill('another-long-pass-2');
		await field(page, '新しいパスワード（確認）').fill('another-long-pass-2');
		await clickAndWait(page, page.getByRole('button', { name: '変更する' }));
		await expectErrorSummary(page);
		await expectFieldError(field(page, '現在のパスワード'), '現在のパスワード', '現在のパスワードが正しくありません');
	}, page);
	await checkPage(page, 'after wrong current password');

	// k. administration
	await test('/admin loads from the 管理 link', async () => {
		await visit(page, '/');
		await clickAndWait(page, page.getByRole('link', { name: '管理', exact: true }));
		const title = await h1Text(page);
		assert(title === '管理メニュー', `h1 is "${title}", expected "管理メニュー"`);
	}, page);
	await checkPage(page);
	await test('/admin/users lists the admin', async () => {
		await clickAndWait(page, page.getByRole('link', { name: '利用者の管理' }));
		await expectVisible(page.getByRole('cell', { name: ADMIN.email }), ADMIN.email);
	}, page);
	await checkPage(page);
	await test('/admin/users/new loads', async () => {
		await clickAndWait(page, page.getByRole('link', { name: '利用者を登録する' }));
		const title = await h1Text(page);
		assert(title === '利用者の登録', `h1 is "${title}", expected "利用者の登録"`);
	}, page);
	await checkPage(page);
	await test('new user with an existing email shows the error next to the email field', async () => {
		await field(page, 'メールアドレス').fill(ADMIN.email);
		await field(page, '氏名').fill('重複テスト');
		await field(page, '初期パスワード').fill('duplicate-pass-1');
		await clickAndWait(page, page.getByRole('button', { name: '登録する' }));
		await expectErrorSummary(page);
		const email = field(page, 'メールアドレス');
		await expectFieldError(email, 'メールアドレス', 'このメールアドレスは既に登録されています');
		const kept = await email.inputValue();
		assert(kept === ADMIN.email, `メールアドレス holds "${kept}", expected "${ADMIN.email}"`);
	}, page);
	await checkPage(page, 'duplicate email');
	await test(`create a ${COORDINATOR.role} user`, async () => {
		await field(page, 'メールアドレス').fill(COORDINATOR.email);
		await field(page, '氏名').fill(COORDINATOR.name);
		await field(page, 'フリガナ').fill(COORDINATOR.kana);
		await page.getByRole('group', { name: /役割/ }).getByRole('checkbox', { name: labelRe(COORDINATOR.role) }).check();
		await field(page, '初期パスワード').fill(COORDINATOR.password);
		await clickAndWait(page, page.getByRole('button', { name: '登録する' }));
		assert(describe(page.url()) === '/admin/users', `went to ${describe(page.url())}, expected /admin/users`);
		await expectFlash(page, '登録しました');
		const row = page.getByRole('row').filter({ hasText: COORDINATOR.email });
		await expectVisible(row, `a row for ${COORDINATOR.email}`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(COORDINATOR.role), `the row says "${text}", expected the role ${COORDINATOR.role}`);
		assert(text.includes(COORDINATOR.reading), `the row says "${text}", expected the reading ${COORDINATOR.reading}`);
	}, page);
	await checkPage(page, 'after creating a user');
	await test(`edit page of ${COORDINATOR.name} loads`, async () => {
		await clickAndWait(page, editLink(page, COORDINATOR.name));
		assert(/^\/admin\/users\/\d+$/.test(describe(page.url())), `went to ${describe(page.url())}`);
		const title = await h1Text(page);
		assert(title === '利用者の編集', `h1 is "${title}", expected "利用者の編集"`);
		const name = await field(page, '氏名').inputValue();
		assert(name === COORDINATOR.name, `氏名 holds "${name}", expected "${COORDINATOR.name}"`);
		const checked = await page.getByRole('group', { name: /役割/ }).getByRole('checkbox', { name: labelRe(COORDINATOR.role) }).isChecked();
		assert(checked, `${COORDINATOR.role} is not checked`);
	}, page);
	await checkPage(page, 'edit user');


	await test('/admin/themes loads', async () => {
		await visit(page, '/admin/themes');
		await expectVisible(page.getByRole('heading', { name: 'テーマの追加' }), 'a テーマの追加 heading');
	}, page);
	await checkPage(page);
	await test('add a theme', async () => {
		await field(page, 'テーマ名').fill(NEW_THEME.name);
		await field(page, '表示順').fill(NEW_THEME.position);
		await clickAndWait(page, page.getByRole('button', { name: '追加する' }));
		await expectFlash(page, '登録しました');
		await expectVisible(page.getByRole('rowheader', { name: NEW_THEME.name }), `a row for ${NEW_THEME.name}`);
	}, page);
	await checkPage(page, 'after adding a theme');
	await test('theme edit form loads', async () => {
		await clickAndWait(page, editLink(page, NEW_THEME.name));
		await expectVisible(page.getByRole('heading', { name: `「${NEW_THEME.name}」の変更` }), 'the theme edit heading');
		const v = await field(page, 'テーマ名').inputValue();
		assert(v === NEW_THEME.name, `テーマ名 holds "${v}"`);
	}, page);
	await checkPage(page, 'edit theme');

	await test('/admin/settings loads', async () => {
		await visit(page, '/admin/settings');
		const title = await h1Text(page);
		assert(title === '設定', `h1 is "${title}", expected "設定"`);
	}, page);
	await checkPage(page);

	// k2. calls (募集): the office's pages, each with axe
	await test('/admin/calls lists the demo calls', async () => {
		await visit(page, '/admin/calls');
		await expectVisible(page.getByRole('rowheader', { name: OPEN_CALL }), OPEN_CALL);
	}, page);
	await checkPage(page, 'calls');
	await test('call admin page loads with its categories and the upload form', async () => {
		await clickAndWait(page, editLink(page, OPEN_CALL));
		await expectVisible(page.getByRole('heading', { name: '部門', exact: true }), 'the 部門 heading');
		await expectVisible(field(page, 'ファイル'), 'the ファイル field');
	}, page);
	await checkPage(page, 'call admin');
	await test('category edit form loads', async () => {
		await clickAndWait(page, editLink(page, '一般部門'));
		const v = await field(page, '上限額（円）').inputValue();
		assert(v === '500000', `上限額 holds "${v}"`);
	}, page);
	await checkPage(page, 'category form');
	await test('category with a negative cap and an early deadline shows the errors next to the fields', async () => {
		await field(page, '上限額（円）').fill('-1');
		await field(page, '締切日時').fill('2020-01-01T09:00');
		await clickAndWait(page, page.getByRole('button', { name: '保存する' }));
		await expectErrorSummary(page);
		await expectFieldError(field(page, '上限額（円）'), '上限額', '上限額は0円以上の整数で入力してください');
		await expectFieldError(field(page, '締切日時'), '締切日時', '締切は受付開始より後にしてください');
	}, page);
	await checkPage(page, 'category errors');
	await test('call schedule page loads', async () => {
		await visit(page, '/admin/calls');
		await clickAndWait(page, editLink(page, OPEN_CALL));
		await clickAndWait(page, page.getByRole('link', { name: '日程を編集する' }));
		await expectVisible(page.getByRole('heading', { name: '日程の追加' }), 'the 日程の追加 heading');
	}, page);
	await checkPage(page, 'milestones');
	await test('/admin/divisions lists the demo divisions', async () => {
		await visit(page, '/admin/divisions');
		await expectVisible(page.getByRole('rowheader', { name: '子育て支援課' }), '子育て支援課');
	}, page);
	await checkPage(page, 'divisions');

	// l. reflow at 320 px for the longest form (staff only)
	await page.setViewportSize({ width: NARROW, height: 640 });
	await test(`no horizontal scrolling at ${NARROW} px: /groups/new`, async () => {
		await visit(page, '/groups/new');
		return expectNoHorizontalScroll(page, NARROW);
	}, page);
	await checkPage(page, `${NARROW}px`);
	await page.setViewportSize(DEFAULT_VIEWPORT);
}

await runPart('admin', [
	['administration', async () => {
		const context = await newContext();
		const page = await loginAs(context, ADMIN.email, ADMIN.password);
		await admin(page);
		await context.close();
	}],
]);
