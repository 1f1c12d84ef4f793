import type {ActionState} from '../src/engine/types.js';
import {actionsUnder, type GroupNode} from './tree-model.js';

/** States in the order the final summary lists them: what went wrong first. */
export const summaryOrder: readonly ActionState[] = [
	'failed',
	'upstream_failed',
	'cancelled',
	'warned',
	'running',
	'retry_wait',
	'ready',
	'pending',
	'succeeded',
	'skipped',
];

/** What the summary line says about a finished run. */
export type RunSummary = {
	/** States that have actions, failures first, with their counts. */
	counts: Array<{state: ActionState; count: number}>;
	/** Names of the actions that ran and failed, in tree order. */
	failed: string[];
};

export function summarizeRun(root: GroupNode): RunSummary {
	const counts = summaryOrder
		.filter(state => root.counts[state] > 0)
		.map(state => ({state, count: root.counts[state]}));
	const failed: string[] = [];
	if (root.counts.failed > 0) {
		for (const action of actionsUnder(root)) {
			if (action.state === 'failed') {
				failed.push(action.name);
			}
		}
	}

	return {counts, failed};
}
