/** An item that knows its place in at most one heap, so it can be removed in O(log n). */
export type HeapItem = {
	heapIndex: number;
};

/** A binary min-heap by `before` (a comes first), with removal of any item. */
export class Heap<T extends HeapItem> {
	readonly #items: T[] = [];
	readonly #before: (a: T, b: T) => boolean;

	constructor(before: (a: T, b: T) => boolean) {
		this.#before = before;
	}

	push(item: T): void {
		item.heapIndex = this.#items.length;
		this.#items.push(item);
		this.#up(item.heapIndex);
	}

	pop(): T | undefined {
		const first = this.#items[0];
		if (first !== undefined) {
			this.remove(first);
		}

		return first;
	}

	/** Remove an item that is in this heap. */
	remove(item: T): void {
		const index = item.heapIndex;
		const last = this.#items.pop()!;
		item.heapIndex = -1;
		if (last === item) {
			return;
		}

		this.#items[index] = last;
		last.heapIndex = index;
		this.#up(index);
		this.#down(last.heapIndex);
	}

	/** Restore order after an item's key changed. */
	update(item: T): void {
		this.#up(item.heapIndex);
		this.#down(item.heapIndex);
	}

	#up(index: number): void {
		const items = this.#items;
		const item = items[index]!;
		while (index > 0) {
			const parentIndex = (index - 1) >> 1;
			const parent = items[parentIndex]!;
			if (!this.#before(item, parent)) {
				break;
			}

			items[index] = parent;
			parent.heapIndex = index;
			index = parentIndex;
		}

		items[index] = item;
		item.heapIndex = index;
	}

	#down(index: number): void {
		const items = this.#items;
		const {length} = items;
		const item = items[index]!;
		for (;;) {
			const left = (2 * index) + 1;
			if (left >= length) {
				break;
			}

			const right = left + 1;
			const child = right < length && this.#before(items[right]!, items[left]!) ? right : left;
			const childItem = items[child]!;
			if (!this.#before(childItem, item)) {
				break;
			}

			items[index] = childItem;
			childItem.heapIndex = index;
			index = child;
		}

		items[index] = item;
		item.heapIndex = index;
	}
}
