import path from 'node:path';
import type {Key} from 'ink';
import type {KeyHelp} from './keys.js';
import type {ListedEntry, Snapshot} from './browse-source.js';
import {scrollWindow} from './scroll-window.js';

/**
The snapshot browser as a pure state machine: a stack of screens (the volume's
backups, a directory of one backup, a path's versions, a diff, a restore) and
each one's selection. Keys become commands; commands become the next state.
The view supplies what the selection points at, since the lists are its data.
*/

type Selection = {selected: number; top: number};

export type BackupsScreen = Selection & {kind: 'backups'};
export type DirectoryScreen = Selection & {
	kind: 'directory';
	snapshot: Snapshot;
	path: string;
	filter: string;
	filtering: boolean;
	/** The entry to select once the listing holds it: the directory just left, or the file whose version was opened. */
	reselect?: string;
};
export type VersionsScreen = Selection & {kind: 'versions'; snapshot: Snapshot; path: string};
export type DiffScreen = Selection & {kind: 'diff'; snapshot: Snapshot; path: string};
export type RestoreScreen = Selection & {kind: 'restore'; snapshot: Snapshot; path: string; target: string; phase: 'prompt' | 'running' | 'done'};
export type Screen = BackupsScreen | DirectoryScreen | VersionsScreen | DiffScreen | RestoreScreen;

export type BrowseState = {host: string; volume: string; screens: Screen[]};

export type BrowseCommand =
	| 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom'
	| 'open' | 'in' | 'out' | 'back' | 'filter' | 'versions' | 'diff' | 'restore' | 'cancel';

/** What the selected row of the current screen is, as the view knows it. */
export type Focus = {
	/** Rows in the current list (after the filter). */
	count: number;
	/** Rows that fit on screen. */
	height: number;
	/** The directory entry selected. */
	entry?: Pick<ListedEntry, 'name' | 'type'>;
	/** The backup to open from the selected row (backups list; a version's newest backup). */
	snapshot?: Snapshot;
	/** A path relative to the volume's root, selected in a diff. */
	path?: string;
	/** The diff's selected path was removed: the backup does not hold it. */
	removed?: boolean;
};

export const browseKeyHelp: readonly KeyHelp[] = [
	{keys: '↑ ↓  j k', does: 'move'},
	{keys: 'PgUp PgDn  g G', does: 'move a page, to the top, to the bottom'},
	{keys: 'Enter', does: 'open the backup, the directory, or a version\'s backup'},
	{keys: '← →  h l', does: 'up to the parent directory, into the selected one'},
	{keys: '/', does: 'filter the listing by name (Enter keeps it, Esc clears it)'},
	{keys: 'v', does: 'versions of the selected entry across backups'},
	{keys: 'd', does: 'what changed here since the previous backup on this device'},
	{keys: 'r', does: 'restore the selected entry, change or version (asks where)'},
	{keys: 'c', does: 'cancel a running restore'},
	{keys: 'Esc', does: 'back'},
];

export function browseState(host: string, volume: string): BrowseState {
	return {host, volume, screens: [{kind: 'backups', selected: 0, top: 0}]};
}

export const currentScreen = (state: BrowseState): Screen => state.screens.at(-1)!;

/** The directory restored by default: new, named after the backup, never the live source. */
export const defaultTarget = (state: BrowseState, snapshot: Snapshot): string => `./rsdeck-restore-${state.host}-${state.volume}-${snapshot.id}/`;

/** The command for a key; undefined for keys that do nothing here. */
export function browseCommandForKey(input: string, key: Key): BrowseCommand | undefined {
	if (key.upArrow) {
		return 'up';
	}

	if (key.downArrow) {
		return 'down';
	}

	if (key.pageUp) {
		return 'page-up';
	}

	if (key.pageDown) {
		return 'page-down';
	}

	if (key.leftArrow) {
		return 'out';
	}

	if (key.rightArrow) {
		return 'in';
	}

	if (key.return) {
		return 'open';
	}

	if (key.escape) {
		return 'back';
	}

	return letterCommands[input];
}

const letterCommands: Readonly<Partial<Record<string, BrowseCommand>>> = {
	k: 'up', j: 'down', g: 'top', G: 'bottom', h: 'out', l: 'in', '/': 'filter', v: 'versions', d: 'diff', r: 'restore', c: 'cancel',
};

/** True when keys are text for the filter or the restore prompt rather than commands. */
export function isEditing(state: BrowseState): boolean {
	const screen = currentScreen(state);
	return (screen.kind === 'directory' && screen.filtering) || (screen.kind === 'restore' && screen.phase === 'prompt');
}

/**
A key while editing: text is appended, Backspace removes, Enter ends (in the
restore prompt: starts the restore), Esc ends the filter cleared, or leaves
the prompt. `start` tells the caller to start the restore.
*/
export function applyEditKey(state: BrowseState, input: string, key: Key): {state: BrowseState; start?: boolean} {
	const screen = currentScreen(state);
	const text = screen.kind === 'directory' ? screen.filter : (screen.kind === 'restore' ? screen.target : '');
	if (key.escape) {
		return {state: screen.kind === 'directory' ? replaceTop(state, {...screen, filter: '', filtering: false, selected: 0, top: 0}) : pop(state)};
	}

	if (key.return) {
		if (screen.kind === 'restore') {
			return screen.target.trim() === '' ? {state} : {state: replaceTop(state, {...screen, phase: 'running'}), start: true};
		}

		return {state: replaceTop(state, {...screen, filtering: false} as Screen)};
	}

	let next = text;
	if (key.backspace || key.delete) {
		next = text.slice(0, -1);
	} else if (!key.ctrl && !key.meta && input !== '' && !/[\u0000-\u001F]/.test(input)) {
		next = text + input;
	}

	return {state: replaceTop(state, screen.kind === 'directory' ? {...screen, filter: next, selected: 0, top: 0} : {...screen, target: next} as Screen)};
}

/** The state after `command`; `'exit'` when Esc leaves the browser (back to the status view). */
export function applyBrowseCommand(state: BrowseState, command: BrowseCommand, focus: Focus): BrowseState | 'exit' {
	const screen = currentScreen(state);
	const moved = move(screen, command, focus);
	if (moved !== undefined) {
		return replaceTop(state, moved);
	}

	switch (command) {
		case 'back': {
			if (screen.kind === 'restore' && screen.phase === 'running') {
				return state;
			}

			if (screen.kind === 'directory' && screen.filter !== '') {
				return replaceTop(state, {...screen, filter: '', selected: 0, top: 0});
			}

			return state.screens.length === 1 ? 'exit' : pop(state);
		}

		case 'open': {
			return open(state, screen, focus);
		}

		case 'in': {
			return screen.kind === 'directory' && focus.entry?.type === 'dir' ? replaceTop(state, {...screen, path: joined(screen.path, focus.entry.name), filter: '', filtering: false, selected: 0, top: 0, reselect: undefined}) : state;
		}

		case 'out': {
			return screen.kind === 'directory' && screen.path !== ''
				? replaceTop(state, {...screen, path: parentOf(screen.path), filter: '', filtering: false, selected: 0, top: 0, reselect: path.posix.basename(screen.path)})
				: state;
		}

		case 'filter': {
			return screen.kind === 'directory' ? replaceTop(state, {...screen, filtering: true}) : state;
		}

		case 'versions': {
			const target = selectedPath(screen, focus);
			return target === undefined || !('snapshot' in screen) ? state : push(state, {kind: 'versions', snapshot: screen.snapshot, path: target, selected: 0, top: 0});
		}

		case 'diff': {
			return screen.kind === 'directory' ? push(state, {kind: 'diff', snapshot: screen.snapshot, path: screen.path, selected: 0, top: 0}) : state;
		}

		case 'restore': {
			const what = restorable(screen, focus);
			return what === undefined
				? state
				: push(state, {kind: 'restore', ...what, target: defaultTarget(state, what.snapshot), phase: 'prompt', selected: 0, top: 0});
		}

		default: {
			return state;
		}
	}
}

/**
The listing now shows `index` for the directory screen's `reselect` (-1: not
among the rows read so far). Found, it is selected and kept in view; once the
listing is complete the wish is dropped either way.
*/
export function reselected(state: BrowseState, index: number, height: number, total: number, complete: boolean): BrowseState {
	const screen = currentScreen(state);
	if (screen.kind !== 'directory' || screen.reselect === undefined || (index < 0 && !complete)) {
		return state;
	}

	const selected = Math.max(0, index);
	return replaceTop(state, {...screen, reselect: undefined, selected, top: scrollWindow(total, selected, height, screen.top).top});
}

/** The restore is over: its screen shows the report until Esc. */
export function restoreEnded(state: BrowseState): BrowseState {
	const screen = currentScreen(state);
	return screen.kind === 'restore' ? replaceTop(state, {...screen, phase: 'done'}) : state;
}

function move(screen: Screen, command: BrowseCommand, focus: Focus): Screen | undefined {
	const last = Math.max(0, focus.count - 1);
	const page = Math.max(1, focus.height - 1);
	const targets: Partial<Record<BrowseCommand, number>> = {
		up: screen.selected - 1,
		down: screen.selected + 1,
		'page-up': screen.selected - page,
		'page-down': screen.selected + page,
		top: 0,
		bottom: last,
	};
	const wanted = targets[command];
	if (wanted === undefined || screen.kind === 'restore') {
		return undefined;
	}

	const selected = Math.min(last, Math.max(0, wanted));
	// A selection the operator made wins over one still awaited.
	const moved = {...screen, selected, top: scrollWindow(focus.count, selected, focus.height, screen.top).top};
	if (moved.kind === 'directory') {
		delete moved.reselect;
	}

	return moved;
}

function open(state: BrowseState, screen: Screen, focus: Focus): BrowseState {
	if (screen.kind === 'backups' || screen.kind === 'versions') {
		// A version opens its backup at the directory holding the path.
		const at = screen.kind === 'versions' ? {path: parentOf(screen.path), reselect: path.posix.basename(screen.path)} : {path: ''};
		return focus.snapshot === undefined ? state : push(state, {kind: 'directory', snapshot: focus.snapshot, ...at, filter: '', filtering: false, selected: 0, top: 0});
	}

	if (screen.kind === 'directory') {
		if (focus.entry?.type === 'dir') {
			return replaceTop(state, {...screen, path: joined(screen.path, focus.entry.name), filter: '', filtering: false, selected: 0, top: 0, reselect: undefined});
		}

		// Enter on anything else shows its versions, the question a file is opened to answer.
		return focus.entry === undefined ? state : push(state, {kind: 'versions', snapshot: screen.snapshot, path: joined(screen.path, focus.entry.name), selected: 0, top: 0});
	}

	if (screen.kind === 'diff' && focus.path !== undefined) {
		return push(state, {kind: 'versions', snapshot: screen.snapshot, path: focus.path, selected: 0, top: 0});
	}

	return state;
}

/**
What `r` restores: the selected entry of a directory or a diff (not one the
diff shows removed: this backup does not hold it), or the selected version,
from the newest backup holding it.
*/
function restorable(screen: Screen, focus: Focus): {snapshot: Snapshot; path: string} | undefined {
	if (screen.kind === 'versions') {
		return focus.snapshot === undefined ? undefined : {snapshot: focus.snapshot, path: screen.path};
	}

	const chosen = selectedPath(screen, focus);
	return chosen === undefined || !('snapshot' in screen) || focus.removed === true ? undefined : {snapshot: screen.snapshot, path: chosen};
}

function selectedPath(screen: Screen, focus: Focus): string | undefined {
	if (screen.kind === 'directory') {
		return focus.entry === undefined ? undefined : joined(screen.path, focus.entry.name);
	}

	return screen.kind === 'diff' ? focus.path : undefined;
}

const joined = (directory: string, name: string): string => (directory === '' ? name : `${directory}/${name}`);

const parentOf = (relative: string): string => {
	const parent = path.posix.dirname(relative);
	return parent === '.' ? '' : parent;
};

const push = (state: BrowseState, screen: Screen): BrowseState => ({...state, screens: [...state.screens, screen]});

const pop = (state: BrowseState): BrowseState => ({...state, screens: state.screens.slice(0, -1)});

const replaceTop = (state: BrowseState, screen: Screen): BrowseState => ({...state, screens: [...state.screens.slice(0, -1), screen]});

/** The listing as shown: directories first, then by name; only names containing the filter (case-insensitive). */
export function visibleEntries<T extends Pick<ListedEntry, 'name' | 'type'>>(entries: readonly T[], filter: string): T[] {
	const wanted = filter.toLowerCase();
	return entries
		.filter(entry => wanted === '' || entry.name.toLowerCase().includes(wanted))
		.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0)));
}
