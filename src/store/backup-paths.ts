/**
Making a backup's place in a store (SPEC §4.2) without following links:
STORE/HOST and STORE/HOST/VOLUME as real directories, the ID.incomplete
marker, and STORE/HOST/VOLUME/ID for rsync. rsdeck runs as root, so a
symlink planted at any of these must make the backup fail, never send rsync
or a write somewhere outside the store.
*/
import {constants} from 'node:fs';
import {lstat, mkdir, open, unlink} from 'node:fs/promises';
import path from 'node:path';
import {errorCode} from '../process/system-error.js';

/** Something in the store where rsdeck makes a backup's directories or marker that it did not make: a symlink, a file. */
export class StorePathError extends Error {
	override name = 'StorePathError';
}

/** Make `directory` if it is missing; throw StorePathError unless it then is a real directory (not a link to one). */
async function realDirectory(directory: string): Promise<void> {
	// Most of the time it is there: one lstat. mkdir never follows a link in the last component: a planted one is EEXIST.
	let stats = await lstat(directory).catch((error: unknown) => {
		if (errorCode(error) !== 'ENOENT') {
			throw error;
		}
	});
	if (stats === undefined) {
		try {
			await mkdir(directory);
			return;
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') {
				throw error;
			}
		}

		stats = await lstat(directory);
	}

	if (stats.isSymbolicLink()) {
		throw new StorePathError(`'${directory}' is a symbolic link`);
	}

	if (!stats.isDirectory()) {
		throw new StorePathError(`'${directory}' is not a directory`);
	}
}

/** Make STORE/HOST and STORE/HOST/VOLUME, one level at a time, each a real directory. Returns STORE/HOST/VOLUME. */
export async function makeVolumeDirectory(store: string, host: string, volume: string): Promise<string> {
	const hostDirectory = path.join(store, host);
	await realDirectory(hostDirectory);
	const volumeDirectory = path.join(hostDirectory, volume);
	await realDirectory(volumeDirectory);
	return volumeDirectory;
}

/**
Create the empty ID.incomplete marker without following a link planted there
(O_EXCL fails on any existing name, a dangling link included). A regular file
already there is a marker from an earlier attempt with the same ID, and will do.
*/
export async function createMarker(marker: string): Promise<void> {
	try {
		const handle = await open(marker, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
		await handle.close();
	} catch (error) {
		if (errorCode(error) !== 'EEXIST') {
			throw error;
		}

		const stats = await lstat(marker);
		if (stats.isSymbolicLink()) {
			throw new StorePathError(`'${marker}' is a symbolic link`);
		}

		if (!stats.isFile()) {
			throw new StorePathError(`'${marker}' is not a regular file`);
		}
	}
}

/** Make STORE/HOST/VOLUME/ID for rsync, checking again that no directory on the way is a link. Returns its path. */
export async function makeBackupDirectory(store: string, host: string, volume: string, id: string): Promise<string> {
	const backup = path.join(await makeVolumeDirectory(store, host, volume), id);
	await realDirectory(backup);
	return backup;
}

/** Remove a file (a marker) if it is there: a link is removed, never followed. */
export async function removeFile(file: string): Promise<void> {
	await unlink(file).catch((error: unknown) => {
		if (errorCode(error) !== 'ENOENT') {
			throw error;
		}
	});
}
