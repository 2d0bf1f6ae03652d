#!/usr/bin/env node
// Browser test, part "consultations" (see lib.mjs; run.mjs runs all parts).
// After every navigation: <html lang="ja"> and axe-core (WCAG 2.1 A/AA).

import { execFileSync } from 'node:child_process';
import {
	DEMO_GROUP, test, kyodo, env, runPart, newContext, loginAs, field,
	visit, clickAndWait, expectVisible, checkPage,
} from './lib.mjs';

// Pre-consultations (事前相談): a coordinator publishes a slot and a member of a
// demo group books it; axe on both people's /consultations.  Own users, made
// with the CLI (membership written with sqlite3: there is no CLI for it).
async function consultations() {
	const pw = 'consult-browser-pass-1';
	const setupOk = await test(`consultations setup: a coordinator and a member (CLI), the member in ${DEMO_GROUP} (sqlite3)`, async () => {
		kyodo(['user', 'add', '--email', 'consult-coordinator@example.jp', '--name', '相談員花子', '--role', 'coordinator'], `${pw}\n`);
		const out = kyodo(['user', 'add', '--email', 'consult-member@example.jp', '--name', '会員次郎', '--role', 'member'], `${pw}\n`).toString();
		const memberId = Number(/created user (\d+)/.exec(out)[1]);
		execFileSync('sqlite3', ['-cmd', '.timeout 5000', env.KYODO_DB,
			`INSERT INTO group_members (group_id, user_id) SELECT id, ${memberId} FROM groups WHERE name = '${DEMO_GROUP}'`]);
	});
	if (!setupOk) return;
	const jst = new Date(Date.now() + 9 * 3600_000 + 2 * 86400_000).toISOString().slice(0, 10);
	const as = async (email) => {
		const context = await newContext();
		return { context, page: await loginAs(context, email, pw) };
	};

	const co = await as('consult-coordinator@example.jp');
	await test('coordinator: /consultations from the 事前相談 link', async () => {
		await clickAndWait(co.page, co.page.getByRole('link', { name: '事前相談' }));
		await expectVisible(co.page.getByRole('heading', { name: '相談枠を公開する' }), 'the publish form');
	}, co.page);
	await checkPage(co.page, 'coordinator');
	await test('coordinator publishes a slot', async () => {
		await field(co.page, '開始日時').fill(`${jst}T18:00`);
		await field(co.page, '終了日時').fill(`${jst}T19:00`);
		await field(co.page, '場所').fill('市民活動サポートセンター 相談室B');
		await clickAndWait(co.page, co.page.getByRole('button', { name: '公開する' }));
		await expectVisible(co.page.getByText('事前相談の枠を公開しました。'), 'the 公開しました message');
	}, co.page);
	await checkPage(co.page, 'coordinator with a slot');

	const member = await as('consult-member@example.jp');
	await test('member books the slot for their group', async () => {
		await visit(member.page, '/consultations');
		const card = member.page.locator('li', { hasText: '相談室B' });
		await clickAndWait(member.page, card.getByRole('button', { name: /予約する/ }));
		await expectVisible(member.page.getByText('事前相談を予約しました。'), 'the 予約しました message');
		await expectVisible(member.page.getByRole('cell', { name: DEMO_GROUP }), `a booking row for ${DEMO_GROUP}`);
	}, member.page);
	await checkPage(member.page, 'member with a booking');
	await test('coordinator sees the booking', async () => {
		await visit(co.page, '/consultations');
		await expectVisible(co.page.getByRole('button', { name: /相談済みにする/ }), 'a 相談済みにする button');
	}, co.page);
	await checkPage(co.page, 'coordinator with a booking');
	await test('coordinator: /consultations/division loads', async () => {
		await clickAndWait(co.page, co.page.getByRole('link', { name: '担当課との事前相談の記録' }));
		await expectVisible(co.page.getByRole('heading', { name: '相談を記録する' }), 'the record form');
	}, co.page);
	await checkPage(co.page, 'coordinator');
	await member.context.close();
	await co.context.close();
}

await runPart('consultations', [['pre-consultations', consultations]]);
