import type {ActionInfo, EngineEvent} from '../src/engine/types.js';

/**
What the console needs from a run: the engine, seen through the narrowest
interface, so the view never depends on the Engine class.
*/
export type RunSource = {
	/** Every action as it is now. */
	snapshot(): ActionInfo[];
	/** Receive every later event, in order; returns the unsubscribe function. */
	subscribe(listener: (event: EngineEvent) => void): () => void;
	/** Cancel actions by name or glob, all in one call (a group's thousands of actions cost one pass). */
	cancel(names: readonly string[]): void;
	/** Retry a finished action by name or glob. */
	retry(name: string): void;
};
