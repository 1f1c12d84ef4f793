/**
Test data for the report tests: configurations built in code (the config
parser is another module) and `backup` rows with rsync-like logs.
*/
import {defaultConfig, defaultInheritable} from '../../src/config/defaults.js';
import type {Config, Host, Inheritable, Volume} from '../../src/config/types.js';
import {BackupStatus, type BackupRow, type BackupStatusCode} from '../../src/db/types.js';

const inheritable = defaultInheritable;

/** A volume: its name, and any inheritable values to change. */
export type VolumeFixture = {name: string} & Partial<Inheritable>;

/** A configuration with these devices and hosts (`{host: [volume names or fixtures]}`). */
export function makeConfig(devices: string[], hosts: Record<string, Array<string | VolumeFixture>>, extra: Partial<Config> = {}): Config {
	const hostMap = new Map<string, Host>();
	for (const [name, volumes] of Object.entries(hosts)) {
		const volumeMap = new Map<string, Volume>();
		for (const fixture of volumes) {
			const {name: volumeName, ...values} = typeof fixture === 'string' ? {name: fixture} : fixture;
			volumeMap.set(volumeName, {
				...inheritable(),
				...values,
				name: volumeName,
				path: `/${volumeName}`,
				exclude: [],
				traverse: false,
				checkFile: undefined,
				checkMounted: false,
				location: {file: 'test.config', line: 1},
			});
		}

		hostMap.set(name, {...inheritable(), name, hostname: name, user: undefined, priority: 0, volumes: volumeMap, location: {file: 'test.config', line: 1}});
	}

	return {...defaultConfig('test.config'), devices, hosts: hostMap, ...extra};
}

/** Unix seconds of a UTC ISO time such as `1980-01-01T00:00:00`. */
export const at = (iso: string): number => Date.parse(`${iso}Z`) / 1000;

/** The tail of rsync `--stats` output saying the backup holds `bytes`. */
export const statsLog = (bytes: number): string =>
	`\nNumber of files: 3 (reg: 2, dir: 1)\nTotal file size: ${bytes} bytes\nTotal transferred file size: ${bytes} bytes\n\nsent 200 bytes  received 35 bytes  470.00 bytes/sec\ntotal size is ${bytes}  speedup is 1.00\n`;

/** A row of the backup table. */
export function row(host: string, volume: string, device: string, iso: string, options: {status?: BackupStatusCode; duration?: number; log?: string; rc?: number; pruned?: number} = {}): BackupRow {
	const time = at(iso);
	const status = options.status ?? BackupStatus.complete;
	return {
		host,
		volume,
		device,
		id: iso,
		time,
		pruned: options.pruned ?? 0,
		rc: options.rc ?? (status === BackupStatus.failed ? 23 * 256 : 0),
		status,
		log: options.log ?? (status === BackupStatus.failed ? 'rsync: [sender] change_dir "/missing" failed: No such file or directory (2)\nrsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.2.7]\n' : statsLog(4096)),
		finishTime: options.duration === undefined ? 0 : time + options.duration,
	};
}
