/**
console-overhead: the same simulated run of about 2,000 actions run headless
and with the live console rendering to a terminal-sized stream, in one
process, alternately. The steps cost what they cost rsdeck in a real run:
those that are programs in a real run (host checks, hooks, rsync) start a real
process through the process runner and stream a line of output and a progress
record; the others (identify, underway, record) are in-process. Results: the
console run's CPU time over the headless run's (target ≤ 1.3), and the
console's extra CPU as a share of one core while the run lasts. The terminal
itself is a sink: what a real terminal spends drawing is not rsdeck's CPU.
*/
import {Readable, Writable} from 'node:stream';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {Engine} from '../../src/engine/engine.js';
import type {ActionSpec} from '../../src/engine/types.js';
import {loadConsole} from '../../src/console/load-console.js';
import {headlessLog} from '../../src/headless/headless-log.js';
import {runProcess} from '../../src/process/run-process.js';
import type {BenchResult} from './types.js';
import {median} from './statistics.js';

const hosts = 50;
const volumes = ['home', 'etc', 'srv', 'var'];
const devices = ['d1', 'd2'];
const rounds = 5;
const programKinds = new Set(['live', 'pre-volume-hook', 'backup', 'post-volume-hook']);

/** A step as rsdeck runs it: a program streaming output and progress, or a short in-process step. */
const step: ActionSpec['body'] = async context => {
	context.progress({fraction: 0.5, text: '50%'});
	if (programKinds.has(context.name.split('/')[0] ?? '')) {
		await runProcess(['/bin/sh', '-c', 'echo "sending incremental file list"'], {signal: context.signal, onOutput(text, stream) {
			context.log(text, stream);
		}});
	} else {
		context.log(`${context.name} done\n`, 'info');
		await delay(1);
	}
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

/** CPU (user + system) and wall time, both in ms, this process spends running `work`. */
async function measure(work: () => Promise<void>): Promise<{cpu: number; wall: number}> {
	const before = process.cpuUsage();
	const started = performance.now();
	await work();
	const used = process.cpuUsage(before);
	return {cpu: (used.user + used.system) / 1000, wall: performance.now() - started};
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

async function consoleRun(): Promise<void> {
	// React and Ink loaded exactly as the CLI loads them.
	const {createElement, render, RunView} = await loadConsole();

	const engine = new Engine(simulatedRun(), {concurrency: 16, capacities: {'device:d1': 8, 'device:d2': 8}});
	const stdout = terminalSink();
	const instance = render(createElement(RunView, {source: engine, title: 'bench', onExit() {}}), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: keyboard() as unknown as NodeJS.ReadStream,
		exitOnCtrlC: false,
		stderr: terminalSink() as unknown as NodeJS.WriteStream,
		patchConsole: false,
	});
	await engine.run();
	instance.unmount();
}

export default async function bench(): Promise<BenchResult[]> {
	const headless: Array<{cpu: number; wall: number}> = [];
	const withConsole: Array<{cpu: number; wall: number}> = [];
	await consoleRun();
	for (let round = 0; round < rounds; round++) {
		headless.push(await measure(headlessRun));
		withConsole.push(await measure(consoleRun));
	}

	const headlessCpu = median(headless.map(({cpu}) => cpu));
	const consoleCpu = median(withConsole.map(({cpu}) => cpu));
	const consoleWall = median(withConsole.map(({wall}) => wall));
	const share = (consoleCpu - headlessCpu) / consoleWall;
	return [{
		name: `console-overhead CPU, ${simulatedRun().length} actions`,
		value: consoleCpu,
		unit: 'ms',
		baseline: headlessCpu,
		ratio: consoleCpu / headlessCpu,
		note: 'console vs headless, median of 5; target ≤ 1.3',
	}, {
		name: 'console-overhead share of a core',
		value: share * 100,
		unit: '%',
		baseline: null,
		ratio: null,
		note: `the console's extra CPU over the run's ${(consoleWall / 1000).toFixed(1)} s`,
	}];
}

