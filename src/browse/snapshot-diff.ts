/**
`--diff`: what changed between two snapshots of a volume, under a path.
Entries that are the same inode (hard-linked by rsync `--link-dest`) are
skipped after one `lstat` each, without looking further; only entries whose
inode differs are compared, by type, size, mtime, mode and owner, and by
their data only with `checksum`. Changes are sorted by path as a tree is
(`a`, `a/b`, `a-b`).
*/
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {setImmediate as yieldToEventLoop} from 'node:timers/promises';
import {sameInode, sameMtime, toEntry, type Entry, type EntryType} from './entry.js';

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
	/** Called with each directory's changes as they are found (the console shows them as they come). */
	onChanges?: (changes: readonly Change[]) => void;
	/** Stops the walk. */
	signal?: AbortSignal;
};

/** The changes from `older` to `newer` (snapshot roots) under `relative` (`''` = everything). */
export async function diffSnapshots(older: string, newer: string, relative: string, options: DiffOptions = {}): Promise<Change[]> {
	const all: Change[] = [];
	const report = (changes: Change[]) => {
		if (changes.length > 0) {
			all.push(...changes);
			options.onChanges?.(changes);
		}
	};

	const first: Change[] = [];
	const pending = compareEntry(older, newer, relative, options, first);
	// The volume's root is where the diff looks, not one of its changes.
	report(first.filter(change => change.path !== ''));
	const stack = pending.reverse();
	let directories = 0;
	while (stack.length > 0) {
		options.signal?.throwIfAborted();
		const directory = stack.pop()!;
		const changes: Change[] = [];
		const inside = compareDirectory(older, newer, directory, options, changes);
		report(changes);
		stack.push(...inside.reverse());
		// Let the console draw and take keys between directories; rare enough to cost nothing on the command line.
		if (++directories % 256 === 0) {
			await yieldToEventLoop();
		}
	}

	return all.sort((a, b) => comparePaths(a.path, b.path));
}

/** Tree order: a directory's contents come right after it (`a`, `a/b`, `a-b`). */
export function comparePaths(a: string, b: string): number {
	const left = a.replaceAll('/', '\0');
	const right = b.replaceAll('/', '\0');
	return left < right ? -1 : (left > right ? 1 : 0);
}

/** A directory to walk: in both snapshots, or only in one of them (everything below it added or removed). */
type Pending = {path: string; side: 'both' | 'newer' | 'older'};

const join = (parent: string, name: string): string => (parent === '' ? name : `${parent}/${name}`);

function lstat(root: string, relative: string): Entry | undefined {
	const stats = fs.lstatSync(path.join(root, relative), {throwIfNoEntry: false});
	return stats === undefined ? undefined : toEntry(stats);
}

/** Compare the entry at `relative` in both snapshots; returns the directories to walk below it. */
function compareEntry(older: string, newer: string, relative: string, options: DiffOptions, changes: Change[]): Pending[] {
	const before = lstat(older, relative);
	const after = lstat(newer, relative);
	return compareEntries(older, newer, relative, before, after, options, changes);
}

function compareEntries(older: string, newer: string, relative: string, before: Entry | undefined, after: Entry | undefined, options: DiffOptions, changes: Change[]): Pending[] {
	if (before === undefined && after === undefined) {
		return [];
	}

	if (before === undefined) {
		changes.push({change: '+', path: relative, type: after!.type});
		return after!.type === 'dir' ? [{path: relative, side: 'newer'}] : [];
	}

	if (after === undefined) {
		changes.push({change: '-', path: relative, type: before.type});
		return before.type === 'dir' ? [{path: relative, side: 'older'}] : [];
	}

	if (sameInode(before, after)) {
		return [];
	}

	if (before.type !== after.type) {
		changes.push({change: 'T', path: relative, type: after.type});
		return [
			...(before.type === 'dir' ? [{path: relative, side: 'older' as const}] : []),
			...(after.type === 'dir' ? [{path: relative, side: 'newer' as const}] : []),
		];
	}

	const kind = compareSameType(older, newer, relative, before, after, options);
	if (kind !== undefined) {
		changes.push({change: kind, path: relative, type: after.type});
	}

	return after.type === 'dir' ? [{path: relative, side: 'both'}] : [];
}

const attributesDiffer = (a: Entry, b: Entry): boolean => a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || !sameMtime(a, b);

/** Two entries of one type and different inodes: content changed, only attributes, or nothing. */
function compareSameType(older: string, newer: string, relative: string, before: Entry, after: Entry, options: DiffOptions): ChangeKind | undefined {
	switch (after.type) {
		case 'file': {
			if (before.size !== after.size) {
				return 'M';
			}

			if (options.checksum) {
				return !sameData(path.join(older, relative), path.join(newer, relative)) ? 'M' : (attributesDiffer(before, after) ? 'A' : undefined);
			}

			// As rsync's quick check: a new mtime means new content unless the data is read.
			return sameMtime(before, after) ? (attributesDiffer(before, after) ? 'A' : undefined) : 'M';
		}

		case 'symlink': {
			return fs.readlinkSync(path.join(older, relative)) === fs.readlinkSync(path.join(newer, relative)) ? (attributesDiffer(before, after) ? 'A' : undefined) : 'M';
		}

		case 'device': {
			return before.rdev === after.rdev ? (attributesDiffer(before, after) ? 'A' : undefined) : 'M';
		}

		default: {
			return attributesDiffer(before, after) ? 'A' : undefined;
		}
	}
}

function sameData(a: string, b: string): boolean {
	const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
	return digest(a) === digest(b);
}

/** Names in a directory with their types from `readdir` (no `lstat`), sorted; none when it cannot be read. */
function namesIn(root: string, relative: string): Map<string, fs.Dirent> {
	try {
		const entries = fs.readdirSync(path.join(root, relative), {withFileTypes: true});
		return new Map(entries.map(entry => [entry.name, entry]));
	} catch {
		return new Map();
	}
}

function direntType(entry: fs.Dirent): EntryType {
	if (entry.isDirectory()) {
		return 'dir';
	}

	if (entry.isSymbolicLink()) {
		return 'symlink';
	}

	if (entry.isFile()) {
		return 'file';
	}

	return entry.isFIFO() ? 'fifo' : (entry.isSocket() ? 'socket' : 'device');
}

/** Compare the children of one directory; returns the directories to walk next, in order. */
function compareDirectory(older: string, newer: string, directory: Pending, options: DiffOptions, changes: Change[]): Pending[] {
	if (directory.side !== 'both') {
		return oneSided(directory.side === 'newer' ? newer : older, directory, changes);
	}

	const before = namesIn(older, directory.path);
	const after = namesIn(newer, directory.path);
	const names = [...new Set([...before.keys(), ...after.keys()])].sort();
	const pending: Pending[] = [];
	for (const name of names) {
		const relative = join(directory.path, name);
		const inOlder = before.has(name);
		const inNewer = after.has(name);
		if (inOlder && inNewer) {
			pending.push(...compareEntry(older, newer, relative, options, changes));
		} else {
			// Present on one side only: readdir's type is enough, no lstat needed.
			const entry = (inNewer ? after : before).get(name)!;
			const type = direntType(entry);
			changes.push({change: inNewer ? '+' : '-', path: relative, type});
			if (type === 'dir') {
				pending.push({path: relative, side: inNewer ? 'newer' : 'older'});
			}
		}
	}

	return pending;
}

/** Everything below a directory only one snapshot has: all added, or all removed. */
function oneSided(root: string, directory: Pending, changes: Change[]): Pending[] {
	const entries = [...namesIn(root, directory.path).values()].sort((a, b) => (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0)));
	const pending: Pending[] = [];
	for (const entry of entries) {
		const relative = join(directory.path, entry.name);
		const type = direntType(entry);
		changes.push({change: directory.side === 'newer' ? '+' : '-', path: relative, type});
		if (type === 'dir') {
			pending.push({path: relative, side: directory.side});
		}
	}

	return pending;
}
