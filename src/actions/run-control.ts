import type {PlannedAction} from '../plan/types.js';

/**
What a body may ask of the run it is part of, beyond the shared Runtime:
the executor provides it, so actions never hold the engine.
*/
export type RunControl = {
	/** Add an action while the run goes on (removals found by find-prunable or retire). */
	addAction(action: PlannedAction): void;
	/** A prune step started: prune-timeout counts from the first call. */
	pruneStarted(): void;
	/** Whether prune-timeout has passed. */
	pruneTimedOut(): boolean;
};
