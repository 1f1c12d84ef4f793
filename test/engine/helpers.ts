import {Engine} from '../../src/engine/engine.js';
import type {
	ActionBody, ActionSpec, ActionState, EngineEvent, EngineOptions, Outcome,
} from '../../src/engine/types.js';

/** A promise settled from outside: lets a test decide when a body ends. */
export type Gate = {
	promise: Promise<void>;
	open(): void;
};

export function gate(): Gate {
	let open!: () => void;
	const promise = new Promise<void>(resolve => {
		open = resolve;
	});
	return {promise, open};
}

/** Records which bodies ran, in start order, and how many run at once. */
export class Recorder {
	readonly started: string[] = [];
	running = 0;
	peak = 0;

	/** A body that records its start, waits for `wait` (if any), then returns `outcome`. */
	body(outcome?: Outcome | (() => Outcome | void), wait?: () => Promise<void>): ActionBody {
		return async context => {
			this.started.push(context.name);
			this.running++;
			this.peak = Math.max(this.peak, this.running);
			try {
				await (wait?.() ?? Promise.resolve());
				return typeof outcome === 'function' ? outcome() : outcome;
			} finally {
				this.running--;
			}
		};
	}
}

/** An engine with its event log. */
export function engineWithEvents(actions: ActionSpec[], options?: EngineOptions): {engine: Engine; events: EngineEvent[]} {
	const engine = new Engine(actions, options);
	const events: EngineEvent[] = [];
	engine.subscribe(event => events.push(event));
	return {engine, events};
}

/** The state of every action, by name. */
export function states(engine: Engine): Record<string, ActionState> {
	return Object.fromEntries(engine.snapshot().map(info => [info.name, info.state]));
}

/** The successive states one action went through, from the event log. */
export function stateHistory(events: readonly EngineEvent[], action: string): ActionState[] {
	return events.flatMap(event => event.type === 'state' && event.action === action ? [event.state] : []);
}

/** Resolves when the action reaches `state` (checked on every event). */
export async function reached(engine: Engine, action: string, state: ActionState): Promise<void> {
	if (engine.info(action)?.state === state) {
		return;
	}

	return new Promise(resolve => {
		const unsubscribe = engine.subscribe(event => {
			if (event.type === 'state' && event.action === action && event.state === state) {
				unsubscribe();
				resolve();
			}
		});
	});
}
