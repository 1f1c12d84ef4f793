/**
`--backups`, `--history`, `--diff` and `--restore`: the command line over
src/browse. Reads only; a restore writes outside the stores and takes no lock.
*/
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import {BrowseError} from '../browse/browse-error.js';
import {formatBackups, formatChange, formatHistory, historyJson} from '../browse/format-text.js';
import {pathHistory} from '../browse/path-history.js';
import {restoreAction, type RestoreResult} from '../browse/restore.js';
import {parseTarget} from '../browse/restore-target.js';
import {diffSnapshots} from '../browse/snapshot-diff.js';
import {locate, normalisePath, resolveInside} from '../browse/snapshot-path.js';
import {checkVolume, findSnapshot, isReadable, newestSnapshot, volumeBackups, type ReadableSnapshot, type Snapshot} from '../browse/volume-backups.js';
import {Engine} from '../engine/engine.js';
import {headlessLog} from '../headless/headless-log.js';
import type {Options} from '../options/parse-options.js';
import {parseSnapshotSelector} from '../options/selectors.js';
import {identifyStores, releaseDevices, type Device} from '../store/identify-stores.js';
import type {Io} from './main.js';

type Context = {config: Config; options: Options; io: Io; devices: Map<string, Device>; snapshots: Snapshot[]; host: string; volume: string; path: string};

/** Run the snapshot command `options.browse`; the exit status. */
export async function browseCommand(config: Config, options: Options, db: BackupDatabase, io: Io): Promise<number> {
	const selector = parseSnapshotSelector(options.selectors[0] ?? '', `--${options.browse ?? ''}`);
	checkVolume(config, selector.host, selector.volume);
	const check = identifyStores(config, options.stores.length > 0 ? options.stores : undefined);
	try {
		if (check.fatal !== undefined) {
			throw new BrowseError(check.fatal);
		}

		const snapshots = volumeBackups(db.backups({host: selector.host, volume: selector.volume}), check.devices);
		const context: Context = {config, options, io, devices: check.devices, snapshots, host: selector.host, volume: selector.volume, path: normalisePath(selector.path)};
		switch (options.browse) {
			case 'backups': {
				io.stdout(options.json ? snapshots.map(snapshot => `${JSON.stringify(snapshot)}\n`).join('') : formatBackups(snapshots));
				return 0;
			}

			case 'history': {
				return printHistory(context);
			}

			case 'diff': {
				return await printDiff(context);
			}

			default: {
				return await restore(context);
			}
		}
	} finally {
		releaseDevices(check);
	}
}

const nameOf = (context: Context, withPath = true): string => `${context.host}:${context.volume}${withPath && context.path !== '' ? `:${context.path}` : ''}`;

/** Readable complete backups, oldest first. */
const readableOldestFirst = (snapshots: readonly Snapshot[]): ReadableSnapshot[] => snapshots.filter(snapshot => isReadable(snapshot)).reverse();

function printHistory(context: Context): number {
	const items = pathHistory(readableOldestFirst(context.snapshots), context.path);
	if (!items.some(item => item.kind === 'version')) {
		throw new BrowseError(`${nameOf(context)} is in none of the ${items.reduce((count, item) => count + item.backups.length, 0)} complete backups on available devices`);
	}

	context.io.stdout(context.options.json ? items.map(item => `${JSON.stringify(historyJson(item))}\n`).join('') : formatHistory(items));
	return 0;
}

/** `--from`/`--to` as SPEC'd: default the two newest complete backups on one device; `--from` alone compares with the newest on its device. */
function diffPair(context: Context): [ReadableSnapshot, ReadableSnapshot] {
	const what = nameOf(context, false);
	const {from, to} = context.options;
	const newer = to === undefined ? newestSnapshot(context.snapshots, what, from === undefined ? undefined : findSnapshot(context.snapshots, from, what).device) : findSnapshot(context.snapshots, to, what);
	if (from !== undefined) {
		return [findSnapshot(context.snapshots, from, what), newer];
	}

	const older = context.snapshots.find(snapshot => isReadable(snapshot) && snapshot.device === newer.device && snapshot.time < newer.time);
	if (older === undefined || !isReadable(older)) {
		throw new BrowseError(`no complete backup of ${what} older than ${newer.id} on device ${newer.device} to compare with`);
	}

	return [older, newer];
}

async function printDiff(context: Context): Promise<number> {
	const [older, newer] = diffPair(context);
	if (context.path !== '') {
		const inOlder = locate(older.path, context.path).kind === 'found';
		const inNewer = locate(newer.path, context.path).kind === 'found';
		if (!inOlder && !inNewer) {
			throw absentError(context, `${older.id} or ${newer.id}`);
		}
	}

	if (context.options.verbose) {
		context.io.stderr(`INFO: ${nameOf(context)}: changes from ${older.id} (${older.device}) to ${newer.id} (${newer.device})\n`);
	}

	const changes = await diffSnapshots(older.path, newer.path, context.path, {checksum: context.options.checksum});
	context.io.stdout(changes.map(change => (context.options.json ? `${JSON.stringify(change)}\n` : formatChange(change))).join(''));
	return 0;
}

/** PATH is not in the backup asked for: name the nearest backups, before and after, that hold it. */
function absentError(context: Context, where: string, near?: ReadableSnapshot): BrowseError {
	const holding = readableOldestFirst(context.snapshots).filter(snapshot => locate(snapshot.path, context.path).kind === 'found');
	const time = near?.time ?? Number.POSITIVE_INFINITY;
	const before = holding.filter(snapshot => snapshot.time < time).at(-1);
	const after = holding.find(snapshot => snapshot.time > time);
	const nearest = [before, after].filter(snapshot => snapshot !== undefined).map(snapshot => `${snapshot.id} (${snapshot.device})`);
	return new BrowseError(`${nameOf(context)} is not in backup ${where}${nearest.length === 0 ? '; no backup holds it' : `; nearest backups holding it: ${nearest.join(', ')}`}`);
}

async function restore(context: Context): Promise<number> {
	const {config, options, io} = context;
	const what = nameOf(context, false);
	const snapshot = options.from === undefined ? newestSnapshot(context.snapshots, what) : findSnapshot(context.snapshots, options.from, what);
	const relative = resolveInside(snapshot.path, context.path, context.path);
	if (locate(snapshot.path, relative).kind !== 'found') {
		throw absentError(context, snapshot.id, snapshot);
	}

	const target = parseTarget(config, options.target ?? '', process.cwd(), [...context.devices.values()].map(device => device.store));
	const volume = config.hosts.get(context.host)!.volumes.get(context.volume)!;
	const engine = new Engine([restoreAction(volume, {host: context.host, volume: context.volume, id: snapshot.id, snapshot: snapshot.path, path: relative, target, force: options.force, dryRun: options.dryRun, progress: false})]);
	engine.subscribe(headlessLog({verbose: options.verbose, debug: options.debug, write: io.stderr}));
	const stop = () => {
		engine.cancelAll();
	};

	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, stop);
	}

	try {
		await engine.run();
	} finally {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
			process.off(signal, stop);
		}
	}

	const [info] = engine.snapshot();
	if (info?.state === 'cancelled') {
		io.stderr(`ERROR: restore of ${nameOf({...context, path: relative})} cancelled: nothing more is written; what was written stays\n`);
		return 1;
	}

	const result = info?.detail as Partial<RestoreResult> | undefined;
	const where = target.kind === 'local' ? target.path : `${target.host.name}:${target.path}`;
	const written = result?.written ?? [];
	const skipped = result?.skipped ?? [];
	// rsync names directories with a trailing slash: counted apart, so "1 file" means the file asked for.
	const directories = written.filter(file => file.endsWith('/')).length;
	const files = `${countOf(written.length - directories, 'file', 'files')} and ${countOf(directories, 'directory', 'directories')}`;
	const restored = `${nameOf({...context, path: relative})} from ${snapshot.id} to ${where}`;
	const succeeded = info?.state === 'succeeded' || info?.state === 'warned';
	io.stdout([
		...(options.dryRun ? written.map(file => `would write ${file}\n`) : []),
		...skipped.map(file => `skipped (exists) ${file}\n`),
		...(succeeded ? [`${options.dryRun ? 'would restore' : 'restored'} ${restored}: ${files} ${options.dryRun ? 'to write' : 'written'}, ${skipped.length} skipped${skipped.length > 0 ? ' (already there; --force replaces them)' : ''}\n`] : []),
	].join(''));
	if (!succeeded) {
		// rsync's own complaint was logged above; this says what the target now holds.
		io.stderr(`ERROR: restore of ${restored} failed: ${files} written before it, ${skipped.length} skipped\n`);
		return 1;
	}

	return 0;
}

/** `1 file`, `2 files`: a count with the singular or plural form. */
function countOf(count: number, singular: string, plural: string): string {
	return `${count} ${count === 1 ? singular : plural}`;
}
