import {picomatchModule} from '../matching/picomatch.js';
import {UsageError} from './usage-error.js';

/**
One command-line selector: `HOST`, `HOST:VOLUME`, `*`, or one of those
negated with a leading `-` or `!`. Host and volume may be glob patterns
(rsdeck: `web*:home`), matched with picomatch.
*/
export type Selector = {
	/** `-HOST` / `!HOST`: deselect what matches. */
	negated: boolean;
	/** Host name or glob; `*` for every host. */
	host: string;
	/** Volume name or glob; undefined = every volume of the host. */
	volume?: string;
};

/** Parse selector words; throws `UsageError` for a malformed one. */
export function parseSelectors(words: string[]): Selector[] {
	return words.map(word => parseSelector(word));
}

function parseSelector(word: string): Selector {
	const negated = word.startsWith('-') || word.startsWith('!');
	const body = negated ? word.slice(1) : word;
	const [host, volume, extra] = body.split(':');
	if (!host || /^[-!]/.test(body) || volume === '' || extra !== undefined || !isValidPattern(host) || (volume !== undefined && !isValidPattern(volume))) {
		throw new UsageError(`invalid selector '${word}'`);
	}

	return volume === undefined ? {negated, host} : {negated, host, volume};
}

/** Name characters plus glob syntax; no path separators or whitespace. */
function isValidPattern(pattern: string): boolean {
	return /^[\w.*?[\]{},!@+()-]+$/.test(pattern);
}

type Matcher = (name: string) => boolean;
const matchers = new Map<string, Matcher>();

function matcher(pattern: string): Matcher {
	let match = matchers.get(pattern);
	if (!match) {
		match = picomatchModule()(pattern, {dot: true});
		matchers.set(pattern, match);
	}

	return match;
}

/**
Whether HOST:VOLUME is selected. No selectors selects everything; otherwise
they apply in order from nothing selected, so `-h1` alone selects nothing and
`* -h1` selects everything but h1.
*/
export function isSelected(selectors: Selector[], host: string, volume: string): boolean {
	if (selectors.length === 0) {
		return true;
	}

	let selected = false;
	for (const selector of selectors) {
		if (matcher(selector.host)(host) && (selector.volume === undefined || matcher(selector.volume)(volume))) {
			selected = !selector.negated;
		}
	}

	return selected;
}

/** `HOST:VOLUME[:PATH]` for the snapshot-reading commands: PATH is everything after the second colon, relative to the volume. */
export type SnapshotSelector = {host: string; volume: string; path: string};

/** Parse `HOST:VOLUME[:PATH]` (no globs, no negation); throws `UsageError` naming the word. */
/** What each browse option takes, named in its error. */
const snapshotForms: Record<string, string> = {'--backups': 'HOST:VOLUME', '--history': 'HOST:VOLUME:PATH'};

export function parseSnapshotSelector(word: string, option: string): SnapshotSelector {
	const first = word.indexOf(':');
	const second = first === -1 ? -1 : word.indexOf(':', first + 1);
	const host = word.slice(0, Math.max(first, 0));
	const volume = second === -1 ? word.slice(first + 1) : word.slice(first + 1, second);
	if (first === -1 || !/^[\w.-]+$/.test(host) || !/^[\w.-]+$/.test(volume) || host.startsWith('-')) {
		throw new UsageError(`${option} needs ${snapshotForms[option] ?? 'HOST:VOLUME[:PATH]'}, not '${word}'`);
	}

	return {host, volume, path: second === -1 ? '' : word.slice(second + 1)};
}
