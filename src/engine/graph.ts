import {GraphError} from './graph-error.js';
import {compilePattern, looksLikeGlob, type NameIndex, type Pattern} from './name-index.js';
import type {ActionNode, Link} from './node.js';
import type {Edge, EdgeKind} from './types.js';

/** A glob predecessor, remembered so that actions added later can match it. */
export type GlobEdge = {
	node: ActionNode;
	pattern: Pattern;
	kind: EdgeKind;
};

/** Normalise a spec's `after` entry. */
export function toEdge(entry: string | Edge): Edge {
	return typeof entry === 'string' ? {from: entry, kind: 'success'} : entry;
}

/**
The predecessors a node's edges name, each once (`success` wins over
`always`). A glob never matches the node itself, and may match nothing; an
unknown plain name is a GraphError. Globs found are added to `globs`.
*/
export function resolvePredecessors(
	node: ActionNode,
	lookup: ReadonlyMap<string, ActionNode>,
	names: NameIndex,
	globs: GlobEdge[],
): Link[] {
	const found = new LinkSet();
	for (const entry of node.spec.after ?? []) {
		const {from, kind} = toEdge(entry);
		if (kind !== 'success' && kind !== 'always') {
			throw new GraphError(`action ${node.name}: unknown edge kind '${String(kind)}' after '${from}'`);
		}

		if (!looksLikeGlob(from)) {
			const predecessor = lookup.get(from);
			if (predecessor === undefined) {
				throw new GraphError(`action ${node.name} comes after unknown action '${from}'`);
			}

			found.add(predecessor, kind);
			continue;
		}

		const pattern = compilePattern(from);
		globs.push({node, pattern, kind});
		for (const name of names.match(pattern)) {
			if (name !== node.name) {
				found.add(lookup.get(name)!, kind);
			}
		}
	}

	return found.links;
}

/** Links without repeats; a Map index only once there are many (most actions have one or two). */
class LinkSet {
	readonly links: Link[] = [];
	#index: Map<ActionNode, Link> | undefined;

	add(node: ActionNode, kind: EdgeKind): void {
		const existing = this.#find(node);
		if (existing === undefined) {
			const link = {node, kind};
			this.links.push(link);
			this.#index?.set(node, link);
			if (this.#index === undefined && this.links.length > 8) {
				this.#index = new Map(this.links.map(link => [link.node, link]));
			}
		} else if (kind === 'success') {
			existing.kind = 'success';
		}
	}

	#find(node: ActionNode): Link | undefined {
		return this.#index === undefined ? this.links.find(link => link.node === node) : this.#index.get(node);
	}
}

/** Record an edge on both ends. */
export function connect(predecessor: ActionNode, successor: ActionNode, kind: EdgeKind): void {
	predecessor.successors.push({node: successor, kind});
	successor.predecessors.push({node: predecessor, kind});
	if (kind === 'always') {
		successor.cleanup = true;
	}
}

/** The nodes in an order where every predecessor comes first; a GraphError naming a cycle if there is one. */
export function topologicalOrder(nodes: readonly ActionNode[]): ActionNode[] {
	const remaining = new Map<ActionNode, number>();
	const order: ActionNode[] = [];
	for (const node of nodes) {
		if (node.predecessors.length === 0) {
			order.push(node);
		} else {
			remaining.set(node, node.predecessors.length);
		}
	}

	for (let index = 0; index < order.length; index++) {
		for (const {node} of order[index]!.successors) {
			const count = remaining.get(node)! - 1;
			if (count === 0) {
				remaining.delete(node);
				order.push(node);
			} else {
				remaining.set(node, count);
			}
		}
	}

	if (remaining.size > 0) {
		throw cycleError(findCycle(remaining));
	}

	return order;
}

/** Walk back through predecessors inside `remaining` (each has one there) until a node repeats. */
function findCycle(remaining: ReadonlyMap<ActionNode, number>): ActionNode[] {
	const seen = new Map<ActionNode, number>();
	const path: ActionNode[] = [];
	let node = remaining.keys().next().value!;
	while (!seen.has(node)) {
		seen.set(node, path.length);
		path.push(node);
		node = node.predecessors.find(link => remaining.has(link.node))!.node;
	}

	return path.slice(seen.get(node)).reverse();
}

/** A GraphError naming the cycle in run order: `a → b → a`. */
export function cycleError(cycle: readonly ActionNode[]): GraphError {
	const names = cycle.map(node => node.name);
	return new GraphError(`actions form a cycle: ${[...names, names[0]].join(' → ')}`);
}

/** Longest expected remaining path of each node, successors first. */
export function computeRanks(order: readonly ActionNode[]): void {
	for (let index = order.length - 1; index >= 0; index--) {
		const node = order[index]!;
		let longest = 0;
		for (const {node: successor} of node.successors) {
			longest = Math.max(longest, successor.rank);
		}

		node.rank = node.estimate + longest;
	}
}

/**
For a node being added with successors `gaining`: a path from one of them back
to the node through predecessors means the new edges close a cycle.
*/
export function findCycleThrough(node: ActionNode, predecessors: Iterable<ActionNode>, gaining: ReadonlySet<ActionNode>): ActionNode[] | undefined {
	const parent = new Map<ActionNode, ActionNode>();
	const queue: ActionNode[] = [];
	for (const predecessor of predecessors) {
		parent.set(predecessor, node);
		queue.push(predecessor);
	}

	for (let index = 0; index < queue.length; index++) {
		const current = queue[index]!;
		if (gaining.has(current)) {
			const cycle = [current];
			for (let step = parent.get(current)!; step !== node; step = parent.get(step)!) {
				cycle.push(step);
			}

			return [...cycle, node];
		}

		for (const {node: predecessor} of current.predecessors) {
			if (!parent.has(predecessor)) {
				parent.set(predecessor, current);
				queue.push(predecessor);
			}
		}
	}

	return undefined;
}
