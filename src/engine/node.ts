import type {ActionInfo, ActionSpec, ActionState, EdgeKind} from './types.js';
import type {BodyContext} from './body-context.js';
import type {Heap} from './heap.js';
import type {OutputBuffer} from './output-buffer.js';
import type {Resource} from './resources.js';
import type {LongTimer} from '../timers/long-timer.js';

/** An edge, shared by both ends: `to` waits for `from`. */
export type Link = {
	readonly from: ActionNode;
	readonly to: ActionNode;
	kind: EdgeKind;
};

/** The engine's working record of one action. */
export type ActionNode = {
	readonly spec: ActionSpec;
	readonly name: string;
	readonly priority: number;
	readonly estimate: number;
	/** The resources it holds while running, resolved once. */
	readonly slots: readonly Resource[];
	/** Clean-up that a run-wide cancel spares: the spec says so, or it has an `always` predecessor. */
	cleanup: boolean;
	/** Edges in (`link.from` is the predecessor). */
	predecessors: Link[];
	/** Edges out (`link.to` is the successor). */
	successors: Link[];
	/** Longest expected remaining path: its estimate plus its successors' longest. */
	rank: number;
	state: ActionState;
	/** Attempts started in total (the body's `attempt`). */
	attempt: number;
	/** Attempts started since the last manual retry, for the automatic retry budget. */
	tries: number;
	/** Predecessors that are not terminal yet, while pending. */
	waiting: number;
	/** The predecessor that made it end without running. */
	cause: ActionNode | undefined;
	message: string | undefined;
	/** Made on first use: most actions never have any. */
	detail: Record<string, unknown> | undefined;
	startedAt: number | undefined;
	endedAt: number | undefined;
	/** The ready heap or resource wait heap holding it. */
	heap: Heap<ActionNode> | undefined;
	heapIndex: number;
	/** The resource that woke it from its wait heap, while it is back in the ready heap. */
	wokenBy: Resource | undefined;
	/** The running attempt's context. */
	context: BodyContext | undefined;
	retryTimer: LongTimer | undefined;
	output: OutputBuffer | undefined;
};

/** Whether `a` should start before `b`: priority, then critical path, then name. */
export function runsBefore(a: ActionNode, b: ActionNode): boolean {
	if (a.priority !== b.priority) {
		return a.priority > b.priority;
	}

	if (a.rank !== b.rank) {
		return a.rank > b.rank;
	}

	return a.name < b.name;
}

/** A node gained an `always` predecessor: clean-up, unless its spec says otherwise. */
export function gainedAlways(node: ActionNode): void {
	node.cleanup = node.spec.cleanup ?? true;
}

/** What subscribers may read of a node. */
export function actionInfo(node: ActionNode): ActionInfo {
	const info: ActionInfo = {
		name: node.name,
		state: node.state,
		attempt: node.attempt,
		cleanup: node.cleanup,
		data: node.spec.data ?? {},
		detail: node.detail ?? {},
	};
	if (node.message !== undefined) {
		info.message = node.message;
	}

	if (node.startedAt !== undefined) {
		info.startedAt = node.startedAt;
	}

	if (node.endedAt !== undefined) {
		info.endedAt = node.endedAt;
	}

	return info;
}
