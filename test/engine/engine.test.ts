import {describe, expect, test} from 'vitest';
import {Engine} from '../../src/engine/engine.js';
import type {ActionSpec} from '../../src/engine/types.js';
import {
	engineWithEvents, gate, reached, Recorder, stateHistory, states,
} from './helpers.js';

describe('running a graph', () => {
	test('a simple run succeeds every action and reports outcomes', async () => {
		const recorder = new Recorder();
		const {engine, events} = engineWithEvents([
			{name: 'a', body: recorder.body()},
			{name: 'b', body: recorder.body({state: 'warned', message: 'rsync exit 24', detail: {rc: 24}})},
			{name: 'c', body: recorder.body({state: 'skipped', message: 'not due'})},
		]);
		await engine.run();
		expect(states(engine)).toEqual({a: 'succeeded', b: 'warned', c: 'skipped'});
		expect(engine.info('b')).toMatchObject({message: 'rsync exit 24', detail: {rc: 24}, attempt: 1});
		expect(events[0]).toMatchObject({type: 'run', state: 'started'});
		expect(events.at(-1)).toMatchObject({type: 'run', state: 'finished'});
	});

	test('a thrown error fails the action with its message', async () => {
		const engine = new Engine([{name: 'a', async body() {
			throw new Error('disk on fire');
		}}]);
		await engine.run();
		expect(engine.info('a')).toMatchObject({state: 'failed', message: 'disk on fire'});
	});

	test('an empty graph finishes at once, and settled() resolves after the run', async () => {
		const engine = new Engine([]);
		await engine.run();
		await engine.settled();
		expect(engine.snapshot()).toEqual([]);
	});

	test('events go pending → ready → running → terminal for each action, in order', async () => {
		const {engine, events} = engineWithEvents([
			{name: 'a', body: async () => undefined},
			{name: 'b', after: ['a'], body: async () => ({state: 'failed', message: 'no'})},
			{name: 'c', after: ['b'], body: async () => undefined},
		]);
		await engine.run();
		expect(stateHistory(events, 'a')).toEqual(['pending', 'ready', 'running', 'succeeded']);
		expect(stateHistory(events, 'b')).toEqual(['pending', 'ready', 'running', 'failed']);
		expect(stateHistory(events, 'c')).toEqual(['pending', 'upstream_failed']);
		const times = events.map(event => event.time);
		expect(times).toEqual([...times].sort((x, y) => x - y));
	});

	test('output, progress and describe reach the events and the action', async () => {
		const {engine, events} = engineWithEvents([{name: 'a', async body(context) {
			context.log('hello\n', 'stdout');
			context.progress({fraction: 0.5, text: '50%'});
			context.describe({argv: ['rsync', '-a']});
			return {state: 'succeeded', detail: {rc: 0}};
		}}]);
		await engine.run();
		expect(events.filter(event => event.type !== 'state' && event.type !== 'run')).toMatchObject([
			{type: 'output', action: 'a', stream: 'stdout', text: 'hello\n'},
			{type: 'progress', action: 'a', progress: {fraction: 0.5}},
			{type: 'describe', action: 'a', detail: {argv: ['rsync', '-a']}},
		]);
		expect(engine.output('a')).toBe('hello\n');
		expect(engine.info('a')?.detail).toEqual({argv: ['rsync', '-a'], rc: 0});
	});

	test('output kept per action is bounded, oldest dropped', async () => {
		const engine = new Engine([{name: 'a', async body(context) {
			context.log('x'.repeat(200 * 1024));
			context.log('y'.repeat(100 * 1024));
		}}]);
		await engine.run();
		const output = engine.output('a');
		expect(output).toHaveLength(256 * 1024);
		expect(output.endsWith('y'.repeat(100 * 1024))).toBe(true);
	});
});

describe('resources and concurrency', () => {
	test('two actions sharing a resource never overlap', async () => {
		const recorder = new Recorder();
		const wait = async () => new Promise<void>(resolve => {
			setImmediate(resolve);
		});
		const engine = new Engine(['a', 'b', 'c'].map(name => ({name, resources: ['device:d1'], body: recorder.body(undefined, wait)})));
		await engine.run();
		expect(recorder.peak).toBe(1);
		expect(states(engine)).toEqual({a: 'succeeded', b: 'succeeded', c: 'succeeded'});
	});

	test('capacity N allows N at once and not N+1', async () => {
		const recorder = new Recorder();
		const release = gate();
		const names = ['a', 'b', 'c', 'd', 'e'];
		const engine = new Engine(
			names.map(name => ({name, resources: ['group:g'], body: recorder.body(undefined, async () => release.promise)})),
			{capacities: {'group:g': 3}},
		);
		const run = engine.run();
		await reached(engine, 'c', 'running');
		expect(recorder.running).toBe(3);
		expect(engine.snapshot().filter(info => info.state === 'ready')).toHaveLength(2);
		release.open();
		await run;
		expect(recorder.peak).toBe(3);
	});

	test('an action takes all its resources at once or none', async () => {
		const recorder = new Recorder();
		const first = gate();
		const engine = new Engine([
			{name: 'holds-d1', resources: ['d1'], priority: 2, body: recorder.body(undefined, async () => first.promise)},
			{name: 'needs-both', resources: ['d1', 'd2'], priority: 1, body: recorder.body()},
			{name: 'needs-d2', resources: ['d2'], body: recorder.body()},
		]);
		const run = engine.run();
		await reached(engine, 'needs-d2', 'succeeded');
		expect(engine.info('needs-both')?.state).toBe('ready');
		first.open();
		await run;
		expect(recorder.started).toEqual(['holds-d1', 'needs-d2', 'needs-both']);
	});

	test('global concurrency limits running actions', async () => {
		const recorder = new Recorder();
		const wait = async () => new Promise<void>(resolve => {
			setImmediate(resolve);
		});
		const engine = new Engine(
			Array.from({length: 10}, (_, index) => ({name: `a${index}`, body: recorder.body(undefined, wait)})),
			{concurrency: 2},
		);
		await engine.run();
		expect(recorder.peak).toBe(2);
		expect(recorder.started).toHaveLength(10);
	});

	test('bad options are rejected', () => {
		expect(() => new Engine([], {concurrency: 0})).toThrow(TypeError);
		expect(() => new Engine([], {capacities: {d: 0}})).toThrow(/capacity of resource `d`/);
	});
});

describe('edges', () => {
	test('dependency order is respected', async () => {
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'c', after: ['b'], body: recorder.body()},
			{name: 'b', after: ['a'], body: recorder.body()},
			{name: 'a', body: recorder.body()},
			{name: 'd', after: ['a', 'c'], body: recorder.body()},
		]);
		await engine.run();
		expect(recorder.started).toEqual(['a', 'b', 'c', 'd']);
	});

	test('a failure propagates through success edges, not through always edges', async () => {
		const recorder = new Recorder();
		const {engine, events} = engineWithEvents([
			{name: 'underway', body: recorder.body()},
			{name: 'backup', after: ['underway'], body: recorder.body({state: 'failed', message: 'rsync exit 23'})},
			{name: 'verify', after: ['backup'], body: recorder.body()},
			{name: 'later', after: ['verify'], body: recorder.body()},
			{name: 'record', after: [{from: 'backup', kind: 'always'}, 'underway'], body: recorder.body()},
		]);
		await engine.run();
		expect(states(engine)).toEqual({
			underway: 'succeeded', backup: 'failed', verify: 'upstream_failed', later: 'upstream_failed', record: 'succeeded',
		});
		expect(recorder.started).toEqual(['underway', 'backup', 'record']);
		expect(engine.info('verify')?.message).toBe('backup failed');
		expect(stateHistory(events, 'later')).toEqual(['pending', 'upstream_failed']);
	});

	test('success dependents of skipped and cancelled actions end the same way', async () => {
		const engine = new Engine([
			{name: 'identify', body: async () => ({state: 'skipped', message: 'not due'})},
			{name: 'backup', after: ['identify'], body: async () => undefined},
			{name: 'live', body: async () => undefined},
			{name: 'mounted', after: ['live'], body: async () => undefined},
		]);
		engine.cancel('live');
		await engine.run();
		expect(states(engine)).toEqual({identify: 'skipped', backup: 'skipped', live: 'cancelled', mounted: 'cancelled'});
		expect(engine.info('backup')?.message).toBe('not due');
	});

	test('glob predecessors wait for every match, and a failure among them propagates', async () => {
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'backup/h1/v1/d1', body: recorder.body()},
			{name: 'backup/h1/v2/d1', body: recorder.body({state: 'failed'})},
			{name: 'backup/h2/v1/d1', body: recorder.body()},
			{name: 'post-volume-hook/h1', after: [{from: 'backup/h1/*/*', kind: 'always'}], body: recorder.body()},
			{name: 'report/h1', after: ['backup/h1/**'], body: recorder.body()},
			{name: 'report/h2', after: ['backup/h2/**'], body: recorder.body()},
		]);
		await engine.run();
		expect(states(engine)).toMatchObject({'post-volume-hook/h1': 'succeeded', 'report/h1': 'upstream_failed', 'report/h2': 'succeeded'});
		expect(recorder.started.indexOf('post-volume-hook/h1')).toBeGreaterThan(recorder.started.indexOf('backup/h1/v2/d1'));
		expect(recorder.started.indexOf('report/h2')).toBeGreaterThan(recorder.started.indexOf('backup/h2/v1/d1'));
	});

	test('a glob matching nothing does not block', async () => {
		const engine = new Engine([{name: 'log-prunable', after: ['remove/**'], body: async () => undefined}]);
		await engine.run();
		expect(states(engine)).toEqual({'log-prunable': 'succeeded'});
	});

	test('unknown names, duplicates and cycles are rejected with the names', () => {
		const body = async () => undefined;
		expect(() => new Engine([{name: 'a', after: ['nope'], body}])).toThrow("action a comes after unknown action 'nope'");
		expect(() => new Engine([{name: 'a', body}, {name: 'a', body}])).toThrow("duplicate action name 'a'");
		expect(() => new Engine([{name: 'a', body}, {name: 'b', body}, {name: 'c', body}, {name: 'b', body}])).toThrow("duplicate action name 'b'");
		const engine = new Engine([{name: 'a', body}]);
		expect(() => {
			engine.add({name: 'a', body});
		}).toThrow("duplicate action name 'a'");
		expect(engine.snapshot()).toHaveLength(1);
		const cyclic: ActionSpec[] = [
			{name: 'x', body},
			{name: 'a', after: ['x', 'c'], body},
			{name: 'b', after: ['a'], body},
			{name: 'c', after: [{from: 'b', kind: 'always'}], body},
		];
		expect(() => new Engine(cyclic)).toThrow(/cycle: (a → b → c → a|b → c → a → b|c → a → b → c)$/);
		expect(() => new Engine([{name: 'a', after: ['a'], body}])).toThrow('actions form a cycle: a → a');
	});
});
