/**
fleet-1800: a big fleet, end to end with the real binary. 300 hosts × 3
volumes (each volume its own `group`) × 2 devices = 1,800 backups, whose
`rsync-command` is a stub script that sleeps 50 ms and exits 0, so the run is
bounded by the two devices (900 stubs each, one at a time). Measured in one
run, per round:

- baseline: the same 1,800 stub invocations by two shell loops in parallel,
  one per device: the process cost no tool can avoid;
- `rsdeck --backup --headless`: makespan / baseline (target ≤ 1.08);
- `rsdeck --backup` in the console, a real pseudo-terminal of 160×50 (tmux,
  as the end-to-end tests): makespan and CPU / headless (targets ≤ 1.03 and
  ≤ 1.3), while keys are pressed and the time from each key to the frame that
  shows it is taken (target ≤ 50 ms);
- peak RSS of each (targets ≤ 150 MB headless, ≤ 200 MB console);
- then the reports (`--text`, `--html`, `--metrics`, `--report-json`) on the
  1,800-backup database, against the `sqlite3` command running the report's
  query on the same file (target ≤ 0.15 s each).

rsdeck's own CPU, peak RSS and lifetime come from the process itself (a
preloaded module writes `process.resourceUsage()` as it exits), so the stubs'
CPU and the terminal's are not counted. `RSDECK_BENCH_FLEET_HOSTS` (default
300) and `RSDECK_BENCH_ROUNDS` (default 2) make quicker iterations;
`RSDECK_BENCH_FLEET_PARTS` (default all: baseline,headless,console,reports)
runs only the parts named, and reports only the figures they give.
*/
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import type {BenchResult} from './types.js';
import {median, spread} from './statistics.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const hosts = Number(process.env['RSDECK_BENCH_FLEET_HOSTS'] ?? 300);
const rounds = Number(process.env['RSDECK_BENCH_ROUNDS'] ?? 2);
const volumesPerHost = 3;
const devices = ['dev1', 'dev2'];
const time = '2024-01-01T00:00:00';
const columns = 160;
const rows = 50;
const parts = new Set((process.env['RSDECK_BENCH_FLEET_PARTS'] ?? 'baseline,headless,console,reports').split(',').map(part => part.trim()));

/** What a run of rsdeck says about itself as it exits. */
type Usage = {cpu: number; maxRss: number; wall: number};

type Fleet = {root: string; stub: string; preload: string; config: (name: string) => {config: string; database: string}};

function makeFleet(root: string): Fleet {
	const stub = path.join(root, 'stub-rsync');
	writeFileSync(stub, '#!/bin/sh\nsleep 0.05\nexit 0\n', {mode: 0o755});
	const preload = path.join(root, 'usage.mjs');
	writeFileSync(preload, `import {writeFileSync} from 'node:fs';
process.on('exit', () => {
	const usage = process.resourceUsage();
	writeFileSync(process.env.RSDECK_BENCH_USAGE, JSON.stringify({cpu: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRss: usage.maxRSS / 1024, wall: performance.now()}));
});
`);
	const source = path.join(root, 'source');
	mkdirSync(source, {recursive: true});
	const hostLines: string[] = [];
	for (let host = 0; host < hosts; host++) {
		hostLines.push(`host h${host}`, '  hostname localhost');
		for (let volume = 0; volume < volumesPerHost; volume++) {
			hostLines.push(`  volume v${volume} ${source}`, `    group h${host}-v${volume}`);
		}
	}

	return {
		root,
		stub,
		preload,
		config(name: string) {
			const directory = path.join(root, name);
			const stores = devices.map(device => {
				const store = path.join(directory, device);
				mkdirSync(store, {recursive: true, mode: 0o700});
				writeFileSync(path.join(store, 'device-id'), `${device}\n`);
				return `store --no-mounted ${store}`;
			});
			const database = path.join(directory, 'backups.db');
			const config = path.join(directory, 'config');
			writeFileSync(config, [...stores, ...devices.map(device => `device ${device}`), `database ${database}`, `lock ${path.join(directory, 'lock')}`, `rsync-command ${stub}`, ...hostLines, ''].join('\n'));
			return {config, database};
		},
	};
}

async function timed(work: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await work();
	return performance.now() - started;
}

/** Two shell loops, one per device, running the stub as many times as rsdeck will. */
async function baseline(fleet: Fleet): Promise<number> {
	const perDevice = hosts * volumesPerHost;
	const loop = `(i=0; while [ $i -lt ${perDevice} ]; do ${fleet.stub}; i=$((i+1)); done)`;
	return timed(async () => run('/bin/sh', ['-c', `${loop} & ${loop} & wait`]));
}

/**
The floor for any Node program: the same two loops run by Node's own
child_process.spawn, each stub awaited before the next. Node waits in spawn
until the child has started, which a shell loop does not.
*/
async function nodeFloor(fleet: Fleet): Promise<number> {
	const perDevice = hosts * volumesPerHost;
	const script = `const {spawn} = require('node:child_process');
const one = () => new Promise(resolve => { const child = spawn(${JSON.stringify(fleet.stub)}, [], {stdio: ['ignore', 'pipe', 'pipe']}); child.stdout.resume(); child.stderr.resume(); child.on('close', resolve); });
const loop = async () => { for (let i = 0; i < ${perDevice}; i++) await one(); };
Promise.all([loop(), loop()]);`;
	return timed(async () => run(process.execPath, ['-e', script]));
}

function readUsage(file: string): Usage {
	return JSON.parse(readFileSync(file, 'utf8')) as Usage;
}

function checkAllBackedUp(database: string): void {
	const count = Number(execFileSync('sqlite3', [database, 'SELECT count(*) FROM backup WHERE status = 2'], {encoding: 'utf8'}).trim());
	const expected = hosts * volumesPerHost * devices.length;
	if (count !== expected) {
		throw new Error(`fleet-1800: ${count} complete backups in ${database}, expected ${expected}`);
	}
}

async function headless(fleet: Fleet, name: string): Promise<Usage & {external: number; database: string; config: string}> {
	const {config, database} = fleet.config(name);
	const usageFile = path.join(fleet.root, `${name}.usage`);
	const external = await timed(async () => run(process.execPath, ['--import', pathToFileURL(fleet.preload).href, cli, '--backup', '--headless', '--config', config], {
		env: {...process.env, RSBACKUP_TIME: time, RSDECK_BENCH_USAGE: usageFile},
		maxBuffer: 64 * 1024 * 1024,
	}));
	checkAllBackedUp(database);
	return {...readUsage(usageFile), external, database, config};
}

const shellQuote = (word: string) => `'${word.replaceAll('\'', '\'\\\'\'')}'`;

function tmux(socket: string, ...args: string[]): string {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV'));
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe']});
}

/** The screen line the selection marker is on, and its number. */
function selection(screen: string): {line: number; text: string} {
	const lines = screen.split('\n');
	const line = lines.findIndex(text => text.startsWith('›'));
	return {line, text: lines[line] ?? ''};
}

/** A key, and how to tell the frame that shows it from the screen before. */
type KeyCheck = {key: string; shown: (before: string, after: string) => boolean};

const moved = (before: string, after: string) => selection(before).line !== selection(after).line;
const folded = (before: string, after: string) => selection(before).text.slice(0, 4) !== selection(after).text.slice(0, 4);
const detailOpen = (screen: string) => screen.split('\n').filter(line => line.trim() !== '').length > 0 && /output|command/i.test(screen.split('\n').slice(rows / 3).join('\n'));
const footer = (screen: string) => screen.trimEnd().split('\n').at(-1) ?? '';
const keyChecks: KeyCheck[] = [
	...Array.from({length: 6}, () => ({key: 'j', shown: moved})),
	{key: 'k', shown: moved},
	{key: 'h', shown: folded},
	{key: 'l', shown: folded},
	{key: 'j', shown: moved},
	{key: 'Enter', shown: (before, after) => !detailOpen(before) && detailOpen(after)},
	{key: 'Escape', shown: (before, after) => detailOpen(before) && !detailOpen(after)},
	{key: '/', shown: (_before, after) => footer(after).startsWith('/')},
	{key: 'Escape', shown: (_before, after) => !footer(after).startsWith('/')},
];

/** Press each key while the run goes on and time key → frame, polling the screen. */
async function keyToFrame(socket: string): Promise<number[]> {
	const times: number[] = [];
	for (const {key, shown} of keyChecks) {
		const before = tmux(socket, 'capture-pane', '-p', '-t', 'rsdeck');
		const started = performance.now();
		tmux(socket, 'send-keys', '-t', 'rsdeck', key);
		for (;;) {
			const after = tmux(socket, 'capture-pane', '-p', '-t', 'rsdeck');
			if (shown(before, after)) {
				times.push(performance.now() - started);
				break;
			}

			if (performance.now() - started > 5000) {
				throw new Error(`fleet-1800: no frame showed ${key} within 5 s; screen was:\n${after}`);
			}
		}

		await delay(300);
	}

	return times;
}

/**
The floor of the key-to-frame measure: the same key sent to `cat` in a pane of
the same size, timed until the screen shows it, polled the same way. What
the terminal and the polling cost is in both.
*/
async function echoKeyToScreen(): Promise<number[]> {
	const socket = `rsdeck-bench-${process.pid}-echo`;
	tmux(socket, 'new-session', '-d', '-s', 'rsdeck', '-x', String(columns), '-y', String(rows), 'stty raw -echo; cat');
	try {
		const times: number[] = [];
		for (let index = 0; index < keyChecks.length; index++) {
			const before = tmux(socket, 'capture-pane', '-p', '-t', 'rsdeck');
			const started = performance.now();
			tmux(socket, 'send-keys', '-t', 'rsdeck', '-l', 'x');
			while (tmux(socket, 'capture-pane', '-p', '-t', 'rsdeck') === before) {
				if (performance.now() - started > 5000) {
					throw new Error('fleet-1800: cat did not echo within 5 s');
				}
			}

			times.push(performance.now() - started);
			await delay(300);
		}

		return times;
	} finally {
		tmux(socket, 'kill-server');
	}
}

async function withConsole(fleet: Fleet, name: string, measureKeys: boolean): Promise<Usage & {makespan: number; keys: number[]}> {
	const {config, database} = fleet.config(name);
	const usageFile = path.join(fleet.root, `${name}.usage`);
	const exitFile = path.join(fleet.root, `${name}.exit`);
	const socket = `rsdeck-bench-${process.pid}-${name}`;
	const command = `env RSBACKUP_TIME=${time} RSDECK_BENCH_USAGE=${shellQuote(usageFile)} ${shellQuote(process.execPath)} --import ${shellQuote(pathToFileURL(fleet.preload).href)} ${shellQuote(cli)} --backup --config ${shellQuote(config)}; echo $? > ${shellQuote(exitFile)}; sleep 60`;
	const screen = () => tmux(socket, 'capture-pane', '-p', '-t', 'rsdeck');
	const started = performance.now();
	tmux(socket, 'new-session', '-d', '-s', 'rsdeck', '-x', String(columns), '-y', String(rows), command);
	try {
		let keys: number[] = [];
		if (measureKeys) {
			// Once the tree shows and work runs, with most of the run to go.
			while (!screen().includes('›')) {
				await delay(50);
			}

			await delay(3000);
			keys = await keyToFrame(socket);
		}

		// The console stays on the finished run until the operator leaves it: the run's end is when the screen says so.
		while (!/^finished: /m.test(screen())) {
			await delay(100);
		}

		const makespan = performance.now() - started;
		tmux(socket, 'send-keys', '-t', 'rsdeck', 'q');
		// The shell creates the file before `echo` writes to it.
		while (!existsSync(exitFile) || !readFileSync(exitFile, 'utf8').endsWith('\n')) {
			await delay(100);
		}

		const status = readFileSync(exitFile, 'utf8').trim();
		if (status !== '0') {
			throw new Error(`fleet-1800: the console run exited ${status}; screen:\n${screen()}`);
		}

		checkAllBackedUp(database);
		return {...readUsage(usageFile), makespan, keys};
	} finally {
		try {
			tmux(socket, 'kill-server');
		} catch {
			// Already gone.
		}
	}
}

/** The query a report runs, by the sqlite3 command, and each report by rsdeck. */
async function reports(label: string, config: string, database: string, root: string): Promise<BenchResult[]> {
	const kinds = ['--text', '--html', '--metrics', '--report-json'];
	const times = new Map<string, number[]>(kinds.map(kind => [kind, []]));
	const sqlite: number[] = [];
	const node: number[] = [];
	const query = 'SELECT host, volume, device, id, time, pruned, rc, status, finishTime, log FROM backup ORDER BY host, volume, device, time, id';
	for (let round = 0; round < 5; round++) {
		sqlite.push(await timed(async () => run('sqlite3', ['-readonly', database, query], {maxBuffer: 256 * 1024 * 1024})));
		node.push(await timed(async () => run(process.execPath, ['-e', '0'])));
		for (const kind of kinds) {
			times.get(kind)!.push(await timed(async () => run(process.execPath, [cli, '--config', config, kind, path.join(root, `report${kind}`)], {env: {...process.env, RSBACKUP_TIME: time}})));
		}
	}

	const base = median(sqlite);
	return kinds.map(kind => {
		const value = median(times.get(kind)!);
		return {name: `${label} report ${kind}`, value, unit: 'ms', baseline: base, ratio: value / base, note: `${spread(times.get(kind)!)}; vs sqlite3 running the backup query; target ≤ 150 ms`};
	}).concat({name: `${label} report: node -e 0`, value: median(node), unit: 'ms', baseline: base, ratio: median(node) / base, note: `Node starting and doing nothing (${spread(node)}), vs the same sqlite3 query`});
}



export default async function bench(): Promise<BenchResult[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-bench-fleet-'));
	try {
		const fleet = makeFleet(root);
		const bare: number[] = [];
		const floor: number[] = [];
		const heads: Array<Awaited<ReturnType<typeof headless>>> = [];
		const consoles: Array<Awaited<ReturnType<typeof withConsole>>> = [];
		for (let round = 0; round < rounds; round++) {
			if (parts.has('baseline')) {
				bare.push(await baseline(fleet));
				floor.push(await nodeFloor(fleet));
			}

			if (parts.has('headless') || parts.has('reports')) {
				heads.push(await headless(fleet, `headless${round}`));
			}

			if (parts.has('console')) {
				consoles.push(await withConsole(fleet, `console${round}`, round === 0));
			}
		}

		const backups = hosts * volumesPerHost * devices.length;
		const label = `fleet-${backups}`;
		const results: BenchResult[] = [];
		const headWall = median(heads.map(({external}) => external));
		const headCpu = median(heads.map(({cpu}) => cpu));
		if (bare.length > 0) {
			const baseWall = median(bare);
			if (heads.length > 0) {
				results.push({name: `${label} headless makespan`, value: headWall, unit: 'ms', baseline: baseWall, ratio: headWall / baseWall, note: `vs two shell loops; headless ${spread(heads.map(({external}) => external))}, loops ${spread(bare)}; target ≤ 1.08`});
			}

			results.push({name: `${label} node spawn floor`, value: median(floor), unit: 'ms', baseline: baseWall, ratio: median(floor) / baseWall, note: `the same stubs by two loops of Node's child_process.spawn (${spread(floor)}), vs the shell loops: what any Node program pays`});
		}

		if (consoles.length > 0) {
			const consoleWall = median(consoles.map(({makespan}) => makespan));
			const consoleCpu = median(consoles.map(({cpu}) => cpu));
			const against = heads.length > 0;
			results.push(
				{name: `${label} console makespan`, value: consoleWall, unit: 'ms', baseline: against ? headWall : null, ratio: against ? consoleWall / headWall : null, note: `vs headless; console ${spread(consoles.map(({makespan}) => makespan))}; target ≤ 1.03`},
				{name: `${label} console CPU`, value: consoleCpu, unit: 'ms', baseline: against ? headCpu : null, ratio: against ? consoleCpu / headCpu : null, note: `vs headless; console ${spread(consoles.map(({cpu}) => cpu))}${against ? `, headless ${spread(heads.map(({cpu}) => cpu))}` : ''}; target ≤ 1.3`},
			);
		}

		if (heads.length > 0) {
			results.push({name: `${label} headless CPU`, value: headCpu, unit: 'ms', baseline: null, ratio: null, note: `rsdeck's own user + system CPU (${spread(heads.map(({cpu}) => cpu))})`});
			results.push({name: `${label} headless peak RSS`, value: Math.max(...heads.map(({maxRss}) => maxRss)), unit: 'MB', baseline: null, ratio: null, note: 'largest of the rounds; target ≤ 150 MB'});
		}

		if (consoles.length > 0) {
			const keys = consoles[0]!.keys;
			const echo = await echoKeyToScreen();
			results.push(
				{name: `${label} console peak RSS`, value: Math.max(...consoles.map(({maxRss}) => maxRss)), unit: 'MB', baseline: null, ratio: null, note: 'largest of the rounds; target ≤ 200 MB'},
				{name: `${label} console key to frame`, value: median(keys), unit: 'ms', baseline: median(echo), ratio: median(keys) / median(echo), note: `median of ${keys.length} keys (move, fold, detail, filter) while the run goes on, slowest ${Math.round(Math.max(...keys))}; vs the same key echoed by cat (${spread(echo)}); target ≤ 50 ms over it`},
			);
		}

		if (parts.has('reports')) {
			const last = heads.at(-1)!;
			results.push(...await reports(label, last.config, last.database, root));
		}

		return results;
	} finally {
		// A console run stopped by an error may still be cleaning up: give it a moment.
		await delay(1000);
		rmSync(root, {recursive: true, force: true, maxRetries: 5});
	}
}
