import type {ActionState, EngineEvent} from '../engine/types.js';
import {terminalStates} from '../engine/types.js';

/**
Counts what a run did and decides its exit status as rsbackup does: 0 when
everything asked for was done (skips are not errors), 1 on any error.
*/
export class RunOutcome {
	/** Current state per action. */
	readonly states = new Map<string, ActionState>();
	/** Operator error messages logged by actions (bad stores…). */
	errors = 0;
	#forgiven: string[] = [];

	observe(event: EngineEvent): void {
		if (event.type === 'state') {
			this.states.set(event.action, event.state);
		} else if (event.type === 'output' && event.stream === 'error') {
			this.errors++;
		}
	}

	/** Cancellations of actions under this prefix are not errors (prune-timeout). */
	forgiveCancelled(prefix: string): void {
		this.#forgiven.push(prefix);
	}

	/** Actions in each terminal state. */
	counts(): Map<ActionState, number> {
		const counts = new Map<ActionState, number>();
		for (const state of this.states.values()) {
			counts.set(state, (counts.get(state) ?? 0) + 1);
		}

		return counts;
	}

	/** Names of actions that ran and failed. */
	failures(): string[] {
		return [...this.states].filter(([, state]) => state === 'failed').map(([name]) => name);
	}

	exitStatus(cancelledByOperator: boolean): number {
		if (this.errors > 0 || cancelledByOperator) {
			return 1;
		}

		for (const [name, state] of this.states) {
			if (state === 'failed' || (state === 'cancelled' && !this.#forgiven.some(prefix => name.startsWith(prefix)))) {
				return 1;
			}

			if (!terminalStates.has(state)) {
				return 1;
			}
		}

		return 0;
	}
}
