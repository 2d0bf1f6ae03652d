#!/usr/bin/env node
// End-to-end browser and accessibility test for kyodo.  Prints TAP.
//
//   node tests/browser/run.mjs          (from anywhere; paths are repo-relative)
//
// Environment:
//   KYODO_BIN  server binary (default build/kyodo)
//   CHROMIUM   browser binary (default /usr/bin/chromium, Debian's package)
//
// It starts its own server on a free loopback port with a fresh database in a
// temp dir (migrate + demo data + one admin), then walks the scenario a person
// would: public pages, login, creating a group (first with errors), the list,
// search; editing a demo group (with an error), archiving and restoring the new
// group, a wrong current password, the admin pages (users with a duplicate
// email, then a new coordinator and their edit page; the audit log filtered;
// adding and editing a theme; settings); logout; the placeholder pages, a 404
// and a group page as a visitor; reflow at 320 px (no horizontal scrolling);
// the skip link by keyboard; and the list/search with JavaScript disabled.
// Then the challenge program end to end (issue 3): a coordinator publishes a
// consultation slot, a group member books it and the coordinator marks it
// done and records the division consultation; the member writes a proposal
// over two sittings (a refused save first, then logout and login) and submits
// it; the receipt, print view and お知らせ; the office filters /proposals,
// opens the print view, exports .xlsx (unzipped with zlib and read back) and
// CSV, and sees the notification in /admin/outbox.
// Then screening and adoption (issue 4) on that proposal: the office sets up
// the default stages, removes the 2nd one before scoring (so 1次審査 is the
// last), opens the window now and assigns every reviewer; two reviewers (CLI)
// score it (a draft, a score outside the scale refused, submitted; reviewer 2
// never sees reviewer 1's sheet); the office closes the stage, checks the
// ranking's total against one computed here, decides 通過, adopts (a grant
// above the request refused first, 422), releases the results and prints the
// letters; a visitor reads 採択事業一覧 and the applicant their result, with
// the comments and no reviewer's name.
// Then events (issue 5): the list, calendar, past events, the 2nd HUB with its
// report and the series page; the admin creates a capacity-2 event through
// /events/new; visitors register (a latin-letter reading refused first), A and
// B confirmed, C waiting; the outbox; A cancels by the secret link, C is
// promoted and notified; the organiser's counts and check-in by reading.
// After every navigation it checks <html lang="ja"> and runs axe-core (WCAG 2.1
// A/AA).
//
// We never download Playwright's own browsers: playwright-core drives Debian's
// Chromium.  The server's CSP forbids inline scripts, so axe is injected with
// page.evaluate(source), which goes through the DevTools protocol and is not
// subject to the page's CSP (addScriptTag would be blocked).
//
// On a failed step a screenshot and the page's HTML go to tests/browser/results/
// (git-ignored) and the tail of the server's log is printed as TAP diagnostics.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = path.resolve(root, process.env.KYODO_BIN || 'build/kyodo');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const resultsDir = path.join(here, 'results');

const ADMIN = { email: 'admin@example.jp', name: '管理者', password: 'browser-test-pass-1' };
const DEMO_GROUP = '金沢城・兼六園研究会';
// The demo's calls: 令和8年度 is open at the real date, 令和7年度 has its results out.
const OPEN_CALL = '令和8年度 協働のまちづくりチャレンジ事業 提案募集';
const OPEN_CALL_FY = '令和8年度';
const CLOSED_CALL = '令和7年度 協働のまちづくりチャレンジ事業 提案募集';
const NEW_GROUP = {
	name: 'テスト用まちづくり団体',
	kana: 'てすとようまちづくりだんたい', // hiragana on purpose: the server stores katakana
	reading: 'テストヨウマチヅクリダンタイ',
	kind: '任意団体',
	theme: '環境',
	purpose: '犀川沿いの清掃活動と、地域の子どもたちとの自然観察会を通じて、まちの環境を守ります。',
};
const COORDINATOR = {
	email: 'coordinator@example.jp', name: '協働太郎', kana: 'きょうどうたろう', reading: 'キョウドウタロウ',
	role: 'コーディネーター', password: 'coordinator-pass-1',
};
const NEW_THEME = { name: 'ブラウザテスト用テーマ', position: '999' };
const DEFAULT_VIEWPORT = { width: 1280, height: 720 };
const NARROW = 320; // px: WCAG 1.4.10 Reflow
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
const STEP_TIMEOUT_MS = 10_000; // each Playwright action/wait
const GLOBAL_TIMEOUT_MS = 5 * 60_000; // the whole run, so CI can never hang here

// ---------------------------------------------------------------- TAP output

let count = 0;
let failures = 0;
let currentPage = null; // for screenshots on failure

function diag(lines) {
	for (const l of lines) for (const line of String(l).split('\n')) console.log(`# ${line}`);
}

// TAP treats " # " in a test name as a directive; keep names plain.
const tapName = (s) => s.replace(/#/g, '%23').replace(/\s+/g, ' ');

class Failure extends Error {
	constructor(message, details = []) {
		super(message);
		this.details = details;
	}
}

async function saveEvidence(n, name) {
	if (!currentPage || currentPage.isClosed()) return [];
	try {
		fs.mkdirSync(resultsDir, { recursive: true });
		const base = path.join(resultsDir, `${String(n).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_').slice(0, 60)}`);
		await currentPage.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5000 });
		fs.writeFileSync(`${base}.html`, await currentPage.content());
		return [`page: ${describe(currentPage.url())}`, `evidence: ${path.relative(root, base)}.{png,html}`];
	} catch (e) {
		return [`(no screenshot: ${e.message.split('\n')[0]})`];
	}
}

// Run one TAP test.  fn may return an array of diagnostic lines to print on
// success; it fails by throwing (Failure carries extra diagnostic lines).
async function test(name, fn) {
	const n = ++count;
	name = tapName(name);
	try {
		const notes = await fn();
		console.log(`ok ${n} - ${name}`);
		if (Array.isArray(notes)) diag(notes);
		return true;
	} catch (e) {
		failures++;
		console.log(`not ok ${n} - ${name}`);
		// Playwright messages carry a long call log; the first lines say enough.
		// eslint-disable-next-line no-control-regex
		const msg = String(e && e.message ? e.message : e).replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 12);
		diag([...msg, ...(e instanceof Failure ? e.details : []), ...(await saveEvidence(n, name))]);
		return false;
	}
}

function assert(cond, message, details = []) {
	if (!cond) throw new Failure(message, details);
}

// ---------------------------------------------------------------- server

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kyodo-browser-'));
const serverLogPath = path.join(tmp, 'server.log');
const env = {
	...process.env,
	KYODO_DB: path.join(tmp, 'kyodo.db'),
	KYODO_FILES: path.join(tmp, 'files'),
};
let server = null;
let browser = null;

function kyodo(args, input) {
	try {
		return execFileSync(bin, args, { cwd: root, env, input: input ?? '', timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] });
	} catch (e) {
		const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
		throw new Failure(`kyodo ${args.join(' ')} failed (${e.status ?? e.signal ?? e.code})`, out ? out.split('\n').slice(-20) : []);
	}
}

async function startServer() {
	fs.mkdirSync(env.KYODO_FILES, { recursive: true });
	kyodo(['migrate']);
	kyodo(['demo']);
	kyodo(['user', 'add', '--email', ADMIN.email, '--name', ADMIN.name, '--role', 'admin'], `${ADMIN.password}\n`);

	const port = await freePort();
	env.KYODO_LISTEN = `127.0.0.1:${port}`;
	const log = fs.openSync(serverLogPath, 'a');
	server = spawn(bin, ['serve'], { cwd: root, env, stdio: ['ignore', log, log] });
	fs.closeSync(log);
	let exited = null;
	server.on('exit', (code, signal) => { exited = signal ?? code; });

	const base = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000; // a sanitizer build starts slowly
	for (;;) {
		if (exited !== null) throw new Failure(`kyodo serve exited early (${exited})`, serverLogTail());
		try {
			const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
			if (r.status === 200) return base;
		} catch { /* not listening yet */ }
		if (Date.now() > deadline) throw new Failure('GET /healthz did not answer 200 within 30 s', serverLogTail());
		await new Promise((r) => setTimeout(r, 100));
	}
}

function serverLogTail(n = 30) {
	try {
		const lines = fs.readFileSync(serverLogPath, 'utf8').trimEnd().split('\n');
		return ['server log (tail):', ...lines.slice(-n).map((l) => `  ${l}`)];
	} catch {
		return [];
	}
}

async function stopServer() {
	if (!server || server.exitCode !== null || server.signalCode !== null) return;
	const gone = new Promise((r) => server.once('exit', r));
	server.kill('SIGTERM');
	const t = setTimeout(() => server.kill('SIGKILL'), 5000);
	await gone;
	clearTimeout(t);
}

let cleanedUp = false;
async function cleanup() {
	if (cleanedUp) return;
	cleanedUp = true;
	try { if (browser) await browser.close(); } catch { /* already gone */ }
	await stopServer();
	if (failures === 0) fs.rmSync(tmp, { recursive: true, force: true });
	else diag([`temp dir kept: ${tmp}`]);
}

// Whatever happens, never leave the server running.
process.on('exit', () => { if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, async () => {
		console.log(`not ok ${++count} - interrupted by ${sig}`);
		await cleanup();
		process.exit(1);
	});
}
setTimeout(async () => {
	console.log(`not ok ${++count} - browser test exceeded ${GLOBAL_TIMEOUT_MS / 1000} s`);
	failures++;
	diag(serverLogTail());
	await cleanup();
	console.log(`1..${count}`);
	process.exit(1);
}, GLOBAL_TIMEOUT_MS).unref();

// ---------------------------------------------------------------- page helpers

let base = '';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A label "団体名" may carry a required/optional marker ("団体名 必須",
// "団体名（必須）", "団体名 *") but must not match "団体名（フリガナ）".
function labelRe(text) {
	return new RegExp(`^\\s*${escapeRe(text)}(?:$|[\\s*＊]|[（(【]?(?:必須|任意))`);
}
const field = (scope, label) => scope.getByLabel(labelRe(label));

function describe(url) {
	const u = new URL(url);
	let s = u.pathname + u.search;
	try { s = decodeURIComponent(s); } catch { /* keep it encoded */ }
	return s;
}

async function visit(page, p, status = 200) {
	const resp = await page.goto(base + p, { waitUntil: 'load' });
	assert(resp, `no response for GET ${p}`);
	assert(resp.status() === status, `GET ${p} answered ${resp.status()}, expected ${status}`);
}

// Click something that submits a form or follows a link, and wait until the
// resulting page (after any redirect) has loaded.
async function clickAndWait(page, locator) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

async function expectVisible(locator, what) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
	} catch {
		throw new Failure(`expected to see ${what}`);
	}
}

// The per-page checks: one TAP test for lang, one for axe.
async function checkPage(page, note = '') {
	if (!page.url().startsWith(base)) return; // navigation failed; already reported
	const label = describe(page.url()) + (note ? ` (${note})` : '');
	await test(`lang ja ${label}`, async () => {
		const lang = await page.evaluate(() => document.documentElement.lang);
		assert(lang === 'ja', `<html lang="${lang}">, expected "ja"`);
	});
	await test(`axe ${label}`, async () => {
		if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
		const { violations, passes, review } = await page.evaluate(
			(options) =>
				window.axe.run(document, options).then((r) => ({
					violations: r.violations.map((v) => ({
						id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
						targets: v.nodes.map((n) => n.target.join(' ')),
						summary: v.nodes[0] ? v.nodes[0].failureSummary : '',
					})),
					passes: r.passes.length,
					review: r.incomplete.map((v) => v.id),
				})),
			AXE_OPTIONS);
		const details = [];
		for (const v of violations) {
			details.push(`${v.id} (${v.impact}): ${v.help}`, `  ${v.helpUrl}`);
			for (const t of v.targets.slice(0, 10)) details.push(`  target: ${t}`);
			if (v.targets.length > 10) details.push(`  … and ${v.targets.length - 10} more`);
			if (v.summary) details.push(...v.summary.split('\n').map((l) => `  | ${l}`));
		}
		assert(violations.length === 0, `${violations.length} axe violation(s)`, details);
		// Show that axe really ran, and what it could not decide by itself.
		return [`axe: ${passes} rules passed` + (review.length ? `; for a person to review: ${review.join(', ')}` : '')];
	});
}

// Text a field is labelled and described by, to see whether an error message
// got attached to it (aria-describedby, or text added inside its label).
function fieldTexts(locator) {
	return locator.evaluate((el) => {
		const text = (n) => (n ? n.textContent.replace(/\s+/g, ' ').trim() : '');
		const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
		return {
			id: el.id,
			invalid: el.getAttribute('aria-invalid'),
			description: ids.map((id) => text(document.getElementById(id))).join(' ').trim(),
			label: Array.from(el.labels || []).map(text).join(' '),
			context: (el.closest('div, p, fieldset, li') || el.parentElement).outerHTML.slice(0, 600),
		};
	});
}

// A server-side field error: the message is attached to the control (its
// aria-describedby or its label) and the control is marked aria-invalid.
async function expectFieldError(locator, what, message) {
	const t = await fieldTexts(locator);
	const where = [`aria-invalid=${t.invalid} aria-describedby text="${t.description}" label="${t.label}"`, t.context];
	assert(t.description.includes(message) || t.label.includes(message),
		`the ${what} field does not carry the error 「${message}」`, where);
	assert(t.invalid === 'true', `the ${what} field has aria-invalid="${t.invalid}", expected "true"`, where);
}

async function expectErrorSummary(page) {
	await expectVisible(page.getByRole('alert').filter({ hasText: '入力内容に誤りがあります' }),
		'an error summary (role=alert) containing 入力内容に誤りがあります');
}

// A flash message (role=status for success) containing text.
async function expectFlash(page, text) {
	await expectVisible(page.getByRole('status').filter({ hasText: text }), `a status message 「${text}」`);
}

// The table links 編集<span class="visually-hidden">（name）</span>: Playwright
// puts a space before the absolutely positioned span in the accessible name.
const editLink = (page, name) => page.getByRole('link', { name: new RegExp(`^編集\\s*（${escapeRe(name)}）$`) });

async function h1Text(page) {
	const h1 = page.getByRole('heading', { level: 1 });
	await expectVisible(h1, 'an h1');
	return (await h1.first().innerText()).trim();
}

// The id of the group a /groups list links to by name.
async function groupIdFromList(page, name) {
	await visit(page, '/groups');
	const href = await page.getByRole('link', { name, exact: true }).first().getAttribute('href');
	const m = /^\/groups\/(\d+)$/.exec(href || '');
	assert(m, `link to ${name} is "${href}", expected /groups/<id>`);
	return m[1];
}

// No horizontal scrolling at the current (narrow) viewport; on failure, name
// the outermost elements that stick out on the right.
async function expectNoHorizontalScroll(page, width) {
	const r = await page.evaluate((vw) => {
		const de = document.documentElement;
		const sel = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
			(typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
		const out = [];
		for (const el of document.body.querySelectorAll('*')) {
			const b = el.getBoundingClientRect();
			if (b.width === 0 || b.right <= vw + 0.5) continue;
			let p = el.parentElement, nested = false;
			for (; p && p !== document.body; p = p.parentElement) if (p.getBoundingClientRect().right > vw + 0.5) { nested = true; break; }
			if (nested) continue;
			out.push(`${sel(el)} right=${Math.round(b.right)} width=${Math.round(b.width)}: ${el.outerHTML.replace(/\s+/g, ' ').slice(0, 160)}`);
		}
		// Likely culprits: unbreakable (nowrap) content nearly as wide as the viewport.
		const causes = [];
		for (const el of document.body.querySelectorAll('*')) {
			const ws = getComputedStyle(el).whiteSpace;
			const w = el.getBoundingClientRect().width;
			if ((ws === 'nowrap' || ws === 'pre') && !el.matches('select, option, input, textarea, button') && w > vw * 0.75) causes.push(`${sel(el)} white-space:${ws} width=${Math.round(w)}: ${el.outerHTML.replace(/\s+/g, ' ').slice(0, 120)}`);
		}
		return { scrollWidth: de.scrollWidth, innerWidth: window.innerWidth, offenders: out.slice(0, 5), causes: causes.slice(0, 5) };
	}, width);
	assert(r.scrollWidth <= width, `document.documentElement.scrollWidth is ${r.scrollWidth} at a ${width} px viewport (innerWidth ${r.innerWidth})`,
		[...r.offenders.map((o) => `sticks out: ${o}`), ...r.causes.map((c) => `wide unbreakable: ${c}`)]);
	return [`scrollWidth ${r.scrollWidth}`];
}

// ---------------------------------------------------------------- scenario

async function scenario(page) {
	const searchOn = async (query) => {
		await visit(page, '/groups');
		const box = field(page, '団体名・キーワード');
		await box.fill(query);
		const form = box.locator('xpath=ancestor::form[1]');
		await clickAndWait(page, form.getByRole('button', { name: '検索' }));
	};

	// a. home
	await test('home / loads', () => visit(page, '/'));
	await checkPage(page);

	// b. public group list with the demo data
	await test('/groups lists the demo groups', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(DEMO_GROUP), `demo group ${DEMO_GROUP}`);
	});
	await checkPage(page);

	// c. accessibility statement
	await test('/accessibility loads', () => visit(page, '/accessibility'));
	await checkPage(page);

	// d. login
	await test('/login loads', () => visit(page, '/login'));
	await checkPage(page);
	await test('login as admin', async () => {
		await field(page, 'メールアドレス').fill(ADMIN.email);
		await field(page, 'パスワード').fill(ADMIN.password);
		await clickAndWait(page, page.getByRole('button', { name: 'ログイン' }));
		await expectVisible(page.getByRole('button', { name: 'ログアウト' }), 'a ログアウト button');
		await expectVisible(page.getByText(ADMIN.name), `the user's name ${ADMIN.name}`);
	});
	await checkPage(page, 'after login');

	// e. new group: first the empty form (server-side validation), then a valid one
	let before = null;
	await test('/groups/new loads', async () => {
		await visit(page, '/groups/new');
		before = await fieldTexts(field(page, '団体名'));
	});
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
	});
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
	});
	await checkPage(page, 'new group');

	// f. the public list shows it
	await test('/groups lists the new group', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(NEW_GROUP.name), NEW_GROUP.name);
	});
	await checkPage(page);

	// g. search, including half-width katakana normalised to full-width
	await test('search まちづくり finds the new group', async () => {
		await searchOn('まちづくり');
		await expectVisible(page.getByText(NEW_GROUP.name), NEW_GROUP.name);
	});
	await checkPage(page, 'search');
	await test('search ﾃｽﾄ (half-width) finds the new group and not the others', async () => {
		await searchOn('ﾃｽﾄ');
		await expectVisible(page.getByText(NEW_GROUP.name), NEW_GROUP.name);
		assert((await page.getByText(DEMO_GROUP).count()) === 0, `${DEMO_GROUP} should not match ﾃｽﾄ`);
	});
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
	});
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
	});
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
	});
	await checkPage(page, 'archived');
	await test('/groups no longer lists the archived group', async () => {
		await visit(page, '/groups');
		await expectVisible(page.getByText(DEMO_GROUP), `demo group ${DEMO_GROUP}`);
		assert((await page.getByText(NEW_GROUP.name).count()) === 0, `${NEW_GROUP.name} is still listed`);
	});
	await test('restore the archived group', async () => {
		assert(newId, 'no id for the new group (previous step failed)');
		await visit(page, `/groups/${newId}`);
		await clickAndWait(page, page.getByRole('button', { name: 'アーカイブを解除する' }));
		await expectFlash(page, 'アーカイブを解除しました');
		assert((await page.getByText('アーカイブ済み').count()) === 0, 'still shows アーカイブ済み');
		await visit(page, '/groups');
		await expectVisible(page.getByText(NEW_GROUP.name), `${NEW_GROUP.name} back in the list`);
	});

	// j. own password: a wrong current password
	await test('/account/password loads', async () => {
		await visit(page, '/');
		await clickAndWait(page, page.getByRole('link', { name: 'パスワード変更' }));
		assert(describe(page.url()) === '/account/password', `the link went to ${describe(page.url())}`);
	});
	await checkPage(page);
	await test('password change with a wrong current password shows the error next to that field', async () => {
		await field(page, '現在のパスワード').fill('not-the-password-0');
		await field(page, '新しいパスワード').fill('another-long-pass-2');
		await field(page, '新しいパスワード（確認）').fill('another-long-pass-2');
		await clickAndWait(page, page.getByRole('button', { name: '変更する' }));
		await expectErrorSummary(page);
		await expectFieldError(field(page, '現在のパスワード'), '現在のパスワード', '現在のパスワードが正しくありません');
	});
	await checkPage(page, 'after wrong current password');

	// k. administration
	await test('/admin loads from the 管理 link', async () => {
		await visit(page, '/');
		await clickAndWait(page, page.getByRole('link', { name: '管理', exact: true }));
		const title = await h1Text(page);
		assert(title === '管理メニュー', `h1 is "${title}", expected "管理メニュー"`);
	});
	await checkPage(page);
	await test('/admin/users lists the admin', async () => {
		await clickAndWait(page, page.getByRole('link', { name: '利用者の管理' }));
		await expectVisible(page.getByRole('cell', { name: ADMIN.email }), ADMIN.email);
	});
	await checkPage(page);
	await test('/admin/users/new loads', async () => {
		await clickAndWait(page, page.getByRole('link', { name: '利用者を登録する' }));
		const title = await h1Text(page);
		assert(title === '利用者の登録', `h1 is "${title}", expected "利用者の登録"`);
	});
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
	});
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
	});
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
	});
	await checkPage(page, 'edit user');

	await test('/admin/audit loads', async () => {
		await visit(page, '/admin/audit');
		await expectVisible(page.getByRole('heading', { name: /すべての記録/ }), 'a すべての記録 heading');
	});
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
	});
	await checkPage(page, 'filtered');

	await test('/admin/themes loads', async () => {
		await visit(page, '/admin/themes');
		await expectVisible(page.getByRole('heading', { name: 'テーマの追加' }), 'a テーマの追加 heading');
	});
	await checkPage(page);
	await test('add a theme', async () => {
		await field(page, 'テーマ名').fill(NEW_THEME.name);
		await field(page, '表示順').fill(NEW_THEME.position);
		await clickAndWait(page, page.getByRole('button', { name: '追加する' }));
		await expectFlash(page, '登録しました');
		await expectVisible(page.getByRole('rowheader', { name: NEW_THEME.name }), `a row for ${NEW_THEME.name}`);
	});
	await checkPage(page, 'after adding a theme');
	await test('theme edit form loads', async () => {
		await clickAndWait(page, editLink(page, NEW_THEME.name));
		await expectVisible(page.getByRole('heading', { name: `「${NEW_THEME.name}」の変更` }), 'the theme edit heading');
		const v = await field(page, 'テーマ名').inputValue();
		assert(v === NEW_THEME.name, `テーマ名 holds "${v}"`);
	});
	await checkPage(page, 'edit theme');

	await test('/admin/settings loads', async () => {
		await visit(page, '/admin/settings');
		const title = await h1Text(page);
		assert(title === '設定', `h1 is "${title}", expected "設定"`);
	});
	await checkPage(page);

	// k2. calls (募集): the office's pages, each with axe
	await test('/admin/calls lists the demo calls', async () => {
		await visit(page, '/admin/calls');
		await expectVisible(page.getByRole('rowheader', { name: OPEN_CALL }), OPEN_CALL);
	});
	await checkPage(page, 'calls');
	await test('call admin page loads with its categories and the upload form', async () => {
		await clickAndWait(page, editLink(page, OPEN_CALL));
		await expectVisible(page.getByRole('heading', { name: '部門', exact: true }), 'the 部門 heading');
		await expectVisible(field(page, 'ファイル'), 'the ファイル field');
	});
	await checkPage(page, 'call admin');
	await test('category edit form loads', async () => {
		await clickAndWait(page, editLink(page, '一般部門'));
		const v = await field(page, '上限額（円）').inputValue();
		assert(v === '500000', `上限額 holds "${v}"`);
	});
	await checkPage(page, 'category form');
	await test('category with a negative cap and an early deadline shows the errors next to the fields', async () => {
		await field(page, '上限額（円）').fill('-1');
		await field(page, '締切日時').fill('2020-01-01T09:00');
		await clickAndWait(page, page.getByRole('button', { name: '保存する' }));
		await expectErrorSummary(page);
		await expectFieldError(field(page, '上限額（円）'), '上限額', '上限額は0円以上の整数で入力してください');
		await expectFieldError(field(page, '締切日時'), '締切日時', '締切は受付開始より後にしてください');
	});
	await checkPage(page, 'category errors');
	await test('call schedule page loads', async () => {
		await visit(page, '/admin/calls');
		await clickAndWait(page, editLink(page, OPEN_CALL));
		await clickAndWait(page, page.getByRole('link', { name: '日程を編集する' }));
		await expectVisible(page.getByRole('heading', { name: '日程の追加' }), 'the 日程の追加 heading');
	});
	await checkPage(page, 'milestones');
	await test('/admin/divisions lists the demo divisions', async () => {
		await visit(page, '/admin/divisions');
		await expectVisible(page.getByRole('rowheader', { name: '子育て支援課' }), '子育て支援課');
	});
	await checkPage(page, 'divisions');

	// l. reflow at 320 px for the longest form (staff only)
	await page.setViewportSize({ width: NARROW, height: 640 });
	await test(`no horizontal scrolling at ${NARROW} px: /groups/new`, async () => {
		await visit(page, '/groups/new');
		return expectNoHorizontalScroll(page, NARROW);
	});
	await checkPage(page, `${NARROW}px`);
	await page.setViewportSize(DEFAULT_VIEWPORT);

	// m. logout
	await test('logout', async () => {
		await clickAndWait(page, page.getByRole('button', { name: 'ログアウト' }));
		assert((await page.getByRole('button', { name: 'ログアウト' }).count()) === 0, 'still shows a ログアウト button');
		await expectVisible(page.getByRole('link', { name: 'ログイン' }).or(page.getByRole('button', { name: 'ログイン' })),
			'a ログイン link');
	});
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
		});
		await checkPage(page);
	}
	await test('/challenge shows the open call with its status and countdown', async () => {
		await visit(page, '/challenge');
		const title = await h1Text(page);
		assert(title === '協働のまちづくりチャレンジ事業', `h1 is "${title}"`);
		assert((await page.getByText('準備中').count()) === 0, '/challenge still says 準備中');
		await expectVisible(page.getByText('受付中').first(), 'the 受付中 status');
		await expectVisible(page.getByText(/締切まであと \d+日 \d+時間/).first(), 'the countdown');
	});
	await checkPage(page, 'program');
	await test('call page shows categories, timeline and status', async () => {
		await clickAndWait(page, page.getByRole('link', { name: `${OPEN_CALL_FY}の募集の詳細を見る` }));
		const title = await h1Text(page);
		assert(title === OPEN_CALL, `h1 is "${title}", expected "${OPEN_CALL}"`);
		await expectVisible(page.getByText('上限 500,000円'), '上限 500,000円');
		await expectVisible(page.getByText('現在', { exact: true }).first(), 'the 現在 step of the timeline');
	});
	await checkPage(page, 'call');
	await test('the closed call says 結果発表済', async () => {
		await visit(page, '/challenge');
		await clickAndWait(page, page.getByRole('link', { name: CLOSED_CALL }));
		await expectVisible(page.getByText('結果発表済').first(), '結果発表済');
		await expectVisible(page.getByText('完了').first(), 'a 完了 step');
	});
	await checkPage(page, 'closed call');
	await test('/no-such-page answers 404 with an error page', async () => {
		await visit(page, '/no-such-page', 404);
		await h1Text(page);
		await expectVisible(page.getByText('エラー 404'), 'エラー 404');
		await expectVisible(page.getByRole('link', { name: 'ホームへ戻る' }), 'a ホームへ戻る link');
	});
	await checkPage(page, '404');
	let demoPath = null;
	await test(`group detail of ${DEMO_GROUP} as a visitor`, async () => {
		demoPath = `/groups/${await groupIdFromList(page, DEMO_GROUP)}`;
		await clickAndWait(page, page.getByRole('link', { name: DEMO_GROUP, exact: true }));
		const title = await h1Text(page);
		assert(title === DEMO_GROUP, `h1 is "${title}", expected "${DEMO_GROUP}"`);
		assert((await page.getByText('非公開の情報').count()) === 0, 'a visitor sees the 非公開の情報 section');
		assert((await page.getByRole('link', { name: '編集する' }).count()) === 0, 'a visitor sees 編集する');
	});
	await checkPage(page, 'visitor');

	// o. reflow at 320 px
	await page.setViewportSize({ width: NARROW, height: 640 });
	for (const p of ['/', '/groups', '/challenge', demoPath]) {
		await test(`no horizontal scrolling at ${NARROW} px: ${p ?? 'group detail'}`, async () => {
			assert(p, 'no group detail path (previous step failed)');
			await visit(page, p);
			return expectNoHorizontalScroll(page, NARROW);
		});
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
	});
	await test('keyboard: Enter on the skip link moves focus to the main element', async () => {
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main', null, { timeout: 2000 })
			.catch(() => {});
		const f = await page.evaluate(() => document.activeElement.outerHTML.slice(0, 120));
		assert(await page.evaluate(() => document.activeElement.id === 'main'), `focus is on ${f}, expected #main`);
	});
}

// Lists and search are plain links and GET forms: they must work without JS.
async function noScript(context) {
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	currentPage = page;
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
	});
	await page.close();
}

// Pre-consultations (事前相談): a coordinator publishes a slot and a member of a
// demo group books it; axe on both people's /consultations.  Own users, made
// with the CLI (membership written with sqlite3: there is no CLI for it).
async function consultations() {
	const pw = 'consult-browser-pass-1';
	kyodo(['user', 'add', '--email', 'consult-coordinator@example.jp', '--name', '相談員花子', '--role', 'coordinator'], `${pw}\n`);
	const out = kyodo(['user', 'add', '--email', 'consult-member@example.jp', '--name', '会員次郎', '--role', 'member'], `${pw}\n`).toString();
	const memberId = Number(/created user (\d+)/.exec(out)[1]);
	execFileSync('sqlite3', ['-cmd', '.timeout 5000', env.KYODO_DB,
		`INSERT INTO group_members (group_id, user_id) SELECT id, ${memberId} FROM groups WHERE name = '${DEMO_GROUP}'`]);
	const jst = new Date(Date.now() + 9 * 3600_000 + 2 * 86400_000).toISOString().slice(0, 10);
	const as = async (email) => {
		const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: DEFAULT_VIEWPORT });
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT_MS);
		currentPage = page;
		await visit(page, '/login');
		await field(page, 'メールアドレス').fill(email);
		await field(page, 'パスワード').fill(pw);
		await clickAndWait(page, page.getByRole('button', { name: 'ログイン' }));
		return { context, page };
	};

	const co = await as('consult-coordinator@example.jp');
	await test('coordinator: /consultations from the 事前相談 link', async () => {
		await clickAndWait(co.page, co.page.getByRole('link', { name: '事前相談' }));
		await expectVisible(co.page.getByRole('heading', { name: '相談枠を公開する' }), 'the publish form');
	});
	await checkPage(co.page, 'coordinator');
	await test('coordinator publishes a slot', async () => {
		await field(co.page, '開始日時').fill(`${jst}T18:00`);
		await field(co.page, '終了日時').fill(`${jst}T19:00`);
		await field(co.page, '場所').fill('市民活動サポートセンター 相談室B');
		await clickAndWait(co.page, co.page.getByRole('button', { name: '公開する' }));
		await expectVisible(co.page.getByText('事前相談の枠を公開しました。'), 'the 公開しました message');
	});
	await checkPage(co.page, 'coordinator with a slot');

	const member = await as('consult-member@example.jp');
	await test('member books the slot for their group', async () => {
		await visit(member.page, '/consultations');
		const card = member.page.locator('li', { hasText: '相談室B' });
		await clickAndWait(member.page, card.getByRole('button', { name: /予約する/ }));
		await expectVisible(member.page.getByText('事前相談を予約しました。'), 'the 予約しました message');
		await expectVisible(member.page.getByRole('cell', { name: DEMO_GROUP }), `a booking row for ${DEMO_GROUP}`);
	});
	await checkPage(member.page, 'member with a booking');
	await test('coordinator sees the booking', async () => {
		await visit(co.page, '/consultations');
		await expectVisible(co.page.getByRole('button', { name: /相談済みにする/ }), 'a 相談済みにする button');
	});
	await checkPage(co.page, 'coordinator with a booking');
	await test('coordinator: /consultations/division loads', async () => {
		await clickAndWait(co.page, co.page.getByRole('link', { name: '担当課との事前相談の記録' }));
		await expectVisible(co.page.getByRole('heading', { name: '相談を記録する' }), 'the record form');
	});
	await checkPage(co.page, 'coordinator');
	await member.context.close();
	await co.context.close();
}

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

const jstDate = (days = 0) => new Date(Date.now() + 9 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
const cell = (page, name) => page.getByLabel(name, { exact: true });

async function loginAs(context, email, password) {
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS * 2);
	page.on('pageerror', (e) => diag([`page error on ${describe(page.url())}: ${e.message}`]));
	page.on('console', (m) => { if (m.type() === 'error') diag([`console error on ${describe(page.url())}: ${m.text()}`]); });
	currentPage = page;
	await visit(page, '/login');
	await field(page, 'メールアドレス').fill(email);
	await field(page, 'パスワード').fill(password);
	await clickAndWait(page, page.getByRole('button', { name: 'ログイン' }));
	await expectVisible(page.getByRole('button', { name: 'ログアウト' }), `a ログアウト button (logged in as ${email})`);
	return page;
}

const newContext = () => browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: DEFAULT_VIEWPORT, acceptDownloads: true });

// Download what a link points to (Playwright's download event).
async function download(page, link) {
	const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
	const failure = await dl.failure();
	assert(!failure, `download of ${describe(dl.url())} failed: ${failure}`);
	return { name: dl.suggestedFilename(), url: dl.url(), data: fs.readFileSync(await dl.path()) };
}

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
	});
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
	});
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
	});
	await checkPage(member, 'challenge member, booked');

	await test('1c. coordinator: お知らせ has the booking', async () => {
		await visit(co, '/');
		await clickAndWait(co, co.getByRole('link', { name: /^お知らせ/ }));
		assert(describe(co.url()) === '/notifications', `went to ${describe(co.url())}`);
		const card = co.getByRole('article').filter({ hasText: '事前相談の予約を受け付けました' });
		await expectVisible(card, 'a notification 事前相談の予約を受け付けました');
		const text = (await card.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(CH.group), `the notification says "${text}", expected ${CH.group}`);
	});
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
	});
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
	});
	await checkPage(co, 'challenge division consultation recorded');
	await test('1f. member sees the booking as 相談済み', async () => {
		await visit(member, '/consultations');
		const row = member.getByRole('row').filter({ hasText: CH.place });
		await expectVisible(row.getByText('相談済み', { exact: true }), 'the 相談済み badge on the booking');
	});
	await checkPage(member, 'challenge member, consultation done');

	// 2. the proposal, over two sittings
	let proposalPath = null;
	await test('2a. member: /proposals offers the open call\'s categories', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '企画提案書', exact: true }));
		await expectVisible(member.getByRole('link', { name: `${CH.category}の企画提案書を作成` }), `a link to start a ${CH.category} proposal`);
		await expectVisible(member.getByText('まだ企画提案書はありません。'), 'まだ企画提案書はありません');
	});
	await checkPage(member, 'challenge member, no proposals');
	await test(`2b. member: /challenge → the open call → ${CH.category}に応募する`, async () => {
		await clickAndWait(member, member.getByRole('link', { name: 'チャレンジ事業', exact: true }));
		await clickAndWait(member, member.getByRole('link', { name: `${OPEN_CALL_FY}の募集の詳細を見る` }));
		const title = await h1Text(member);
		assert(title === OPEN_CALL, `h1 is "${title}", expected "${OPEN_CALL}"`);
	});
	await checkPage(member, 'challenge call, as a member');
	await test('2c. the new-proposal form has the category and the group chosen', async () => {
		await clickAndWait(member, member.getByRole('link', { name: new RegExp(`^${escapeRe(CH.category)}に応募する`) }));
		assert(describe(member.url()).startsWith('/proposals/new?'), `went to ${describe(member.url())}`);
		const chosen = async (label) => field(member, label).evaluate((s) => s.options[s.selectedIndex].text);
		const cat = await chosen('部門');
		assert(cat === CH.category, `部門 shows "${cat}", expected "${CH.category}"`);
		const grp = await chosen('応募する団体');
		assert(grp === CH.group, `応募する団体 shows "${grp}", expected "${CH.group}"`);
	});
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
	});
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
	});
	await checkPage(member, 'proposal form with errors');
	await test('2f. sitting 1: the corrected draft is saved and the amounts computed', async () => {
		await cell(member, '支出2の単価').fill(PROPOSAL.expense[1][1]);
		await clickAndWait(member, member.getByRole('button', { name: '下書き保存' }));
		assert(describe(member.url()) === `${proposalPath}/edit`, `went to ${describe(member.url())}, expected ${proposalPath}/edit`);
		await expectFlash(member, '保存しました');
		const amount = (await member.locator('#f-expense_amount_1').innerText()).trim();
		assert(amount === PROPOSAL.expense[0][3], `支出1の金額 shows "${amount}", expected ${PROPOSAL.expense[0][3]}`);
	});
	await checkPage(member, 'proposal form, draft saved');

	await test('2g. logout, and log in again', async () => {
		await clickAndWait(member, member.getByRole('button', { name: 'ログアウト' }));
		await expectVisible(member.getByRole('link', { name: 'ログイン' }), 'a ログイン link');
		await member.close();
		member = await loginAs(memberContext, CH.member.email, CH.password);
	});
	await test('2h. the list shows the draft; its page links to the form', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '企画提案書', exact: true }));
		const row = member.getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row, `a row for ${PROPOSAL.title}`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes('下書き') && text.includes(CH.category), `the row says "${text}"`);
		await clickAndWait(member, row.getByRole('link', { name: PROPOSAL.title }));
		assert(describe(member.url()) === proposalPath, `went to ${describe(member.url())}, expected ${proposalPath}`);
		await expectVisible(member.getByRole('link', { name: '編集・提出する' }), 'an 編集・提出する link');
	});
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
	});
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
	});

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
	});
	await checkPage(member, 'receipt');
	await test('3b. the print view shows the budget lines', async () => {
		await clickAndWait(member, member.getByRole('link', { name: '印刷用の表示' }));
		assert(describe(member.url()) === `${proposalPath}/print`, `went to ${describe(member.url())}`);
		await expectVisible(member.getByRole('cell', { name: PROPOSAL.expense[0][0] }).or(member.getByRole('rowheader', { name: PROPOSAL.expense[0][0] })),
			`the budget line ${PROPOSAL.expense[0][0]}`);
	});
	await checkPage(member, 'print, member');
	await test('3c. the submitted proposal is read-only to the member', async () => {
		await visit(member, proposalPath);
		await expectVisible(member.getByText('提出済み', { exact: true }), 'the 提出済み badge');
		assert((await member.getByRole('link', { name: '編集・提出する' }).count()) === 0, 'still offers 編集・提出する');
		await expectVisible(member.getByRole('button', { name: 'この企画提案書を取り下げる' }), 'a 取り下げる button');
	});
	await checkPage(member, 'proposal page, submitted');
	await test('3d. /notifications shows the receipt (and the booking) notification', async () => {
		assert(receipt, 'no receipt number (previous step failed)');
		await clickAndWait(member, member.getByRole('link', { name: /^お知らせ/ }));
		assert(describe(member.url()) === '/notifications', `went to ${describe(member.url())}`);
		await expectVisible(member.getByRole('heading', { name: new RegExp(`企画提案書の受付（受付番号 ${escapeRe(receipt)}）`) }),
			`a notification 企画提案書の受付（受付番号 ${receipt}）`);
		await expectVisible(member.getByRole('heading', { name: /事前相談の予約を受け付けました/ }),
			'a notification 事前相談の予約を受け付けました');
	});
	await checkPage(member, 'member notifications');
	await memberContext.close();
	await coContext.close();

	// 4. the office: filter, print, export
	currentPage = admin;
	let filtered = null;
	await test('4a. admin: /proposals lists every proposal with the filters', async () => {
		await visit(admin, '/admin');
		await clickAndWait(admin, admin.getByRole('link', { name: '企画提案書', exact: true }));
		const title = await h1Text(admin);
		assert(title === '企画提案書の一覧（事務局）', `h1 is "${title}"`);
	});
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
	});
	await checkPage(admin, 'office list filtered');
	await test('4c. admin: the proposal page, with the 差し戻し form', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: PROPOSAL.title }));
		assert(describe(admin.url()) === proposalPath, `went to ${describe(admin.url())}, expected ${proposalPath}`);
		await expectVisible(admin.getByRole('heading', { name: '差し戻し（事務局）' }), 'the 差し戻し form');
	});
	await checkPage(admin, 'proposal page, office');
	await test('4d. admin: the print view (和暦 date, budget table)', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: '印刷用の表示' }));
		assert(describe(admin.url()) === `${proposalPath}/print`, `went to ${describe(admin.url())}`);
		await expectVisible(admin.getByText(receipt).first(), `the receipt number ${receipt}`);
		const submitted = (await admin.locator('dt:text-is("提出日時") + dd').innerText()).trim();
		assert(/^令和(元|\d+)年\d{1,2}月\d{1,2}日/.test(submitted), `提出日時 is "${submitted}", expected a 和暦 date (令和…年…月…日)`);
		await expectVisible(admin.locator('table').getByText(PROPOSAL.expense[0][0], { exact: true }),
			`the budget line ${PROPOSAL.expense[0][0]} in a table`);
	});
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
	});
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
	});
	await test('4g. CSV export: UTF-8 with a BOM, with the proposal', async () => {
		assert(filtered && receipt, 'no filtered list or receipt (previous step failed)');
		const f = await download(admin, admin.getByRole('link', { name: 'この一覧をCSVで出力' }));
		assert(f.name.endsWith('.csv'), `the file is named "${f.name}"`);
		assert(f.data.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `starts with ${f.data.subarray(0, 3).toString('hex')}, expected the BOM efbbbf`);
		const text = new TextDecoder('utf-8', { fatal: true }).decode(f.data.subarray(3));
		assert(text.includes(PROPOSAL.title) && text.includes(receipt), `the CSV lacks "${PROPOSAL.title}" or ${receipt}`,
			text.split('\n').slice(0, 3).map((l) => `line: ${l.slice(0, 200)}`));
		return [`${f.name}: ${f.data.length} bytes`];
	});
	await test('4h. /admin/outbox lists the receipt notification', async () => {
		await visit(admin, '/admin');
		await clickAndWait(admin, admin.getByRole('link', { name: /お知らせの送信状況/ }));
		assert(describe(admin.url()).startsWith('/admin/outbox'), `went to ${describe(admin.url())}`);
		const row = admin.getByRole('row').filter({ hasText: `企画提案書の受付（受付番号 ${receipt}）` });
		await expectVisible(row, `a row for 企画提案書の受付（受付番号 ${receipt}）`);
		const text = (await row.first().innerText()).replace(/\s+/g, ' ');
		assert(text.includes(CH.member.email), `the row says "${text}", expected the recipient ${CH.member.email}`);
	});
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

// Click a submit button and return the response the page ends on (after any
// redirect), so that a re-displayed form's status (422) can be checked.
async function submitForm(page, locator) {
	const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
	return resp;
}

// A datetime-local value in JST, minutes from now.
const jstDateTime = (minutes) => new Date(Date.now() + 9 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);

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
const pageText = (page) => page.evaluate(() => document.body.innerText);

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
	});
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
	});
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
	});
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
	});
	await checkPage(admin, 'stage settings');
	await test('S0e. the 1次 window is set to include now (採点の開始・締切, datetime-local)', async () => {
		await field(admin, '採点の開始').fill(jstDateTime(-60));
		await field(admin, '採点の締切').fill(jstDateTime(24 * 60));
		await clickAndWait(admin, admin.getByRole('button', { name: '採点期間を保存する' }));
		await expectFlash(admin, '保存しました');
		await expectVisible(admin.locator('.lead').getByText('採点受付中'), 'the 採点受付中 badge');
	});
	await checkPage(admin, 'stage settings, window open');
	await test('S0f. assignment: 審査員全員, both reviewers listed', async () => {
		const form = admin.locator('form[action$="/reviewers"]');
		for (const r of SC.reviewers)
			await expectVisible(form.getByRole('rowheader', { name: r.name }), `the reviewer ${r.name}`);
		await form.getByRole('radio', { name: /審査員全員/ }).check();
		await clickAndWait(admin, form.getByRole('button', { name: '割り当てを保存する' }));
		await expectFlash(admin, '保存しました');
		await expectVisible(admin.getByText(/現在：審査員全員/), '現在：審査員全員');
	});

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
	});
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
	});
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
	});
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
	});
	await checkPage(r1, 'reviewer 1 sheet, score outside the scale');
	await test('S1e. reviewer 1 corrects the score and submits', async () => {
		await scoreField(r1, R1.bad.index).fill(String(R1.scores[R1.bad.index]));
		await clickAndWait(r1, r1.getByRole('button', { name: '提出する' }));
		assert(describe(r1.url()) === `${sheetPath}?done=submitted`, `went to ${describe(r1.url())}`);
		await expectFlash(r1, '採点を提出しました');
		await expectVisible(r1.getByRole('region', { name: '採点', exact: true }).getByText('提出済み', { exact: true }), 'the 提出済み badge');
	});
	await checkPage(r1, 'reviewer 1 sheet, submitted');
	await test('S1f. reviewer 1: /review says 1/1 採点済み', async () => {
		await visit(r1, '/review');
		const section = r1.getByRole('region', { name: SC.stage1 });
		await expectVisible(section.getByText('1/1 採点済み'), '1/1 採点済み');
		await expectVisible(section.getByRole('row').filter({ hasText: PROPOSAL.title }).getByText('提出済み'), '提出済み in the row');
	});
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
	});
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
	});
	await checkPage(r2, 'reviewer 2 sheet, empty');
	await test('S1i. reviewer 2 scores and submits; the page still shows nothing of reviewer 1', async () => {
		for (let i = 0; i < criteria.length; i++) await scoreField(r2, i).fill(String(R2.scores[i]));
		await field(r2, 'コメント').fill(R2.comment);
		await clickAndWait(r2, r2.getByRole('button', { name: '提出する' }));
		assert(describe(r2.url()) === `${sheetPath}?done=submitted`, `went to ${describe(r2.url())}`);
		await expectFlash(r2, '採点を提出しました');
		await independent('the submitted sheet');
	});
	await checkPage(r2, 'reviewer 2 sheet, submitted');
	await test('S1j. reviewer 2 cannot open the office\'s pages for the stage', async () => {
		for (const p of [`/admin/screening/stages/${stageId}`, `/admin/screening/stages/${stageId}/proposals/${pid}`,
			`/admin/calls/${callId}/scores.csv`]) {
			const resp = await r2.goto(base + p).catch((e) => ({ status: () => `error ${e.message.split('\n')[0]}` }));
			assert([403, 404].includes(resp.status()), `GET ${p} as reviewer 2 answered ${resp.status()}, expected 403 or 404`);
			if ((await r2.evaluate(() => document.contentType)) === 'text/html') await independent(p);
		}
	});
	await r2Context.close();

	// 2. the office closes the stage and reads the ranking
	currentPage = admin;
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
	});
	await checkPage(admin, 'screening dashboard, open');
	await test(`S2b. admin closes ${SC.stage1}`, async () => {
		await clickAndWait(admin, admin.getByRole('button', { name: `${SC.stage1}を締め切る` }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stageId}`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '保存しました');
		await expectVisible(admin.locator('.lead').getByText('締切済み'), 'the 締切済み badge');
	});
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
	});
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
	});
	await checkPage(admin, 'decision form');
	await test(`S3b. admin decides 通過 for ${SC.stage1}`, async () => {
		await admin.getByRole('combobox', { name: labelRe('判定') }).selectOption({ label: '通過' });
		await field(admin, '判定の理由').fill('2名の平均が通過の目安を上回ったため。');
		await clickAndWait(admin, admin.getByRole('button', { name: '判定を保存する' }));
		assert(describe(admin.url()) === `/admin/screening/stages/${stageId}`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '保存しました');
		const row = admin.getByRole('region', { name: CH.category }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row.getByText('通過', { exact: true }), '通過 in the ranking row');
	});
	await test('S3c. /admin/adoptions lists the open call', async () => {
		await visit(admin, '/admin/adoptions');
		const row = admin.getByRole('row').filter({ hasText: OPEN_CALL });
		await expectVisible(row, `a row for ${OPEN_CALL}`);
		const text = (await row.innerText()).replace(/\s+/g, ' ');
		assert(text.includes('未公開'), `the row says "${text}"`);
	});
	await checkPage(admin, 'adoptions');
	await test(`S3d. /admin/calls/{id}/adoptions: the proposal is 未決定 under ${CH.category}`, async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: OPEN_CALL }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/adoptions`, `went to ${describe(admin.url())}`);
		const row = admin.getByRole('region', { name: `${CH.category}の企画提案書` }).getByRole('row').filter({ hasText: PROPOSAL.title });
		await expectVisible(row.getByText('未決定'), '未決定 in the row');
		await expectVisible(row.getByText(`${PROPOSAL.requested}円`), `the requested ${PROPOSAL.requested}円`);
	});
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
	});
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
	});
	await checkPage(admin, 'adoption form, 422');
	await test(`S3g. adopted with ${SC.grantText}円, ${SC.division} and the contract date ${contractDate}`, async () => {
		await field(admin, '交付額（円）').fill(SC.grant);
		await clickAndWait(admin, admin.getByRole('button', { name: '保存する' }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/adoptions?done=decided`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '採択・不採択を保存しました');
		const row = admin.getByRole('row').filter({ hasText: PROPOSAL.title });
		const text = (await row.innerText()).replace(/\s+/g, ' ');
		assert(text.includes('採択') && text.includes(`${SC.grantText}円・${SC.division}`), `the row says "${text}"`);
	});
	await checkPage(admin, 'call adoptions, decided');
	await test('S3h. the results are released with the comments', async () => {
		await admin.getByLabel(/審査員の講評/).check();
		await clickAndWait(admin, admin.getByRole('button', { name: '審査結果を公開する' }));
		assert(describe(admin.url()) === `/admin/calls/${callId}/adoptions?done=released`, `went to ${describe(admin.url())}`);
		await expectFlash(admin, '審査結果を公開しました');
		await expectVisible(admin.getByText(/に公開しました。採択事業は採択事業一覧に掲載されています。/), 'に公開しました');
	});
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
	});
	await checkPage(admin, 'letters');

	// 4. the public results, and the applicant's own
	await test('S4a. admin logs out', async () => {
		await visit(admin, '/');
		await clickAndWait(admin, admin.getByRole('button', { name: 'ログアウト' }));
		assert((await admin.getByRole('button', { name: 'ログアウト' }).count()) === 0, 'still shows a ログアウト button');
	});
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
	});
	await checkPage(visitor, 'public results');
	await test('S4c. /challenge/calls/{id}/presentations answers (no presentation stage: nothing published)', async () => {
		await visit(visitor, `/challenge/calls/${callId}/presentations`);
		await expectVisible(visitor.getByText('発表の日程はまだ公開されていません。'), 'まだ公開されていません');
	});
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
	});
	await test('S4e. the applicant sees both comments and no reviewer\'s name', async () => {
		const comments = (await member.getByRole('region', { name: '審査員の講評' }).getByRole('listitem').allInnerTexts()).map((t) => t.trim());
		for (const r of SC.reviewers) assert(comments.includes(r.comment), `the comments lack "${r.comment}"`, comments.map((c) => `comment: ${c}`));
		const html = await member.content();
		const names = SC.reviewers.flatMap((r) => [r.name, r.email]).filter((n) => html.includes(n));
		assert(names.length === 0, `the applicant's result page contains ${names.join(', ')}`);
	});
	await checkPage(member, 'applicant result');
	await memberContext.close();
}

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

// The text of the <dd> after the <dt> named term.
const ddText = async (scope, term) => (await scope.locator(`dt:text-is("${term}") + dd`).first().innerText()).replace(/\s+/g, ' ').trim();

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
	const visitor = await visitorContext.newPage();
	visitor.setDefaultTimeout(STEP_TIMEOUT_MS);
	visitor.setDefaultNavigationTimeout(STEP_TIMEOUT_MS * 2);
	visitor.on('pageerror', (e) => diag([`page error on ${describe(visitor.url())}: ${e.message}`]));
	currentPage = visitor;

	// 0. the public pages
	await test(`E0a. /events lists ${EV.hubOpen}`, async () => {
		await visit(visitor, '/events');
		assert((await h1Text(visitor)) === 'イベント', 'h1 is not イベント');
		await expectVisible(visitor.getByRole('link', { name: EV.hubOpen }), `a link to ${EV.hubOpen}`);
	});
	await checkPage(visitor, 'events list');
	await test('E0b. /events/calendar shows a month table', async () => {
		await visit(visitor, '/events/calendar');
		assert((await h1Text(visitor)) === 'イベントカレンダー', 'h1 is not イベントカレンダー');
		await expectVisible(visitor.locator('table.calendar caption'), 'the calendar caption');
	});
	await checkPage(visitor, 'calendar');
	await test(`E0c. 次の月 shows ${EV.hubOpen}`, async () => {
		await clickAndWait(visitor, visitor.getByRole('link', { name: /^次の月/ }));
		await expectVisible(visitor.locator('table.calendar').getByRole('link', { name: new RegExp(escapeRe(EV.hubOpen)) }), `${EV.hubOpen} in next month's calendar`);
		return [`next month: ${describe(visitor.url())}`];
	});
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
	});
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
	});
	await checkPage(visitor, '2nd HUB with report');
	await test(`E0f. the series page lists the 2nd HUB in its history and the 3rd as upcoming`, async () => {
		await clickAndWait(visitor, visitor.getByRole('link', { name: EV.series, exact: true }));
		assert((await h1Text(visitor)) === EV.series, `h1 is not ${EV.series}`);
		const history = visitor.getByRole('list', { name: 'これまでの開催' });
		await expectVisible(history.getByRole('link', { name: new RegExp(`第2回.*${escapeRe(EV.hubPast)}`) }), 'the 2nd HUB in これまでの開催');
		await expectVisible(history.getByText('報告あり'), '報告あり in the history');
		const upcoming = visitor.getByRole('list', { name: 'これからの回' });
		await expectVisible(upcoming.getByRole('link', { name: new RegExp(escapeRe(EV.hubOpen)) }), 'the 3rd HUB in これからの回');
	});
	await checkPage(visitor, 'series');
	await test(`E0g. ${EV.hubOpen}: places left and the sign-up form`, async () => {
		await visit(visitor, '/events');
		await clickAndWait(visitor, visitor.getByRole('link', { name: EV.hubOpen }).first());
		await expectVisible(visitor.locator('#places').getByText(/残り/), 'a 残り N 名 line');
		const form = visitor.getByRole('region', { name: '参加申し込み' });
		await expectVisible(form.getByRole('button', { name: '申し込む', exact: true }), 'a 申し込む button');
		return [`places: ${(await visitor.locator('#places').innerText()).trim()}`];
	});
	await checkPage(visitor, '3rd HUB with the sign-up form');

	// The small test event, created by the admin through the UI.
	const adminContext = await newContext();
	const admin = await loginAs(adminContext, ADMIN.email, ADMIN.password);
	let eventPath = null;
	await test('E0h. /events/new loads', () => visit(admin, '/events/new'));
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
	});
	await checkPage(admin, 'new event');
	if (!eventPath) { await adminContext.close(); await visitorContext.close(); return; }

	// 1. a visitor registers: a refused form, then A and B confirmed, C waiting
	currentPage = visitor;
	const secret = {};
	await test('E1a. a visitor opens the new event: 残り 2 名 and the 申し込む form', async () => {
		await visit(visitor, eventPath);
		const places = (await visitor.locator('#places').innerText()).trim();
		assert(places.includes('残り 2 名'), `places: "${places}"`);
		await expectVisible(visitor.getByRole('region', { name: '参加申し込み' }), 'the 参加申し込み section');
	});
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
	});
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
	});
	await test('E1d. the page right after registering says 申し込みを受け付けました (keep this address)', async () => {
		assert(secret.A, 'A did not register');
		await expectFlash(visitor, 'このページのアドレスを控えておいてください');
	});
	await checkPage(visitor, 'A registered');
	await test('E1e. B registers (party 1): 参加確定', async () => {
		await visit(visitor, eventPath);
		await fillRegistration(visitor, EV.people.B);
		assert(/^\/r\/[^/]+$/.test(new URL(visitor.url()).pathname), `ended on ${describe(visitor.url())}`);
		secret.B = new URL(visitor.url()).pathname;
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}"`);
	});
	await test('E1f. the event is now full: the button says キャンセル待ちで申し込む', async () => {
		await visit(visitor, eventPath);
		await expectVisible(visitor.getByRole('button', { name: 'キャンセル待ちで申し込む' }), 'a キャンセル待ちで申し込む button');
		return [`places: ${(await visitor.locator('#places').innerText().catch(() => '(none)')).trim()}`];
	});
	await checkPage(visitor, 'event full');
	await test('E1g. C registers: キャンセル待ち, no QR code', async () => {
		await fillRegistration(visitor, EV.people.C, 'キャンセル待ちで申し込む');
		assert(/^\/r\/[^/]+$/.test(new URL(visitor.url()).pathname), `ended on ${describe(visitor.url())}`);
		secret.C = new URL(visitor.url()).pathname;
		assert((await ddText(visitor, '状態')) === 'キャンセル待ち', `状態 is "${await ddText(visitor, '状態')}"`);
		assert((await visitor.getByRole('img', { name: /受付用QRコード/ }).count()) === 0, 'a waiting registration shows a QR code');
	});
	await test('E1h. the page right after registering says キャンセル待ちとして受け付けました', async () => {
		assert(secret.C, 'C did not register');
		await expectFlash(visitor, 'キャンセル待ちとして受け付けました');
	});
	await checkPage(visitor, 'C waiting');

	// 2. the confirmation in the outbox
	const outboxRow = (email, subject) => admin.getByRole('row').filter({ hasText: email }).filter({ hasText: subject });
	currentPage = admin;
	await test(`E2. /admin/outbox lists 【申し込み完了】 for A's email, and 【キャンセル待ち】 for C's`, async () => {
		await visit(admin, '/admin/outbox');
		await expectVisible(outboxRow(EV.people.A.email, `【申し込み完了】${EV.title}`), `a row for ${EV.people.A.email} with 【申し込み完了】${EV.title}`);
		await expectVisible(outboxRow(EV.people.C.email, `【キャンセル待ち】${EV.title}`), `a row for ${EV.people.C.email} with 【キャンセル待ち】${EV.title}`);
		return [`row: ${(await outboxRow(EV.people.A.email, EV.title).first().innerText()).replace(/\s+/g, ' ')}`];
	});
	await checkPage(admin, 'outbox');

	// 3. A cancels through the secret link
	currentPage = visitor;
	await test('E3a. A opens the secret link and cancels: 取り消し済み, no cancel button left', async () => {
		assert(secret.A, 'no secret link for A');
		await visit(visitor, secret.A);
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}" before cancelling`);
		await clickAndWait(visitor, visitor.getByRole('button', { name: '申し込みを取り消す' }));
		assert(new URL(visitor.url()).pathname === secret.A, `ended on ${describe(visitor.url())}`);
		assert((await ddText(visitor, '状態')) === '取り消し済み', `状態 is "${await ddText(visitor, '状態')}"`);
		assert((await visitor.getByRole('button', { name: '申し込みを取り消す' }).count()) === 0, 'the cancel button is still there');
	});
	await test('E3b. the page after cancelling says 申し込みを取り消しました', () => expectFlash(visitor, '申し込みを取り消しました'));
	await checkPage(visitor, 'A cancelled');

	// 4. C is promoted and notified
	await test('E4a. C\'s secret page now says 参加確定 (promoted from the waiting list)', async () => {
		assert(secret.C, 'no secret link for C');
		await visit(visitor, secret.C);
		assert((await ddText(visitor, '状態')) === '参加確定', `状態 is "${await ddText(visitor, '状態')}"`);
		await expectVisible(visitor.getByRole('img', { name: /受付用QRコード/ }), 'the check-in QR code');
	});
	await checkPage(visitor, 'C promoted');
	currentPage = admin;
	await test(`E4b. /admin/outbox has 【参加確定】 for C's email`, async () => {
		await visit(admin, '/admin/outbox');
		await expectVisible(outboxRow(EV.people.C.email, `【参加確定】${EV.title}`), `a row for ${EV.people.C.email} with 【参加確定】${EV.title}`);
	});

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
	});
	await checkPage(admin, 'participants');
	await test('E5b. check-in page: 出席 0 名／参加確定 2 名', async () => {
		await clickAndWait(admin, admin.getByRole('link', { name: '当日の受付（出席確認）' }));
		assert(describe(admin.url()) === `${eventPath}/checkin`, `went to ${describe(admin.url())}`);
		await expectVisible(admin.getByText('出席 0 名／参加確定 2 名'), '出席 0 名／参加確定 2 名');
	});
	await checkPage(admin, 'checkin');
	await test(`E5c. search ${EV.people.B.reading} finds B only`, async () => {
		await field(admin, 'お名前またはふりがな').fill(EV.people.B.reading);
		await clickAndWait(admin, admin.getByRole('button', { name: '探す' }));
		await expectVisible(admin.getByText('見つかった申し込み（1件）'), '見つかった申し込み（1件）');
		await expectVisible(admin.getByRole('heading', { name: new RegExp(escapeRe(EV.people.B.name)) }), `B (${EV.people.B.name})`);
	});
	await checkPage(admin, 'checkin search');
	await test('E5d. mark B attended: 出席 1 名 and 出席済み', async () => {
		const b = admin.getByRole('region', { name: new RegExp(escapeRe(EV.people.B.name)) });
		await clickAndWait(admin, b.getByRole('button', { name: '出席にする' }));
		await expectVisible(admin.getByText('出席 1 名／参加確定 2 名'), '出席 1 名／参加確定 2 名');
		await expectVisible(admin.getByRole('region', { name: new RegExp(escapeRe(EV.people.B.name)) }).getByText(/出席済み/), 'B 出席済み');
	});
	await test('E5e. the check-in page says 出席にしました', () => expectFlash(admin, '出席にしました'));
	await checkPage(admin, 'after check-in');
	await test('E5f. the participant list counts 出席 1', async () => {
		await visit(admin, `${eventPath}/participants`);
		const row = (await countRow('出席')).join('/');
		assert(row === '1/1', `出席 row is ${row}, expected 1/1`);
	});
	await adminContext.close();
	await visitorContext.close();
}

// ---------------------------------------------------------------- main

async function main() {
	fs.rmSync(resultsDir, { recursive: true, force: true }); // no stale evidence from an earlier run
	const setupOk = await test('start kyodo (migrate, demo, admin, serve)', async () => {
		assert(fs.existsSync(bin), `${bin} not found: build it first (make)`);
		base = await startServer();
		return [`server ${base}, data in ${tmp}`];
	});
	if (!setupOk) return;

	const launched = await test('launch Chromium', async () => {
		browser = await chromium.launch({
			executablePath: chromiumPath,
			timeout: 60_000,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
				'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		return [`chromium ${browser.version()}`];
	});
	if (!launched) return;

	const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: DEFAULT_VIEWPORT });
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS * 2);
	// CSP violations and script errors are worth seeing, but favicon 404s and
	// the like are not failures: report them as diagnostics only.
	page.on('pageerror', (e) => diag([`page error on ${describe(page.url())}: ${e.message}`]));
	page.on('console', (m) => { if (m.type() === 'error') diag([`console error on ${describe(page.url())}: ${m.text()}`]); });
	currentPage = page;
	await scenario(page);
	await context.close();

	await noScript(await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: false }));
	await consultations();
	await challenge();
	await screening();
	await events();
}

try {
	await main();
} catch (e) {
	// A bug in this script itself: still report it as a TAP failure.
	await test('browser test script', () => { throw e; });
}
if (failures) diag(serverLogTail());
await cleanup();
console.log(`1..${count}`);
process.exit(failures ? 1 : 0);
