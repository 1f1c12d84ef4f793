import {existsSync, lstatSync} from 'node:fs';
import type {Host, Volume} from '../config/types.js';
import {BackupStatus, type BackupRecord} from '../db/types.js';
import type {ActionContext, Outcome} from '../engine/types.js';
import {runProcess} from '../process/run-process.js';
import {createMarker, makeBackupDirectory, makeVolumeDirectory, removeFile, StorePathError} from '../store/backup-paths.js';
import {backupDirectory, backupId, incompletePath, nolinkPath} from '../store/layout.js';
import {volumeEnvironment} from './hook-environment.js';
import {RsyncProgressFilter} from './rsync-progress.js';
import {describeEnd} from './run-hook.js';
import {isLocal, remoteSourceEnvironment, rshQuote, rsyncSource} from './remote.js';
import {backupKey} from '../plan/action-names.js';
import type {BackupAttempt, Runtime} from './runtime.js';

/** rsync's "some files vanished before they could be transferred". */
const partialTransfer = 24;

/** rsync exit codes worth another attempt (`--retries`): socket I/O, protocol stream, timeouts, ssh failure. */
const transientExits = new Set([10, 12, 30, 35, 255]);

type Target = {host: string; volume: string; device: string};

/**
`underway/H/V/D`: before rsync starts, give the backup its id, make STORE/H/V,
write its `underway` row and then its `.incomplete` marker. The row comes
before the marker so that whatever is on disk has a row: a run killed at any
moment leaves nothing that `--prune-incomplete` cannot find. Nothing here
follows a link planted in the store.
*/
export async function recordUnderway(context: ActionContext, runtime: Runtime, target: Target): Promise<Outcome> {
	const store = runtime.storeOf(target.device);
	if (store === undefined) {
		// "Suppressed" only when the device is on a store --store left out, as rsbackup says it.
		const reason = runtime.stores?.suppressed.has(target.device) ? 'device suppressed due to --store' : 'device not available';
		const message = `cannot backup ${target.host}:${target.volume} to ${target.device} - ${reason}`;
		if (runtime.settings.warnStore) {
			context.log(message, 'warning');
		}

		return {state: 'skipped', message};
	}

	const time = runtime.settings.now('backup');
	const id = backupId(time);
	const path = backupDirectory(store, target.host, target.volume, id);
	context.describe({id, path});
	if (runtime.settings.dryRun) {
		runtime.attempts.set(backupKey(target), {id, time});
		return {state: 'succeeded', message: `would record ${target.host}:${target.volume} on ${target.device} as ${id}`};
	}

	// Before the row: a link planted at STORE/H or STORE/H/V fails the backup with nothing recorded.
	runtime.attempts.delete(backupKey(target));
	const refused = await refusal(target, async () => makeVolumeDirectory(store, target.host, target.volume));
	if (refused !== undefined) {
		return refused;
	}

	const attempt: BackupAttempt = {id, time};
	runtime.attempts.set(backupKey(target), attempt);
	runtime.db.insertBackup({...target, id, time, pruned: 0, rc: -1, status: BackupStatus.underway, log: '', finishTime: 0});
	return await refusal(target, async () => createMarker(incompletePath(store, target.host, target.volume, id)), attempt) ?? {state: 'succeeded', message: `${id} underway`};
}

/**
Run `make` (directories or the marker of a backup); a StorePathError (a link
planted in the store) fails the backup with the path named, and becomes the
log of its row when there is one.
*/
async function refusal(target: Target, make: () => Promise<unknown>, attempt?: BackupAttempt): Promise<Outcome | undefined> {
	try {
		await make();
		return undefined;
	} catch (error) {
		if (!(error instanceof StorePathError)) {
			throw error;
		}

		const message = `cannot back up ${target.host}:${target.volume} to ${target.device}: ${error.message}`;
		if (attempt !== undefined) {
			attempt.result = {ok: false, waitStatus: -1, log: `${message}\n`};
		}

		return {state: 'failed', message};
	}
}

/**
The rsync argument vector of SPEC §4.3, in rsbackup's order. A remote volume
uses the volume's `ssh-command` as `--rsh` when it is not plain `ssh`, and
`rsyncSource` quotes its path (run it with `remoteSourceEnvironment`).
*/
export function rsyncCommand(host: Host, volume: Volume, source: string, destination: string, linkDests: readonly string[], progress = false): string[] {
	const plainSsh = volume.sshCommand.length === 1 && volume.sshCommand[0] === 'ssh';
	return [
		volume.rsyncCommand,
		...volume.rsyncBaseOptions,
		...volume.rsyncExtraOptions,
		...(progress ? ['--info=progress2'] : []),
		...(volume.traverse ? [] : ['--one-file-system']),
		...(volume.rsyncRemote === undefined ? [] : ['--rsync-path', volume.rsyncRemote]),
		...(isLocal(host) || plainSsh ? [] : ['--rsh', volume.sshCommand.map(word => rshQuote(word)).join(' ')]),
		...volume.exclude.map(pattern => `--exclude=${pattern}`),
		...linkDests.map(path => `--link-dest=${path}`),
		...(volume.rsyncIoTimeout > 0 ? [`--timeout=${volume.rsyncIoTimeout}`] : []),
		rsyncSource(host, source),
		`${destination}/.`,
	];
}

/** A directory, not a link to one: only the store's own backups are linked against. */
const isRealDirectory = (directory: string): boolean => lstatSync(directory, {throwIfNoEntry: false})?.isDirectory() ?? false;

/**
The backups to hard-link against: walking this device's backups newest first,
the newest if it is not complete, then the newest complete one (at most two).
*/
export function linkDestinations(rows: readonly BackupRecord[], store: string, currentId: string): string[] {
	const usable = new Set<number>([BackupStatus.underway, BackupStatus.complete, BackupStatus.failed]);
	const candidates = rows
		.filter(row => row.id !== currentId && usable.has(row.status) && isRealDirectory(backupDirectory(store, row.host, row.volume, row.id)))
		.sort((a, b) => b.time - a.time || b.id.localeCompare(a.id));
	const chosen: string[] = [];
	for (const [index, row] of candidates.entries()) {
		if (row.status === BackupStatus.complete) {
			chosen.push(backupDirectory(store, row.host, row.volume, row.id));
			break;
		}

		if (index === 0) {
			chosen.push(backupDirectory(store, row.host, row.volume, row.id));
		}
	}

	return chosen;
}

/** `backup/H/V/D`: run rsync into `STORE/H/V/ID`. */
export async function runBackup(context: ActionContext, runtime: Runtime, target: Target): Promise<Outcome> {
	const attempt = runtime.attempts.get(backupKey(target));
	const store = runtime.storeOf(target.device);
	if (!attempt || store === undefined) {
		throw new Error(`backup of ${backupKey(target)} has no underway record`);
	}

	const host = runtime.host(target.host);
	const volume = runtime.volume(target.host, target.volume);
	const nolink = nolinkPath(store, target.host, target.volume);
	const nolinkThere = existsSync(nolink);
	const linked = volume.rsyncLinkDest && !nolinkThere;
	const rows = linked ? runtime.db.records(target) : [];
	const source = runtime.sourcePaths.get(`${target.host}/${target.volume}`) ?? volume.path;
	const destination = backupDirectory(store, target.host, target.volume, attempt.id);
	const argv = rsyncCommand(host, volume, source, destination, linkDestinations(rows, store, attempt.id), runtime.settings.progress);
	const env = {...volumeEnvironment(host, volume, !runtime.settings.dryRun), ...remoteSourceEnvironment(host, source)};
	context.describe({command: argv, env, path: destination});
	if (runtime.settings.dryRun) {
		context.log(`would run: ${argv.join(' ')}\n`, 'info');
		return {state: 'succeeded', message: 'dry run'};
	}

	// rsync is given `ID/.`, as rsbackup does, so the directory must exist: a real one, inside the store.
	const refused = await refusal(target, async () => makeBackupDirectory(store, target.host, target.volume, attempt.id), attempt);
	if (refused !== undefined) {
		return refused;
	}

	// The log is rsync's output as rsbackup keeps it; progress records (console only) are shown, not kept.
	const progress = runtime.settings.progress ? new RsyncProgressFilter(report => {
		context.progress(report);
	}) : undefined;
	let output = '';
	const keep = (text: string, stream: 'stdout' | 'stderr') => {
		if (text === '') {
			return;
		}

		output += text;
		context.log(text, stream);
	};

	const result = await runProcess(argv, {
		signal: context.signal,
		env,
		timeout: volume.backupJobTimeout * 1000,
		killGrace: runtime.settings.killGrace,
		onOutput(text, stream) {
			keep(progress && stream === 'stdout' ? progress.feed(text) : text, stream);
		},
	});
	if (progress) {
		keep(progress.flush(), 'stdout');
	}

	context.describe({waitStatus: result.waitStatus, ...(result.exitCode === undefined ? {} : {exitStatus: result.exitCode})});
	const ok = result.exitCode === 0 || result.exitCode === partialTransfer;
	const log = result.spawnError === undefined ? output : `${output}cannot run ${argv[0]!}: ${result.spawnError}\n`;
	attempt.result = {ok, waitStatus: result.waitStatus, log};
	if (!ok) {
		// `--errors` (the default): rsync's own complaints follow the ERROR line, as rsbackup prints them.
		const complaints = runtime.settings.errors ? log.split('\n').filter(line => /^(rsync|ssh)[:\s]/.test(line)) : [];
		return {
			state: 'failed',
			message: [`backup of ${target.host}:${target.volume} to ${target.device} failed: rsync ${describeEnd(result)}`, ...complaints].join('\n'),
			transient: result.timedOut || transientExits.has(result.exitCode ?? -1),
		};
	}

	await removeFile(incompletePath(store, target.host, target.volume, attempt.id));
	if (nolinkThere) {
		await removeFile(nolink);
	}
	if (result.exitCode === partialTransfer && runtime.settings.warnPartial) {
		return {state: 'warned', message: `${target.host}:${target.volume} to ${target.device}: some files vanished during the backup (rsync exit 24)`};
	}

	return {state: 'succeeded', message: `${target.host}:${target.volume} backed up to ${target.device} as ${attempt.id}`};
}

/**
`record-backup/H/V/D`: the final status, from the rsync result alone. Runs
whatever happened to the backup (`always` edges), so no row stays underway.
*/
export function recordBackup(runtime: Runtime, target: Target): Outcome {
	const attempt = runtime.attempts.get(backupKey(target));
	if (attempt === undefined) {
		return {state: 'skipped', message: 'no backup was started'};
	}

	const result = attempt.result ?? {ok: false, waitStatus: -1, log: 'rsync did not run (cancelled)\n'};
	const status = result.ok ? BackupStatus.complete : BackupStatus.failed;
	if (runtime.settings.dryRun) {
		return {state: 'succeeded', message: 'dry run'};
	}

	runtime.db.finishBackup({...target, id: attempt.id}, {status, rc: result.waitStatus, log: result.log, finishTime: runtime.settings.now('finish')});
	return {state: 'succeeded', message: `${attempt.id} recorded ${result.ok ? 'complete' : 'failed'}`};
}
