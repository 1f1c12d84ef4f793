import {GraphError} from './graph-error.js';
import {isPlainName, type NameIndex, type Pattern} from './name-index.js';
import {type ActionNode, gainedAlways, type Link} from './node.js';
import type {EdgeKind} from './types.js';

/** A glob predecessor, remembered so that actions added later can match it. */
export type GlobEdge = {
	node: ActionNode;
	pattern: Pattern;
	kind: EdgeKind;
};

/**
The edges into a node that its `after` names, each predecessor once
(`success` wins over `always`). A glob never matches the node itself, and may
match nothing; an unknown plain name is a GraphError. Globs found are added to
`globs`. The predecessors do not know of the links yet: see linkSuccessors and
attachPredecessors. Building a whole graph passes one `found` for every node.
*/
export function resolvePredecessors(
	node: ActionNode,
	lookup: ReadonlyMap<string, ActionNode>,
	names: NameIndex,
	globs: GlobEdge[],
	found = new LinkSet(),
): Link[] {
	found.begin(node);
	for (const entry of node.spec.after ?? []) {
		const from = typeof entry === 'string' ? entry : entry.from;
		const kind = typeof entry === 'string' ? 'success' : entry.kind;
		if (kind !== 'success' && kind !== 'always') {
			throw new GraphError(`action ${node.name}: unknown edge kind '${String(kind)}' after '${from}'`);
		}

		const pattern = isPlainName(from) ? undefined : names.pattern(from);
		if (!pattern?.isGlob) {
			const predecessor = lookup.get(from);
			if (predecessor === undefined) {
				throw new GraphError(`action ${node.name} comes after unknown action '${from}'`);
			}

			found.add(predecessor, kind);
			continue;
		}

		globs.push({node, pattern, kind});
		for (const name of names.match(pattern)) {
			if (name !== node.name) {
				found.add(lookup.get(name)!, kind);
			}
		}
	}

	return found.links();
}

/**
The links into one node, without repeats. Its buffer is reused from node to
node, and the links come out in an array of their exact size: a fresh array
grown by pushing keeps room for 17, and was most of the garbage of building a
graph. A Map index only once there are many (most actions have one or two).
*/
export class LinkSet {
	readonly #buffer: Link[] = [];
	#count = 0;
	#to: ActionNode | undefined;
	#index: Map<ActionNode, Link> | undefined;

	/** Start collecting the links into `to`. */
	begin(to: ActionNode): void {
		this.#to = to;
		this.#count = 0;
		this.#index = undefined;
	}

	add(from: ActionNode, kind: EdgeKind): void {
		const existing = this.#find(from);
		if (existing !== undefined) {
			if (kind === 'success') {
				existing.kind = 'success';
			}

			return;
		}

		const link = {from, to: this.#to!, kind};
		this.#buffer[this.#count++] = link;
		this.#index?.set(from, link);
		if (this.#index === undefined && this.#count > 8) {
			this.#index = new Map(this.links().map(link => [link.from, link]));
		}
	}

	/** The links collected since `begin`. */
	links(): Link[] {
		return this.#buffer.slice(0, this.#count);
	}

	#find(from: ActionNode): Link | undefined {
		if (this.#index !== undefined) {
			return this.#index.get(from);
		}

		for (let index = 0; index < this.#count; index++) {
			if (this.#buffer[index]!.from === from) {
				return this.#buffer[index];
			}
		}

		return undefined;
	}
}

/**
Give each node of a new graph, whose predecessors are resolved, its
successors. Links are counted first so that each array has its exact size:
pushing would leave room for 17 in every one. Uses each node's `waiting` as
scratch space.
*/
export function linkSuccessors(nodes: readonly ActionNode[]): void {
	for (const node of nodes) {
		for (const link of node.predecessors) {
			link.from.waiting++;
			if (link.kind === 'always') {
				gainedAlways(node);
			}
		}
	}

	for (const node of nodes) {
		node.successors = new Array<Link>(node.waiting);
		node.waiting = 0;
	}

	for (const node of nodes) {
		for (const link of node.predecessors) {
			link.from.successors[link.from.waiting++] = link;
		}
	}
}

/**
A new node's links until its graph gives it arrays of its own: one shared,
frozen array (a push onto it throws), so building a graph does not make two
arrays per action only to replace them.
*/
export const unlinked = Object.freeze([]) as unknown as Link[];

/** Give a node added to a running graph its resolved predecessors (taking the array), a successor list of its own, and each predecessor the successor. */
export function attachPredecessors(node: ActionNode, links: Link[]): void {
	node.predecessors = links;
	node.successors = [];
	for (const link of links) {
		link.from.successors.push(link);
		if (link.kind === 'always') {
			gainedAlways(node);
		}
	}
}

/** Record an edge on both ends. */
export function connect(from: ActionNode, to: ActionNode, kind: EdgeKind): void {
	const link = {from, to, kind};
	from.successors.push(link);
	to.predecessors.push(link);
	if (kind === 'always') {
		gainedAlways(to);
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
		for (const {to} of order[index]!.successors) {
			if (--to.waiting === 0) {
				order.push(to);
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
		node = node.predecessors.find(link => inCycle.has(link.from))!.from;
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
		for (const {to} of node.successors) {
			longest = Math.max(longest, to.rank);
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

		for (const {from: predecessor} of current.predecessors) {
			if (!parent.has(predecessor)) {
				parent.set(predecessor, current);
				queue.push(predecessor);
			}
		}
	}

	return undefined;
}
