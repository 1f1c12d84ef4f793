/**
One entry of a snapshot as `lstat` sees it: what the listing, the history and
the diff compare. Never follows a symlink.
*/
import type {Stats} from 'node:fs';

export type EntryType = 'file' | 'dir' | 'symlink' | 'device' | 'fifo' | 'socket';

export type Entry = {
	type: EntryType;
	/** Bytes (a symlink: the length of its target). */
	size: number;
	/** Modification time, ms since the epoch. */
	mtime: number;
	/** Permission bits (`mode & 0o7777`). */
	mode: number;
	uid: number;
	gid: number;
	/** Together with `ino`: the same file on the same file system, so the same version. */
	dev: number;
	ino: number;
	/** Hard links to it. */
	nlink: number;
	/** A device's number. */
	rdev: number;
};

export function entryType(stats: Stats): EntryType {
	if (stats.isFile()) {
		return 'file';
	}

	if (stats.isDirectory()) {
		return 'dir';
	}

	if (stats.isSymbolicLink()) {
		return 'symlink';
	}

	if (stats.isFIFO()) {
		return 'fifo';
	}

	return stats.isSocket() ? 'socket' : 'device';
}

export function toEntry(stats: Stats): Entry {
	return {
		type: entryType(stats),
		size: stats.size,
		mtime: stats.mtimeMs,
		mode: stats.mode & 0o7777,
		uid: stats.uid,
		gid: stats.gid,
		dev: stats.dev,
		ino: stats.ino,
		nlink: stats.nlink,
		rdev: stats.rdev,
	};
}

/** The same file: same inode on the same file system (a hard link made by `rsync --link-dest`). */
export const sameInode = (a: Pick<Entry, 'dev' | 'ino'>, b: Pick<Entry, 'dev' | 'ino'>): boolean => a.dev === b.dev && a.ino === b.ino;

/** Whether two modification times are the same to the second, as rsync's quick check compares them (its default `--modify-window`). */
export const sameMtime = (a: Pick<Entry, 'mtime'>, b: Pick<Entry, 'mtime'>): boolean => Math.floor(a.mtime / 1000) === Math.floor(b.mtime / 1000);
