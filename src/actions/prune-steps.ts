import path from 'node:path';
import type {Dirent} from 'node:fs';
import {readdir} from 'node:fs/promises';
import type {ActionContext, Outcome} from '../engine/types.js';
import {backupKeyName} from '../db/backup-database.js';
import {actionName, deviceResource} from '../plan/action-names.js';
import {BackupStatus} from '../db/types.js';
import {findPrunable} from '../prune/find-prunable.js';
import {RemovalError, removeBackup} from '../prune/remove-backup.js';
import {removeEmptyDirectories} from '../prune/retire.js';
import {backupDirectory, parseBackupId, printableId, volumeDirectory} from '../store/layout.js';
import type {RunControl} from './run-control.js';
import type {Runtime} from './runtime.js';
import {errorCode} from '../process/system-error.js';

type Removal = {host: string; volume: string; device: string; id: string};

/** Plan `remove/H/V/D/ID` for one backup, one at a time per device; the name, printed, has the id escaped. */
function addRemoval(control: RunControl, removal: Removal, after: string[]): void {
	control.addAction({
		name: actionName('remove', {...removal, id: printableId(removal.id)}),
		kind: 'remove',
		...removal,
		after: after.map(from => ({from, kind: 'success'})),
		resources: [deviceResource(removal.device)],
		priority: 0,
		estimate: 0,
		cleanup: false,
	});
}

/**
`find-prunable/H/V`: ask the volume's prune policy which backups go and mark
them pruning in one transaction, from the database alone (as rsbackup does,
before any device is touched); then plan a removal for each, to run once the
stores are known. Finding some is what makes the device hooks run in a prune.
*/
export async function findPrunableBackups(context: ActionContext, runtime: Runtime, control: RunControl, hostName: string, volumeName: string): Promise<Outcome> {
	control.pruneStarted();
	const host = runtime.host(hostName);
	const volume = runtime.volume(hostName, volumeName);
	const now = runtime.settings.now('prune');
	const rows = runtime.db.backups({host: hostName, volume: volumeName});
	const decisions = await findPrunable(volume, host, rows, {now, incomplete: runtime.settings.pruneIncomplete, prune: runtime.settings.prune, signal: context.signal});
	if (decisions.length === 0) {
		return {state: 'succeeded', message: 'nothing to prune'};
	}

	if (!runtime.settings.dryRun) {
		const fresh = decisions.filter(({row}) => row.status !== BackupStatus.pruning);
		runtime.db.markPruning(fresh.map(({row}) => row), now, new Map(fresh.map(({row, reason}) => [backupKeyName(row), reason])));
	}

	runtime.removalsFound = true;
	for (const {row, reason} of decisions) {
		runtime.pruneReasons.set(backupKeyName(row), reason);
		addRemoval(control, row, [actionName('find-prunable', {host: hostName, volume: volumeName}), 'check-stores']);
	}

	return {state: 'succeeded', message: `${decisions.length} backup(s) to prune`};
}

/** `remove/H/V/D/ID`: delete one backup from its store (prune or retire). */
export async function removeOneBackup(context: ActionContext, runtime: Runtime, removal: Removal): Promise<Outcome> {
	const store = runtime.storeOf(removal.device);
	const reason = runtime.pruneReasons.get(backupKeyName(removal));
	if (store === undefined) {
		// A prune's row stays pruning, so the removal is resumed when the device is back.
		return {state: 'skipped', message: `device ${removal.device} not available${reason === undefined ? '' : '; left for a later run'}`};
	}

	// For messages only: the removal itself is given the id as it is.
	const path = backupDirectory(store, removal.host, removal.volume, printableId(removal.id));
	context.describe({path, ...(reason === undefined ? {} : {reason})});
	if (runtime.settings.dryRun) {
		context.log(reason === undefined ? `would remove ${path}\n` : `would prune ${path} because: ${reason}\n`, 'info');
		return {state: 'succeeded', message: 'dry run'};
	}

	context.log(reason === undefined ? `removing ${path}\n` : `pruning ${path} because: ${reason}\n`, 'info');

	// A retired backup stops counting as complete before rm starts, and loses its row as soon as its tree is gone.
	const retiring = () => {
		runtime.db.markPruning([removal], runtime.settings.now('prune'), new Map([[backupKeyName(removal), 'retired']]));
	};

	try {
		await removeBackup({store, ...removal}, {
			rm: runtime.config.rm,
			signal: context.signal,
			onOutput: text => context.log(text, 'stderr'),
			...(reason === undefined ? {onStart: retiring} : {}),
		});
	} catch (error) {
		// Name the backup: several refusals for one volume would otherwise read the same.
		if (error instanceof RemovalError) {
			return {state: 'failed', message: `cannot remove ${path}: ${error.message}`};
		}

		throw error;
	}

	if (reason === undefined) {
		runtime.db.deleteBackup(removal);
	} else {
		runtime.db.markPruned(removal, runtime.settings.now('prune'), reason);
	}

	return {state: 'succeeded', message: `removed ${path}`};
}

/** `log-prunable`: account for the prune: what was removed, what is left pending. */
export function logPrunable(runtime: Runtime, control: RunControl): Outcome {
	const pending = runtime.db.records().filter(row => row.status === BackupStatus.pruning).length;
	const timedOut = control.pruneTimedOut() ? '; prune-timeout reached' : '';
	return {state: 'succeeded', message: pending === 0 ? `prune complete${timedOut}` : `${pending} backup(s) still pruning, resumed next run${timedOut}`};
}

/**
`expire-prune-logs`: forget pruned backups older than `keep-prune-logs`, and
rsdeck's own history of runs started longer ago than that.
*/
export function expirePruneLogs(runtime: Runtime): Outcome {
	if (runtime.settings.dryRun) {
		return {state: 'succeeded', message: 'dry run'};
	}

	const removed = runtime.db.expirePruneLogs(runtime.settings.now('prune') - runtime.config.keepPruneLogs);
	// Runs are stamped with the real clock, not the fake one; and never the run in progress, which began after this process did.
	const runs = runtime.db.expireRuns(Math.min(Date.now() - (runtime.config.keepPruneLogs * 1000), performance.timeOrigin));
	return {state: 'succeeded', message: `${removed} old prune log(s) and ${runs} old run(s) expired`};
}

/** `retire/H[/V]`: plan the removal of every backup of the host or volume on each available device. */
export async function retireBackups(context: ActionContext, runtime: Runtime, control: RunControl, host: string, volume: string | undefined): Promise<Outcome> {
	let found = 0;
	const name = actionName('retire', {host, ...(volume === undefined ? {} : {volume})});
	for (const device of runtime.stores?.devices.values() ?? []) {
		const volumes = volume === undefined ? await listDirectories(path.join(device.store, host)) : [volume];
		for (const each of volumes) {
			for (const id of await backupIds(volumeDirectory(device.store, host, each))) {
				found++;
				addRemoval(control, {host, volume: each, device: device.name, id}, [name]);
			}
		}
	}

	context.describe({backups: found});
	return {state: 'succeeded', message: `${found} backup(s) to remove`};
}

/** `forget/H[/V]`: delete the records left once every removal succeeded (each removed backup's went with it; these are backups on unavailable devices, failed and pruned ones), then the empty directories. */
export async function forgetBackups(runtime: Runtime, host: string, volume: string | undefined, forgetOnly: boolean): Promise<Outcome> {
	if (runtime.settings.dryRun) {
		return {state: 'succeeded', message: `would forget ${runtime.db.records({host, ...(volume === undefined ? {} : {volume})}).length} record(s)`};
	}

	const removed = runtime.db.deleteBackups({host, ...(volume === undefined ? {} : {volume})});
	if (!forgetOnly) {
		for (const device of runtime.stores?.devices.values() ?? []) {
			await removeEmptyDirectories(device.store, host, volume);
		}
	}

	return {state: 'succeeded', message: `${removed} record(s) deleted`};
}

async function listDirectories(path: string): Promise<string[]> {
	return (await entriesOf(path)).filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
}

/**
The backups in a volume directory: ID directories, and ID.incomplete markers
left alone by a removal that was killed after its tree was gone, which only
a removal of that ID clears.
*/
async function backupIds(path: string): Promise<string[]> {
	const ids = new Set<string>();
	for (const entry of await entriesOf(path)) {
		const id = entry.isFile() && entry.name.endsWith('.incomplete') ? entry.name.slice(0, -'.incomplete'.length) : (entry.isDirectory() ? entry.name : '');
		if (parseBackupId(id) !== undefined) {
			ids.add(id);
		}
	}

	return [...ids].sort();
}

async function entriesOf(path: string): Promise<Dirent[]> {
	try {
		return await readdir(path, {withFileTypes: true});
	} catch (error) {
		if (errorCode(error) === 'ENOENT') {
			return [];
		}

		throw error;
	}
}
