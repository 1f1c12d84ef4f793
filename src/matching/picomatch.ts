/**
picomatch, loaded the first time a pattern is compiled and by `require`:
importing the CommonJS package as ESM costs a pass of Node's export lexer
over it, and a command that matches nothing (a report whose volumes all use
the default `devices` pattern) need not load it at all. A leaf module: it
imports nothing of rsdeck's, so the engine may use it.
*/
import {createRequire} from 'node:module';
import type Picomatch from 'picomatch';

let loaded: typeof Picomatch | undefined;

/** The picomatch function itself, loaded on first use. */
export function picomatchModule(): typeof Picomatch {
	loaded ??= createRequire(import.meta.url)('picomatch') as typeof Picomatch;
	return loaded;
}

const compiled = new Map<string, (name: string) => boolean>();

/**
A matcher for a glob `pattern` with picomatch's default options, compiled
once per pattern. `*` alone, the default `devices` pattern, is answered
without picomatch, by the regular expression picomatch makes of it: a
non-empty name not starting with `.`, with no `/` but perhaps a last one.
*/
export function globMatcher(pattern: string): (name: string) => boolean {
	let matches = compiled.get(pattern);
	if (matches === undefined) {
		matches = pattern === '*' ? matchesStar : picomatchModule()(pattern);
		compiled.set(pattern, matches);
	}

	return matches;
}

/** `picomatch.makeRe('*')`. */
const star = /^(?:(?!\.)(?=.)[^/]*?\/?)$/;
const matchesStar = (name: string): boolean => star.test(name);
