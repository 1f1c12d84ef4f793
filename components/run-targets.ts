import type {ActionState} from '../src/engine/types.js';
import {terminalStates} from '../src/engine/types.js';
import {actionsUnder, type TreeNode} from './tree-model.js';

/** States the operator can retry: ran and failed, or was cancelled. */
export const retryableStates: ReadonlySet<ActionState> = new Set<ActionState>(['failed', 'cancelled']);

/** Names of the retryable actions at or under a row, computed from the model rather than guessed by glob. */
export function retryTargets(node: TreeNode): string[] {
	return names(node, action => retryableStates.has(action.state));
}

/** Names of the unfinished actions at or under a row. */
export function cancelTargets(node: TreeNode): string[] {
	return names(node, action => !terminalStates.has(action.state));
}

/** Whether anything at or under a row is running now. */
export function hasRunning(node: TreeNode): boolean {
	return node.type === 'action' ? node.state === 'running' : node.counts.running > 0;
}

function names(node: TreeNode, keep: (action: {state: ActionState}) => boolean): string[] {
	const found: string[] = [];
	for (const action of actionsUnder(node)) {
		if (keep(action)) {
			found.push(action.name);
		}
	}

	return found;
}
