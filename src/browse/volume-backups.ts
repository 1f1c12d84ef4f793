/**
A volume's backups as the snapshot commands see them: every row the database
has for it (pruned ones are gone from disk and left out), each with the path
of its directory when its device is available.
*/
import type {Config} from '../config/types.js';
import {backupStatusName, BackupStatus, type BackupRow} from '../db/types.js';
import {totalFileSize} from '../report/report-format.js';
import type {Device} from '../store/identify-stores.js';
import {backupDirectory} from '../store/layout.js';
import {BrowseError} from './browse-error.js';

/** One backup of a volume on one device. */
export type Snapshot = {
	id: string;
	device: string;
	/** Start, Unix seconds. */
	time: number;
	/** `complete`, `failed`, `underway`, `pruning`…, as the database says. */
	status: string;
	/** `STORE/HOST/VOLUME/ID` when the device is available; undefined otherwise. */
	path?: string;
	/** `Total file size` from the log's `--stats`, bytes, when it has one. */
	size?: number;
};

/** Throws for a host or volume the configuration does not have. */
export function checkVolume(config: Config, host: string, volume: string): void {
	const found = config.hosts.get(host);
	if (found === undefined) {
		throw new BrowseError(`unknown host '${host}'`);
	}

	if (!found.volumes.has(volume)) {
		throw new BrowseError(`unknown volume '${host}:${volume}'`);
	}
}

/** The volume's backups, newest first (then by device name). */
export function volumeBackups(rows: readonly BackupRow[], devices: ReadonlyMap<string, Device>): Snapshot[] {
	return rows
		.filter(row => row.status !== BackupStatus.pruned)
		.map(row => {
			const store = devices.get(row.device)?.store;
			const size = totalFileSize(row.log);
			return {
				id: row.id,
				device: row.device,
				time: row.time,
				status: backupStatusName(row.status),
				...(store === undefined ? {} : {path: backupDirectory(store, row.host, row.volume, row.id)}),
				...(size === undefined ? {} : {size}),
			};
		})
		.sort((a, b) => b.time - a.time || (b.id < a.id ? -1 : (b.id > a.id ? 1 : 0)) || (a.device < b.device ? -1 : (a.device > b.device ? 1 : 0)));
}

/** A complete backup whose directory can be read. */
export type ReadableSnapshot = Snapshot & {path: string};

export const isReadable = (snapshot: Snapshot): snapshot is ReadableSnapshot => snapshot.status === 'complete' && snapshot.path !== undefined;

/**
The backup called `id`: on an available device when it is on several.
Throws when there is no such backup, or only on devices not available.
*/
export function findSnapshot(snapshots: readonly Snapshot[], id: string, what: string): ReadableSnapshot {
	const named = snapshots.filter(snapshot => snapshot.id === id);
	if (named.length === 0) {
		throw new BrowseError(`no backup ${id} of ${what}`);
	}

	const readable = named.find(snapshot => isReadable(snapshot));
	if (readable !== undefined) {
		return readable;
	}

	const available = named.find(snapshot => snapshot.path !== undefined);
	if (available !== undefined) {
		throw new BrowseError(`backup ${id} of ${what} on device ${available.device} is ${available.status}, not complete`);
	}

	throw new BrowseError(`backup ${id} of ${what} is on device ${named.map(snapshot => snapshot.device).join(', ')}, which is not available`);
}

/** The newest complete backup on an available device; throws when there is none. */
export function newestSnapshot(snapshots: readonly Snapshot[], what: string, device?: string): ReadableSnapshot {
	const found = snapshots.find(snapshot => isReadable(snapshot) && (device === undefined || snapshot.device === device));
	if (found === undefined || !isReadable(found)) {
		const anywhere = snapshots.some(snapshot => snapshot.status === 'complete');
		throw new BrowseError(anywhere
			? `no complete backup of ${what}${device === undefined ? '' : ` on device ${device}`} is on an available device`
			: `no complete backup of ${what}`);
	}

	return found;
}
