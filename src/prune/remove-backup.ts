/**
The only code in rsdeck that deletes backup trees (SPEC §6.2): exactly
STORE/HOST/VOLUME/ID, never through a symlink, never outside the store.
*/
import {constants} from 'node:fs';
import {lstat, open, realpath, unlink} from 'node:fs/promises';
import path from 'node:path';
import {runProcess} from '../process/run-process.js';
import {describeCommandFailure} from './command-failure.js';
import {parseBackupId, printableId} from '../store/layout.js';
import {RemovalError} from './removal-error.js';
import {checkNames, isRealDirectory, realStore} from './safe-path.js';
import {errorCode, systemErrorText} from '../process/system-error.js';

export {RemovalError} from './removal-error.js';

/** The backup to remove. */
export type RemovalTarget = {
	/** The store (mount point) holding the device. */
	store: string;
	host: string;
	volume: string;
	/** The backup id, `YYYY-MM-DDTHH:MM:SS`. */
	id: string;
};

/** How to remove it. */
export type RemovalOptions = {
	/** The `rm` directive: run as `RM -rf PATH`. */
	rm: string;
	/** Aborting it kills rm; the backup stays marked `.incomplete`. */
	signal?: AbortSignal;
	/** rm's output as it arrives. */
	onOutput?: (text: string) => void;
	/** Called once every check has passed, just before the backup is marked incomplete and rm runs. */
	onStart?: () => void;
};

/**
Remove one backup: check the names and that STORE/HOST, STORE/HOST/VOLUME
and the backup are real directories inside the store, create ID.incomplete,
run `RM -rf PATH`, then remove ID.incomplete. A backup that is already gone
counts as removed (resuming an interrupted prune). Throws RemovalError on any
refusal or failure, leaving ID.incomplete in place once it was made.
*/
export async function removeBackup(target: RemovalTarget, options: RemovalOptions): Promise<void> {
	checkNames(target.host, target.volume);
	if (parseBackupId(target.id) === undefined) {
		throw new RemovalError(`refusing to remove: invalid backup id '${printableId(target.id)}'`);
	}

	const store = await realStore(target.store);
	if (options.signal?.aborted) {
		throw new RemovalError(`removal of ${target.host}:${target.volume} ${target.id} was cancelled before it started`);
	}

	const hostDirectory = path.join(store, target.host);
	const volumeDirectory = path.join(hostDirectory, target.volume);
	if (!await isRealDirectory(hostDirectory) || !await isRealDirectory(volumeDirectory)) {
		return;
	}

	const backup = path.join(volumeDirectory, target.id);
	const present = await isRealDirectory(backup);
	const resolved = present ? await realpath(backup) : backup;
	if (resolved !== backup) {
		throw new RemovalError(`refusing to remove '${backup}': it resolves to '${resolved}'`);
	}

	const incomplete = `${backup}.incomplete`;
	options.onStart?.();
	await markIncomplete(incomplete);
	if (present) {
		await runRm(backup, options);
	}

	await unlink(incomplete).catch((error: unknown) => {
		if (errorCode(error) !== 'ENOENT') {
			throw new RemovalError(`removed '${backup}' but cannot remove '${incomplete}': ${systemErrorText(error)}`, {cause: error});
		}
	});
}

/** Create PATH.incomplete as an empty file, without following a symlink planted there. */
async function markIncomplete(incomplete: string): Promise<void> {
	try {
		const handle = await open(incomplete, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o666);
		await handle.close();
	} catch (error) {
		const reason = errorCode(error) === 'ELOOP' ? 'it is a symbolic link' : systemErrorText(error);
		throw new RemovalError(`refusing to remove: cannot create '${incomplete}': ${reason}`, {cause: error});
	}
}

/** Run `RM -rf PATH` and make sure PATH is gone afterwards. */
async function runRm(backup: string, options: RemovalOptions): Promise<void> {
	const result = await runProcess([options.rm, '-rf', backup], {signal: options.signal, onOutput: options.onOutput});
	const failure = describeCommandFailure(result);
	if (failure !== undefined) {
		throw new RemovalError(`cannot remove '${backup}': '${options.rm}' ${failure}`);
	}

	const left = await lstat(backup).then(() => true, (error: unknown) => errorCode(error) !== 'ENOENT');
	if (left) {
		throw new RemovalError(`cannot remove '${backup}': it is still there after '${options.rm} -rf' succeeded`);
	}
}
