/**
console-overhead: the same simulated run of about 2,000 actions (each logs a
line, reports progress and waits a few milliseconds, as a short rsync would)
run headless and with the live console rendering to a terminal-sized stream,
in one process, alternately; the ratio is the console run's CPU time over the
headless run's (target ≤ 1.3). The terminal itself is a sink: what a real
terminal spends drawing is not rsdeck's CPU.
*/
import {Readable, Writable} from 'node:stream';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {Engine} from '../../src/engine/engine.js';
import type {ActionSpec} from '../../src/engine/types.js';
import {headlessLog} from '../../src/headless/headless-log.js';
import type {BenchResult} from './types.js';

const hosts = 50;
const volumes = ['home', 'etc', 'srv', 'var'];
const devices = ['d1', 'd2'];
const rounds = 3;

/** A step that behaves like a small piece of real work: output, progress, a wait. */
const step: ActionSpec['body'] = async context => {
	context.log(`${context.name} working\n`);
	context.progress({fraction: 0.5, text: '50%'});
	await delay(4);
};

function simulatedRun(): ActionSpec[] {
	const specs: ActionSpec[] = [{name: 'check-stores', body: step, data: {kind: 'check-stores'}}];
	for (let index = 0; index < hosts; index++) {
		const host = `h${index}`;
		specs.push({name: `live/${host}`, body: step, data: {kind: 'live', host}});
		for (const volume of volumes) {
			const data = {host, volume};
			specs.push({name: `pre-volume-hook/${host}/${volume}`, after: [`live/${host}`], body: step, data: {...data, kind: 'pre-volume-hook'}});
			for (const device of devices) {
				const path = `${host}/${volume}/${device}`;
				const names = ['identify', 'underway', 'backup', 'record-backup'].map(kind => `${kind}/${path}`);
				for (const [position, name] of names.entries()) {
					const kind = name.split('/')[0]!;
					const after = position === 0 ? [`pre-volume-hook/${host}/${volume}`, 'check-stores'] : [names[position - 1]!];
					specs.push({name, after, body: step, resources: kind === 'backup' ? [`device:${device}`] : [], data: {...data, device, kind}});
				}
			}

			specs.push({name: `post-volume-hook/${host}/${volume}`, after: [{from: `record-backup/${host}/${volume}/*`, kind: 'always'}], body: step, data: {...data, kind: 'post-volume-hook'}});
		}
	}

	return specs;
}

/** CPU microseconds (user + system) this process spends running `work`. */
async function cpuTime(work: () => Promise<void>): Promise<number> {
	const before = process.cpuUsage();
	await work();
	const used = process.cpuUsage(before);
	return used.user + used.system;
}

async function headlessRun(): Promise<void> {
	const engine = new Engine(simulatedRun(), {concurrency: 16, capacities: {'device:d1': 8, 'device:d2': 8}});
	engine.subscribe(headlessLog({verbose: false, debug: false, write() {}}));
	await engine.run();
}

/** A stream that looks like a 120×40 terminal and throws its frames away. */
function terminalSink(): Writable {
	const sink = new Writable({
		write(_chunk, _encoding, callback) {
			callback();
		},
	});
	return Object.assign(sink, {isTTY: true, columns: 120, rows: 40});
}

function keyboard(): Readable {
	const stdin = new Readable({
		read() {},
	});
	return Object.assign(stdin, {isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin});
}

/**
Load React and Ink as the CLI does: React's production build (its
development build costs several times the CPU), and Ink as in a terminal
(in CI it renders nothing but static output).
*/
async function loadConsole() {
	const ci = process.env['CI'];
	delete process.env['CI'];
	process.env['NODE_ENV'] = 'production';
	const modules = await Promise.all([import('react'), import('ink'), import('../../components/run-view.js')]);
	if (ci !== undefined) {
		process.env['CI'] = ci;
	}

	return modules;
}

async function consoleRun(): Promise<void> {
	const [{createElement}, {render}, {RunView}] = await loadConsole();

	const engine = new Engine(simulatedRun(), {concurrency: 16, capacities: {'device:d1': 8, 'device:d2': 8}});
	const stdout = terminalSink();
	const instance = render(createElement(RunView, {source: engine, title: 'bench', onExit() {}}), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: keyboard() as unknown as NodeJS.ReadStream,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	await engine.run();
	instance.unmount();
}

export default async function bench(): Promise<BenchResult[]> {
	const headless: number[] = [];
	const withConsole: number[] = [];
	await consoleRun();
	for (let round = 0; round < rounds; round++) {
		headless.push(await cpuTime(headlessRun));
		withConsole.push(await cpuTime(consoleRun));
	}

	const headlessMs = median(headless) / 1000;
	const consoleMs = median(withConsole) / 1000;
	return [{
		name: `console-overhead CPU, ${simulatedRun().length} actions`,
		value: consoleMs,
		unit: 'ms',
		baseline: headlessMs,
		ratio: consoleMs / headlessMs,
		note: 'console vs headless, median of 3; target ≤ 1.3',
	}];
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}
