import type {EventStream} from './event-stream.js';
import type {ActionNode} from './node.js';
import {type ActionState, type EngineEvent, successStates, terminalStates} from './types.js';

/** What an end (or a retry wait) says: its message, and the outcome's detail. */
export type Change = {
	message?: string | undefined;
	detail?: Record<string, unknown> | undefined;
};

/**
State changes of actions, each announced as an event, and how an end passes on
to the successors waiting for it: a `success` successor of an action that did
not succeed ends too, one whose last predecessor ended becomes ready.
*/
export class Transitions {
	/** Off until the run starts: before, ends wait to be passed on by the run's first pass. */
	propagating = false;
	readonly #events: EventStream;
	readonly #now: () => number;
	readonly #ready: (node: ActionNode) => void;
	#unfinished = 0;
	readonly #work: ActionNode[] = [];

	/** `ready` takes a node that may start (into the scheduler's ready heap). */
	constructor(events: EventStream, now: () => number, ready: (node: ActionNode) => void) {
		this.#events = events;
		this.#now = now;
		this.#ready = ready;
	}

	/** Actions not terminal. */
	get unfinished(): number {
		return this.#unfinished;
	}

	/** A new action (pending) counts as unfinished. */
	register(): void {
		this.#unfinished++;
	}

	/**
	Move an action to `state`. With a change (an end, or a retry wait) it records
	the message and the end time; an end keeps the outcome's detail, a retry
	wait's detail goes with its event only.
	*/
	transition(node: ActionNode, state: ActionState, change?: Change): void {
		const previous = node.state;
		const ends = terminalStates.has(state);
		if (change !== undefined) {
			node.message = change.message;
			node.endedAt = this.#now();
			if (ends && change.detail !== undefined) {
				node.detail = {...node.detail, ...change.detail};
			}
		}

		node.state = state;
		const wasDone = terminalStates.has(previous);
		if (wasDone !== ends) {
			this.#unfinished += wasDone ? 1 : -1;
		}

		this.announce(node, previous, change);
	}

	/** End an action and pass its end on to its waiting successors. */
	finish(node: ActionNode, state: ActionState, change: Change = {}): void {
		this.transition(node, state, change);
		this.#propagate(node);
	}

	/** Put a finished action back to pending, as if it had never run (a manual retry). */
	reset(node: ActionNode): void {
		node.cause = undefined;
		node.message = undefined;
		node.detail = undefined;
		node.startedAt = undefined;
		node.endedAt = undefined;
		node.tries = 0;
		this.transition(node, 'pending');
	}

	/** Count the predecessors a pending action waits for. */
	countWaiting(node: ActionNode): void {
		let waiting = 0;
		for (const {from: predecessor} of node.predecessors) {
			if (!terminalStates.has(predecessor.state)) {
				waiting++;
			}
		}

		node.waiting = waiting;
	}

	/** A pending action whose waiting count is right: end it if a required predecessor did not succeed, or make it ready. */
	resolvePending(node: ActionNode): void {
		if (node.state !== 'pending') {
			return;
		}

		for (const {from: predecessor, kind} of node.predecessors) {
			if (kind === 'success' && terminalStates.has(predecessor.state) && !successStates.has(predecessor.state)) {
				this.#endBlocked(node, predecessor);
				this.#propagate(node);
				return;
			}
		}

		if (node.waiting === 0) {
			this.#ready(node);
		}
	}

	/** The state event of a change already made (`previous` is where it was). */
	announce(node: ActionNode, previous: ActionState, change?: Change): void {
		if (!this.#events.active) {
			return;
		}

		const event: EngineEvent = {type: 'state', action: node.name, state: node.state, previous, attempt: node.attempt, time: this.#now()};
		if (change?.message !== undefined) {
			event.message = change.message;
		}

		if (change?.detail !== undefined) {
			event.detail = change.detail;
		}

		this.#events.emit(event);
	}

	/** End a pending action without running it, as its predecessor's end requires. */
	#endBlocked(node: ActionNode, cause: ActionNode): void {
		const state = blockedState(cause.state);
		node.cause = cause;
		const message = state === 'skipped' && cause.message !== undefined ? cause.message : `${cause.name} ${cause.state.replace('_', ' ')}`;
		this.transition(node, state, {message});
	}

	/** Pass an end on to the waiting successors; iterative, so a long chain cannot overflow the stack. */
	#propagate(start: ActionNode): void {
		if (!this.propagating) {
			return;
		}

		// One stack for every call, not an array per end: a listener that cancels from inside works above `base`.
		const work = this.#work;
		const base = work.length;
		work.push(start);
		while (work.length > base) {
			const node = work.pop()!;
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
					this.#ready(successor);
				}
			}
		}
	}
}

/** What a `success` dependent of an action that ended this way becomes. */
function blockedState(state: ActionState): ActionState {
	return state === 'skipped' || state === 'cancelled' ? state : 'upstream_failed';
}
