import picomatch from 'picomatch';

/** A compiled predecessor pattern. */
export type Pattern = {
	readonly source: string;
	readonly isGlob: boolean;
	/** Names that can match start with this. */
	readonly base: string;
	readonly test: (name: string) => boolean;
};

const patterns = new Map<string, Pattern>();

/** Compile (once) a plain name or a glob such as `backup/h1/*`. */
export function compilePattern(source: string): Pattern {
	let pattern = patterns.get(source);
	if (pattern === undefined) {
		const {isGlob, base} = picomatch.scan(source);
		pattern = isGlob
			? {source, isGlob, base, test: picomatch(source, {dot: true})}
			: {source, isGlob, base: source, test: name => name === source};
		patterns.set(source, pattern);
	}

	return pattern;
}

/**
Action names kept sorted, so a glob is tested only against the names that
share its literal prefix (`backup/h1/` for `backup/h1/*`) rather than all.
*/
export class NameIndex {
	#sorted: string[];

	constructor(names: Iterable<string>) {
		this.#sorted = [...names].sort(compare);
	}

	add(name: string): void {
		this.#sorted.splice(this.#lowerBound(name), 0, name);
	}

	/** The names a glob matches, in sorted order. */
	match(pattern: Pattern): string[] {
		const matches: string[] = [];
		for (let index = this.#lowerBound(pattern.base); index < this.#sorted.length; index++) {
			const name = this.#sorted[index]!;
			if (!name.startsWith(pattern.base)) {
				break;
			}

			if (pattern.test(name)) {
				matches.push(name);
			}
		}

		return matches;
	}

	#lowerBound(key: string): number {
		let low = 0;
		let high = this.#sorted.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.#sorted[middle]! < key) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}
}

function compare(a: string, b: string): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}
