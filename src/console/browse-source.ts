/**
The snapshot browser's reading and restoring (components/browse-source.ts),
over src/browse: the database opened read-only for each reading, the stores
identified for each reading and released at once (the status screen may stay
open for hours and must not keep a device from being unmounted), and a
restore run as the engine action `restore/HOST/VOLUME/ID`.
*/
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import {BrowseError} from '../browse/browse-error.js';
import {listDirectory} from '../browse/list-directory.js';
import {pathHistory} from '../browse/path-history.js';
import {restoreAction, type RestoreResult} from '../browse/restore.js';
import {parseTarget} from '../browse/restore-target.js';
import {diffSnapshots} from '../browse/snapshot-diff.js';
import {normalisePath, resolveInside} from '../browse/snapshot-path.js';
import {isReadable, volumeBackups, type ReadableSnapshot, type Snapshot} from '../browse/volume-backups.js';
import {Engine} from '../engine/engine.js';
import type {Options} from '../options/parse-options.js';
import {identifyStores, releaseDevices, type Device} from '../store/identify-stores.js';
import type {BrowseSource} from '../../components/browse-source.js';

export function browseSource(config: Config, options: Options, databaseFile: string, open: (file: string) => BackupDatabase): BrowseSource {
	const withStores = <T>(read: (devices: ReadonlyMap<string, Device>) => T): T => {
		const check = identifyStores(config, options.stores.length > 0 ? options.stores : undefined);
		try {
			return read(check.devices);
		} finally {
			releaseDevices(check);
		}
	};

	const snapshotsOf = (host: string, volume: string): Snapshot[] => withStores(devices => {
		const db = open(databaseFile);
		try {
			return volumeBackups(db.backups({host, volume}), devices);
		} finally {
			db.close();
		}
	});

	const readable = (snapshot: Snapshot): ReadableSnapshot => {
		if (!isReadable(snapshot)) {
			throw new BrowseError(`backup ${snapshot.id} on ${snapshot.device} cannot be read`);
		}

		return snapshot;
	};

	return {
		async backups(host, volume) {
			return snapshotsOf(host, volume);
		},
		list(snapshot, relative, signal) {
			return listDirectory(readable(snapshot).path, relative, signal);
		},
		async versions(host, volume, relative) {
			return pathHistory(snapshotsOf(host, volume).filter(snapshot => isReadable(snapshot)).reverse(), normalisePath(relative));
		},
		async diff(host, volume, snapshot, relative, signal) {
			const newer = readable(snapshot);
			const older = snapshotsOf(host, volume).find(other => isReadable(other) && other.device === newer.device && other.time < newer.time);
			if (older === undefined || !isReadable(older)) {
				throw new BrowseError(`no complete backup older than ${newer.id} on device ${newer.device} to compare with`);
			}

			return {older, changes: await diffSnapshots(older.path, newer.path, relative, {signal})};
		},
		restore(host, volume, snapshot, relative, written, onUpdate) {
			const source = readable(snapshot);
			const path = resolveInside(source.path, relative, relative);
			const stores = withStores(devices => [...devices.values()].map(device => device.store));
			const target = parseTarget(config, written, process.cwd(), stores);
			const configured = config.hosts.get(host)?.volumes.get(volume);
			if (configured === undefined) {
				throw new BrowseError(`unknown volume '${host}:${volume}'`);
			}

			const engine = new Engine([restoreAction(configured, {host, volume, id: source.id, snapshot: source.path, path, target, force: false, dryRun: false, progress: true})]);
			engine.subscribe(event => {
				if (event.type === 'progress') {
					onUpdate({progress: event.progress});
				} else if (event.type === 'output') {
					onUpdate({output: event.text});
				}
			});
			const done = engine.run().then(() => {
				const [info] = engine.snapshot();
				const result = info?.detail as Partial<RestoreResult> | undefined;
				return {state: info?.state ?? 'failed', ...(info?.message === undefined ? {} : {message: info.message}), written: result?.written ?? [], skipped: result?.skipped ?? []};
			});
			return {
				cancel() {
					engine.cancelAll();
				},
				done,
			};
		},
	};
}
