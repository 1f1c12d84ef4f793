import type {ActionNode} from './node.js';
import {terminalStates} from './types.js';

/** The action whose end made this one end without running. */
export function rootCause(node: ActionNode): ActionNode {
	let root = node;
	while (root.cause !== undefined) {
		root = root.cause;
	}

	return root;
}

/** The roots and their finished dependents that ended because of them or ran after them by an `always` edge. */
export function dependentsToReset(roots: ReadonlySet<ActionNode>): Set<ActionNode> {
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
