import {picomatchModule} from '../matching/picomatch.js';

/** A compiled predecessor pattern. */
export type Pattern = {
	readonly source: string;
	readonly isGlob: boolean;
	/** Names that can match start with this. */
	readonly base: string;
	readonly test: (name: string) => boolean;
};

const globCharacters = /[*?[\]{}()!+@\\]/;

/** Whether a name has no character a glob could use: then it is one action's name (most are). */
export function isPlainName(source: string): boolean {
	return !globCharacters.test(source);
}

/** Compile a plain name, or a glob such as `backup/h1/*` (see NameIndex.pattern, which keeps them). */
export function compilePattern(source: string): Pattern {
	const scan = isPlainName(source) ? undefined : picomatchModule().scan(source);
	if (scan?.isGlob !== true) {
		return {source, isGlob: false, base: source, test: name => name === source};
	}

	return {source, isGlob: true, base: scan.base, test: simpleMatcher(scan.base, scan.glob) ?? picomatchModule()(source, {dot: true})};
}

/**
`prefix/*` and `prefix/**`, the shapes plans use, tested without a regular
expression, exactly as picomatch would (with `dot`): compiling thousands of
distinct expressions is most of the cost of building a large graph.
*/
function simpleMatcher(base: string, glob: string): ((name: string) => boolean) | undefined {
	if (globCharacters.test(base) || (glob !== '*' && glob !== '**')) {
		return undefined;
	}

	const prefix = base === '' ? '' : `${base}/`;
	if (glob === '**') {
		return name => name.startsWith(prefix) || name === base;
	}

	// One segment; like picomatch, a single trailing slash is allowed.
	return name => {
		const slash = name.indexOf('/', prefix.length);
		return name.length > prefix.length && name.startsWith(prefix) && (slash === -1 || slash === name.length - 1);
	};
}

/**
Action names kept sorted, so a glob is tested only against the names that
share its literal prefix (`backup/h1/` for `backup/h1/*`) rather than all.
*/
export class NameIndex {
	#sorted: string[];
	/** Patterns compiled for this graph (scanning a glob is costly), kept as long as the graph is. */
	readonly #patterns = new Map<string, Pattern>();

	constructor(names: Iterable<string>) {
		this.#sorted = [...names].sort(); // UTF-16 order, the same as `<`
	}

	/** The compiled pattern of a name or glob, compiled once per graph. */
	pattern(source: string): Pattern {
		let pattern = this.#patterns.get(source);
		if (pattern === undefined) {
			pattern = compilePattern(source);
			this.#patterns.set(source, pattern);
		}

		return pattern;
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
