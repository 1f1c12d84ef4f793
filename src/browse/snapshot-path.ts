/**
PATH inside a snapshot, as the operator wrote it after `HOST:VOLUME:`. Reading
never leaves the snapshot: `..` is refused outright, and a path whose parent
directories pass through a symlink is not the path the backup holds.
*/
import fs from 'node:fs';
import path from 'node:path';
import {BrowseError} from './browse-error.js';

/** PATH without leading, trailing or doubled slashes and `.` parts (`''` = the volume's root); `..` is refused. */
export function normalisePath(written: string): string {
	const parts = written.split('/').filter(part => part !== '' && part !== '.');
	if (parts.includes('..')) {
		throw new BrowseError(`path '${written}' climbs out of the snapshot ('..' is not allowed)`);
	}

	return parts.join('/');
}

/** Where PATH is: found (its `lstat`), absent, or behind a symlink met on the way. */
export type Located =
	| {kind: 'found'; stats: fs.Stats}
	| {kind: 'absent'}
	| {kind: 'symlink'; at: string; target: string};

/**
`lstat` PATH inside `snapshot`, checking each parent directory with `lstat`
so that a symlink on the way is reported, never followed.
*/
export function locate(snapshot: string, relative: string): Located {
	const parts = relative === '' ? [] : relative.split('/');
	let current = snapshot;
	for (const [index, part] of parts.entries()) {
		current = path.join(current, part);
		const stats = fs.lstatSync(current, {throwIfNoEntry: false});
		if (stats === undefined) {
			return {kind: 'absent'};
		}

		if (index === parts.length - 1) {
			return {kind: 'found', stats};
		}

		if (stats.isSymbolicLink()) {
			return {kind: 'symlink', at: parts.slice(0, index + 1).join('/'), target: fs.readlinkSync(current)};
		}

		if (!stats.isDirectory()) {
			return {kind: 'absent'};
		}
	}

	const stats = fs.lstatSync(snapshot, {throwIfNoEntry: false});
	return stats === undefined ? {kind: 'absent'} : {kind: 'found', stats};
}

/**
For restore: PATH with any symlink among its parents resolved, as long as it
stays in the snapshot (`etc/alt/x` where `etc/alt -> ssh` is `etc/ssh/x`);
one that leads out is refused.
*/
export function resolveInside(snapshot: string, relative: string, written: string): string {
	let rest = relative;
	for (let hops = 0; hops < 40; hops++) {
		const found = locate(snapshot, rest);
		if (found.kind !== 'symlink') {
			return rest;
		}

		const inside = found.target.startsWith('/') ? undefined : joinInside(path.posix.dirname(found.at), found.target);
		// An absolute target points at the live system, not into the snapshot.
		if (inside === undefined) {
			throw new BrowseError(`path '${written}' leads out of the snapshot through the symlink ${found.at} -> ${found.target}`);
		}

		const after = rest.slice(found.at.length + 1);
		rest = [inside, after].filter(part => part !== '').join('/');
	}

	throw new BrowseError(`path '${written}' passes through too many symlinks`);
}

/** `base/target` with `..` applied, or undefined when it climbs above the snapshot's root. */
function joinInside(base: string, target: string): string | undefined {
	const parts: string[] = [];
	for (const part of [...base.split('/'), ...target.split('/')]) {
		if (part === '..') {
			if (parts.pop() === undefined) {
				return undefined;
			}
		} else if (part !== '' && part !== '.') {
			parts.push(part);
		}
	}

	return parts.join('/');
}
