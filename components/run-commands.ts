import type {RunCommand} from './keys.js';
import type {RunSource} from './run-source.js';
import {cancelTargets, hasRunning, retryTargets} from './run-targets.js';
import {principalAction, type GroupNode, type TreeAction, type TreeModel, type TreeNode, type TreeRow} from './tree-model.js';

/** A question waiting for y or n. */
export type Confirmation = {
	question: string;
	/** What `y` does. */
	yes: () => void;
};

/** Everything the run view remembers between frames. */
export type RunViewState = {
	/** Key of the selected row's node; kept by key, not index, so it stays put as rows change. */
	selected?: string;
	/** Folding the operator chose; groups not listed use their default. */
	folds: ReadonlyMap<string, boolean>;
	mode: 'tree' | 'detail' | 'help';
	filter: string;
	/** The filter line is taking keystrokes. */
	editingFilter: boolean;
	confirm?: Confirmation;
	/** A one-line answer to the last key, until the next one. */
	notice?: string;
	/** Selection jumps to the newest running action. */
	follow: boolean;
	/** The action the detail pane shows. */
	detail?: string;
	/** Output lines the detail pane is scrolled up from the newest. */
	scroll: number;
};

/** What a command may read and do. */
export type CommandContext = {
	state: RunViewState;
	rows: readonly TreeRow[];
	/** Index in rows of the selection, -1 when there are no rows. */
	index: number;
	/** The action the detail pane shows now. */
	detail: TreeAction | undefined;
	/** How far the detail pane's output can scroll up. */
	maxScroll: number;
	pageSize: number;
	model: TreeModel;
	source: RunSource;
	/** Work is still going on, so quitting would cancel it. */
	working: boolean;
	update: (patch: Partial<RunViewState>) => void;
	exit: () => void;
};

/** Do what a key asked. */
export function applyCommand(command: RunCommand, context: CommandContext): void {
	if (context.state.mode === 'detail' && scrollOutput(command, context)) {
		return;
	}

	const handler = handlers[command];
	handler(context);
}

const handlers: Readonly<Record<RunCommand, (context: CommandContext) => void>> = {
	up: context => moveBy(context, -1),
	down: context => moveBy(context, 1),
	'page-up': context => moveBy(context, -context.pageSize),
	'page-down': context => moveBy(context, context.pageSize),
	top: context => moveBy(context, -context.rows.length),
	bottom: context => moveBy(context, context.rows.length),
	fold,
	unfold,
	detail: openDetail,
	back,
	cancel,
	retry: context => retry(context, target(context)),
	'retry-all': context => retry(context, context.model.root),
	filter: context => context.update({editingFilter: true, notice: undefined}),
	follow: context => context.update({follow: !context.state.follow, notice: context.state.follow ? 'stopped following' : 'following running work'}),
	help: context => context.update({mode: 'help'}),
	quit,
	interrupt: context => context.exit(),
};

/** In the detail pane the movement keys scroll the output. */
function scrollOutput(command: RunCommand, context: CommandContext): boolean {
	const total = context.maxScroll;
	const steps: Partial<Record<RunCommand, number>> = {
		up: 1,
		down: -1,
		'page-up': context.pageSize,
		'page-down': -context.pageSize,
		top: total,
		bottom: -total,
	};
	const step = steps[command];
	if (step === undefined) {
		return false;
	}

	context.update({scroll: Math.min(total, Math.max(0, context.state.scroll + step))});
	return true;
}

/** The row commands act on: the detail pane's action while it is open, else the selected row. */
function target(context: CommandContext): TreeNode | undefined {
	return context.state.mode === 'detail' ? context.detail : context.rows[context.index]?.node;
}

function select(context: CommandContext, node: TreeNode): void {
	context.update({selected: node.key, follow: false, notice: undefined});
}

function moveBy(context: CommandContext, delta: number): void {
	const row = context.rows[Math.min(context.rows.length - 1, Math.max(0, context.index + delta))];
	if (row) {
		select(context, row.node);
	}
}

/** Whether a group shows its children: as the operator folded it, else open down to the volumes (device groups start folded). */
export function isGroupOpen(folds: ReadonlyMap<string, boolean>, group: GroupNode): boolean {
	return folds.get(group.key) ?? group.level !== 'device';
}

function isOpen(context: CommandContext, node: TreeNode): boolean {
	return node.type === 'group' && isGroupOpen(context.state.folds, node);
}

function setFold(context: CommandContext, node: TreeNode, open: boolean): void {
	context.update({folds: new Map(context.state.folds).set(node.key, open), selected: node.key, follow: false, notice: undefined});
}

/** Fold an open group; on anything else go to the parent. */
function fold(context: CommandContext): void {
	const node = context.rows[context.index]?.node;
	if (node === undefined || context.state.filter !== '') {
		return;
	}

	if (isOpen(context, node)) {
		setFold(context, node, false);
	} else if (node.parent && node.parent.level !== 'root') {
		select(context, node.parent);
	}
}

/** Unfold a folded group; on an open one go to its first child. */
function unfold(context: CommandContext): void {
	const node = context.rows[context.index]?.node;
	if (node?.type !== 'group' || context.state.filter !== '') {
		return;
	}

	if (isOpen(context, node)) {
		moveBy(context, 1);
	} else {
		setFold(context, node, true);
	}
}

function openDetail(context: CommandContext): void {
	const node = context.rows[context.index]?.node;
	const action = node?.type === 'group' ? principalAction(node) : node;
	if (action === undefined) {
		context.update({notice: 'no action to show here'});
		return;
	}

	context.update({mode: 'detail', detail: action.name, scroll: 0, follow: false, notice: undefined});
}

/** Esc closes the innermost thing open: the detail pane, then the filter, then following. */
function back(context: CommandContext): void {
	if (context.state.mode !== 'tree') {
		context.update({mode: 'tree', notice: undefined});
	} else if (context.state.filter !== '') {
		context.update({filter: '', notice: undefined});
	} else {
		context.update({follow: false, notice: undefined});
	}
}

function cancel(context: CommandContext): void {
	const node = target(context);
	const names = node === undefined ? [] : cancelTargets(node);
	if (node === undefined || names.length === 0) {
		context.update({notice: 'nothing to cancel here: it has finished'});
		return;
	}

	const doIt = (): void => {
		context.source.cancel(names);
		context.update({notice: `cancelling ${describe(names)}`});
	};

	if (hasRunning(node)) {
		context.update({confirm: {question: `Cancel ${nodeTitle(node)} while it runs? ${names.length > 1 ? `(${names.length} actions) ` : ''}[y/n]`, yes: doIt}});
	} else {
		doIt();
	}
}

function retry(context: CommandContext, node: TreeNode | undefined): void {
	const names = node === undefined ? [] : retryTargets(node);
	if (names.length === 0) {
		context.update({notice: 'nothing failed here to retry'});
		return;
	}

	for (const name of names) {
		context.source.retry(name);
	}

	context.update({notice: `retrying ${describe(names)}`});
}

function quit(context: CommandContext): void {
	if (context.working) {
		context.update({confirm: {question: 'Quit? Running work will be cancelled and recorded. [y/n]', yes: context.exit}});
	} else {
		context.exit();
	}
}

function describe(names: readonly string[]): string {
	return names.length === 1 ? names[0]! : `${names.length} actions`;
}

/** A row in the operator's words: an action's name, or `h1`, `h1:home`, `h1:home on dev1`. */
export function nodeTitle(node: TreeNode): string {
	if (node.type === 'action') {
		return node.name;
	}

	const path: string[] = [];
	for (let group: typeof node | undefined = node; group && group.level !== 'root'; group = group.parent) {
		path.unshift(group.label);
	}

	return node.level === 'device' ? `${path.slice(0, 2).join(':')} on ${path[2]!}` : path.join(':');
}
