import {useMemo, useRef, type JSX} from 'react';
import {Box, Text, useInput, useStdout, type Key} from 'ink';
import {terminalStates, type ActionState} from '../src/engine/types.js';
import {filtersByState, makeFilter} from './action-filter.js';
import {DetailPane, maxScroll} from './detail-pane.js';
import {HelpOverlay} from './help-overlay.js';
import {commandForKey, runKeyHelp} from './keys.js';
import {applyCommand, isGroupOpen, type CommandContext, type RunViewState} from './run-commands.js';
import {RunFooter} from './run-footer.js';
import {RunHeader} from './run-header.js';
import type {RunSource} from './run-source.js';
import {summarizeRun} from './run-summary.js';
import {scrollWindow} from './scroll-window.js';
import {colorEnabled} from './state-style.js';
import {TreeRowLine, rowSegments} from './tree-row.js';
import type {TreeAction, GroupNode, TreeModel, TreeNode, TreeRow} from './tree-model.js';
import {useRunModel} from './use-run-model.js';
import {useLatestState} from './use-latest-state.js';
import {useTerminalRows} from './use-terminal-rows.js';

/** Props of the live console of one run. */
export type RunViewProps = {
	/** Where the actions and events come from: the engine, in production. */
	source: RunSource;
	/** What is running, for the header (`rsdeck --backup h1`). */
	title: string;
	/** The operator quit (after confirming, if work was running); the caller cancels what is left and unmounts. */
	onExit: (how: 'quit') => void;
	/** The engine's clock, for elapsed times. Default Date.now. */
	now?: () => number;
	/** Expected total duration in ms (from history), for the ETA. */
	estimate?: number;
	/** The run is over, whatever the events said. */
	finished?: boolean;
};

/** Rows the header and the gap below the tree take. */
const headerRows = 2;

/** The run as a live tree: header, hosts ▸ volumes ▸ devices, detail pane, help, prompts. */
export function RunView(props: RunViewProps): JSX.Element {
	const {model, frame} = useRunModel(props.source, current => !(props.finished ?? current.run.state === 'finished'));
	const color = useMemo(() => colorEnabled(), []);
	const [state, update, latest] = useLatestState<RunViewState>(() => ({folds: new Map(), mode: 'tree', filter: '', editingFilter: false, follow: false, scroll: 0}));
	const finished = props.finished ?? model.run.state === 'finished';
	const now = (props.now ?? Date.now)();
	const terminalRows = useTerminalRows();
	const {stdout} = useStdout();
	const width = stdout.columns || 80;

	const isOpen = (group: GroupNode): boolean => isGroupOpen(state.folds, group);
	const stateFiltered = filtersByState(state.filter);
	// Without a state filter, rows move only when nodes are added or folds change, not on every event.
	// A fold or unfold rebuilds only that group's rows: the work of a key is what it changes, not the tree.
	const built = useRef<{rows: TreeRow[]; model: TreeModel; structure: number; folds: RunViewState['folds']; filter: string} | undefined>(undefined);
	const rows = useMemo(() => {
		const before = built.current;
		const folded = before !== undefined && before.model === model && before.structure === model.structureVersion && before.filter === '' && state.filter === ''
			? foldChanged(before.folds, state.folds)
			: undefined;
		const at = folded === undefined ? -1 : before!.rows.findIndex(row => row.node.key === folded);
		const next = folded === undefined
			? model.rows({isOpen, filter: makeFilter(state.filter)})
			: at === -1 ? before!.rows : model.refold(before!.rows, at, isOpen);
		built.current = {rows: next, model, structure: model.structureVersion, folds: state.folds, filter: state.filter};
		return next;
	}, [model, model.structureVersion, state.folds, state.filter, stateFiltered ? frame : 0]);
	const lastIndex = useRef(0);
	const selectionIndex = (view: RunViewState): number => {
		const key = (view.follow ? newestRunning(model)?.key : undefined) ?? view.selected;
		lastIndex.current = resolveIndex(rows, model, key, Math.min(lastIndex.current, rows.length - 1));
		return lastIndex.current;
	};

	const detailOf = (view: RunViewState): TreeAction | undefined => view.mode === 'detail'
		? (view.follow ? newestRunning(model) : undefined) ?? model.action(view.detail ?? '')
		: undefined;
	const index = selectionIndex(state);
	const detail = detailOf(state);

	const footerRows = finished ? 2 : 1;
	const bodyRows = Math.max(3, terminalRows - headerRows - footerRows - 1);
	const treeRows = detail ? Math.max(3, Math.floor(bodyRows / 3)) : bodyRows;
	const topRef = useRef(0);
	const window = scrollWindow(rows.length, Math.max(0, index), treeRows, topRef.current);
	topRef.current = window.top;

	// Keys read the newest state through getters: several can arrive between two frames.
	const context: CommandContext = {
		get state() {
			return latest();
		},
		rows,
		get index() {
			return selectionIndex(latest());
		},
		get detail() {
			return detailOf(latest());
		},
		get maxScroll() {
			const action = detailOf(latest());
			return action ? maxScroll(action, bodyRows - treeRows, width) : 0;
		},
		pageSize: Math.max(1, treeRows - 1),
		model,
		source: props.source,
		working: !finished && hasUnfinished(model),
		update,
		exit() {
			props.onExit('quit');
		},
	};
	const contextRef = useRef(context);
	contextRef.current = context;
	useInput((input, key) => {
		// Keys typed faster than a read (auto-repeat, a paste) arrive as one chunk: outside the filter, each acts in turn.
		const presses = input.length > 1 && !contextRef.current.state.editingFilter ? [...input] : [input];
		for (const press of presses) {
			handleKey(press, key, contextRef.current);
		}
	});

	return (
		<Box flexDirection="column">
			<RunHeader title={props.title} phase={finished ? 'finished' : model.run.state} counts={model.root.counts} elapsed={elapsed(model, now, finished)} estimate={props.estimate} follow={state.follow} filter={state.filter} color={color} width={width}/>
			<Box flexDirection="column" height={treeRows} marginTop={1}>
				{state.mode === 'help'
					? <HelpOverlay keys={runKeyHelp} color={color}/>
					: rows.length === 0
						? <Text dimColor>{state.filter === '' ? 'no actions' : `nothing matches ${state.filter}`}</Text>
						: rows.slice(window.top, window.end).map((row, offset) => {
							const selected = window.top + offset === index;
							const segments = rowSegments(row, {selected, open: isRowOpen(row, isOpen, state.filter), now, color, width});
							return <TreeRowLine key={row.node.key} segments={segments} selected={selected} width={width}/>;
						})}
			</Box>
			{detail && <DetailPane action={detail} height={bodyRows - treeRows} width={width} scroll={state.scroll} now={now} color={color}/>}
			<RunFooter summary={finished ? summarizeRun(model.root) : undefined} confirm={state.confirm} editingFilter={state.editingFilter ? state.filter : undefined} notice={state.notice} color={color}/>
		</Box>
	);
}

/** Prompts first (a question, the filter line, the help overlay), then the ordinary keys. */
function handleKey(input: string, key: Key, context: CommandContext): void {
	const {state, update} = context;
	if (state.confirm) {
		if (input === 'y' || input === 'Y') {
			update({confirm: undefined});
			state.confirm.yes();
		} else if (input === 'n' || input === 'N' || key.escape) {
			update({confirm: undefined, notice: 'not done'});
		}
	} else if (state.editingFilter) {
		editFilter(input, key, update, state.filter);
	} else if (state.mode === 'help') {
		if (input === '?' || input === 'q' || key.escape) {
			update({mode: 'tree'});
		}
	} else {
		const command = commandForKey(input, key);
		if (command) {
			applyCommand(command, context);
		}
	}
}

function editFilter(input: string, key: Key, update: (patch: Partial<RunViewState>) => void, filter: string): void {
	if (key.return) {
		update({editingFilter: false});
	} else if (key.escape) {
		update({editingFilter: false, filter: ''});
	} else if (key.backspace || key.delete) {
		update({filter: filter.slice(0, -1)});
	} else if (input !== '' && !key.ctrl && !key.meta) {
		update({filter: filter + input});
	}
}

/**
Where the selection is: the row of the selected node, or, when that row is
folded away or filtered out, its nearest visible ancestor, or failing that
the position it had before.
*/
function resolveIndex(rows: readonly TreeRow[], model: TreeModel, key: string | undefined, fallback: number): number {
	let node: TreeNode | undefined = key === undefined ? undefined : model.action(key) ?? model.group(key);
	for (; node !== undefined; node = node.parent) {
		const index = positionOf(rows, node, fallback);
		if (index !== -1) {
			return index;
		}
	}

	return fallback;
}

/** Where `node`'s row is, looked for from `near` outwards (the selection moves little between frames); -1 if not shown. */
function positionOf(rows: readonly TreeRow[], node: TreeNode, near: number): number {
	const start = Math.max(0, Math.min(near, rows.length - 1));
	for (let distance = 0; start - distance >= 0 || start + distance < rows.length; distance++) {
		if (rows[start + distance]?.node === node) {
			return start + distance;
		}

		if (distance > 0 && rows[start - distance]?.node === node) {
			return start - distance;
		}
	}

	return -1;
}

/** The one group whose fold differs between `before` and `after`; undefined if none or several. */
function foldChanged(before: RunViewState['folds'], after: RunViewState['folds']): string | undefined {
	if (before === after) {
		return undefined;
	}

	const changed = [...new Set([...before.keys(), ...after.keys()])].filter(key => before.get(key) !== after.get(key));
	return changed.length === 1 ? changed[0] : undefined;
}

function isRowOpen(row: TreeRow, isOpen: (group: GroupNode) => boolean, filter: string): boolean {
	return row.node.type === 'group' && (filter !== '' || isOpen(row.node));
}

/** The running action that started last: what `f` follows. */
function newestRunning(model: TreeModel): TreeAction | undefined {
	let newest: TreeAction | undefined;
	let newestStart = Number.NEGATIVE_INFINITY;
	for (const action of model.running) {
		if ((action.startedAt ?? 0) >= newestStart) {
			newest = action;
			newestStart = action.startedAt ?? 0;
		}
	}

	return newest;
}

function hasUnfinished(model: TreeModel): boolean {
	return Object.entries(model.root.counts).some(([state, count]) => count > 0 && !terminalStates.has(state as ActionState));
}

function elapsed(model: TreeModel, now: number, finished: boolean): number {
	const start = model.run.startedAt ?? model.root.firstStart;
	if (start === undefined) {
		return 0;
	}

	const end = finished ? model.run.finishedAt ?? model.root.lastEnd ?? now : now;
	return end - start;
}
