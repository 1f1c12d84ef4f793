import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import {
	applyBrowseCommand,
	applyEditKey,
	browseCommandForKey,
	browseState,
	currentScreen,
	isEditing,
	reselected,
	restoreEnded,
	visibleEntries,
	type BrowseState,
	type Focus,
} from '../../components/browse-model.js';
import type {Snapshot} from '../../components/browse-source.js';

const noKey: Key = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false};
const key = (patch: Partial<Key>): Key => ({...noKey, ...patch});
const snapshot: Snapshot = {id: '2026-11-29T01:00:00', device: 'd1', time: 0, status: 'complete', path: '/store/h/v/2026-11-29T01:00:00'};
const focus = (patch: Partial<Focus> = {}): Focus => ({count: 10, height: 5, ...patch});

/** Apply commands in turn; each must stay in the browser. */
function after(state: BrowseState, ...steps: Array<[Parameters<typeof applyBrowseCommand>[1], Partial<Focus>?]>): BrowseState {
	let current = state;
	for (const [command, patch] of steps) {
		const next = applyBrowseCommand(current, command, focus(patch));
		if (next === 'exit') {
			throw new Error(`${command} left the browser`);
		}

		current = next;
	}

	return current;
}

const inDirectory = (path = ''): BrowseState => {
	const opened = after(browseState('h', 'v'), ['open', {snapshot}]);
	return path === '' ? opened : after(opened, ...path.split('/').map(name => ['in', {entry: {name, type: 'dir'}}] as [('in'), Partial<Focus>]));
};

describe('keys', () => {
	test('arrows, vi letters, Enter, Esc and the browser\'s letters', () => {
		expect(browseCommandForKey('', key({upArrow: true}))).toBe('up');
		expect(browseCommandForKey('j', noKey)).toBe('down');
		expect(browseCommandForKey('', key({leftArrow: true}))).toBe('out');
		expect(browseCommandForKey('h', noKey)).toBe('out');
		expect(browseCommandForKey('', key({rightArrow: true}))).toBe('in');
		expect(browseCommandForKey('l', noKey)).toBe('in');
		expect(browseCommandForKey('', key({return: true}))).toBe('open');
		expect(browseCommandForKey('', key({escape: true}))).toBe('back');
		expect(['/', 'v', 'd', 'r', 'c', 'x'].map(letter => browseCommandForKey(letter, noKey))).toEqual(['filter', 'versions', 'diff', 'restore', 'cancel', undefined]);
	});
});

describe('screens', () => {
	test('Esc on the backups list leaves the browser; a backup opens only when the view says it can be read', () => {
		const state = browseState('h', 'v');
		expect(applyBrowseCommand(state, 'back', focus())).toBe('exit');
		expect(applyBrowseCommand(state, 'open', focus())).toBe(state);
		expect(currentScreen(inDirectory())).toMatchObject({kind: 'directory', snapshot, path: ''});
	});

	test('in and out walk the directories in one screen; Enter on a directory goes in, on a file shows its versions', () => {
		const deep = inDirectory('etc/nginx');
		expect(deep.screens).toHaveLength(2);
		expect(currentScreen(deep)).toMatchObject({path: 'etc/nginx', selected: 0});
		expect(currentScreen(after(deep, ['out']))).toMatchObject({path: 'etc'});
		expect(currentScreen(after(deep, ['out'], ['out'], ['out']))).toMatchObject({path: ''});
		expect(after(deep, ['in', {entry: {name: 'nginx.conf', type: 'file'}}])).toEqual(deep);
		expect(currentScreen(after(deep, ['open', {entry: {name: 'conf.d', type: 'dir'}}]))).toMatchObject({kind: 'directory', path: 'etc/nginx/conf.d'});
		expect(currentScreen(after(deep, ['open', {entry: {name: 'nginx.conf', type: 'file'}}]))).toMatchObject({kind: 'versions', path: 'etc/nginx/nginx.conf'});
		expect(after(deep, ['back']).screens).toHaveLength(1);
	});

	test('going up asks for the directory just left to be selected; the listing grants it, or a move cancels it', () => {
		const up = after(inDirectory('etc/nginx'), ['out']);
		expect(currentScreen(up)).toMatchObject({path: 'etc', reselect: 'nginx', selected: 0});
		// Not among the rows read so far: still wanted; once found, selected and in view.
		expect(reselected(up, -1, 5, 256, false)).toBe(up);
		expect(currentScreen(reselected(up, 7, 5, 300, false))).toMatchObject({selected: 7, top: 3, reselect: undefined});
		// Absent from the whole listing: the wish is dropped, the first row stays selected.
		expect(currentScreen(reselected(up, -1, 5, 300, true))).toMatchObject({selected: 0, reselect: undefined});
		expect(currentScreen(after(up, ['down']))).not.toHaveProperty('reselect');
		expect(currentScreen(after(up, ['in', {entry: {name: 'ssh', type: 'dir'}}]))).toMatchObject({path: 'etc/ssh', reselect: undefined});
	});

	test('moving clamps to the list and keeps the selection in the window', () => {
		const moved = after(inDirectory(), ['down'], ['down'], ['down'], ['down'], ['down'], ['down']);
		expect(currentScreen(moved)).toMatchObject({selected: 6, top: 2});
		expect(currentScreen(after(moved, ['bottom']))).toMatchObject({selected: 9, top: 5});
		expect(currentScreen(after(moved, ['bottom'], ['down']))).toMatchObject({selected: 9});
		expect(currentScreen(after(moved, ['page-up']))).toMatchObject({selected: 2, top: 2});
		expect(currentScreen(after(moved, ['top'], ['up']))).toMatchObject({selected: 0, top: 0});
	});

	test('v on an entry and d in a directory; Enter on a version opens its backup at the entry\'s directory', () => {
		const directory = inDirectory('etc');
		const versions = after(directory, ['versions', {entry: {name: 'hosts', type: 'file'}}]);
		expect(currentScreen(versions)).toMatchObject({kind: 'versions', path: 'etc/hosts'});
		const older = {...snapshot, id: '2026-11-20T01:00:00'};
		expect(currentScreen(after(versions, ['open', {snapshot: older}]))).toMatchObject({kind: 'directory', snapshot: older, path: 'etc', reselect: 'hosts'});
		expect(after(versions, ['open'])).toEqual(versions);
		const diff = after(directory, ['diff']);
		expect(currentScreen(diff)).toMatchObject({kind: 'diff', path: 'etc', snapshot});
		expect(currentScreen(after(diff, ['open', {path: 'etc/hosts'}]))).toMatchObject({kind: 'versions', path: 'etc/hosts'});
		expect(after(diff, ['back'])).toEqual(directory);
	});
});

describe('filter', () => {
	test('/ edits the filter, Enter keeps it, Esc clears it; the listing sorts directories first', () => {
		let state = after(inDirectory(), ['down'], ['filter']);
		expect(isEditing(state)).toBe(true);
		for (const letter of 'NGx') {
			state = applyEditKey(state, letter, noKey).state;
		}

		state = applyEditKey(state, '', key({backspace: true})).state;
		expect(currentScreen(state)).toMatchObject({filter: 'NG', selected: 0});
		state = applyEditKey(state, '', key({return: true})).state;
		expect(isEditing(state)).toBe(false);
		expect(currentScreen(state)).toMatchObject({filter: 'NG', filtering: false});
		const entries = [{name: 'nginx.conf', type: 'file'}, {name: 'hosts', type: 'file'}, {name: 'nginx', type: 'dir'}, {name: 'a-nginx', type: 'file'}] as const;
		expect(visibleEntries([...entries], 'NG').map(entry => entry.name)).toEqual(['nginx', 'a-nginx', 'nginx.conf']);
		// Esc with a filter set clears it first, then leaves the snapshot.
		state = after(state, ['back']);
		expect(currentScreen(state)).toMatchObject({kind: 'directory', filter: ''});
		expect(after(state, ['back']).screens).toHaveLength(1);
		const editing = after(inDirectory(), ['filter']);
		expect(currentScreen(applyEditKey(applyEditKey(editing, 'x', noKey).state, '', key({escape: true})).state)).toMatchObject({filter: '', filtering: false});
	});
});

describe('restore', () => {
	test('r prefills a new directory named after the backup; Enter starts, not with an empty target; Esc is refused while it runs', () => {
		const state = after(inDirectory('etc'), ['restore', {entry: {name: 'hosts', type: 'file'}}]);
		expect(currentScreen(state)).toMatchObject({kind: 'restore', path: 'etc/hosts', target: './rsdeck-restore-h-v-2026-11-29T01:00:00/', phase: 'prompt'});
		expect(isEditing(state)).toBe(true);
		let emptied = state;
		for (let count = 0; count < 60; count++) {
			emptied = applyEditKey(emptied, '', key({backspace: true})).state;
		}

		expect(applyEditKey(emptied, '', key({return: true}))).toEqual({state: emptied});
		const started = applyEditKey(state, '', key({return: true}));
		expect(started.start).toBe(true);
		expect(currentScreen(started.state)).toMatchObject({phase: 'running'});
		expect(after(started.state, ['back'])).toEqual(started.state);
		const ended = restoreEnded(started.state);
		expect(currentScreen(ended)).toMatchObject({phase: 'done'});
		expect(currentScreen(after(ended, ['back']))).toMatchObject({kind: 'directory', path: 'etc'});
		expect(currentScreen(applyEditKey(state, '', key({escape: true})).state)).toMatchObject({kind: 'directory'});
		// Nothing selected: nothing to restore.
		expect(after(inDirectory(), ['restore'])).toEqual(inDirectory());
	});

	test('r on a version restores it from the newest backup holding it; on a change, unless the change is a removal', () => {
		const older = {...snapshot, id: '2026-11-20T01:00:00'};
		const versions = after(inDirectory('etc'), ['versions', {entry: {name: 'hosts', type: 'file'}}]);
		expect(currentScreen(after(versions, ['restore', {snapshot: older}]))).toMatchObject({kind: 'restore', snapshot: older, path: 'etc/hosts', target: './rsdeck-restore-h-v-2026-11-20T01:00:00/'});
		// A gap has no backup to restore from.
		expect(after(versions, ['restore'])).toEqual(versions);
		const diff = after(inDirectory('etc'), ['diff']);
		expect(currentScreen(after(diff, ['restore', {path: 'etc/motd'}]))).toMatchObject({kind: 'restore', snapshot, path: 'etc/motd'});
		expect(after(diff, ['restore', {path: 'etc/gone', removed: true}])).toEqual(diff);
	});
});
