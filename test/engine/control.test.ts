import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {Engine, GraphError} from '../../src/engine/engine.js';
import type {ActionBody} from '../../src/engine/types.js';
import {runProcess} from '../../src/process/run-process.js';
import {processGone, waitFor} from '../helpers/wait.js';
import {
	engineWithEvents, gate, reached, Recorder, stateHistory, states,
} from './helpers.js';

let directory: string;

beforeEach(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'rsdeck-engine-'));
});

afterEach(async () => {
	vi.useRealTimers();
	await rm(directory, {recursive: true, force: true});
});

/** A body running a real `sleep 100`; its pid lands in `directory/NAME.pid`. */
const sleeper: ActionBody = async context => {
	const pidFile = path.join(directory, `${context.name.replaceAll('/', '_')}.pid`);
	const result = await runProcess(['sh', '-c', 'echo $$ > "$0"; exec sleep 100', pidFile], {signal: context.signal, killGrace: 1000});
	return {state: result.exitCode === 0 ? 'succeeded' : 'failed', detail: {waitStatus: result.waitStatus}};
};

async function sleeperPid(name: string): Promise<number> {
	let pid = 0;
	await waitFor(async () => {
		pid = Number.parseInt(await readFile(path.join(directory, `${name.replaceAll('/', '_')}.pid`), 'utf8').catch(() => ''), 10);
		return pid > 0;
	});
	return pid;
}

describe('ordering among ready actions', () => {
	test('higher priority first', async () => {
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'low', priority: 0, body: recorder.body()},
			{name: 'high', priority: 5, body: recorder.body()},
			{name: 'middle', priority: 2, body: recorder.body()},
		], {concurrency: 1});
		await engine.run();
		expect(recorder.started).toEqual(['high', 'middle', 'low']);
	});

	test('then the longest expected remaining path, then the name', async () => {
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'a-short', estimate: 50, resources: ['device:d'], body: recorder.body()},
			{name: 'b-chain', estimate: 1, resources: ['device:d'], body: recorder.body()},
			{name: 'b-chain-rest', estimate: 100, after: ['b-chain'], body: recorder.body()},
			{name: 'c-tie', estimate: 50, resources: ['device:d'], body: recorder.body()},
			{name: 'z-first', estimate: 0, priority: 1, resources: ['device:d'], body: recorder.body()},
		]);
		await engine.run();
		expect(recorder.started).toEqual(['z-first', 'b-chain', 'b-chain-rest', 'a-short', 'c-tie']);
	});
});

describe('cancel', () => {
	test('cancelling a pending action cancels its success dependents; always dependents still run', async () => {
		const recorder = new Recorder();
		const first = gate();
		const engine = new Engine([
			{name: 'a', body: recorder.body(undefined, async () => first.promise)},
			{name: 'b', after: ['a'], body: recorder.body()},
			{name: 'c', after: ['b'], body: recorder.body()},
			{name: 'cleanup', after: [{from: 'b', kind: 'always'}, {from: 'a', kind: 'always'}], body: recorder.body()},
		]);
		const run = engine.run();
		await reached(engine, 'a', 'running');
		engine.cancel('b');
		expect(states(engine)).toMatchObject({b: 'cancelled', c: 'cancelled', cleanup: 'pending'});
		first.open();
		await run;
		expect(states(engine)).toEqual({a: 'succeeded', b: 'cancelled', c: 'cancelled', cleanup: 'succeeded'});
		expect(recorder.started).toEqual(['a', 'cleanup']);
	});

	test('cancelling a ready action waiting for a resource', async () => {
		const recorder = new Recorder();
		const first = gate();
		const engine = new Engine([
			{name: 'a', priority: 2, resources: ['device:d'], body: recorder.body(undefined, async () => first.promise)},
			{name: 'b', priority: 1, resources: ['device:d'], body: recorder.body()},
			{name: 'c', resources: ['device:d'], body: recorder.body()},
		]);
		const run = engine.run();
		await reached(engine, 'a', 'running');
		expect(engine.info('b')?.state).toBe('ready');
		engine.cancel('b');
		first.open();
		await run;
		expect(states(engine)).toEqual({a: 'succeeded', b: 'cancelled', c: 'succeeded'});
		expect(recorder.started).toEqual(['a', 'c']);
	});

	test('cancelling a running action kills its process, and clean-up runs', async () => {
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'backup/h1', body: sleeper},
			{name: 'after', after: ['backup/h1'], body: recorder.body()},
			{name: 'record/h1', after: [{from: 'backup/h1', kind: 'always'}], body: recorder.body()},
		]);
		const run = engine.run();
		const pid = await sleeperPid('backup/h1');
		engine.cancel('backup/*');
		await run;
		expect(states(engine)).toEqual({'backup/h1': 'cancelled', after: 'cancelled', 'record/h1': 'succeeded'});
		expect(engine.info('backup/h1')).toMatchObject({message: 'cancelled', detail: {waitStatus: 15}});
		await waitFor(() => processGone(pid));
	});

	test('cancelAll cancels the run but lets clean-up run', async () => {
		const recorder = new Recorder();
		const {engine, events} = engineWithEvents([
			{name: 'backup/h1', body: sleeper},
			{name: 'backup/h2', after: ['backup/h1'], body: recorder.body()},
			{name: 'post-device-hook', after: [{from: 'backup/*', kind: 'always'}], body: recorder.body()},
		]);
		const run = engine.run();
		const pid = await sleeperPid('backup/h1');
		engine.cancelAll();
		await run;
		expect(engine.cancelled).toBe(true);
		expect(states(engine)).toEqual({'backup/h1': 'cancelled', 'backup/h2': 'cancelled', 'post-device-hook': 'succeeded'});
		expect(events).toContainEqual(expect.objectContaining({type: 'run', state: 'cancelling'}));
		await waitFor(() => processGone(pid));
	});

	test('a spec says whether it is clean-up: cancelAll spares `cleanup: true` and stops `cleanup: false` despite an always edge', async () => {
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'identify', body: recorder.body()},
			{name: 'hook', body: sleeper},
			{name: 'pre-hook', after: [{from: 'identify', kind: 'always'}, 'hook'], body: recorder.body(), cleanup: false},
			{name: 'record', after: ['hook'], body: recorder.body(), cleanup: true},
			{name: 'post', after: [{from: 'hook', kind: 'always'}], body: recorder.body()},
		]);
		const run = engine.run();
		const pid = await sleeperPid('hook');
		expect(engine.snapshot().map(info => [info.name, info.cleanup])).toEqual([
			['identify', false], ['hook', false], ['pre-hook', false], ['record', true], ['post', true],
		]);
		engine.cancelAll();
		await run;
		// `record` is spared by the cancel, then ends as its success edge requires.
		expect(states(engine)).toEqual({identify: 'succeeded', hook: 'cancelled', 'pre-hook': 'cancelled', record: 'cancelled', post: 'succeeded'});
		expect(engine.info('pre-hook')?.message).toBe('cancelled');
		expect(engine.info('record')?.message).toBe('hook cancelled');
		expect(recorder.started).toEqual(['identify', 'post']);
		await waitFor(() => processGone(pid));
	});

	test('a deadline cancels a running sleep and what has not started', async () => {
		const engine = new Engine([
			{name: 'remove/b1', resources: ['device:d'], body: sleeper},
			{name: 'remove/b2', resources: ['device:d'], body: sleeper},
			{name: 'log-prunable', after: [{from: 'remove/*', kind: 'always'}], body: async () => undefined},
		]);
		const run = engine.run();
		const pid = await sleeperPid('remove/b1');
		engine.deadline(50, 'remove/*');
		await run;
		expect(states(engine)).toEqual({'remove/b1': 'cancelled', 'remove/b2': 'cancelled', 'log-prunable': 'succeeded'});
		expect(engine.info('remove/b2')?.message).toBe('deadline passed');
		await waitFor(() => processGone(pid));
	});

	test('the deadline option cancels everything but clean-up', async () => {
		const engine = new Engine([
			{name: 'backup', body: sleeper},
			{name: 'record', after: [{from: 'backup', kind: 'always'}], body: async () => undefined},
		], {deadline: 300});
		const run = engine.run();
		const pid = await sleeperPid('backup');
		await run;
		expect(states(engine)).toEqual({backup: 'cancelled', record: 'succeeded'});
		await waitFor(() => processGone(pid));
	});
});

describe('retry', () => {
	test('a manual retry re-runs a failed action and its upstream_failed dependents', async () => {
		let attempts = 0;
		const recorder = new Recorder();
		const {engine, events} = engineWithEvents([
			{name: 'a', body: recorder.body(() => (++attempts === 1 ? {state: 'failed', message: 'first time'} : undefined))},
			{name: 'b', after: ['a'], body: recorder.body()},
			{name: 'c', after: ['b'], body: recorder.body()},
			{name: 'record', after: [{from: 'a', kind: 'always'}], body: recorder.body()},
			{name: 'other', body: recorder.body()},
		]);
		await engine.run();
		expect(states(engine)).toMatchObject({a: 'failed', b: 'upstream_failed', c: 'upstream_failed', record: 'succeeded'});
		engine.retry('c');
		await engine.settled();
		expect(states(engine)).toEqual({a: 'succeeded', b: 'succeeded', c: 'succeeded', record: 'succeeded', other: 'succeeded'});
		expect(engine.info('a')).toMatchObject({attempt: 2});
		expect(recorder.started.filter(name => name === 'other')).toHaveLength(1);
		expect(recorder.started.filter(name => name === 'record')).toHaveLength(2);
		expect(stateHistory(events, 'b')).toEqual(['pending', 'upstream_failed', 'pending', 'ready', 'running', 'succeeded']);
		expect(events.filter(event => event.type === 'run').map(event => event.type === 'run' && event.state))
			.toEqual(['started', 'finished', 'started', 'finished']);
	});

	test('transient failures are retried automatically with growing delays; the last failure does not wait', async () => {
		vi.useFakeTimers();
		const {engine, events} = engineWithEvents([
			{name: 'flaky', body: async () => ({state: 'failed', message: 'connection reset', transient: true})},
		], {retries: 2, backoff: 40, random: () => 0.5});
		const started = Date.now();
		const run = engine.run();
		await vi.runAllTimersAsync();
		await run;
		expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40);
		expect(stateHistory(events, 'flaky')).toEqual([
			'pending', 'ready', 'running', 'retry_wait', 'ready', 'running', 'retry_wait', 'ready', 'running', 'failed',
		]);
		const delays = events.flatMap(event => event.type === 'state' && event.state === 'retry_wait' ? [event.detail?.['retryIn']] : []);
		expect(delays[0]).toBeGreaterThanOrEqual(20);
		expect(delays[0]).toBeLessThanOrEqual(40);
		expect(delays[1]).toBeGreaterThanOrEqual(40);
		expect(delays[1]).toBeLessThanOrEqual(80);
		expect(delays).toEqual([30, 60]);
		expect(engine.info('flaky')).toMatchObject({state: 'failed', attempt: 3, message: 'connection reset'});
	});

	test('a transient failure that then succeeds, and no retry for a plain failure', async () => {
		const engine = new Engine([
			{name: 'flaky', body: async context => (context.attempt === 1 ? {state: 'failed', transient: true} : undefined)},
			{name: 'broken', body: async () => ({state: 'failed'})},
		], {retries: 3, backoff: 1});
		await engine.run();
		expect(engine.info('flaky')).toMatchObject({state: 'succeeded', attempt: 2});
		expect(engine.info('broken')).toMatchObject({state: 'failed', attempt: 1});
	});

	test('cancelling during the retry wait ends the action cancelled', async () => {
		const engine = new Engine([{name: 'flaky', body: async () => ({state: 'failed', transient: true})}], {retries: 1, backoff: 60_000});
		const run = engine.run();
		await reached(engine, 'flaky', 'retry_wait');
		engine.cancel('flaky');
		await run;
		expect(engine.info('flaky')?.state).toBe('cancelled');
	});
});

describe('adding actions while running', () => {
	test('a new action matching a pending glob successor holds it back', async () => {
		const recorder = new Recorder();
		const first = gate();
		const second = gate();
		const engine = new Engine([
			{name: 'backup/v1', body: recorder.body(undefined, async () => first.promise)},
			{name: 'post-hook', after: [{from: 'backup/*', kind: 'always'}], body: recorder.body()},
		]);
		const run = engine.run();
		await reached(engine, 'backup/v1', 'running');
		engine.add({name: 'backup/v2', body: recorder.body(undefined, async () => second.promise)});
		expect(() => {
			engine.add({name: 'backup/v3', after: ['post-hook'], body: recorder.body()});
		}).toThrow(new GraphError('actions form a cycle: post-hook → backup/v3 → post-hook'));
		expect(() => {
			engine.add({name: 'x', after: ['missing'], body: recorder.body()});
		}).toThrow(GraphError);
		first.open();
		await reached(engine, 'backup/v1', 'succeeded');
		expect(engine.info('post-hook')?.state).toBe('pending');
		second.open();
		await run;
		expect(recorder.started).toEqual(['backup/v1', 'backup/v2', 'post-hook']);
		expect(engine.snapshot().map(info => info.name)).toEqual(['backup/v1', 'post-hook', 'backup/v2']);
	});

	test('adding after the run finished starts it again', async () => {
		const engine = new Engine([{name: 'a', body: async () => undefined}]);
		await engine.run();
		engine.add({name: 'b', after: ['a'], body: async () => undefined});
		await engine.settled();
		expect(states(engine)).toEqual({a: 'succeeded', b: 'succeeded'});
	});
});

describe('cancelling many at once', () => {
	test('names and globs in one call; a glob reaches names with dot segments; clean-up spared when asked', async () => {
		const hold = gate();
		const recorder = new Recorder();
		const engine = new Engine([
			{name: 'first', body: recorder.body(undefined, async () => hold.promise)},
			{name: 'backup/h1/.hidden', after: ['first'], body: recorder.body()},
			{name: 'backup/h1/home', after: ['first'], body: recorder.body()},
			{name: 'other', after: ['first'], body: recorder.body()},
			{name: 'record', after: [{from: 'first', kind: 'always'}], body: recorder.body()},
			{name: 'kept', after: ['first'], body: recorder.body()},
		]);
		const run = engine.run();
		engine.cancel(['backup/h1/*', 'other', 'record'], {spareCleanup: true});
		hold.open();
		await run;
		expect(states(engine)).toEqual({
			first: 'succeeded', 'backup/h1/.hidden': 'cancelled', 'backup/h1/home': 'cancelled', other: 'cancelled', record: 'succeeded', kept: 'succeeded',
		});
	});

	test('finished: false until started, true once every action has ended, false again while a retry runs', async () => {
		const engine = new Engine([{name: 'a', body: async context => (context.attempt === 1 ? {state: 'failed'} : undefined)}]);
		expect(engine.finished).toBe(false);
		await engine.run();
		expect(engine.finished).toBe(true);
		engine.retry('a');
		expect(engine.finished).toBe(false);
		await engine.settled();
		expect(engine.finished).toBe(true);
		expect(engine.info('a')?.state).toBe('succeeded');
	});
});
