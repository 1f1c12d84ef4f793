import {type LongTimer, setLongTimeout} from '../timers/long-timer.js';
import type {ContextSink} from './body-context.js';
import {EventStream} from './event-stream.js';
import {GraphError} from './graph-error.js';
import {
	attachPredecessors, computeRanks, connect, cycleError, findCycleThrough, type GlobEdge, LinkSet, linkSuccessors, resolvePredecessors,
	topologicalOrder, unlinked,
} from './graph.js';
import {NameIndex} from './name-index.js';
import {type ActionNode, actionInfo} from './node.js';
import {OutputBuffer} from './output-buffer.js';
import {dependentsToReset, rootCause} from './retry-scope.js';
import {Scheduler} from './scheduler.js';
import {Transitions} from './transitions.js';
import {
	type ActionInfo, type ActionSpec, type EdgeKind, type EngineEvent, type EngineOptions, type OutputStream, type Progress, terminalStates,
} from './types.js';

export {GraphError} from './graph-error.js';

/** Output kept in memory per action; older output is dropped (the database keeps it all). */
const outputLimit = 256 * 1024;

/** A deadline that fired: what is added later in its scope is cancelled at once. */
type ExpiredScope = {matches: (name: string) => boolean; sparesCleanup: boolean};

/**
Runs a graph of actions: each starts once its predecessors allow it and its
resources have room, best first (priority, then longest remaining path, then
name); states and output go out as one ordered stream of events.
The graph and the run's life are kept here; which action starts when is the
scheduler's, how a state change passes on is the transitions'.
*/
export class Engine {
	readonly #nodes = new Map<string, ActionNode>();
	readonly #order: ActionNode[] = [];
	readonly #names: NameIndex;
	readonly #globs: GlobEdge[] = [];
	readonly #events = new EventStream();
	readonly #transitions: Transitions;
	readonly #scheduler: Scheduler;
	readonly #deadline: number | undefined;
	readonly #now: () => number;
	readonly #deadlines = new Set<LongTimer>();
	readonly #expired: ExpiredScope[] = [];
	#started = false;
	#finished = false;
	#cancelled = false;
	#settled: {promise: Promise<void>; resolve: () => void} | undefined;

	constructor(actions: Iterable<ActionSpec>, options: EngineOptions = {}) {
		const concurrency = positive('concurrency', options.concurrency ?? Number.POSITIVE_INFINITY, 1);
		const retries = positive('retries', options.retries ?? 0, 0);
		const backoff = positive('backoff', options.backoff ?? 1000, 0);
		this.#deadline = options.deadline === undefined ? undefined : positive('deadline', options.deadline, 0);
		this.#now = options.now ?? Date.now;
		this.#transitions = new Transitions(this.#events, this.#now, node => {
			this.#scheduler.makeReady(node);
		});
		this.#scheduler = new Scheduler({
			concurrency, retries, backoff, random: options.random ?? Math.random, capacities: options.capacities, now: this.#now, sink: this.#sink, transitions: this.#transitions,
			afterPump: () => {
				this.#checkSettled();
			},
		});
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
			this.#transitions.propagating = true;
			this.#emitRun('started');
			if (this.#deadline !== undefined) {
				this.deadline(this.#deadline);
			}

			const pending = this.#order.filter(node => node.state === 'pending');
			for (const node of pending) {
				this.#transitions.announce(node, 'pending');
				this.#transitions.countWaiting(node);
			}

			for (const node of pending) {
				this.#transitions.resolvePending(node);
			}

			this.#scheduler.pump();
		}

		return this.settled();
	}

	/** Resolves the next time every action is terminal. */
	async settled(): Promise<void> {
		if (this.finished) {
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

	/** Whether the run has started and every action is terminal (until a retry or an added action starts it again). */
	get finished(): boolean {
		return this.#started && this.#finished;
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
		this.#transitions.announce(node, 'pending');
		for (const successor of gaining.keys()) {
			this.#scheduler.unready(successor);
			successor.waiting++;
		}

		if (this.#cancelled && !node.cleanup) {
			this.#scheduler.cancel(node, 'cancelled');
		} else if (this.#inExpiredScope(node)) {
			this.#scheduler.cancel(node, 'deadline passed');
		} else {
			this.#transitions.countWaiting(node);
			this.#transitions.resolvePending(node);
		}

		this.#scheduler.pump();
	}

	/**
	Cancel actions by name or glob (one, or many at once): running bodies see
	their signal abort; the rest end `cancelled`. With `spareCleanup`, clean-up
	actions among them are left to run.
	*/
	cancel(namesOrGlobs: string | readonly string[], options: {spareCleanup?: boolean} = {}): void {
		for (const nameOrGlob of typeof namesOrGlobs === 'string' ? [namesOrGlobs] : namesOrGlobs) {
			for (const node of this.#select(nameOrGlob)) {
				if (!(options.spareCleanup && node.cleanup)) {
					this.#scheduler.cancel(node, 'cancelled');
				}
			}
		}

		this.#scheduler.pump();
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
			this.#transitions.reset(node);
		}

		if (!this.#started) {
			return;
		}

		for (const node of reset) {
			for (const {to: successor} of node.successors) {
				if (!reset.has(successor) && this.#scheduler.unready(successor)) {
					successor.waiting++;
				}
			}
		}

		for (const node of reset) {
			this.#transitions.countWaiting(node);
		}

		for (const node of reset) {
			this.#transitions.resolvePending(node);
		}

		this.#scheduler.pump();
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
				this.#expired.push({matches: () => true, sparesCleanup: true});
				this.#cancelWork('deadline passed');
				return;
			}

			this.#expired.push({matches: this.#names.pattern(match).test, sparesCleanup: false});
			for (const node of this.#select(match)) {
				this.#scheduler.cancel(node, 'deadline passed');
			}

			this.#scheduler.pump();
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

	/** Where bodies' output, progress and details go: onto the event stream. */
	readonly #sink: ContextSink = {
		log: (node: ActionNode, text: string, stream: OutputStream) => {
			node.output ??= new OutputBuffer(outputLimit);
			node.output.append(text);
			if (this.#events.active) {
				this.#events.emit({type: 'output', action: node.name, stream, text, time: this.#now()});
			}
		},
		progress: (node: ActionNode, progress: Progress) => {
			if (this.#events.active) {
				this.#events.emit({type: 'progress', action: node.name, progress, time: this.#now()});
			}
		},
		describe: (node: ActionNode, detail: Record<string, unknown>) => {
			node.detail = {...node.detail, ...detail};
			if (this.#events.active) {
				this.#events.emit({type: 'describe', action: node.name, detail, time: this.#now()});
			}
		},
	};

	#createNode(spec: ActionSpec): ActionNode {
		if (typeof spec.name !== 'string' || spec.name === '') {
			throw new GraphError(`an action has no name (${JSON.stringify(spec.name)})`);
		}

		return {
			spec,
			name: spec.name,
			priority: spec.priority ?? 0,
			estimate: spec.estimate ?? 0,
			slots: this.#scheduler.pool.resolve(spec.resources),
			cleanup: spec.cleanup ?? false,
			predecessors: unlinked,
			successors: unlinked,
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

	#register(node: ActionNode): void {
		this.#nodes.set(node.name, node);
		this.#order.push(node);
		this.#transitions.register();
	}

	/** Whether a new action falls in the scope of a deadline that already fired. */
	#inExpiredScope(node: ActionNode): boolean {
		return this.#expired.some(({matches, sparesCleanup}) => !(sparesCleanup && node.cleanup) && matches(node.name));
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

	/** Cancel everything not terminal except clean-up, which waits and runs as usual. */
	#cancelWork(message: string): void {
		for (const node of this.#order) {
			if (!node.cleanup) {
				this.#scheduler.cancel(node, message);
			}
		}

		this.#scheduler.pump();
	}

	/** After the run finished, new work starts it again. */
	#reopen(): void {
		if (this.#finished) {
			this.#finished = false;
			this.#emitRun('started');
		}
	}

	#checkSettled(): void {
		if (!this.#started || this.#finished || this.#transitions.unfinished > 0) {
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
