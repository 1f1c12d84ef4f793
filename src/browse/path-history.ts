/**
`--history`: the distinct versions of one path across a volume's backups,
found with `lstat` alone. Two backups hold the same version when the entry is
the same inode on the same file system (rsync `--link-dest` hard-linked it).
Where no link was made (`rsync-link-dest false`, `.nolink`, another device,
and always for directories, which are never hard-linked), the same type,
size and mtime (and symlink target) count as the same version, and the
version says so. A backup that does not hold the path ends a version: the
gap is part of the history.
*/
import fs from 'node:fs';
import path from 'node:path';
import {sameInode, sameMtime, toEntry, type Entry} from './entry.js';
import {locate} from './snapshot-path.js';
import type {ReadableSnapshot} from './volume-backups.js';

/** One version: a run of consecutive backups holding the same entry. */
export type Version = {
	kind: 'version';
	entry: Entry;
	/** A symlink's target. */
	target?: string;
	/** The backups holding it, oldest first. */
	backups: Array<{id: string; device: string}>;
	/** Some of its backups were matched by type, size and mtime rather than by inode. */
	matchedByAttributes: boolean;
};

/** Backups in a row that do not hold the path (or hold it only behind a symlink). */
export type Gap = {kind: 'gap'; backups: Array<{id: string; device: string}>};

export type HistoryItem = Version | Gap;

/** The history of `relative` across `snapshots` (taken oldest first). */
export function pathHistory(snapshots: readonly ReadableSnapshot[], relative: string): HistoryItem[] {
	const items: HistoryItem[] = [];
	for (const snapshot of snapshots) {
		const which = {id: snapshot.id, device: snapshot.device};
		const found = locate(snapshot.path, relative);
		const last = items.at(-1);
		if (found.kind !== 'found') {
			if (last?.kind === 'gap') {
				last.backups.push(which);
			} else {
				items.push({kind: 'gap', backups: [which]});
			}

			continue;
		}

		const entry = toEntry(found.stats);
		const target = entry.type === 'symlink' ? fs.readlinkSync(path.join(snapshot.path, relative)) : undefined;
		const same = last?.kind === 'version' ? sameVersion(last, entry, target) : undefined;
		if (last?.kind === 'version' && same !== undefined) {
			last.backups.push(which);
			last.matchedByAttributes ||= same === 'attributes';
		} else {
			items.push({kind: 'version', entry, ...(target === undefined ? {} : {target}), backups: [which], matchedByAttributes: false});
		}
	}

	return items;
}

/** How `entry` is the same version as `version`'s, or undefined when it is a different one. */
function sameVersion(version: Version, entry: Entry, target: string | undefined): 'inode' | 'attributes' | undefined {
	const previous = version.entry;
	if (sameInode(previous, entry)) {
		return 'inode';
	}

	// rsync --link-dest links every file whose size, mtime and mode match, so a new inode with all of them equal means links were not used.
	if (previous.mode !== entry.mode || previous.type !== entry.type || previous.size !== entry.size || !sameMtime(previous, entry) || version.target !== target) {
		return undefined;
	}

	return 'attributes';
}
