/**
makespan: how well the engine orders work. Simulated fleets with known
durations and resource limits run on a virtual clock (bodies sleep in
virtual time, the clock jumps to the next wake-up once everything waits);
the makespan is compared with the lower bound max(critical path, busiest
resource's total work / capacity, total work / --jobs).
*/
import {Engine} from '../../src/engine/engine.js';
import type {ActionSpec, Edge} from '../../src/engine/types.js';
import type {BenchResult} from './types.js';

/** One simulated action: a duration and the explicit predecessors the lower bound walks. */
type Job = {
	name: string;
	duration: number;
	after: string[];
	always?: boolean;
	resources?: string[];
};

type Fleet = {
	name: string;
	jobs: Job[];
	capacities: Record<string, number>;
	concurrency?: number;
};

type HostShape = {host: string; volumes: number; sizes: [number, number]};

/** Bodies sleep here; `advance` jumps to the earliest wake-up. */
class VirtualClock {
	now = 0;
	readonly #timers: Array<{at: number; wake: () => void}> = [];

	async sleep(duration: number): Promise<void> {
		return new Promise(resolve => {
			this.#timers.push({at: this.now + duration, wake: resolve});
		});
	}

	/** Wake everything due at the earliest time; false when nothing sleeps. */
	advance(): boolean {
		if (this.#timers.length === 0) {
			return false;
		}

		this.now = Math.min(...this.#timers.map(timer => timer.at));
		for (const timer of this.#timers.filter(timer => timer.at === this.now)) {
			timer.wake();
		}

		this.#timers.splice(0, this.#timers.length, ...this.#timers.filter(timer => timer.at !== this.now));
		return true;
	}
}

/** A small seeded generator (mulberry32), so fleets are the same every run. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6D_2B_79_F5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** rsbackup's graph in miniature: device hooks, host checks, volume hooks, underway → backup → record. */
function fleet(name: string, hosts: HostShape[], devices: number, seed: number, options: {deviceCapacity?: number; concurrency?: number} = {}): Fleet {
	const next = random(seed);
	const jobs: Job[] = [{name: 'pre-device-hook', duration: 5, after: []}];
	const backups: string[] = [];
	for (const {host, volumes, sizes: [low, high]} of hosts) {
		jobs.push({name: `live/${host}`, duration: 2, after: []});
		for (let v = 0; v < volumes; v++) {
			const volume = `${host}/v${v}`;
			jobs.push({name: `pre-volume-hook/${volume}`, duration: 3, after: [`live/${host}`]});
			const records: string[] = [];
			for (let d = 0; d < devices; d++) {
				const target = `${volume}/d${d}`;
				jobs.push(
					{name: `underway/${target}`, duration: 1, after: ['pre-device-hook', `pre-volume-hook/${volume}`]},
					{name: `backup/${target}`, duration: Math.round(low + (next() * (high - low))), after: [`underway/${target}`], resources: [`device:d${d}`, `group:${host}`]},
					{name: `record-backup/${target}`, duration: 1, after: [`backup/${target}`], always: true},
				);
				backups.push(`backup/${target}`);
				records.push(`record-backup/${target}`);
			}

			jobs.push({name: `post-volume-hook/${volume}`, duration: 3, after: records, always: true});
		}
	}

	jobs.push({name: 'post-device-hook', duration: 5, after: backups, always: true});
	const capacities: Record<string, number> = {};
	for (let d = 0; d < devices; d++) {
		capacities[`device:d${d}`] = options.deviceCapacity ?? 1;
	}

	return {name, jobs, capacities, ...(options.concurrency === undefined ? {} : {concurrency: options.concurrency})};
}

function hostsOf(count: number, volumes: number, sizes: [number, number]): HostShape[] {
	return Array.from({length: count}, (_, index) => ({host: `host${String(index).padStart(2, '0')}`, volumes, sizes}));
}

function fleets(): Fleet[] {
	const skewed = hostsOf(12, 2, [20, 100]);
	skewed[7] = {host: 'host07', volumes: 12, sizes: [150, 300]};
	return [
		fleet('even', hostsOf(24, 3, [20, 200]), 2, 1),
		fleet('one big host', skewed, 2, 2),
		fleet('wide devices', hostsOf(40, 2, [10, 300]), 3, 3, {deviceCapacity: 2}),
		fleet('--jobs 4', hostsOf(30, 2, [10, 200]), 4, 4, {deviceCapacity: 2, concurrency: 4}),
	];
}

/** max(critical path, each resource's work / capacity, all work / concurrency). */
function lowerBound({jobs, capacities, concurrency}: Fleet): number {
	const finish = new Map<string, number>();
	const load = new Map<string, number>();
	let total = 0;
	for (const job of jobs) {
		const start = Math.max(0, ...job.after.map(name => finish.get(name)!));
		finish.set(job.name, start + job.duration);
		total += job.duration;
		for (const resource of job.resources ?? []) {
			load.set(resource, (load.get(resource) ?? 0) + job.duration);
		}
	}

	const busiest = Math.max(...[...load].map(([resource, work]) => work / (capacities[resource] ?? 1)));
	return Math.max(...finish.values(), busiest, concurrency === undefined ? 0 : total / concurrency);
}

async function simulate({jobs, capacities, concurrency}: Fleet, useEstimates = true): Promise<number> {
	const clock = new VirtualClock();
	const specs: ActionSpec[] = jobs.map(job => ({
		name: job.name,
		after: job.after.map((from): Edge => ({from, kind: job.always ? 'always' : 'success'})),
		resources: job.resources ?? [],
		estimate: useEstimates ? job.duration : 0,
		body: async () => clock.sleep(job.duration),
	}));
	const engine = new Engine(specs, {capacities, now: () => clock.now, ...(concurrency === undefined ? {} : {concurrency})});
	let done = false;
	const run = engine.run().then(() => {
		done = true;
	});
	while (!done) {
		// Let every reaction to the last wake-up run before time moves on.
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		if (!done && !clock.advance()) {
			throw new Error('makespan: the simulation stalled with actions unfinished');
		}
	}

	await run;
	const failed = engine.snapshot().filter(info => info.state !== 'succeeded');
	if (failed.length > 0) {
		throw new Error(`makespan: ${failed.length} actions did not succeed`);
	}

	return clock.now;
}

export default async function bench(): Promise<BenchResult[]> {
	const results: BenchResult[] = [];
	for (const simulated of fleets()) {
		const makespan = await simulate(simulated);
		const bound = lowerBound(simulated);
		const backups = simulated.jobs.filter(job => job.resources).length;
		results.push({
			name: `makespan: ${simulated.name}`,
			value: makespan,
			unit: 'time units',
			baseline: bound,
			ratio: makespan / bound,
			note: `${backups} backups; vs lower bound; target ≤ 1.05`,
		});
	}

	// The same skewed fleet without duration estimates (ready actions by name
	// only): what critical-path ordering buys.
	const skewed = fleets()[1]!;
	const blind = await simulate(skewed, false);
	const bound = lowerBound(skewed);
	results.push({
		name: 'makespan: one big host, no estimates',
		value: blind,
		unit: 'time units',
		baseline: bound,
		ratio: blind / bound,
		note: 'for comparison: order by name alone',
	});
	return results;
}
