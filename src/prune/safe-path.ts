/**
The checks that keep removals inside a store: names that cannot climb out of
it, and directories that are real directories, never symlinks.
*/
import {lstat, realpath, stat} from 'node:fs/promises';
import {RemovalError} from './removal-error.js';
import {errorCode, systemErrorText} from '../process/system-error.js';

const hostPattern = /^[A-Za-z0-9.-]+$/;
const volumePattern = /^[\w.]+$/;

const isSafe = (name: string, pattern: RegExp): boolean => pattern.test(name) && !name.startsWith('-') && name !== '.' && !name.includes('..');

/** Whether `name` is a valid volume name that stays inside its parent directory. */
export const isVolumeName = (name: string): boolean => isSafe(name, volumePattern);

function checkName(kind: string, name: string, pattern: RegExp): void {
	if (!isSafe(name, pattern)) {
		throw new RemovalError(`refusing to remove: invalid ${kind} name '${name}'`);
	}
}

/** Throw RemovalError unless `host` (and `volume`, if given) are valid names (SPEC §1.4) that stay inside their parent. */
export function checkNames(host: string, volume?: string): void {
	checkName('host', host, hostPattern);
	if (volume !== undefined) {
		checkName('volume', volume, volumePattern);
	}
}

/** The store's real path; throws RemovalError when it is not a directory. */
export async function realStore(store: string): Promise<string> {
	try {
		const real = await realpath(store);
		if ((await stat(real)).isDirectory()) {
			return real;
		}
	} catch (error) {
		throw new RemovalError(`refusing to remove from store '${store}': ${systemErrorText(error)}`, {cause: error});
	}

	throw new RemovalError(`refusing to remove from store '${store}': not a directory`);
}

/**
Whether `path` exists, as a real directory. Throws RemovalError when it is a
symlink or anything but a directory: nothing under it may be touched.
*/
export async function isRealDirectory(path: string): Promise<boolean> {
	let stats;
	try {
		stats = await lstat(path);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') {
			return false;
		}

		throw new RemovalError(`refusing to remove under '${path}': ${systemErrorText(error)}`, {cause: error});
	}

	if (stats.isSymbolicLink()) {
		throw new RemovalError(`refusing to remove under '${path}': it is a symbolic link`);
	}

	if (!stats.isDirectory()) {
		throw new RemovalError(`refusing to remove under '${path}': not a directory`);
	}

	return true;
}

