import {randomBytes} from 'node:crypto';
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** A self-contained sample fleet: source trees, two stores, hooks and an rsbackup configuration. */
export type Fleet = {
	root: string;
	config: string;
	database: string;
	stores: string[];
};

/** Options of the sample fleet. */
export type FleetOptions = {
	/** rsync `--bwlimit` in KiB/s so a run can be watched; 0 = full speed. */
	bandwidth?: number;
	/** Size of each generated file in bytes. */
	fileSize?: number;
};

const hosts = [
	{name: 'alpha', priority: 10, volumes: ['etc', 'home', 'srv']},
	{name: 'beta', priority: 0, volumes: ['etc', 'home']},
	{name: 'gamma', priority: 0, volumes: ['etc', 'www']},
	{name: 'delta', priority: 0, volumes: ['etc', 'data']},
];

/**
Build the demo fleet under `root`: every host is local (`hostname localhost`),
`delta:data` points at a missing path so its backups fail, and `gamma:www` has a
pre-volume-hook that exits 75, so the run shows every kind of outcome.
*/
export function makeFleet(root: string, options: FleetOptions = {}): Fleet {
	const fileSize = options.fileSize ?? 256 * 1024;
	const sources = path.join(root, 'sources');
	const stores = ['store1', 'store2'].map(name => path.join(root, name));
	for (const [index, store] of stores.entries()) {
		mkdirSync(store, {recursive: true});
		chmodSync(store, 0o700);
		writeFileSync(path.join(store, 'device-id'), `disk${index + 1}\n`);
	}

	for (const host of hosts) {
		for (const volume of host.volumes) {
			if (host.name === 'delta' && volume === 'data') {
				continue;
			}

			const directory = path.join(sources, host.name, volume);
			mkdirSync(path.join(directory, 'sub'), {recursive: true});
			for (let file = 0; file < 8; file++) {
				// Random bytes, so rsync's compression does not defeat the bandwidth limit.
				writeFileSync(path.join(directory, file % 2 === 0 ? '' : 'sub', `file${file}.dat`), randomBytes(fileSize));
			}
		}
	}

	const skipHook = path.join(root, 'skip-hook.sh');
	writeFileSync(skipHook, '#!/bin/sh\necho "snapshot not ready, trying later" >&2\nexit 75\n', {mode: 0o755});
	const database = path.join(root, 'logs', 'backups.db');
	mkdirSync(path.dirname(database), {recursive: true});
	const config = path.join(root, 'rsbackup.config');
	writeFileSync(config, fleetConfig(root, sources, stores, database, skipHook, options.bandwidth ?? 0));
	return {root, config, database, stores};
}

function fleetConfig(root: string, sources: string, stores: string[], database: string, skipHook: string, bandwidth: number): string {
	const lines = [
		'# rsdeck demo fleet: every host is this machine, backed up into two local stores.',
		...stores.map(store => `store --no-mounted ${JSON.stringify(store)}`),
		'device disk1',
		'device disk2',
		`logs ${JSON.stringify(path.join(root, 'logs'))}`,
		`database ${JSON.stringify(database)}`,
		`lock ${JSON.stringify(path.join(root, 'logs', 'lock'))}`,
		'backup-policy always',
		'prune-policy age',
		'prune-parameter prune-age 14d',
		'prune-parameter min-backups 2',
		`rsync-extra-options${bandwidth > 0 ? ` --bwlimit=${bandwidth}` : ''}`,
		'',
	];
	for (const host of hosts) {
		lines.push(`host ${host.name}`, '  hostname localhost');
		if (host.priority !== 0) {
			lines.push(`  priority ${host.priority}`);
		}

		for (const volume of host.volumes) {
			lines.push(`  volume ${volume} ${JSON.stringify(path.join(sources, host.name, volume))}`);
			if (host.name === 'gamma' && volume === 'www') {
				lines.push(`    pre-volume-hook ${JSON.stringify(skipHook)}`);
			}
		}
	}

	return `${lines.join('\n')}\n`;
}
