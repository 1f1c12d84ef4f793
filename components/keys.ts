import type {Key} from 'ink';

/** What a key asks the run view to do. */
export type RunCommand =
	| 'up'
	| 'down'
	| 'page-up'
	| 'page-down'
	| 'top'
	| 'bottom'
	| 'fold'
	| 'unfold'
	| 'detail'
	| 'back'
	| 'cancel'
	| 'retry'
	| 'retry-all'
	| 'filter'
	| 'follow'
	| 'help'
	| 'quit'
	| 'interrupt';

/** One line of the help overlay. */
export type KeyHelp = {
	/** The keys, as the operator types them. */
	keys: string;
	/** What they do. */
	does: string;
};

/** The run view's keys, as the `?` overlay lists them. */
export const runKeyHelp: readonly KeyHelp[] = [
	{keys: '↑ ↓  j k', does: 'move (in the detail pane: scroll the output)'},
	{keys: 'PgUp PgDn  g G', does: 'move a page, to the top, to the bottom'},
	{keys: '← →  h l', does: 'fold, unfold'},
	{keys: 'Enter', does: 'open the detail pane of the selected action'},
	{keys: 'Esc', does: 'back: close the pane, the help or the filter'},
	{keys: 'c', does: 'cancel the selected action or everything under the row'},
	{keys: 'r', does: 'retry the selected failed action, or every failed one under the row'},
	{keys: 'R', does: 'retry everything that failed'},
	{keys: '/', does: 'filter by name, glob (backup/h1/*) or state (failed)'},
	{keys: 'f', does: 'follow running work'},
	{keys: '?', does: 'this help'},
	{keys: 'q', does: 'quit (asks first while work runs)'},
];

/** The command for a key press in the tree or the detail pane; undefined for keys that do nothing. */
export function commandForKey(input: string, key: Key): RunCommand | undefined {
	if (key.ctrl && input === 'c') {
		return 'interrupt';
	}

	return arrowCommand(key) ?? letterCommands[input];
}

function arrowCommand(key: Key): RunCommand | undefined {
	if (key.upArrow) {
		return 'up';
	}

	if (key.downArrow) {
		return 'down';
	}

	if (key.leftArrow) {
		return 'fold';
	}

	if (key.rightArrow) {
		return 'unfold';
	}

	if (key.pageUp) {
		return 'page-up';
	}

	if (key.pageDown) {
		return 'page-down';
	}

	if (key.home) {
		return 'top';
	}

	if (key.end) {
		return 'bottom';
	}

	if (key.return) {
		return 'detail';
	}

	return key.escape ? 'back' : undefined;
}

const letterCommands: Readonly<Partial<Record<string, RunCommand>>> = {
	k: 'up',
	j: 'down',
	h: 'fold',
	l: 'unfold',
	g: 'top',
	G: 'bottom',
	c: 'cancel',
	r: 'retry',
	R: 'retry-all',
	'/': 'filter',
	f: 'follow',
	'?': 'help',
	q: 'quit',
};
