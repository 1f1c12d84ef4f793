import {
	terminalStates,
	type ActionInfo,
	type ActionState,
	type EngineEvent,
	type Progress,
} from '../src/engine/types.js';
import {compareActions, followsSubgroups, isCheck, placeAction} from './action-place.js';
import {OutputTail} from './output-tail.js';
import {stateUrgency} from './state-style.js';

/** Counts of actions per state. */
export type StateCounts = Record<ActionState, number>;

/** The levels of the tree; `root` holds the run group and the hosts and is never shown. */
export type GroupLevel = 'root' | 'run' | 'host' | 'volume' | 'device';

/** A row that holds other rows: the run group, a host, a volume or a device. */
export type GroupNode = {
	type: 'group';
	/** Unique among all nodes: `run:`, `host:H`, `volume:H:V`, `device:H:V:D`. */
	key: string;
	level: GroupLevel;
	/** What the row shows: the host, volume or device name, or `run`. */
	label: string;
	parent: GroupNode | undefined;
	/** Sub-groups, sorted by name (the run group first). */
	groups: GroupNode[];
	/** Actions directly in this group, in pipeline order. */
	actions: TreeAction[];
	/** Actions in this group and below, per state. */
	counts: StateCounts;
	/** Actions below that did work and succeeded (or warned): not checks such as `identify`. */
	worked: number;
	/** Earliest start and latest end of any action below (engine clock, ms). */
	firstStart?: number;
	lastEnd?: number;
};

/** One action, as the console knows it: what the engine says of it, and where it sits in the tree. */
export type TreeAction = ActionInfo & {
	type: 'action';
	/** The action's name; also its key. */
	key: string;
	kind: string;
	/** The row text: the kind, plus a backup ID for removals. */
	label: string;
	/** The latest progress report of the current attempt. */
	progress?: Progress;
	/** The newest lines of output seen since the console started. */
	output: OutputTail;
	parent: GroupNode;
};

export type TreeNode = GroupNode | TreeAction;

/** One visible line of the tree. */
export type TreeRow = {
	node: TreeNode;
	/** Indentation level: 0 for the run group and hosts. */
	depth: number;
};

/** What the whole run is doing, from `run` events. */
export type RunStatus = {
	state: 'waiting' | 'running' | 'cancelling' | 'finished';
	startedAt?: number;
	finishedAt?: number;
};

/** How to flatten the tree into rows. */
export type RowOptions = {
	/** Whether a group shows its children. Ignored while filtering: every match is shown. */
	isOpen: (group: GroupNode) => boolean;
	/** Keep only actions for which this holds, and the groups that lead to them. */
	filter?: (action: TreeAction) => boolean;
};

/**
The hosts ▸ volumes ▸ devices tree of one run, built once from a snapshot
and then kept up to date one event at a time: each event touches one action
and the few groups above it, never the whole tree.
*/
export class TreeModel {
	readonly #root: GroupNode = makeGroup('root:', 'root', '', undefined);
	readonly #groups = new Map<string, GroupNode>();
	readonly #actions = new Map<string, TreeAction>();
	readonly #running = new Set<TreeAction>();
	readonly #outputLines: number;
	#run: RunStatus = {state: 'waiting'};
	#version = 0;
	#structureVersion = 0;

	/** `outputLines`: how many lines of output to keep per action. */
	constructor(actions: readonly ActionInfo[], options: {outputLines?: number} = {}) {
		this.#outputLines = options.outputLines ?? 2000;
		for (const info of actions) {
			this.#add(info);
			if (info.startedAt !== undefined) {
				this.#run = {state: 'running', startedAt: Math.min(info.startedAt, this.#run.startedAt ?? info.startedAt)};
			}
		}
	}

	/** The invisible top group: its sub-groups are the run group and the hosts. */
	get root(): GroupNode {
		return this.#root;
	}

	get run(): RunStatus {
		return this.#run;
	}

	/** Increases with every change. */
	get version(): number {
		return this.#version;
	}

	/** Increases when nodes are added, the only change that moves rows without a filter. */
	get structureVersion(): number {
		return this.#structureVersion;
	}

	/** Number of actions. */
	get size(): number {
		return this.#actions.size;
	}

	/** Actions running now. */
	get running(): ReadonlySet<TreeAction> {
		return this.#running;
	}

	action(name: string): TreeAction | undefined {
		return this.#actions.get(name);
	}

	group(key: string): GroupNode | undefined {
		return this.#groups.get(key);
	}

	/** Fold one engine event into the tree. */
	apply(event: EngineEvent): void {
		this.#version++;
		if (event.type === 'run') {
			this.#applyRun(event.state, event.time);
			return;
		}

		const node = this.#actions.get(event.action) ?? this.#add({name: event.action, data: {}, state: 'pending', attempt: 0, detail: {}});
		switch (event.type) {
			case 'state': {
				this.#applyState(node, event);
				break;
			}

			case 'output': {
				node.output.append(event.stream, event.text);
				break;
			}

			case 'progress': {
				node.progress = event.progress;
				break;
			}

			case 'describe': {
				Object.assign(node.detail, event.detail);
				break;
			}
		}
	}

	/**
	`rows` (built with folds that differ from `isOpen` only in the group at
	`at`) with that group folded as `isOpen` says: only the group's own rows
	are built, not the whole tree's.
	*/
	refold(rows: readonly TreeRow[], at: number, isOpen: (group: GroupNode) => boolean): TreeRow[] {
		const {node, depth} = rows[at]!;
		let end = at + 1;
		while (end < rows.length && rows[end]!.depth > depth) {
			end++;
		}

		const under: TreeRow[] = [];
		if (node.type === 'group') {
			pushOpen(under, node, depth, isOpen);
		}

		return [...rows.slice(0, at), ...under, ...rows.slice(end)];
	}

	/** The visible rows, depth first. */
	rows(options: RowOptions): TreeRow[] {
		const rows: TreeRow[] = [];
		for (const group of this.#root.groups) {
			if (options.filter === undefined) {
				pushOpen(rows, group, 0, options.isOpen);
			} else {
				pushMatching(rows, group, 0, options.filter);
			}
		}

		return rows;
	}

	#applyRun(state: 'started' | 'finished' | 'cancelling', time: number): void {
		if (state === 'started') {
			this.#run = {state: 'running', startedAt: time};
		} else if (state === 'cancelling') {
			this.#run = {...this.#run, state: 'cancelling'};
		} else {
			this.#run = {...this.#run, state: 'finished', finishedAt: time};
		}
	}

	#applyState(node: TreeAction, event: Extract<EngineEvent, {type: 'state'}>): void {
		const previous = node.state;
		node.state = event.state;
		node.attempt = event.attempt;
		this.#trackRunning(node);
		if (event.state === 'running') {
			this.#started(node, event.time);
		} else if (terminalStates.has(event.state)) {
			node.endedAt = event.time;
		} else if (event.state === 'pending') {
			// A manual retry puts a finished action back: its old times and message no longer apply.
			delete node.startedAt;
			delete node.endedAt;
			delete node.message;
		}

		if (event.message !== undefined) {
			node.message = event.message;
		}

		if (event.detail !== undefined) {
			Object.assign(node.detail, event.detail);
		}

		this.#countUp(node.parent, {
			was: previous,
			now: event.state,
			worked: Number(didWork(node.kind, event.state)) - Number(didWork(node.kind, previous)),
			retried: event.state === 'pending' && terminalStates.has(previous),
			startedAt: event.state === 'running' ? event.time : undefined,
			endedAt: terminalStates.has(event.state) ? event.time : undefined,
		});
	}

	/** Carry an action's arrival or change of state up to every group above it: counts, work done, times. */
	#countUp(parent: GroupNode, change: {was?: ActionState; now: ActionState; worked: number; retried?: boolean; startedAt?: number; endedAt?: number}): void {
		const {startedAt, endedAt} = change;
		for (let group: GroupNode | undefined = parent; group; group = group.parent) {
			if (change.was !== undefined) {
				group.counts[change.was]--;
			}

			group.counts[change.now]++;
			group.worked += change.worked;
			if (change.retried) {
				this.#restartTimes(group);
				continue;
			}

			if (startedAt !== undefined) {
				group.firstStart = Math.min(group.firstStart ?? startedAt, startedAt);
			}

			if (endedAt !== undefined) {
				group.lastEnd = Math.max(group.lastEnd ?? endedAt, endedAt);
			}
		}
	}

	/**
	A manual retry starts a group's time afresh: from the work still running
	under it, if any, else from the retry's own start. Without this the row
	would count the hours between the failure and the retry.
	*/
	#restartTimes(group: GroupNode): void {
		delete group.firstStart;
		delete group.lastEnd;
		for (const action of this.#running) {
			if (action.startedAt !== undefined && isUnder(action, group)) {
				group.firstStart = Math.min(group.firstStart ?? action.startedAt, action.startedAt);
			}
		}
	}

	#started(node: TreeAction, time: number): void {
		if (node.attempt > 1) {
			node.output.mark(`── attempt ${node.attempt} ──`);
		}

		node.startedAt = time;
		delete node.endedAt;
		delete node.progress;
		if (this.#run.state === 'waiting' || this.#run.state === 'finished') {
			// Work after the end is a retry from the console: the run is live again.
			this.#run = {state: 'running', startedAt: this.#run.startedAt ?? time};
		}
	}

	#add(info: Pick<ActionInfo, 'name' | 'data' | 'state' | 'attempt' | 'detail'> & Partial<ActionInfo>): TreeAction {
		const place = placeAction(info);
		const parent = this.#placeGroup(place.host, place.volume, place.device);
		const node: TreeAction = {
			type: 'action',
			key: info.name,
			name: info.name,
			kind: place.kind,
			label: place.label,
			state: info.state,
			attempt: info.attempt,
			cleanup: info.cleanup ?? false,
			data: info.data,
			message: info.message,
			detail: {...info.detail},
			startedAt: info.startedAt,
			endedAt: info.endedAt,
			output: new OutputTail(this.#outputLines),
			parent,
		};
		insertSorted(parent.actions, node, compareActions);
		this.#actions.set(node.name, node);
		this.#trackRunning(node);
		this.#countUp(parent, {now: node.state, worked: Number(didWork(node.kind, node.state)), startedAt: node.startedAt, endedAt: node.endedAt});

		this.#structureVersion++;
		return node;
	}

	#trackRunning(node: TreeAction): void {
		if (node.state === 'running') {
			this.#running.add(node);
		} else {
			this.#running.delete(node);
		}
	}

	#placeGroup(host: string | undefined, volume: string | undefined, device: string | undefined): GroupNode {
		if (host === undefined) {
			return this.#child(this.#root, 'run:', 'run', 'run');
		}

		const hostGroup = this.#child(this.#root, `host:${host}`, 'host', host);
		if (volume === undefined) {
			return hostGroup;
		}

		const volumeGroup = this.#child(hostGroup, `volume:${host}:${volume}`, 'volume', volume);
		return device === undefined ? volumeGroup : this.#child(volumeGroup, `device:${host}:${volume}:${device}`, 'device', device);
	}

	#child(parent: GroupNode, key: string, level: GroupLevel, label: string): GroupNode {
		let group = this.#groups.get(key);
		if (group === undefined) {
			group = makeGroup(key, level, label, parent);
			insertSorted(parent.groups, group, compareGroups);
			this.#groups.set(key, group);
		}

		return group;
	}
}

/**
The state a group shows: the most urgent among its actions, except that a
group whose only successes are checks (`identify`, `live`…) and whose work
was skipped (a pre-volume-hook's exit 75, nothing due) shows as skipped.
*/
export function groupState(group: GroupNode): ActionState | undefined {
	const state = stateUrgency.find(state => group.counts[state] > 0);
	return state === 'succeeded' && group.worked === 0 && group.counts.skipped > 0 ? 'skipped' : state;
}

/** Whether an action in `state` did work that succeeded, as opposed to a check that passed. */
function didWork(kind: string, state: ActionState): boolean {
	return (state === 'succeeded' || state === 'warned') && !isCheck(kind);
}

function isUnder(action: TreeAction, group: GroupNode): boolean {
	for (let parent: GroupNode | undefined = action.parent; parent; parent = parent.parent) {
		if (parent === group) {
			return true;
		}
	}

	return false;
}

/** Number of actions in a group and below. */
export function groupSize(group: GroupNode): number {
	let total = 0;
	for (const count of Object.values(group.counts)) {
		total += count;
	}

	return total;
}

/** Every action in a group and below, in tree order. */
export function * actionsUnder(node: TreeNode): Generator<TreeAction> {
	if (node.type === 'action') {
		yield node;
		return;
	}

	for (const item of children(node)) {
		yield * actionsUnder(item);
	}
}

/**
The action a group row stands for when the operator opens its detail: the
most urgent of its own actions (a failure, else running work), else its
backup, else its first.
*/
export function principalAction(group: GroupNode): TreeAction | undefined {
	for (const state of stateUrgency.slice(0, stateUrgency.indexOf('retry_wait') + 1)) {
		const found = group.actions.find(action => action.state === state);
		if (found) {
			return found;
		}
	}

	return group.actions.find(action => action.kind === 'backup') ?? group.actions[0];
}

function makeGroup(key: string, level: GroupLevel, label: string, parent: GroupNode | undefined): GroupNode {
	return {type: 'group', key, level, label, parent, groups: [], actions: [], counts: emptyCounts(), worked: 0};
}

function emptyCounts(): StateCounts {
	return {
		pending: 0,
		ready: 0,
		running: 0,
		retry_wait: 0,
		succeeded: 0,
		warned: 0,
		failed: 0,
		skipped: 0,
		upstream_failed: 0,
		cancelled: 0,
	};
}

function compareGroups(a: GroupNode, b: GroupNode): number {
	return Number(b.level === 'run') - Number(a.level === 'run') || a.label.localeCompare(b.label);
}

function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compare(list[middle]!, item) <= 0) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	list.splice(low, 0, item);
}

/** A group's rows in reading order: its leading steps, its sub-groups, then its closing steps (post hooks). */
function * children(group: GroupNode): Generator<TreeNode> {
	const trailing: TreeAction[] = [];
	for (const action of group.actions) {
		if (followsSubgroups(action.kind)) {
			trailing.push(action);
		} else {
			yield action;
		}
	}

	yield * group.groups;
	yield * trailing;
}

function pushOpen(rows: TreeRow[], group: GroupNode, depth: number, isOpen: (group: GroupNode) => boolean): void {
	rows.push({node: group, depth});
	if (!isOpen(group)) {
		return;
	}

	for (const item of children(group)) {
		if (item.type === 'action') {
			rows.push({node: item, depth: depth + 1});
		} else {
			pushOpen(rows, item, depth + 1, isOpen);
		}
	}
}

/** Push a group and its matching descendants; returns whether anything matched. */
function pushMatching(rows: TreeRow[], group: GroupNode, depth: number, filter: (action: TreeAction) => boolean): boolean {
	const at = rows.length;
	rows.push({node: group, depth});
	let matched = false;
	for (const item of children(group)) {
		if (item.type === 'group') {
			matched = pushMatching(rows, item, depth + 1, filter) || matched;
		} else if (filter(item)) {
			rows.push({node: item, depth: depth + 1});
			matched = true;
		}
	}

	if (!matched) {
		rows.length = at;
	}

	return matched;
}
