#!/usr/bin/env node
// End-to-end browser and accessibility test for kyodo.  Prints TAP.
//
//   node tests/browser/run.mjs              every part, in parallel
//   node tests/browser/run.mjs events site  only those parts
//   node tests/browser/events.mjs           one part by itself (its own TAP)
//
// Environment:
//   KYODO_BIN      server binary (default build/kyodo)
//   CHROMIUM       browser binary (default /usr/bin/chromium, Debian's package)
//   BROWSER_JOBS   how many parts run at once (default: all of them)
//
// The scenario is split into parts, each a file next to this one with its own
// server, fresh database and Chromium (lib.mjs has what they share; each file
// says what it walks through):
//
//   site           public pages, groups (create with errors, list, search,
//                  edit, archive, restore), the audit log, logout, the
//                  visitor's pages, reflow at 320 px, the skip link, no JS
//   admin          a wrong current password; users, themes, settings, calls,
//                  divisions; the longest form at 320 px
//   challenge      the challenge program end to end (issue 3), then screening
//                  and adoption (issue 4) on the proposal it submitted
//   consultations  a coordinator publishes a pre-consultation slot, a member
//                  books it
//   events         the event pages, sign-up with a waiting list, cancelling,
//                  promotion, the outbox, check-in (issue 5)
//
// After every navigation each part checks <html lang="ja"> and runs axe-core
// (WCAG 2.1 A/AA).  This runner starts the parts (the longest first), and
// prints their TAP part by part in the order above, numbered as one stream;
// every test name starts with its part.  A part that exits non-zero without
// a "not ok" line, or whose results do not match its plan, counts as one more
// failure.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
// In the order of the output; `weight` (seconds on an idle machine, roughly)
// decides which start first.
const PARTS = [
	{ name: 'site', weight: 40 },
	{ name: 'admin', weight: 35 },
	{ name: 'challenge', weight: 55 },
	{ name: 'consultations', weight: 15 },
	{ name: 'events', weight: 15 },
];
const GLOBAL_TIMEOUT_MS = 6 * 60_000; // longer than a part's own limit (lib.mjs)

const wanted = process.argv.slice(2);
for (const w of wanted) {
	if (!PARTS.some((p) => p.name === w)) {
		console.error(`run.mjs: no part "${w}" (parts: ${PARTS.map((p) => p.name).join(', ')})`);
		process.exit(2);
	}
}
const parts = PARTS.filter((p) => !wanted.length || wanted.includes(p.name))
	.map((p) => ({ ...p, lines: [], done: false, child: null, code: null, signal: null, ok: 0, notOk: 0, plan: null, ms: 0 }));
const jobs = Math.max(1, Number(process.env.BROWSER_JOBS) || parts.length);

let n = 0;
let failed = 0;
let shown = 0; // parts[0 .. shown-1] are printed; parts[shown] streams

// One line of a part's output, renumbered into the joint stream.
function emit(p, line) {
	const m = /^(not ok|ok) \d+( .*)?$/.exec(line);
	if (m) {
		n++;
		if (m[1] === 'not ok') failed++;
		console.log(`${m[1]} ${n}${m[2] ?? ''}`);
	} else if (/^1\.\.\d+$/.test(line)) {
		// the part's own plan: checked in finish(), replaced by ours
	} else if (line.startsWith('#')) {
		console.log(line);
	} else if (line !== '') {
		console.log(`# ${p.name}: ${line}`);
	}
}

function fail(what) {
	n++;
	failed++;
	console.log(`not ok ${n} - ${what}`);
}

// The checks after a part is over, printed after its lines.
function finish(p) {
	const how = p.signal ? `killed by ${p.signal}` : `exit status ${p.code}`;
	if ((p.code !== 0 || p.signal) && p.notOk === 0) fail(`${p.name}: ${how} without a 'not ok' line`);
	else if (p.plan === null) fail(`${p.name}: ended without its plan (${how})`);
	else if (p.plan !== p.ok + p.notOk) fail(`${p.name}: ${p.ok + p.notOk} results, but its plan says ${p.plan}`);
	console.log(`# ${p.name}: ${p.ok} ok, ${p.notOk} not ok in ${(p.ms / 1000).toFixed(1)} s`);
}

// Print whatever can be printed in order: the finished parts, and what the
// next one has said so far.
function flush() {
	while (shown < parts.length) {
		const p = parts[shown];
		for (const line of p.lines) emit(p, line);
		p.lines = [];
		if (!p.done) return;
		finish(p);
		shown++;
	}
}

function start(p) {
	const t0 = Date.now();
	p.child = spawn(process.execPath, [path.join(here, `${p.name}.mjs`)], { stdio: ['ignore', 'pipe', 'pipe'] });
	const take = (stream, prefix) => {
		let rest = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk) => {
			const lines = (rest + chunk).split('\n');
			rest = lines.pop();
			for (const l of lines) take1(prefix ? `# ${p.name} stderr: ${l}` : l);
		});
		stream.on('end', () => { if (rest) take1(prefix ? `# ${p.name} stderr: ${rest}` : rest); rest = ''; });
	};
	const take1 = (line) => {
		if (/^ok \d+/.test(line)) p.ok++;
		else if (/^not ok \d+/.test(line)) p.notOk++;
		const plan = /^1\.\.(\d+)$/.exec(line);
		if (plan) p.plan = Number(plan[1]);
		p.lines.push(line);
		if (parts[shown] === p) flush();
	};
	take(p.child.stdout, false);
	take(p.child.stderr, true);
	return new Promise((resolve) => {
		const over = (code, signal) => {
			if (p.done) return;
			p.code = code;
			p.signal = signal;
			p.ms = Date.now() - t0;
			p.done = true;
			flush();
			resolve();
		};
		p.child.on('close', over);
		p.child.on('error', (e) => {
			p.lines.push(`cannot run ${p.name}.mjs: ${e.message}`);
			over(127, null);
		});
	});
}

let stopping = false;
async function stop(why) {
	if (stopping) return;
	stopping = true;
	// Each part reports and cleans up (its browser, its server); after 7 s it
	// is killed, so that all this ends within the 10 s that `timeout -k 10`
	// (scripts/test) leaves before it kills us.
	const running = parts.filter((p) => p.child && !p.done);
	for (const p of running) p.child.kill('SIGTERM');
	const hard = setTimeout(() => { for (const p of running) if (!p.done) p.child.kill('SIGKILL'); }, 7_000);
	await Promise.all(running.map((p) => new Promise((r) => (p.done ? r() : p.child.once('close', () => setImmediate(r))))));
	clearTimeout(hard);
	for (const p of parts) {
		if (!p.child) {
			p.done = true;
			p.lines.push(`not ok 0 - ${p.name}: not started (${why})`);
			p.notOk++;
			p.plan = p.ok + p.notOk;
			p.code = 1;
		}
	}
	flush();
	fail(`browser: ${why}`);
	console.log(`1..${n}`);
	process.exit(1);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(`interrupted by ${sig}`));
setTimeout(() => stop(`exceeded ${GLOBAL_TIMEOUT_MS / 1000} s`), GLOBAL_TIMEOUT_MS).unref();

// The heaviest first, at most `jobs` at a time.
const queue = [...parts].sort((a, b) => b.weight - a.weight);
await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
	for (let p; !stopping && (p = queue.shift());) await start(p);
}));
if (stopping) await new Promise(() => {}); // stop() prints the rest and exits
flush();
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
