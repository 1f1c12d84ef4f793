/**
Tidying a store after `--retire` (SPEC §6.3): the volume's directory, and the
host's once it is empty. Only ever `rmdir`, never anything recursive, so a
directory that still holds something stays.
*/
import {readdir, rmdir} from 'node:fs/promises';
import path from 'node:path';
import {RemovalError} from './removal-error.js';
import {checkNames, isRealDirectory, isVolumeName, realStore} from './safe-path.js';
import {errorCode, systemErrorText} from '../process/system-error.js';

/**
Remove STORE/HOST/VOLUME if it is empty (every empty volume directory of the
host when `volume` is not given), then STORE/HOST if that is empty. Missing
directories are fine; a symlink or an invalid name is a RemovalError.
*/
export async function removeEmptyDirectories(store: string, host: string, volume?: string): Promise<void> {
	checkNames(host, volume);
	const hostDirectory = path.join(await realStore(store), host);
	if (!await isRealDirectory(hostDirectory)) {
		return;
	}

	const volumes = volume === undefined ? await volumeNames(hostDirectory) : [volume];
	for (const name of volumes) {
		const volumeDirectory = path.join(hostDirectory, name);
		if (await isRealDirectory(volumeDirectory)) {
				await removeIfEmpty(volumeDirectory);
		}
	}

	await removeIfEmpty(hostDirectory);
}

/** The host directory's entries that are real directories named like volumes. */
async function volumeNames(hostDirectory: string): Promise<string[]> {
	const entries = await readdir(hostDirectory, {withFileTypes: true});
	return entries
		.filter(entry => entry.isDirectory() && isVolumeName(entry.name))
		.map(entry => entry.name);
}

async function removeIfEmpty(directory: string): Promise<void> {
	try {
		await rmdir(directory);
	} catch (error) {
		const code = errorCode(error);
		if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') {
			throw new RemovalError(`cannot remove directory '${directory}': ${systemErrorText(error)}`, {cause: error});
		}
	}
}
