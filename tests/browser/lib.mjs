// What the parts of the browser test share: TAP output, the server, Chromium,
// the page helpers and the per-page checks (lang and axe-core).
//
// Each part (tests/browser/<part>.mjs) is its own process: it starts its own
// kyodo server on a free loopback port with a fresh database in a temp dir
// (migrate + demo data + one admin), launches its own Chromium, runs its
// blocks of steps and prints TAP.  tests/browser/run.mjs runs the parts in
// parallel and joins their TAP.
//
// Every TAP line names its part and its step, and the page: the lang and axe
// checks by the page they ran on (with a note saying which state of it), and
// a step that works in a browser by the page it ended on (or failed on),
// "(page /path)".  A failed step also gets the error, a screenshot and the
// page's HTML (tests/browser/results/<part>/, git-ignored).  An error outside
// any step (a bug in the test itself) is reported as a failed step named
// after its block; a failed login ends its block (the login is a step, so
// the failure is reported) and the part goes on with its next block.
//
// Environment:
//   KYODO_BIN  server binary (default build/kyodo)
//   CHROMIUM   browser binary (default /usr/bin/chromium, Debian's package)
//
// We never download Playwright's own browsers: playwright-core drives Debian's
// Chromium.  The server's CSP forbids inline scripts, so axe is injected with
// page.evaluate(source), which goes through the DevTools protocol and is not
// subject to the page's CSP (addScriptTag would be blocked).

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = path.resolve(root, process.env.KYODO_BIN || 'build/kyodo');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

export const ADMIN = { email: 'admin@example.jp', name: '管理者', password: 'browser-test-pass-1' };
export const DEMO_GROUP = '金沢城・兼六園研究会';
// The demo's calls: 令和8年度 is open at the real date, 令和7年度 has its results out.
export const OPEN_CALL = '令和8年度 協働のまちづくりチャレンジ事業 提案募集';
export const OPEN_CALL_FY = '令和8年度';
export const CLOSED_CALL = '令和7年度 協働のまちづくりチャレンジ事業 提案募集';
export const DEFAULT_VIEWPORT = { width: 1280, height: 720 };
export const NARROW = 320; // px: WCAG 1.4.10 Reflow
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
export const STEP_TIMEOUT_MS = 10_000; // each Playwright action/wait
const GLOBAL_TIMEOUT_MS = 5 * 60_000; // one part, so CI can never hang here

// ---------------------------------------------------------------- TAP output

let part = 'browser'; // this process's part: the first word of every test name
let resultsDir = path.join(here, 'results', part);
let count = 0;
let failures = 0;
let interrupted = false; // by a signal: see below

export function diag(lines) {
	for (const l of lines) for (const line of String(l).split('\n')) console.log(`# ${line}`);
}

// TAP treats " # " in a test name as a directive; keep names plain.
const tapName = (s) => s.replace(/#/g, '%23').replace(/\s+/g, ' ');

export class Failure extends Error {
	constructor(message, details = []) {
		super(message);
		this.details = details;
	}
}

// Thrown to end a block after a step it cannot do without (a login) failed;
// that step has already been reported.
export class Aborted extends Error {}

// The page a step works on: a page, a function that returns it (when the
// step replaces it), or null (a step without a browser page).
const pageOf = (on) => (typeof on === 'function' ? on() : on);
const usable = (page) => page && !page.isClosed() && base && page.url().startsWith(base);

async function saveEvidence(n, name, page) {
	if (!page || page.isClosed()) return [];
	try {
		fs.mkdirSync(resultsDir, { recursive: true });
		const file = path.join(resultsDir, `${String(n).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_').slice(0, 60)}`);
		await page.screenshot({ path: `${file}.png`, fullPage: true, timeout: 5000 });
		fs.writeFileSync(`${file}.html`, await page.content());
		return [`page: ${describe(page.url())}`, `evidence: ${path.relative(root, file)}.{png,html}`];
	} catch (e) {
		return [`(no screenshot: ${e.message.split('\n')[0]})`];
	}
}

// Run one TAP test, named "<part>: <name> (page /path)".  fn may return an
// array of diagnostic lines to print on success; it fails by throwing
// (Failure carries extra diagnostic lines).  on: the page the step works on
// (see pageOf), named after the step and kept as evidence when it fails;
// nameThePage false when the name already says which page it is.
export async function test(name, fn, on = null, nameThePage = true) {
	if (interrupted) return false;
	const n = ++count;
	const title = (page) => tapName(`${part}: ${name}${nameThePage && usable(page) ? ` (page ${describe(page.url())})` : ''}`);
	try {
		const notes = await fn();
		if (interrupted) throw new Error('interrupted');
		console.log(`ok ${n} - ${title(pageOf(on))}`);
		if (Array.isArray(notes)) diag(notes);
		return true;
	} catch (e) {
		failures++;
		if (interrupted) {
			console.log(`not ok ${n} - ${tapName(`${part}: ${name}`)} (interrupted)`);
			return false;
		}
		const page = pageOf(on);
		console.log(`not ok ${n} - ${title(page)}`);
		// Playwright messages carry a long call log; the first lines say enough.
		// eslint-disable-next-line no-control-regex
		const msg = String(e && e.message ? e.message : e).replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 12);
		diag([...msg, ...(e instanceof Failure ? e.details : []), ...(await saveEvidence(n, tapName(name), page))]);
		return false;
	}
}

export function assert(cond, message, details = []) {
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
export const env = {
	...process.env,
	KYODO_DB: path.join(tmp, 'kyodo.db'),
	KYODO_FILES: path.join(tmp, 'files'),
};
let server = null;
let browser = null;
let base = '';

export function kyodo(args, input) {
	try {
		return execFileSync(bin, args, { cwd: root, env, input: input ?? '', timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] });
	} catch (e) {
		const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
		throw new Failure(`kyodo ${args.join(' ')} failed (${e.status ?? e.signal ?? e.code})`, out ? out.split('\n').slice(-20) : []);
	}
}

// Serve on a free port.  Other processes (the other parts, HTTP tests) pick
// free ports too: when one takes ours before the server binds it, the
// server exits and we try again with another port.  Only the server's own
// log line "serving on <base>" proves that /healthz came from it.
async function serve() {
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		env.KYODO_LISTEN = `127.0.0.1:${port}`;
		const log = fs.openSync(serverLogPath, 'a');
		server = spawn(bin, ['serve'], { cwd: root, env, stdio: ['ignore', log, log] });
		fs.closeSync(log);
		let exited = null;
		server.on('exit', (code, signal) => { exited = signal ?? code; });

		const url = `http://127.0.0.1:${port}`;
		const deadline = Date.now() + 30_000; // a sanitizer build starts slowly
		for (;;) {
			if (exited !== null) break;
			try {
				const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
				if (r.status === 200 && fs.readFileSync(serverLogPath, 'utf8').includes(`serving on ${url}`)) return url;
			} catch { /* not listening yet */ }
			if (Date.now() > deadline) throw new Failure('GET /healthz did not answer 200 within 30 s', serverLogTail());
			await new Promise((r) => setTimeout(r, 100));
		}
		if (attempt === 5) throw new Failure(`kyodo serve exited early (${exited}), 5 times`, serverLogTail());
	}
}

async function startServer() {
	fs.mkdirSync(env.KYODO_FILES, { recursive: true });
	kyodo(['migrate']);
	kyodo(['demo']);
	kyodo(['user', 'add', '--email', ADMIN.email, '--name', ADMIN.name, '--role', 'admin'], `${ADMIN.password}\n`);
	return serve();
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
// Interrupted (run.mjs or a timeout sends SIGTERM, maybe twice): no new steps;
// the one under way fails as the browser closes, and says so; then one
// failure for the interruption, and the plan.
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, async () => {
		if (interrupted) return;
		interrupted = true;
		await cleanup();
		failures++;
		console.log(`not ok ${++count} - ${part}: interrupted by ${sig}`);
		console.log(`1..${count}`);
		process.exit(1);
	});
}

// ---------------------------------------------------------------- page helpers

// The server's address plus a path, for the odd page.goto() outside visit().
export const url = (p) => base + p;


export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A label "団体名" may carry a required/optional marker ("団体名 必須",
// "団体名（必須）", "団体名 *") but must not match "団体名（フリガナ）".
export function labelRe(text) {
	return new RegExp(`^\\s*${escapeRe(text)}(?:$|[\\s*＊]|[（(【]?(?:必須|任意))`);
}
export const field = (scope, label) => scope.getByLabel(labelRe(label));

export function describe(url) {
	const u = new URL(url);
	let s = u.pathname + u.search;
	try { s = decodeURIComponent(s); } catch { /* keep it encoded */ }
	return s;
}

export async function visit(page, p, status = 200) {
	const resp = await page.goto(base + p, { waitUntil: 'load' });
	assert(resp, `no response for GET ${p}`);
	assert(resp.status() === status, `GET ${p} answered ${resp.status()}, expected ${status}`);
}

// Click something that submits a form or follows a link, and wait until the
// resulting page (after any redirect) has loaded.
export async function clickAndWait(page, locator) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

export async function expectVisible(locator, what) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
	} catch {
		throw new Failure(`expected to see ${what}`);
	}
}

// The per-page checks: one TAP test for lang, one for axe.
export async function checkPage(page, note = '') {
	if (!page.url().startsWith(base)) return; // navigation failed; already reported
	const label = describe(page.url()) + (note ? ` (${note})` : '');
	await test(`lang ja ${label}`, async () => {
		const lang = await page.evaluate(() => document.documentElement.lang);
		assert(lang === 'ja', `<html lang="${lang}">, expected "ja"`);
	}, page, false);
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
	}, page, false);
}

// Text a field is labelled and described by, to see whether an error message
// got attached to it (aria-describedby, or text added inside its label).
export function fieldTexts(locator) {
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
export async function expectFieldError(locator, what, message) {
	const t = await fieldTexts(locator);
	const where = [`aria-invalid=${t.invalid} aria-describedby text="${t.description}" label="${t.label}"`, t.context];
	assert(t.description.includes(message) || t.label.includes(message),
		`the ${what} field does not carry the error 「${message}」`, where);
	assert(t.invalid === 'true', `the ${what} field has aria-invalid="${t.invalid}", expected "true"`, where);
}

export async function expectErrorSummary(page) {
	await expectVisible(page.getByRole('alert').filter({ hasText: '入力内容に誤りがあります' }),
		'an error summary (role=alert) containing 入力内容に誤りがあります');
}

// A flash message (role=status for success) containing text.
export async function expectFlash(page, text) {
	await expectVisible(page.getByRole('status').filter({ hasText: text }), `a status message 「${text}」`);
}

// The table links 編集<span class="visually-hidden">（name）</span>: Playwright
// puts a space before the absolutely positioned span in the accessible name.
export const editLink = (page, name) => page.getByRole('link', { name: new RegExp(`^編集\\s*（${escapeRe(name)}）$`) });

export async function h1Text(page) {
	const h1 = page.getByRole('heading', { level: 1 });
	await expectVisible(h1, 'an h1');
	return (await h1.first().innerText()).trim();
}

// The id of the group a /groups list links to by name.
export async function groupIdFromList(page, name) {
	await visit(page, '/groups');
	const href = await page.getByRole('link', { name, exact: true }).first().getAttribute('href');
	const m = /^\/groups\/(\d+)$/.exec(href || '');
	assert(m, `link to ${name} is "${href}", expected /groups/<id>`);
	return m[1];
}

// No horizontal scrolling at the current (narrow) viewport; on failure, name
// the outermost elements that stick out on the right.
export async function expectNoHorizontalScroll(page, width) {
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
// ---------------------------------------------------------------- contexts, pages, logins

export const newContext = (options = {}) => browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: DEFAULT_VIEWPORT, acceptDownloads: true, ...options });

// A new page with the step timeouts.  CSP violations and script errors are
// worth seeing, but favicon 404s and the like are not failures: report them
// as diagnostics only.
export async function newPage(context) {
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS * 2);
	page.on('pageerror', (e) => diag([`page error on ${describe(page.url())}: ${e.message}`]));
	page.on('console', (m) => { if (m.type() === 'error') diag([`console error on ${describe(page.url())}: ${m.text()}`]); });
	return page;
}

// Log in through /login on page (within a step).
export async function logIn(page, email, password) {
	await visit(page, '/login');
	await field(page, 'メールアドレス').fill(email);
	await field(page, 'パスワード').fill(password);
	await clickAndWait(page, page.getByRole('button', { name: 'ログイン' }));
	await expectVisible(page.getByRole('button', { name: 'ログアウト' }), `a ログアウト button (logged in as ${email})`);
}

// A new page in context, logged in: a step of its own.  When it fails, the
// block cannot go on (Aborted).
export async function loginAs(context, email, password) {
	const page = await newPage(context);
	const ok = await test(`log in as ${email}`, () => logIn(page, email, password), page);
	if (!ok) throw new Aborted(`could not log in as ${email}`);
	return page;
}

// Download what a link points to (Playwright's download event).
export async function download(page, link) {
	const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
	const failure = await dl.failure();
	assert(!failure, `download of ${describe(dl.url())} failed: ${failure}`);
	return { name: dl.suggestedFilename(), url: dl.url(), data: fs.readFileSync(await dl.path()) };
}

// Click a submit button and return the response the page ends on (after any
// redirect), so that a re-displayed form's status (422) can be checked.
export async function submitForm(page, locator) {
	const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
	return resp;
}

// A date (yyyy-mm-dd) in JST, days from today.
export const jstDate = (days = 0) => new Date(Date.now() + 9 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
// A datetime-local value in JST, minutes from now.
export const jstDateTime = (minutes) => new Date(Date.now() + 9 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);
// A table cell's input by its exact (visually hidden) label.
export const cell = (page, name) => page.getByLabel(name, { exact: true });
// The whole visible text of a page, for "must not appear" checks.
export const pageText = (page) => page.evaluate(() => document.body.innerText);
// The text of the <dd> after the <dt> named term.
export const ddText = async (scope, term) => (await scope.locator(`dt:text-is("${term}") + dd`).first().innerText()).replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------- a part

// Run a part: start its server and Chromium (two steps), then its blocks,
// [name, async () => {...}] in order, each with the browser to itself.
// Prints the TAP plan and exits (1 when anything failed).
export async function runPart(name, blocks) {
	part = name;
	resultsDir = path.join(here, 'results', part);
	fs.rmSync(resultsDir, { recursive: true, force: true }); // no stale evidence from an earlier run
	setTimeout(async () => {
		console.log(`not ok ${++count} - ${part}: exceeded ${GLOBAL_TIMEOUT_MS / 1000} s`);
		failures++;
		diag(serverLogTail());
		await cleanup();
		console.log(`1..${count}`);
		process.exit(1);
	}, GLOBAL_TIMEOUT_MS).unref();

	const started = await test('start kyodo (migrate, demo, admin, serve)', async () => {
		assert(fs.existsSync(bin), `${bin} not found: build it first (make)`);
		base = await startServer();
		return [`server ${base}, data in ${tmp}`];
	});
	const launched = started && await test('launch Chromium', async () => {
		browser = await chromium.launch({
			executablePath: chromiumPath,
			timeout: 60_000,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
				'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		return [`chromium ${browser.version()}`];
	});
	if (launched) {
		for (const [block, fn] of blocks) {
			try {
				await fn();
			} catch (e) {
				if (e instanceof Aborted) diag([`${block}: the rest of this block did not run: ${e.message}`]);
				// A bug in the test itself: still a TAP failure, named after its block.
				else await test(`${block}: stopped by an error outside any step`, () => { throw e; });
			}
		}
	}
	if (interrupted) await new Promise(() => {}); // the signal handler ends it
	if (failures) diag(serverLogTail());
	await cleanup();
	console.log(`1..${count}`);
	process.exit(failures ? 1 : 0);
}
