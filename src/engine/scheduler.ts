import PQueue from 'p-queue';
import {setLongTimeout} from '../timers/long-timer.js';
import {backoffDelay} from './backoff.js';
import {BodyContext, type ContextSink} from './body-context.js';
import {Heap} from './heap.js';
import {type ActionNode, runsBefore} from './node.js';
import {type Resource, ResourcePool} from './resources.js';
import type {Transitions} from './transitions.js';
import type {Outcome} from './types.js';

const succeeded: Outcome = {state: 'succeeded'};

/** What the scheduler is given: limits, and where bodies report and ends go. */
export type SchedulerOptions = {
	concurrency: number;
	retries: number;
	backoff: number;
	/** The backoff jitter's random source. */
	random: () => number;
	capacities: Readonly<Record<string, number>> | undefined;
	now: () => number;
	sink: ContextSink;
	transitions: Transitions;
	/** Called after each pass that may have started or ended actions. */
	afterPump: () => void;
};

/**
Which ready action runs next, and running it: the ready heap (best first),
resources taken all at once or parked on the full one, the one concurrency
count, attempts through p-queue, and the timers of automatic retries.
*/
export class Scheduler {
	readonly pool: ResourcePool;
	readonly #ready = new Heap<ActionNode>(runsBefore);
	/** Runs the bodies; the concurrency limit is counted here alone (`#running`), so p-queue is given none. */
	readonly #queue = new PQueue();
	readonly #concurrency: number;
	readonly #retries: number;
	readonly #backoff: number;
	readonly #random: () => number;
	readonly #now: () => number;
	readonly #sink: ContextSink;
	readonly #transitions: Transitions;
	readonly #afterPump: () => void;
	#pumping = false;
	#running = 0;

	constructor(options: SchedulerOptions) {
		this.pool = new ResourcePool(options.capacities);
		this.#concurrency = options.concurrency;
		this.#retries = options.retries;
		this.#backoff = options.backoff;
		this.#random = options.random;
		this.#now = options.now;
		this.#sink = options.sink;
		this.#transitions = options.transitions;
		this.#afterPump = options.afterPump;
	}

	/** A pending action whose predecessors allow it: into the ready heap. */
	makeReady(node: ActionNode): void {
		this.#transitions.transition(node, 'ready');
		this.#ready.push(node);
		node.heap = this.#ready;
	}

	/** Start the best ready actions while the concurrency allows; park those whose resources are full. */
	pump(): void {
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
				const full = this.pool.firstFull(node);
				if (full === undefined) {
					this.pool.take(node);
					this.#start(node);
				} else {
					this.pool.park(node, full);
					if (woken !== undefined && woken !== full) {
						this.pool.wakeNext(woken, this.#wake);
					}
				}
			}
		} finally {
			this.#pumping = false;
		}

		this.#afterPump();
	}

	/** End an action that has not ended: a running body's signal aborts, the rest end at once. */
	cancel(node: ActionNode, message: string): void {
		switch (node.state) {
			case 'running': {
				node.context!.abort(new Error(message));
				break;
			}

			case 'retry_wait': {
				node.retryTimer?.clear();
				node.retryTimer = undefined;
				this.#transitions.finish(node, 'cancelled', {message});
				break;
			}

			case 'ready':
			case 'pending': {
				this.#unqueue(node);
				this.#transitions.finish(node, 'cancelled', {message});
				break;
			}

			default:
		}
	}

	/** A successor gaining a non-terminal predecessor goes back to pending; true if it now waits for it. */
	unready(node: ActionNode): boolean {
		if (node.state === 'ready') {
			this.#unqueue(node);
			node.waiting = 0;
			this.#transitions.transition(node, 'pending');
		}

		return node.state === 'pending';
	}

	readonly #wake = (waiter: ActionNode, resource: Resource): void => {
		waiter.wokenBy = resource;
		this.#ready.push(waiter);
		waiter.heap = this.#ready;
	};

	/** Take a ready action out of whichever heap holds it; a unit it was woken for goes to the next waiter. */
	#unqueue(node: ActionNode): void {
		node.heap?.remove(node);
		node.heap = undefined;
		const woken = node.wokenBy;
		node.wokenBy = undefined;
		if (woken !== undefined) {
			this.pool.wakeNext(woken, this.#wake);
		}
	}

	#start(node: ActionNode): void {
		node.attempt++;
		node.tries++;
		node.startedAt = this.#now();
		node.endedAt = undefined;
		this.#running++;
		const context = new BodyContext(this.#sink, node);
		node.context = context;
		this.#transitions.transition(node, 'running');
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
		this.pool.release(node, this.#wake);
		if (context.abortReason !== undefined) {
			this.#transitions.finish(node, 'cancelled', {message: context.abortReason.message, detail: outcome.detail});
		} else if (outcome.state === 'failed' && outcome.transient && node.tries <= this.#retries) {
			this.#retryLater(node, outcome);
		} else {
			this.#transitions.finish(node, outcome.state, outcome);
		}

		this.pump();
	}

	#retryLater(node: ActionNode, outcome: Outcome): void {
		const delay = backoffDelay(this.#backoff, node.tries, this.#random);
		this.#transitions.transition(node, 'retry_wait', {message: outcome.message, detail: {...outcome.detail, retryIn: delay}});
		node.retryTimer = setLongTimeout(() => {
			node.retryTimer = undefined;
			this.makeReady(node);
			this.pump();
		}, delay);
	}
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
