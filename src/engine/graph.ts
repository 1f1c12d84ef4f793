import {GraphError} from './graph-error.js';
import {compilePattern, looksLikeGlob, type NameIndex, type Pattern} from './name-index.js';
import type {ActionNode, Link} from './node.js';
import type {EdgeKind} from './types.js';

/** A glob predecessor, remembered so that actions added later can match it. */
export type GlobEdge = {
	node: ActionNode;
	pattern: Pattern;
	kind: EdgeKind;
};

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
		const from = typeof entry === 'string' ? entry : entry.from;
		const kind = typeof entry === 'string' ? 'success' : entry.kind;
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

	// An exact-size copy: a grown array keeps room for 16, and there is one per action.
	return found.links.slice();
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

/** Give a new node its resolved predecessors (taking the array), and each of them the successor. */
export function attachPredecessors(node: ActionNode, links: Link[]): void {
	node.predecessors = links;
	for (const link of links) {
		link.node.successors.push({node, kind: link.kind});
		if (link.kind === 'always') {
			node.cleanup = true;
		}
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

/**
The nodes in an order where every predecessor comes first; a GraphError naming
a cycle if there is one. Uses each node's `waiting` as scratch space.
*/
export function topologicalOrder(nodes: readonly ActionNode[]): ActionNode[] {
	const order: ActionNode[] = [];
	for (const node of nodes) {
		node.waiting = node.predecessors.length;
		if (node.waiting === 0) {
			order.push(node);
		}
	}

	for (let index = 0; index < order.length; index++) {
		for (const {node} of order[index]!.successors) {
			if (--node.waiting === 0) {
				order.push(node);
			}
		}
	}

	if (order.length < nodes.length) {
		throw cycleError(findCycle(nodes.filter(node => node.waiting > 0)));
	}

	return order;
}

/** Walk back through predecessors among `remaining` (each has one there) until a node repeats. */
function findCycle(remaining: readonly ActionNode[]): ActionNode[] {
	const inCycle = new Set(remaining);
	const seen = new Map<ActionNode, number>();
	const path: ActionNode[] = [];
	let node = remaining[0]!;
	while (!seen.has(node)) {
		seen.set(node, path.length);
		path.push(node);
		node = node.predecessors.find(link => inCycle.has(link.node))!.node;
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
