import {describe, expect, test} from 'vitest';
import {applyCommand, isGroupOpen, type CommandContext, type RunViewState} from '../../components/run-commands.js';
import {TreeModel} from '../../components/tree-model.js';
import {backupRun, FakeRunSource} from './fake-run-source.js';

/** A context over a real tree of one backup run, with every row shown; `update` patches the state it returns. */
function contextFor(patch: Partial<RunViewState> = {}, selected = 'host:h1'): {context: CommandContext; state: RunViewState; source: FakeRunSource; exits: number[]} {
	const names = backupRun(['h1/home'], ['d1']);
	const source = new FakeRunSource(names);
	const model = new TreeModel(source.snapshot());
	const rows = model.rows({isOpen: () => true});
	const state: RunViewState = {folds: new Map(), mode: 'tree', filter: '', editingFilter: false, follow: false, scroll: 0, selected, ...patch};
	const exits: number[] = [];
	const context: CommandContext = {
		state,
		rows,
		index: rows.findIndex(row => row.node.key === selected),
		detail: undefined,
		maxScroll: 50,
		pageSize: 10,
		model,
		source,
		working: true,
		update(change) {
			Object.assign(state, change);
		},
		exit() {
			exits.push(1);
		},
	};
	return {context, state, source, exits};
}

describe('applyCommand', () => {
	test('down moves the selection one row and stops following', () => {
		const {context, state} = contextFor({follow: true});
		applyCommand('down', context);
		expect(state.selected).toBe(context.rows[context.index + 1]!.node.key);
		expect(state.follow).toBe(false);
	});

	test('fold closes an open group; on a closed one it goes to the parent', () => {
		const {context, state} = contextFor({}, 'volume:h1:home');
		applyCommand('fold', context);
		expect(state.folds.get('volume:h1:home')).toBe(false);
		const closed = contextFor({folds: new Map([['volume:h1:home', false]])}, 'volume:h1:home');
		applyCommand('fold', closed.context);
		expect(closed.state.selected).toBe('host:h1');
	});

	test('cancel on a group where nothing runs cancels every unfinished action by name, without asking', () => {
		const {context, state, source} = contextFor({}, 'device:h1:home:d1');
		applyCommand('cancel', context);
		expect(state.confirm).toBeUndefined();
		expect(source.cancelled).toEqual(['identify/h1/home/d1', 'underway/h1/home/d1', 'backup/h1/home/d1', 'record-backup/h1/home/d1']);
	});

	test('retry with nothing failed says so and retries nothing', () => {
		const {context, state, source} = contextFor();
		applyCommand('retry', context);
		expect(source.retried).toEqual([]);
		expect(state.notice).toBe('nothing failed here to retry');
	});

	test('quit asks while work runs, and y exits', () => {
		const {context, state, exits} = contextFor();
		applyCommand('quit', context);
		expect(exits).toEqual([]);
		state.confirm?.yes();
		expect(exits).toEqual([1]);
	});

	test('in the detail pane the movement keys scroll the output, within its length', () => {
		const {context, state} = contextFor({mode: 'detail', scroll: 45});
		applyCommand('page-up', context);
		expect(state.scroll).toBe(50);
		applyCommand('bottom', context);
		expect(state.scroll).toBe(0);
	});
});

test('isGroupOpen: as the operator folded it, else open down to the volumes', () => {
	const model = new TreeModel(new FakeRunSource(backupRun(['h1/home'], ['d1'])).snapshot());
	expect(isGroupOpen(new Map(), model.group('volume:h1:home')!)).toBe(true);
	expect(isGroupOpen(new Map(), model.group('device:h1:home:d1')!)).toBe(false);
	expect(isGroupOpen(new Map([['device:h1:home:d1', true]]), model.group('device:h1:home:d1')!)).toBe(true);
});
