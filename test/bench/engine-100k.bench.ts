/**
engine-100k: 100,000 no-op actions in the shape of a real run (10,000
volumes, each a chain of 10 steps, backups holding a device and their host's
group, post hooks waiting on a glob) run end to end by the engine, against the
same 100,000 no-op promises run bare through p-queue in the same process —
all added at once, and chained (10,000 chains of 10, each added when the one
before it ends, as the engine adds work): p-queue's cost per task grows with
the number of tasks in flight, most of it in garbage collection.
*/
import {performance} from 'node:perf_hooks';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import PQueue from 'p-queue';
import {Engine} from '../../src/engine/engine.js';
import type {ActionSpec} from '../../src/engine/types.js';
import type {BenchResult} from './types.js';
import {median} from './statistics.js';

const hosts = 1000;
const volumesPerHost = 10;
const devices = 4;
const rounds = 5;
const noop = async () => undefined;

/** A full collection between measurements, so none pays for the garbage of the one before. */
const collectGarbage = (() => {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
})();

/** 10 actions per volume: the backup chain, its clean-up, then pruning. */
export function fleetShape(hostCount = hosts): ActionSpec[] {
	const specs: ActionSpec[] = [];
	for (let h = 0; h < hostCount; h++) {
		const host = `host${h}`;
		for (let v = 0; v < volumesPerHost; v++) {
			const volume = `${host}/volume${v}`;
			const device = `device${(h + v) % devices}`;
			const target = `${volume}/${device}`;
			specs.push(
				{name: `mounted/${volume}`, body: noop, estimate: 1},
				{name: `flag/${volume}`, after: [`mounted/${volume}`], body: noop, estimate: 1},
				{name: `identify/${target}`, after: [`flag/${volume}`], body: noop, estimate: 1},
				{name: `pre-volume-hook/${volume}`, after: [`identify/${target}`], body: noop, estimate: 5},
				{name: `underway/${target}`, after: [`pre-volume-hook/${volume}`], body: noop, estimate: 1},
				{
					name: `backup/${target}`,
					after: [`underway/${target}`],
					resources: [`device:${device}`, `group:${host}`],
					body: noop,
					estimate: 100 + v,
				},
				{name: `record-backup/${target}`, after: [{from: `backup/${target}`, kind: 'always'}, `underway/${target}`], body: noop, estimate: 1},
				{name: `post-volume-hook/${volume}`, after: [{from: `record-backup/${volume}/*`, kind: 'always'}, `pre-volume-hook/${volume}`], body: noop, estimate: 5},
				{name: `find-prunable/${volume}`, after: [`post-volume-hook/${volume}`], body: noop, estimate: 2},
				{name: `remove/${target}/old`, after: [`find-prunable/${volume}`], resources: [`device:${device}`], body: noop, estimate: 10},
			);
		}
	}

	return specs;
}

/** Wall time end to end, and the part spent building the graph. */
async function runEngine(specs: readonly ActionSpec[], listen: boolean): Promise<{total: number; build: number}> {
	collectGarbage();
	const started = performance.now();
	const engine = new Engine(specs);
	const built = performance.now();
	if (listen) {
		engine.subscribe(() => undefined);
	}

	await engine.run();
	const ended = performance.now();
	const unfinished = engine.snapshot().filter(info => info.state !== 'succeeded');
	if (unfinished.length > 0) {
		throw new Error(`engine-100k: ${unfinished.length} actions did not succeed`);
	}

	return {total: ended - started, build: built - started};
}

async function runBare(count: number): Promise<number> {
	collectGarbage();
	const started = performance.now();
	const queue = new PQueue();
	for (let index = 0; index < count; index++) {
		void queue.add(noop);
	}

	await queue.onIdle();
	return performance.now() - started;
}

/** The same promises through p-queue in `chains` chains of `length`, each task added when the one before it ends. */
async function runChains(chains: number, length: number): Promise<number> {
	collectGarbage();
	const started = performance.now();
	const queue = new PQueue();
	const step = async (remaining: number): Promise<void> => {
		await noop();
		if (remaining > 1) {
			void queue.add(async () => step(remaining - 1));
		}
	};

	for (let chain = 0; chain < chains; chain++) {
		void queue.add(async () => step(length));
	}

	await queue.onIdle();
	return performance.now() - started;
}

/** Heap held by a built engine of these actions, beyond the specs themselves. */
function retainedHeap(specs: readonly ActionSpec[]): number {
	collectGarbage();
	const before = process.memoryUsage().heapUsed;
	const engine = new Engine(specs);
	collectGarbage();
	const after = process.memoryUsage().heapUsed;
	return engine.snapshot().length > 0 ? after - before : 0;
}


export default async function bench(): Promise<BenchResult[]> {
	const specs = fleetShape();
	const count = specs.length;
	const volumes = hosts * volumesPerHost;
	await runBare(count);
	await runChains(volumes, count / volumes);
	await runEngine(specs, false);
	const engine: number[] = [];
	const builds: number[] = [];
	const listened: number[] = [];
	const bare: number[] = [];
	const chains: number[] = [];
	// Whichever runs right after the other pays for the heap the other grew, so the order alternates.
	for (let round = 0; round < rounds; round++) {
		if (round % 2 === 0) {
			bare.push(await runBare(count));
			chains.push(await runChains(volumes, count / volumes));
		}

		const {total, build} = await runEngine(specs, false);
		engine.push(total);
		builds.push(build);
		listened.push((await runEngine(specs, true)).total);
		if (round % 2 === 1) {
			chains.push(await runChains(volumes, count / volumes));
			bare.push(await runBare(count));
		}
	}

	const wall = median(engine);
	const build = median(builds);
	const withEvents = median(listened);
	const baseline = median(bare);
	const chained = median(chains);
	const peakRss = process.resourceUsage().maxRSS / 1024;
	const retained = retainedHeap(specs);
	const small = fleetShape(hosts / 10);
	const retainedSmall = retainedHeap(small);
	const shape = `${count.toLocaleString('en-US')} actions, median of ${rounds}`;
	return [
		{name: 'engine-100k wall time', value: wall, unit: 'ms', baseline, ratio: wall / baseline, note: `vs bare p-queue; ${shape}; target < 1000 ms, ratio ≤ 3`},
		{name: 'engine-100k building the graph', value: build, unit: 'ms', baseline: wall, ratio: build / wall, note: 'part of the wall time (ratio = share)'},
		{name: 'p-queue alone, chained', value: chained, unit: 'ms', baseline, ratio: chained / baseline, note: `the same promises as ${volumes.toLocaleString('en-US')} chains of ${count / volumes}, each added when the one before it ends`},
		{name: 'engine-100k with a subscriber', value: withEvents, unit: 'ms', baseline, ratio: withEvents / baseline, note: 'every event delivered to one listener'},
		{name: 'engine-100k throughput', value: count / wall * 1000, unit: 'actions/s', baseline: count / baseline * 1000, ratio: baseline / wall},
		{name: 'engine-100k heap per action', value: retained / count, unit: 'bytes', baseline: retainedSmall / small.length, ratio: (retained / count) / (retainedSmall / small.length), note: `a built engine, before running; baseline: the same shape ten times smaller (ratio ≤ 1: memory grows no faster than the graph)`},
		{name: 'engine-100k peak RSS', value: peakRss, unit: 'MB', baseline: null, ratio: null, note: 'whole process, maximum resident set'},
	];
}
