/**
`--check-unexpected` and `--latest`: what the stores hold, read against the
configuration and the database.
*/
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/types.js';
import {BackupStatus, type BackupRecord} from '../db/types.js';
import type {Device} from './identify-stores.js';
import {backupDirectory, printableId, volumeDirectory} from './layout.js';

/** The sorted names in `directory` not in `expected`, as full paths; a directory that cannot be read has none. */
function unexpectedIn(directory: string, expected: ReadonlySet<string>): string[] {
	let names: string[];
	try {
		names = fs.readdirSync(directory);
	} catch {
		return [];
	}

	return names.filter(name => !expected.has(name)).sort().map(name => path.join(directory, name));
}

/** The names a volume directory on `device` may hold: the backups the database knows there. */
function expectedInVolume(rows: readonly BackupRecord[], device: string, host: string, volume: string): Set<string> {
	const expected = new Set<string>();
	for (const row of rows) {
		if (row.device !== device || row.host !== host || row.volume !== volume || row.status === BackupStatus.pruned) {
			continue;
		}

		expected.add(row.id);
		if (row.status !== BackupStatus.complete) {
			expected.add(`${row.id}.incomplete`);
		}
	}

	return expected;
}

/**
Files in the stores of the available devices that nothing explains, for
`--check-unexpected`. Expected, and not listed:
- at the top of a store: `device-id`, `lost+found`, a directory per configured host;
- in `STORE/HOST`: a directory per configured volume, and `VOLUME.nolink`
  (made by operators, SPEC §4.2; rsbackup lists it, rsdeck does not);
- in `STORE/HOST/VOLUME`: `ID` for each row of the database for that host,
  volume and device, and `ID.incomplete` too unless the backup is complete.
  A pruned row explains nothing: its directory should be gone.
Everything else is listed, once, at its highest unexpected level (an
unknown host's directory, not all its contents). Paths are sorted per
directory; devices are taken in order of name. A directory that does not
exist (a host never backed up to this device) is not a problem.
*/
export function findUnexpected(config: Config, devices: Map<string, Device>, rows: readonly BackupRecord[]): string[] {
	const unexpected: string[] = [];
	const byName = [...devices.values()].sort((a, b) => (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0)));
	for (const device of byName) {
		unexpected.push(...unexpectedIn(device.store, new Set(['device-id', 'lost+found', ...config.hosts.keys()])));
		for (const host of config.hosts.values()) {
			const volumes = [...host.volumes.keys()];
			unexpected.push(...unexpectedIn(path.join(device.store, host.name), new Set([...volumes, ...volumes.map(volume => `${volume}.nolink`)])));
			for (const volume of volumes) {
				unexpected.push(...unexpectedIn(volumeDirectory(device.store, host.name, volume), expectedInVolume(rows, device.name, host.name, volume)));
			}
		}
	}

	return unexpected;
}

/**
`--latest`: the path of the newest complete backup of `host:volume` on an
available device, or undefined when there is none. Between backups started
in the same second, the later row in `rows` wins, as in rsbackup. The path
is for printing: an id from the database is escaped (`printableId`).
*/
export function latestBackup(rows: readonly BackupRecord[], devices: Map<string, Device>, host: string, volume: string): string | undefined {
	let latest: {row: BackupRecord; store: string} | undefined;
	for (const row of rows) {
		const device = devices.get(row.device);
		if (row.host === host && row.volume === volume && row.status === BackupStatus.complete && device && (!latest || row.time >= latest.row.time)) {
			latest = {row, store: device.store};
		}
	}

	return latest && backupDirectory(latest.store, host, volume, printableId(latest.row.id));
}
