import {describe, expect, test} from 'vitest';
import type {ActionInfo} from '../../src/engine/types.js';
import {retryTargets, cancelTargets} from '../../components/run-targets.js';
import {summarizeRun} from '../../components/run-summary.js';
import {TreeModel, actionsUnder} from '../../components/tree-model.js';
import {backupRun, dataOf} from './fake-run-source.js';

function infos(names: readonly string[]): ActionInfo[] {
	return names.map(name => ({name, state: 'pending', attempt: 0, cleanup: false, data: dataOf(name), detail: {}}));
}

describe('run targets', () => {
	test('retry and cancel targets are exact names from the model, in tree order', () => {
		const model = new TreeModel(infos(backupRun(['h1/home', 'h1/etc'], ['d1'])));
		const set = (name: string, state: 'failed' | 'cancelled' | 'running' | 'succeeded') => {
			model.apply({type: 'state', action: name, state, previous: model.action(name)!.state, attempt: 1, time: 1});
		};

		set('backup/h1/home/d1', 'failed');
		set('post-volume-hook/h1/etc', 'cancelled');
		set('live/h1', 'succeeded');
		set('record-backup/h1/home/d1', 'running');
		// Volumes sort by name: etc before home.
		expect(retryTargets(model.group('host:h1')!)).toEqual(['post-volume-hook/h1/etc', 'backup/h1/home/d1']);
		expect(retryTargets(model.group('volume:h1:home')!)).toEqual(['backup/h1/home/d1']);
		expect(cancelTargets(model.group('device:h1:home:d1')!)).toEqual(['identify/h1/home/d1', 'underway/h1/home/d1', 'record-backup/h1/home/d1']);
		const summary = summarizeRun(model.root);
		expect(summary.failed).toEqual(['backup/h1/home/d1']);
		expect(summary.counts.map(count => count.state)).toEqual(['failed', 'cancelled', 'running', 'pending', 'succeeded']);
		expect([...actionsUnder(model.root)]).toHaveLength(model.size);
	});
});
