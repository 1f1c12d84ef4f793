import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {Engine} from '../../src/engine/engine.js';
import type {ActionBody} from '../../src/engine/types.js';
import {gate, reached, states} from './helpers.js';

const day = 86_400_000;

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

/** A body that runs until its signal aborts. */
const untilAborted: ActionBody = async context => new Promise<void>(resolve => {
	context.signal.addEventListener('abort', () => {
		resolve();
	});
});

describe('deadlines and backoff beyond Node\'s timer limit', () => {
	test('a deadline of 30 days does not fire early, and fires at 30 days', async () => {
		const engine = new Engine([{name: 'remove/b1', body: untilAborted}, {name: 'other', body: untilAborted}]);
		const run = engine.run();
		engine.deadline(30 * day, 'remove/**');
		await vi.advanceTimersByTimeAsync((30 * day) - 1);
		expect(states(engine)).toEqual({'remove/b1': 'running', other: 'running'});
		await vi.advanceTimersByTimeAsync(1);
		expect(states(engine)).toEqual({'remove/b1': 'cancelled', other: 'running'});
		engine.cancel('other');
		await run;
	});

	test('the deadline option of 30 days', async () => {
		const engine = new Engine([{name: 'backup', body: untilAborted}], {deadline: 30 * day});
		const run = engine.run();
		await vi.advanceTimersByTimeAsync((30 * day) - 1);
		expect(engine.info('backup')?.state).toBe('running');
		await vi.advanceTimersByTimeAsync(1);
		await run;
		expect(engine.info('backup')).toMatchObject({state: 'cancelled', message: 'deadline passed'});
	});

	test('an automatic retry 30 days away waits 30 days', async () => {
		const engine = new Engine([{name: 'flaky', body: async context => (context.attempt === 1 ? {state: 'failed', transient: true} : undefined)}], {retries: 1, backoff: 60 * day});
		const run = engine.run();
		await reached(engine, 'flaky', 'retry_wait');
		await vi.advanceTimersByTimeAsync(day);
		expect(engine.info('flaky')?.state).toBe('retry_wait');
		await vi.advanceTimersByTimeAsync(60 * day);
		await run;
		expect(engine.info('flaky')).toMatchObject({state: 'succeeded', attempt: 2});
	});
});

describe('a deadline\'s scope', () => {
	test('an action added in the scope of a deadline that fired is cancelled too', async () => {
		const finding = gate();
		const ran: string[] = [];
		const engine = new Engine([
			{name: 'find-prunable', body: async () => finding.promise},
			{name: 'remove/b1', body: untilAborted},
			{name: 'log-prunable', after: [{from: 'remove/**', kind: 'always'}, {from: 'find-prunable', kind: 'always'}], body: async () => undefined},
		]);
		const run = engine.run();
		engine.deadline(1000, 'remove/**');
		await vi.advanceTimersByTimeAsync(1000);
		expect(engine.info('remove/b1')?.state).toBe('cancelled');
		engine.add({name: 'remove/b2', body: async () => {
			ran.push('remove/b2');
		}});
		finding.open();
		await run;
		expect(ran).toEqual([]);
		expect(engine.info('remove/b2')).toMatchObject({state: 'cancelled', message: 'deadline passed'});
		expect(engine.info('log-prunable')?.state).toBe('succeeded');
	});

	test('after a run-wide deadline, an added action is cancelled but added clean-up runs', async () => {
		const finding = gate();
		const engine = new Engine([{name: 'find', body: async () => finding.promise}, {name: 'work', body: untilAborted}], {deadline: 1000});
		const run = engine.run();
		await vi.advanceTimersByTimeAsync(1000);
		engine.add({name: 'late', body: async () => undefined});
		engine.add({name: 'tidy', cleanup: true, body: async () => undefined});
		finding.open();
		await run;
		expect(states(engine)).toMatchObject({late: 'cancelled', tidy: 'succeeded'});
	});
});
