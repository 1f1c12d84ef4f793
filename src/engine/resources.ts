import {Heap} from './heap.js';
import {type ActionNode, runsBefore} from './node.js';

const none: readonly Resource[] = [];

/** A named semaphore, with the ready actions parked until it has room. */
export type Resource = {
	readonly name: string;
	readonly capacity: number;
	used: number;
	readonly waiters: Heap<ActionNode>;
};

/**
Resources with capacities. An action takes all of its resources at once or
none: if one is full the action parks on it, and each unit given back wakes
that resource's best waiter, so nothing scans the waiting work.
*/
export class ResourcePool {
	readonly #resources = new Map<string, Resource>();
	readonly #capacities: Readonly<Record<string, number>>;

	constructor(capacities: Readonly<Record<string, number>> = {}) {
		for (const [name, capacity] of Object.entries(capacities)) {
			if (!Number.isInteger(capacity) || capacity < 1) {
				throw new TypeError(`Expected the capacity of resource \`${name}\` to be a positive integer, got \`${capacity}\``);
			}
		}

		this.#capacities = capacities;
	}

	/** The resources with these names (each once). */
	resolve(names: readonly string[] | undefined): readonly Resource[] {
		if (names === undefined || names.length === 0) {
			return none;
		}

		// A name given twice is rare: look for one before paying for a Set.
		const unique = names.some((name, index) => names.indexOf(name) !== index) ? [...new Set(names)] : names;
		return unique.map(name => this.#get(name));
	}

	/** A resource of the node that has no room, if any. */
	firstFull(node: ActionNode): Resource | undefined {
		return node.slots.find(resource => resource.used >= resource.capacity);
	}

	take(node: ActionNode): void {
		for (const resource of node.slots) {
			resource.used++;
		}
	}

	park(node: ActionNode, resource: Resource): void {
		resource.waiters.push(node);
		node.heap = resource.waiters;
	}

	/** Give back the node's resources; `wake` receives each waiter that may now fit. */
	release(node: ActionNode, wake: (waiter: ActionNode, resource: Resource) => void): void {
		for (const resource of node.slots) {
			resource.used--;
			this.wakeNext(resource, wake);
		}
	}

	/** Wake the resource's best waiter if it has room. */
	wakeNext(resource: Resource, wake: (waiter: ActionNode, resource: Resource) => void): void {
		if (resource.used < resource.capacity) {
			const waiter = resource.waiters.pop();
			if (waiter !== undefined) {
				waiter.heap = undefined;
				wake(waiter, resource);
			}
		}
	}

	#get(name: string): Resource {
		let resource = this.#resources.get(name);
		if (resource === undefined) {
			resource = {name, capacity: this.#capacities[name] ?? 1, used: 0, waiters: new Heap(runsBefore)};
			this.#resources.set(name, resource);
		}

		return resource;
	}
}
