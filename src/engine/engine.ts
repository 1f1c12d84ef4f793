import PQueue from 'p-queue';
import {backoffDelay} from './backoff.js';
import {BodyContext, type ContextSink} from './body-context.js';
import {EventStream} from './event-stream.js';
import {GraphError} from './graph-error.js';
import {
	attachPredecessors, computeRanks, connect, cycleError, findCycleThrough, type GlobEdge, LinkSet, linkSuccessors, resolvePredecessors,
	topologicalOrder,
} from './graph.js';
import {Heap} from './heap.js';
import {type LongTimer, setLongTimeout} from '../timers/long-timer.js';
import {NameIndex} from './name-index.js';
import {type ActionNode, runsBefore} from './node.js';
import {OutputBuffer} from './output-buffer.js';
import {type Resource, ResourcePool} from './resources.js';
import {
	type ActionInfo, type ActionSpec, type ActionState, type EdgeKind, type EngineEvent, type EngineOptions,
	type Outcome, type OutputStream, type Progress, successStates, terminalStates,
} from './types.js';

export {GraphError} from './graph-error.js';

const succeeded: Outcome = {state: 'succeeded'};

/** Output kept in memory per action; older output is dropped (the database keeps it all). */
const outputLimit = 256 * 1024;

/**
Runs a graph of actions: each starts once its predecessors allow it and its
resources have room, best first (priority, then longest remaining path, then
name); states and output go out as one ordered stream of events.
*/
export class Engine {
	readonly #nodes = new Map<string, ActionNode>();
	readonly #order: ActionNode[] = [];
	readonly #names: NameIndex;
	readonly #globs: GlobEdge[] = [];
	readonly #events = new EventStream();
	readonly #ready = new Heap<ActionNode>(runsBefore);
	readonly #pool: ResourcePool;
	readonly #queue: PQueue;
	readonly #concurrency: number;
	readonly #retries: number;
	readonly #backoff: number;
	readonly #deadline: number | undefined;
	readonly #now: () => number;
	readonly #deadlines = new Set<LongTimer>();
	/** Deadlines that fired: what is added later in their scope is cancelled at once. */
	readonly #expired: Array<{matches: (name: string) => boolean; spares: 'cleanup' | 'nothing'}> = [];
	readonly #sink: ContextSink;
	#pumping = false;
	#running = 0;
	#unfinished = 0;
	#started = false;
	#finished = false;
	#cancelled = false;
	#settled: {promise: Promise<void>; resolve: () => void} | undefined;

	constructor(actions: Iterable<ActionSpec>, options: EngineOptions = {}) {
		this.#concurrency = positive('concurrency', options.concurrency ?? Number.POSITIVE_INFINITY, 1);
		this.#retries = positive('retries', options.retries ?? 0, 0);
		this.#backoff = positive('backoff', options.backoff ?? 1000, 0);
		this.#deadline = options.deadline === undefined ? undefined : positive('deadline', options.deadline, 0);
		this.#now = options.now ?? Date.now;
		this.#pool = new ResourcePool(options.capacities);
		this.#queue = new PQueue({concurrency: this.#concurrency});
		this.#sink = {
			log: (node, text, stream) => {
				this.#log(node, text, stream);
			},
			progress: (node, progress) => {
				this.#progress(node, progress);
			},
			describe: (node, detail) => {
				this.#describe(node, detail);
			},
		};
		for (const spec of actions) {
			this.#register(this.#createNode(spec));
		}

		// One Map operation per action instead of two: duplicates are looked for only if the counts disagree.
		if (this.#nodes.size < this.#order.length) {
			throw duplicateError(firstRepeatedName(this.#order));
		}

		this.#names = new NameIndex(this.#nodes.keys());
		const found = new LinkSet();
		for (const node of this.#order) {
			node.predecessors = resolvePredecessors(node, this.#nodes, this.#names, this.#globs, found);
		}

		linkSuccessors(this.#order);

		computeRanks(topologicalOrder(this.#order));
	}

	/** Receive every event, synchronously and in order. Returns the unsubscribe function. */
	subscribe(listener: (event: EngineEvent) => void): () => void {
		return this.#events.subscribe(listener);
	}

	/** Start the run; resolves when every action is terminal. */
	async run(): Promise<void> {
		if (!this.#started) {
			this.#started = true;
			this.#emitRun('started');
			if (this.#deadline !== undefined) {
				this.deadline(this.#deadline);
			}

			const pending = this.#order.filter(node => node.state === 'pending');
			for (const node of pending) {
				this.#emitState(node, 'pending');
				this.#countWaiting(node);
			}

			for (const node of pending) {
				this.#resolvePending(node);
			}

			this.#pump();
		}

		return this.settled();
	}

	/** Resolves the next time every action is terminal. */
	async settled(): Promise<void> {
		if (this.#started && this.#finished) {
			return;
		}

		if (this.#settled === undefined) {
			let resolve!: () => void;
			const promise = new Promise<void>(resolve_ => {
				resolve = resolve_;
			});
			this.#settled = {promise, resolve};
		}

		return this.#settled.promise;
	}

	/** Add an action; actions not yet started whose glob predecessors match its name wait for it too. */
	add(spec: ActionSpec): void {
		const node = this.#createNode(spec);
		if (this.#nodes.has(node.name)) {
			throw duplicateError(node.name);
		}

		const globs: GlobEdge[] = [];
		const predecessors = resolvePredecessors(node, this.#nodes, this.#names, globs);
		const gaining = this.#gainingSuccessors(node.name);
		const cycle = findCycleThrough(node, predecessors.map(link => link.from), new Set(gaining.keys()));
		if (cycle !== undefined) {
			throw cycleError(cycle);
		}

		this.#register(node);
		this.#names.add(node.name);
		this.#globs.push(...globs);
		attachPredecessors(node, predecessors);

		for (const [successor, kind] of gaining) {
			connect(node, successor, kind);
			node.rank = Math.max(node.rank, node.estimate + successor.rank);
		}

		this.#raiseRanks(node);
		if (!this.#started) {
			return;
		}

		this.#reopen();
		this.#emitState(node, 'pending');
		for (const successor of gaining.keys()) {
			this.#unready(successor);
			successor.waiting++;
		}

		const expired = this.#expiredScope(node);
		if (this.#cancelled && !node.cleanup) {
			this.#cancelNode(node, 'cancelled');
		} else if (expired) {
			this.#cancelNode(node, 'deadline passed');
		} else {
			this.#countWaiting(node);
			this.#resolvePending(node);
		}

		this.#pump();
	}

	/** Cancel one action, or those a glob matches: running bodies see their signal abort; the rest end `cancelled`. */
	cancel(nameOrGlob: string): void {
		for (const node of this.#select(nameOrGlob)) {
			this.#cancelNode(node, 'cancelled');
		}

		this.#pump();
	}

	/** Cancel the whole run; clean-up (actions with `always` predecessors) still runs. */
	cancelAll(): void {
		if (!this.#cancelled) {
			this.#cancelled = true;
			this.#emitRun('cancelling');
		}

		this.#cancelWork('cancelled');
	}

	/** Run finished actions again, with every dependent that ended because of them. */
	retry(nameOrGlob: string): void {
		const roots = new Set<ActionNode>();
		for (const node of this.#select(nameOrGlob)) {
			if (terminalStates.has(node.state)) {
				roots.add(rootCause(node));
			}
		}

		if (roots.size === 0) {
			return;
		}

		const reset = dependentsToReset(roots);
		this.#reopen();
		for (const node of reset) {
			this.#resetNode(node);
		}

		if (!this.#started) {
			return;
		}

		for (const node of reset) {
			for (const {to: successor} of node.successors) {
				if (!reset.has(successor) && this.#unready(successor)) {
					successor.waiting++;
				}
			}
		}

		for (const node of reset) {
			this.#countWaiting(node);
		}

		for (const node of reset) {
			this.#resolvePending(node);
		}

		this.#pump();
	}

	/** In `milliseconds`, cancel the actions (a name or glob; default all but clean-up) that are not terminal, and those added in that scope later. */
	deadline(milliseconds: number, match?: string): void {
		positive('deadline', milliseconds, 0);
		if (match !== undefined) {
			this.#select(match);
		}

		const timer = setLongTimeout(() => {
			this.#deadlines.delete(timer);
			if (match === undefined) {
				this.#expired.push({matches: () => true, spares: 'cleanup'});
				this.#cancelWork('deadline passed');
				return;
			}

			this.#expired.push({matches: this.#names.pattern(match).test, spares: 'nothing'});
			for (const node of this.#select(match)) {
				this.#cancelNode(node, 'deadline passed');
			}

			this.#pump();
		}, milliseconds, {unref: true});
		this.#deadlines.add(timer);
	}

	/** Every action, in insertion order. */
	snapshot(): ActionInfo[] {
		return this.#order.map(node => actionInfo(node));
	}

	info(name: string): ActionInfo | undefined {
		const node = this.#nodes.get(name);
		return node === undefined ? undefined : actionInfo(node);
	}

	/** The action's most recent output (up to 256 KiB), all streams interleaved. */
	output(name: string): string {
		return this.#nodes.get(name)?.output?.toString() ?? '';
	}

	/** Whether `cancelAll()` was called. */
	get cancelled(): boolean {
		return this.#cancelled;
	}

	#createNode(spec: ActionSpec): ActionNode {
		if (typeof spec.name !== 'string' || spec.name === '') {
			throw new GraphError(`an action has no name (${JSON.stringify(spec.name)})`);
		}

		return {
			spec,
			name: spec.name,
			priority: spec.priority ?? 0,
			estimate: spec.estimate ?? 0,
			slots: this.#pool.resolve(spec.resources),
			cleanup: spec.cleanup ?? false,
			predecessors: [],
			successors: [],
			rank: spec.estimate ?? 0,
			state: 'pending',
			attempt: 0,
			tries: 0,
			waiting: 0,
			cause: undefined,
			message: undefined,
			detail: undefined,
			startedAt: undefined,
			endedAt: undefined,
			heap: undefined,
			heapIndex: -1,
			wokenBy: undefined,
			context: undefined,
			retryTimer: undefined,
			output: undefined,
		};
	}

	/** Whether a new action falls in the scope of a deadline that already fired. */
	#expiredScope(node: ActionNode): boolean {
		return this.#expired.some(({matches, spares}) => !(spares === 'cleanup' && node.cleanup) && matches(node.name));
	}

	#register(node: ActionNode): void {
		this.#nodes.set(node.name, node);
		this.#order.push(node);
		this.#unfinished++;
	}

	/** Not-yet-started actions whose glob predecessors match `name`, with the edge kind. */
	#gainingSuccessors(name: string): Map<ActionNode, EdgeKind> {
		const gaining = new Map<ActionNode, EdgeKind>();
		for (const {node, pattern, kind} of this.#globs) {
			if ((node.state === 'pending' || node.state === 'ready') && pattern.test(name) && gaining.get(node) !== 'success') {
				gaining.set(node, kind);
			}
		}

		return gaining;
	}

	/** Carry a longer remaining path up to the predecessors, keeping heaps in order. */
	#raiseRanks(start: ActionNode): void {
		const work = [start];
		for (let node = work.pop(); node !== undefined; node = work.pop()) {
			for (const {from: predecessor} of node.predecessors) {
				const rank = predecessor.estimate + node.rank;
				if (rank > predecessor.rank) {
					predecessor.rank = rank;
					predecessor.heap?.update(predecessor);
					work.push(predecessor);
				}
			}
		}
	}

	/** The actions a name or glob selects; an unknown plain name is a GraphError. */
	#select(nameOrGlob: string): ActionNode[] {
		const pattern = this.#names.pattern(nameOrGlob);
		if (pattern.isGlob) {
			return this.#names.match(pattern).map(name => this.#nodes.get(name)!);
		}

		const node = this.#nodes.get(nameOrGlob);
		if (node === undefined) {
			throw new GraphError(`no action named '${nameOrGlob}'`);
		}

		return [node];
	}

	#countWaiting(node: ActionNode): void {
		let waiting = 0;
		for (const {from: predecessor} of node.predecessors) {
			if (!terminalStates.has(predecessor.state)) {
				waiting++;
			}
		}

		node.waiting = waiting;
	}

	/** A pending action whose waiting count is right: end it if a required predecessor did not succeed, or make it ready. */
	#resolvePending(node: ActionNode): void {
		if (node.state !== 'pending') {
			return;
		}

		for (const {from: predecessor, kind} of node.predecessors) {
			if (kind === 'success' && terminalStates.has(predecessor.state) && !successStates.has(predecessor.state)) {
				this.#block(node, predecessor);
				return;
			}
		}

		if (node.waiting === 0) {
			this.#makeReady(node);
		}
	}

	#makeReady(node: ActionNode): void {
		this.#setState(node, 'ready');
		this.#ready.push(node);
		node.heap = this.#ready;
	}

	/** Start the best ready actions while there are queue slots; park those whose resources are full. */
	#pump(): void {
		if (this.#pumping) {
			return;
		}

		this.#pumping = true;
		try {
			while (this.#running < this.#concurrency) {
				const node = this.#ready.pop();
				if (node === undefined) {
					break;
				}

				node.heap = undefined;
				const woken = node.wokenBy;
				node.wokenBy = undefined;
				const full = this.#pool.firstFull(node);
				if (full === undefined) {
					this.#pool.take(node);
					this.#start(node);
				} else {
					this.#pool.park(node, full);
					if (woken !== undefined && woken !== full) {
						this.#pool.wakeNext(woken, this.#wake);
					}
				}
			}
		} finally {
			this.#pumping = false;
		}

		this.#checkSettled();
	}

	readonly #wake = (waiter: ActionNode, resource: Resource): void => {
		waiter.wokenBy = resource;
		this.#ready.push(waiter);
		waiter.heap = this.#ready;
	};

	#start(node: ActionNode): void {
		node.attempt++;
		node.tries++;
		node.startedAt = this.#now();
		node.endedAt = undefined;
		this.#running++;
		const context = new BodyContext(this.#sink, node);
		node.context = context;
		this.#setState(node, 'running');
		// The name as the task id: no counter id to make, and p-queue's running-task list names actions.
		void this.#queue.add(() => this.#execute(node, context), {id: node.name});
	}

	async #execute(node: ActionNode, context: BodyContext): Promise<void> {
		let outcome: Outcome | undefined;
		try {
			outcome = await node.spec.body(context) ?? undefined;
		} catch (error) {
			this.#completed(node, context, {state: 'failed', message: errorMessage(error)});
			return;
		}

		this.#completed(node, context, outcome ?? succeeded);
	}

	#completed(node: ActionNode, context: BodyContext, outcome: Outcome): void {
		this.#running--;
		node.context = undefined;
		this.#pool.release(node, this.#wake);
		if (context.abortReason !== undefined) {
			this.#finish(node, 'cancelled', context.abortReason.message, outcome.detail);
		} else if (outcome.state === 'failed' && outcome.transient && node.tries <= this.#retries) {
			this.#retryLater(node, outcome);
		} else {
			this.#finish(node, outcome.state, outcome.message, outcome.detail);
		}

		this.#pump();
	}

	#retryLater(node: ActionNode, outcome: Outcome): void {
		const delay = backoffDelay(this.#backoff, node.tries);
		node.message = outcome.message;
		node.endedAt = this.#now();
		this.#setState(node, 'retry_wait', outcome.message, {...outcome.detail, retryIn: delay});
		node.retryTimer = setLongTimeout(() => {
			node.retryTimer = undefined;
			this.#makeReady(node);
			this.#pump();
		}, delay);
	}

	/** End an action and pass its end on to its waiting successors. */
	#finish(node: ActionNode, state: ActionState, message?: string, detail?: Record<string, unknown>): void {
		node.message = message;
		node.endedAt = this.#now();
		if (detail !== undefined) {
			node.detail = {...node.detail, ...detail};
		}

		this.#setState(node, state, message, detail);
		this.#propagate(node);
	}

	/** End a pending action without running it, as its predecessor's end requires. */
	#block(node: ActionNode, cause: ActionNode): void {
		this.#endBlocked(node, cause);
		this.#propagate(node);
	}

	#endBlocked(node: ActionNode, cause: ActionNode): void {
		const state = blockedState(cause.state);
		node.cause = cause;
		node.message = state === 'skipped' && cause.message !== undefined ? cause.message : `${cause.name} ${cause.state.replace('_', ' ')}`;
		node.endedAt = this.#now();
		this.#setState(node, state, node.message);
	}

	/** Pass an end on to the waiting successors; iterative, so a long chain cannot overflow the stack. */
	#propagate(start: ActionNode): void {
		if (!this.#started) {
			return;
		}

		const work = [start];
		for (let node = work.pop(); node !== undefined; node = work.pop()) {
			const succeeded = successStates.has(node.state);
			for (const {to: successor, kind} of node.successors) {
				if (successor.state !== 'pending') {
					continue;
				}

				successor.waiting--;
				if (kind === 'success' && !succeeded) {
					this.#endBlocked(successor, node);
					work.push(successor);
				} else if (successor.waiting === 0) {
					this.#makeReady(successor);
				}
			}
		}
	}

	#cancelNode(node: ActionNode, message: string): void {
		switch (node.state) {
			case 'running': {
				node.context!.abort(new Error(message));
				break;
			}

			case 'retry_wait': {
				node.retryTimer?.clear();
				node.retryTimer = undefined;
				this.#finish(node, 'cancelled', message);
				break;
			}

			case 'ready':
			case 'pending': {
				this.#unqueue(node);
				this.#finish(node, 'cancelled', message);
				break;
			}

			default:
		}
	}

	/** Cancel everything not terminal except clean-up, which waits and runs as usual. */
	#cancelWork(message: string): void {
		for (const node of this.#order) {
			if (!node.cleanup) {
				this.#cancelNode(node, message);
			}
		}

		this.#pump();
	}

	/** Take a ready action out of whichever heap holds it; a unit it was woken for goes to the next waiter. */
	#unqueue(node: ActionNode): void {
		node.heap?.remove(node);
		node.heap = undefined;
		const woken = node.wokenBy;
		node.wokenBy = undefined;
		if (woken !== undefined) {
			this.#pool.wakeNext(woken, this.#wake);
		}
	}

	/** A successor gaining a non-terminal predecessor goes back to pending; true if it now waits for it. */
	#unready(node: ActionNode): boolean {
		if (node.state === 'ready') {
			this.#unqueue(node);
			node.waiting = 0;
			this.#setState(node, 'pending');
		}

		return node.state === 'pending';
	}

	#resetNode(node: ActionNode): void {
		node.cause = undefined;
		node.message = undefined;
		node.detail = undefined;
		node.startedAt = undefined;
		node.endedAt = undefined;
		node.tries = 0;
		this.#setState(node, 'pending');
	}

	/** After the run finished, new work starts it again. */
	#reopen(): void {
		if (this.#finished) {
			this.#finished = false;
			this.#emitRun('started');
		}
	}

	#checkSettled(): void {
		if (!this.#started || this.#finished || this.#unfinished > 0) {
			return;
		}

		this.#finished = true;
		for (const timer of this.#deadlines) {
			timer.clear();
		}

		this.#deadlines.clear();
		this.#emitRun('finished');
		const settled = this.#settled;
		this.#settled = undefined;
		settled?.resolve();
	}

	#setState(node: ActionNode, state: ActionState, message?: string, detail?: Record<string, unknown>): void {
		const previous = node.state;
		node.state = state;
		const wasDone = terminalStates.has(previous);
		if (wasDone !== terminalStates.has(state)) {
			this.#unfinished += wasDone ? 1 : -1;
		}

		this.#emitState(node, previous, message, detail);
	}

	#emitState(node: ActionNode, previous: ActionState, message?: string, detail?: Record<string, unknown>): void {
		if (!this.#events.active) {
			return;
		}

		const event: EngineEvent = {type: 'state', action: node.name, state: node.state, previous, attempt: node.attempt, time: this.#now()};
		if (message !== undefined) {
			event.message = message;
		}

		if (detail !== undefined) {
			event.detail = detail;
		}

		this.#events.emit(event);
	}

	#log(node: ActionNode, text: string, stream: OutputStream): void {
		node.output ??= new OutputBuffer(outputLimit);
		node.output.append(text);
		if (this.#events.active) {
			this.#events.emit({type: 'output', action: node.name, stream, text, time: this.#now()});
		}
	}

	#progress(node: ActionNode, progress: Progress): void {
		if (this.#events.active) {
			this.#events.emit({type: 'progress', action: node.name, progress, time: this.#now()});
		}
	}

	#describe(node: ActionNode, detail: Record<string, unknown>): void {
		node.detail = {...node.detail, ...detail};
		if (this.#events.active) {
			this.#events.emit({type: 'describe', action: node.name, detail, time: this.#now()});
		}
	}

	#emitRun(state: 'started' | 'finished' | 'cancelling'): void {
		if (this.#events.active) {
			this.#events.emit({type: 'run', state, time: this.#now()});
		}
	}
}

function positive(name: string, value: number, minimum: number): number {
	if (typeof value !== 'number' || Number.isNaN(value) || value < minimum) {
		throw new TypeError(`Expected \`${name}\` to be a number of at least ${minimum}, got \`${String(value)}\``);
	}

	return value;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function duplicateError(name: string): GraphError {
	return new GraphError(`duplicate action name '${name}'`);
}

/** The first name that `nodes` repeat (there is one). */
function firstRepeatedName(nodes: readonly ActionNode[]): string {
	const seen = new Set<string>();
	return nodes.find(node => {
		const repeated = seen.has(node.name);
		seen.add(node.name);
		return repeated;
	})!.name;
}

/** What a `success` dependent of an action that ended this way becomes. */
function blockedState(state: ActionState): ActionState {
	return state === 'skipped' || state === 'cancelled' ? state : 'upstream_failed';
}

/** The action whose end made this one end without running. */
function rootCause(node: ActionNode): ActionNode {
	let root = node;
	while (root.cause !== undefined) {
		root = root.cause;
	}

	return root;
}

/** The roots and their finished dependents that ended because of them or ran after them by an `always` edge. */
function dependentsToReset(roots: ReadonlySet<ActionNode>): Set<ActionNode> {
	const reset = new Set(roots);
	for (const node of reset) {
		for (const {to: successor, kind} of node.successors) {
			if (reset.has(successor) || !terminalStates.has(successor.state)) {
				continue;
			}

			const cause = successor.cause;
			if ((cause !== undefined && reset.has(cause)) || (kind === 'always' && cause === undefined)) {
				reset.add(successor);
			}
		}
	}

	return reset;
}

function actionInfo(node: ActionNode): ActionInfo {
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
