/**
`--diff`: what changed between two snapshots of a volume, under a path.

Each snapshot is listed by `find -printf '%i %y %P'`, which reads directories
and nothing else: the inode number and type come from the directory entries
themselves, without an `lstat` per file. An entry that is the same inode in
both (hard-linked by rsync `--link-dest`) is skipped right there, without
further work; only entries whose inode differs are `lstat`ed and compared by
type, size, mtime, mode and owner, and by their data only with `checksum`.
The two listings run as two processes at once. Snapshots on different file
systems share no inodes, so there every entry present in both is compared.
Changes are sorted by path as a tree is (`a`, `a/b`, `a-b`).
*/
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {runProcess} from '../process/run-process.js';
import {BrowseError} from './browse-error.js';
import {sameMtime, toEntry, type Entry, type EntryType} from './entry.js';

/** `+` added, `-` removed, `M` content changed, `T` type changed, `A` only attributes (mode, owner, mtime). */
export type ChangeKind = '+' | '-' | 'M' | 'T' | 'A';

export type Change = {
	change: ChangeKind;
	/** Relative to the volume's root. */
	path: string;
	/** The entry's type in the newer snapshot (in the older one for `-`). */
	type: EntryType;
};

export type DiffOptions = {
	/** Read the data of regular files whose inode differs (`--checksum`). */
	checksum?: boolean;
	/** Stops the listings. */
	signal?: AbortSignal;
};


/** The changes from `older` to `newer` (snapshot roots) under `relative` (`''` = everything). */
export async function diffSnapshots(older: string, newer: string, relative: string, options: DiffOptions = {}): Promise<Change[]> {
	const [before, after] = await Promise.all([listTree(older, relative, options.signal), listTree(newer, relative, options.signal)]);
	// A record is `INODE TYPE PATH`: one found in both listings is the same inode at the same path, done with.
	const unmatched = new Set(before);
	const changedAfter: string[] = [];
	if (fs.lstatSync(older).dev === fs.lstatSync(newer).dev) {
		for (const record of after) {
			if (!unmatched.delete(record)) {
				changedAfter.push(record);
			}
		}
	} else {
		changedAfter.push(...after);
	}

	const previous = new Map([...unmatched].map(record => parseRecord(record, relative)));
	const changes: Change[] = [];
	for (const [name, listed] of changedAfter.map(record => parseRecord(record, relative))) {
		if (previous.has(name)) {
			const change = compareEntries(older, newer, name, options);
			if (change !== undefined && name !== '') {
				changes.push(change);
			}

			previous.delete(name);
		} else {
			changes.push({change: '+', path: name, type: listed.type});
		}
	}

	for (const [name, listed] of previous) {
		changes.push({change: '-', path: name, type: listed.type});
	}

	return changes.sort((a, b) => comparePaths(a.path, b.path));
}

/** Tree order: a directory's contents come right after it (`a`, `a/b`, `a-b`). */
export function comparePaths(a: string, b: string): number {
	const left = a.replaceAll('/', '\0');
	const right = b.replaceAll('/', '\0');
	return left < right ? -1 : (left > right ? 1 : 0);
}

const findTypes: Record<string, EntryType> = {f: 'file', d: 'dir', l: 'symlink', b: 'device', c: 'device', p: 'fifo', s: 'socket'};

/** The records (`INODE\tTYPE\tPATH`) of every path under `root/relative`, itself included, from the directory entries alone. An absent start lists nothing. */
async function listTree(root: string, relative: string, signal?: AbortSignal): Promise<string[]> {
	const start = path.join(root, relative);
	if (fs.lstatSync(start, {throwIfNoEntry: false}) === undefined) {
		return [];
	}

	const result = await runProcess(['find', start, '-printf', '%i\t%y\t%P\\0'], {signal});
	if (result.exitCode !== 0) {
		throw new BrowseError(`cannot list ${start}: find ${result.exitCode === undefined ? 'was stopped' : `exited with status ${result.exitCode}`}\n${result.output.slice(result.stdout.length)}`);
	}

	const records = result.stdout.split('\0');
	records.pop();
	return records;
}

/** A record as its path (relative to the volume) and its type (its inode has done its work by now). */
function parseRecord(record: string, relative: string): [string, {type: EntryType}] {
	const first = record.indexOf('\t');
	const second = record.indexOf('\t', first + 1);
	const name = record.slice(second + 1);
	const full = relative === '' ? name : (name === '' ? relative : `${relative}/${name}`);
	return [full, {type: findTypes[record.slice(first + 1, second)] ?? 'device'}];
}

/** A path in both snapshots whose inode differs: its change, or undefined when only the inode did. */
function compareEntries(older: string, newer: string, relative: string, options: DiffOptions): Change | undefined {
	const before = toEntry(fs.lstatSync(path.join(older, relative)));
	const after = toEntry(fs.lstatSync(path.join(newer, relative)));
	if (before.type !== after.type) {
		return {change: 'T', path: relative, type: after.type};
	}

	const change = compareSameType(older, newer, relative, before, after, options);
	return change === undefined ? undefined : {change, path: relative, type: after.type};
}

const attributesDiffer = (a: Entry, b: Entry): boolean => a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || !sameMtime(a, b);

/** Two entries of one type and different inodes: content changed, only attributes, or nothing. */
function compareSameType(older: string, newer: string, relative: string, before: Entry, after: Entry, options: DiffOptions): ChangeKind | undefined {
	const onlyAttributes = attributesDiffer(before, after) ? 'A' : undefined;
	switch (after.type) {
		case 'file': {
			if (before.size !== after.size) {
				return 'M';
			}

			if (options.checksum) {
				return sameData(path.join(older, relative), path.join(newer, relative)) ? onlyAttributes : 'M';
			}

			// As rsync's quick check: a new mtime means new content unless the data is read.
			return sameMtime(before, after) ? onlyAttributes : 'M';
		}

		case 'symlink': {
			return fs.readlinkSync(path.join(older, relative)) === fs.readlinkSync(path.join(newer, relative)) ? onlyAttributes : 'M';
		}

		case 'device': {
			return before.rdev === after.rdev ? onlyAttributes : 'M';
		}

		default: {
			return onlyAttributes;
		}
	}
}

function sameData(a: string, b: string): boolean {
	const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
	return digest(a) === digest(b);
}
