/**
The stores a configuration names: `store PATH` as written, and every
directory matching a `store-pattern GLOB`, the way glob(3) would find them.
*/
import fs from 'node:fs';
import path from 'node:path';
import {picomatchModule} from '../matching/picomatch.js';
import type {StoreSpec} from '../config/types.js';
import {isGlob} from '../options/is-glob.js';

/** A store to identify: its path and whether it must be a mount point. */
export type StoreCandidate = {path: string; mounted: boolean};


function listDirectory(directory: string): string[] {
	try {
		return fs.readdirSync(directory);
	} catch {
		// Like glob(3): a directory we cannot read contributes no matches.
		return [];
	}
}

/** Every existing path matching `pattern`, sorted; segments without wildcards are taken as written. */
export function expandGlob(pattern: string): string[] {
	const absolute = path.isAbsolute(pattern);
	let matches = [absolute ? path.sep : '.'];
	for (const segment of pattern.split('/').filter(part => part !== '')) {
		if (!isGlob(segment)) {
			matches = matches.map(prefix => path.join(prefix, segment)).filter(candidate => fs.existsSync(candidate));
			continue;
		}

		const matchesSegment = picomatchModule()(segment, {dot: segment.startsWith('.')});
		matches = matches.flatMap(prefix => listDirectory(prefix).filter(name => matchesSegment(name)).map(name => path.join(prefix, name)));
	}

	return matches.filter(match => match !== path.sep && match !== '.').sort();
}

/** The configured stores with patterns expanded, sorted by path and without duplicates (the first spelling of a path wins). */
export function expandStorePatterns(specs: StoreSpec[]): StoreCandidate[] {
	const stores = new Map<string, StoreCandidate>();
	for (const spec of specs) {
		for (const match of spec.pattern ? expandGlob(spec.path) : [spec.path]) {
			if (!stores.has(match)) {
				stores.set(match, {path: match, mounted: spec.mounted});
			}
		}
	}

	return [...stores.values()].sort((a, b) => (a.path < b.path ? -1 : (a.path > b.path ? 1 : 0)));
}
