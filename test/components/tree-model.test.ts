import {describe, expect, test} from 'vitest';
import type {ActionInfo} from '../../src/engine/types.js';
import {makeFilter} from '../../components/action-filter.js';
import {
	TreeModel,
	groupState,
	principalAction,
	type GroupNode,
	type TreeRow,
} from '../../components/tree-model.js';
import {backupRun, dataOf} from './fake-run-source.js';

function infos(names: readonly string[]): ActionInfo[] {
	return names.map(name => ({name, state: 'pending', attempt: 0, cleanup: false, data: dataOf(name), detail: {}}));
}

function labels(rows: readonly TreeRow[]): string[] {
	return rows.map(row => `${'  '.repeat(row.depth)}${row.node.label}`);
}

const allOpen = {isOpen: () => true};

describe('TreeModel', () => {
	test('places actions by their data, with run-level actions in a run group first', () => {
		const model = new TreeModel(infos(['post-device-hook', 'live/h2', 'backup/h1/home/d1', 'remove/h1/home/d1/1980-01-01T00:00:00', 'live/h1', 'check-stores']));
		expect(labels(model.rows(allOpen))).toEqual([
			'run',
			'  check-stores',
			'  post-device-hook',
			'h1',
			'  live',
			'  home',
			'    d1',
			'      backup',
			'      remove 1980-01-01T00:00:00',
			'h2',
			'  live',
		]);
	});

	test('keeps per-state counts in every group above an action as events arrive', () => {
		const model = new TreeModel(infos(backupRun(['h1/home', 'h1/etc'], ['d1'])));
		const time = 1000;
		model.apply({type: 'state', action: 'backup/h1/home/d1', state: 'running', previous: 'pending', attempt: 1, time});
		const device = model.group('device:h1:home:d1')!;
		const host = model.group('host:h1')!;
		expect(device.counts.running).toBe(1);
		expect(host.counts.running).toBe(1);
		expect(model.root.counts.running).toBe(1);
		expect(model.running.size).toBe(1);
		model.apply({type: 'state', action: 'backup/h1/home/d1', state: 'failed', previous: 'running', attempt: 1, time: time + 500, message: 'rsync exited 23', detail: {exitStatus: 23}});
		expect(model.root.counts.running).toBe(0);
		expect(model.running.size).toBe(0);
		expect(host.counts.failed).toBe(1);
		expect(model.group('volume:h1:etc')!.counts.failed).toBe(0);
		expect(groupState(host)).toBe('failed');
		expect(device.firstStart).toBe(1000);
		expect(device.lastEnd).toBe(1500);
		const backup = model.action('backup/h1/home/d1')!;
		expect(backup).toMatchObject({state: 'failed', attempt: 1, message: 'rsync exited 23', detail: {exitStatus: 23}, startedAt: 1000, endedAt: 1500});
		expect(principalAction(device)).toBe(backup);
	});

	test('a manual retry clears the old attempt and marks the new one in the output', () => {
		const model = new TreeModel(infos(['backup/h1/home/d1']));
		const apply = (state: 'running' | 'failed' | 'pending', attempt: number, previous: 'running' | 'failed' | 'pending', time: number) => {
			model.apply({type: 'state', action: 'backup/h1/home/d1', state, previous, attempt, time, ...(state === 'failed' ? {message: 'boom'} : {})});
		};

		apply('running', 1, 'pending', 1);
		model.apply({type: 'progress', action: 'backup/h1/home/d1', progress: {fraction: 0.5}, time: 2});
		model.apply({type: 'output', action: 'backup/h1/home/d1', stream: 'stderr', text: 'first try\n', time: 2});
		apply('failed', 1, 'running', 3);
		apply('pending', 1, 'failed', 4);
		const backup = model.action('backup/h1/home/d1')!;
		expect(backup.message).toBeUndefined();
		expect(backup.endedAt).toBeUndefined();
		apply('running', 2, 'pending', 5);
		expect(backup).toMatchObject({state: 'running', attempt: 2, startedAt: 5});
		expect(backup.progress).toBeUndefined();
		expect(backup.output.lines.map(line => line.text)).toEqual(['first try', '── attempt 2 ──']);
		expect(model.root.counts).toMatchObject({running: 1, failed: 0, pending: 0});
	});

	test('adds actions it first hears of in an event, and knows the run phase', () => {
		const model = new TreeModel([]);
		expect(model.run.state).toBe('waiting');
		model.apply({type: 'run', state: 'started', time: 10});
		model.apply({type: 'describe', action: 'pre-volume-hook/h9/srv', detail: {command: ['snap']}, time: 11});
		expect(model.action('pre-volume-hook/h9/srv')).toMatchObject({kind: 'pre-volume-hook', detail: {command: ['snap']}});
		expect(model.group('volume:h9:srv')!.counts.pending).toBe(1);
		model.apply({type: 'run', state: 'finished', time: 20});
		expect(model.run).toEqual({state: 'finished', startedAt: 10, finishedAt: 20});
	});

	test('folded groups hide their children; a filter shows every match with the groups that lead to it', () => {
		const model = new TreeModel(infos(backupRun(['h1/home', 'h2/var'], ['d1'])));
		model.apply({type: 'state', action: 'live/h2', state: 'skipped', previous: 'pending', attempt: 0, time: 1});
		const rows = model.rows({isOpen: group => group.level !== 'device' && group.label !== 'h2'});
		expect(labels(rows)).toContain('h2');
		expect(labels(rows)).not.toContain('    backup');
		expect(labels(rows).filter(label => label.trim() === 'live')).toHaveLength(1);
		expect(labels(model.rows({isOpen: () => false, filter: makeFilter('skipped')}))).toEqual(['h2', '  live']);
		expect(labels(model.rows({isOpen: () => false, filter: makeFilter('BACKUP/H1/*/*')}))).toEqual([]);
		expect(labels(model.rows({isOpen: () => false, filter: makeFilter('backup/h1/*/*')}))).toEqual(['h1', '  home', '    d1', '      backup']);
		expect(labels(model.rows({isOpen: () => false, filter: makeFilter('H1/HOME/D1')}))).toEqual(['h1', '  home', '    d1', '      identify', '      underway', '      backup', '      record-backup']);
		expect(makeFilter('  ')).toBeUndefined();
	});
});

test('principalAction stands for a quiet group by its backup; a group without actions of its own has none', () => {
	const model = new TreeModel(infos(['identify/h1/home/d1', 'backup/h1/home/d1']));
	expect(principalAction(model.group('device:h1:home:d1')!)?.name).toBe('backup/h1/home/d1');
	expect(principalAction(model.group('host:h1')!)).toBeUndefined();
});

test('refold rebuilds one group\'s rows as the whole tree\'s would be built, folded or unfolded', () => {
	const model = new TreeModel(infos(backupRun(['h1/home', 'h1/etc', 'h2/var'], ['d1', 'd2'])));
	const folds = new Map<string, boolean>();
	const isOpen = (group: GroupNode) => folds.get(group.key) ?? group.level !== 'device';
	let rows = model.rows({isOpen});
	for (const key of ['device:h1:home:d2', 'volume:h1:etc', 'host:h2', 'device:h1:home:d2', 'host:h2', 'volume:h1:etc', 'host:h1']) {
		const at = rows.findIndex(row => row.node.key === key);
		expect(at).toBeGreaterThanOrEqual(0);
		folds.set(key, !isOpen(rows[at]!.node as GroupNode));
		rows = model.refold(rows, at, isOpen);
		expect(rows).toEqual(model.rows({isOpen}));
	}
});
