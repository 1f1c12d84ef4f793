/**
One directory of a snapshot, read asynchronously and handed over in batches
as it is read, so a console listing 10,000 entries (or on a slow disk) shows
the first ones at once and never blocks. Names and `lstat`s only: a symlink
is listed as a symlink, never followed.
*/
import {lstat, opendir} from 'node:fs/promises';
import path from 'node:path';
import {BrowseError} from './browse-error.js';
import {toEntry, type Entry} from './entry.js';
import {locate} from './snapshot-path.js';

export type ListedEntry = Entry & {name: string};

/** Entries per batch: big enough that a fast disk takes few renders, small enough that the first shows at once. */
const batchSize = 256;

/**
The entries of `relative` in `snapshot`, in batches in directory order
(sorting is the viewer's). Throws `BrowseError` when the path is not a
directory of the snapshot, or is reached through a symlink.
*/
export async function * listDirectory(snapshot: string, relative: string, signal?: AbortSignal): AsyncGenerator<ListedEntry[]> {
	const found = locate(snapshot, relative);
	if (found.kind === 'symlink') {
		throw new BrowseError(`${relative} is reached through the symlink ${found.at} -> ${found.target}`);
	}

	if (found.kind === 'absent' || !found.stats.isDirectory()) {
		throw new BrowseError(`${relative === '' ? 'the snapshot' : relative} is not a directory of ${snapshot}`);
	}

	const directory = path.join(snapshot, relative);
	let names: string[] = [];
	for await (const entry of await opendir(directory, {bufferSize: batchSize})) {
		signal?.throwIfAborted();
		names.push(entry.name);
		if (names.length === batchSize) {
			yield await statAll(directory, names);
			names = [];
		}
	}

	if (names.length > 0) {
		yield await statAll(directory, names);
	}
}

/** `lstat` a batch at once (libuv's threads); an entry gone meanwhile is left out. */
async function statAll(directory: string, names: readonly string[]): Promise<ListedEntry[]> {
	const entries = await Promise.all(names.map(async name => {
		try {
			return {name, ...toEntry(await lstat(path.join(directory, name)))};
		} catch {
			return undefined;
		}
	}));
	return entries.filter(entry => entry !== undefined);
}
