import type {Config, Inheritable, ReportItem} from './types.js';

/** `rsync-base-options` default. */
export const defaultRsyncBaseOptions: readonly string[] = [
	'--archive', '--sparse', '--numeric-ids', '--compress', '--fuzzy',
	'--hard-links', '--delete', '--stats', '--no-human-readable',
];

/** `rsync-extra-options` default. */
export const defaultRsyncExtraOptions: readonly string[] = ['--xattrs', '--acls', '--open-noatime'];

/** The report layout used when no `report` directive is given (rsbackup's). */
export const defaultReport: readonly ReportItem[] = [
	{key: 'title', value: 'Backup report (${RSBACKUP_DATE})'},
	{key: 'h1', value: 'Backup report (${RSBACKUP_DATE})'},
	{key: 'h2', value: 'Warnings', condition: 'warnings'},
	{key: 'warnings'},
	{key: 'h2', value: 'Summary'},
	{key: 'summary'},
	{key: 'history-graph'},
	{key: 'h2', value: 'Logfiles'},
	{key: 'logs'},
	{key: 'h3', value: 'Pruning logs'},
	{key: 'prune-logs'},
	{key: 'p', value: 'Generated ${RSBACKUP_CTIME}'},
];

/** The inheritable values before any directive. */
export function defaultInheritable(): Inheritable {
	return {
		maxAge: 3 * 86_400,
		backupPolicy: 'daily',
		backupParameters: new Map(),
		prunePolicy: 'age',
		pruneParameters: new Map(),
		policySources: new Map(),
		preVolumeHook: [],
		postVolumeHook: [],
		hookTimeout: 0,
		backupJobTimeout: 0,
		rsyncIoTimeout: 0,
		sshTimeout: 60,
		hostCheck: {kind: 'ssh'},
		rsyncCommand: 'rsync',
		rsyncBaseOptions: [...defaultRsyncBaseOptions],
		rsyncExtraOptions: [...defaultRsyncExtraOptions],
		rsyncRemote: undefined,
		rsyncLinkDest: true,
		backupTime: {earliest: 0, latest: 86_400},
		devicePattern: '*',
		group: undefined,
		sshCommand: ['ssh'],
	};
}

/** A copy of the inheritable values of `from`, sharing nothing mutable. */
export function inherit(from: Inheritable): Inheritable {
	return {
		maxAge: from.maxAge,
		backupPolicy: from.backupPolicy,
		backupParameters: new Map(from.backupParameters),
		prunePolicy: from.prunePolicy,
		pruneParameters: new Map(from.pruneParameters),
		policySources: new Map(from.policySources),
		preVolumeHook: [...from.preVolumeHook],
		postVolumeHook: [...from.postVolumeHook],
		hookTimeout: from.hookTimeout,
		backupJobTimeout: from.backupJobTimeout,
		rsyncIoTimeout: from.rsyncIoTimeout,
		sshTimeout: from.sshTimeout,
		hostCheck: from.hostCheck.kind === 'command' ? {kind: 'command', command: [...from.hostCheck.command]} : from.hostCheck,
		rsyncCommand: from.rsyncCommand,
		rsyncBaseOptions: [...from.rsyncBaseOptions],
		rsyncExtraOptions: [...from.rsyncExtraOptions],
		rsyncRemote: from.rsyncRemote,
		rsyncLinkDest: from.rsyncLinkDest,
		backupTime: {...from.backupTime},
		devicePattern: from.devicePattern,
		group: from.group,
		sshCommand: [...from.sshCommand],
	};
}

/** A configuration with every default and no hosts. */
export function defaultConfig(path: string): Config {
	return {
		...defaultInheritable(),
		path,
		stores: [],
		devices: [],
		public: false,
		logs: '/var/log/backup',
		database: undefined,
		lock: undefined,
		preDeviceHook: [],
		postDeviceHook: [],
		keepPruneLogs: 31 * 86_400,
		pruneTimeout: 0,
		sendmail: '/usr/sbin/sendmail',
		rm: 'rm',
		stylesheet: undefined,
		colorGood: 0xE0_FF_E0,
		colorBad: 0xFF_40_40,
		report: [],
		graph: new Map(),
		graphLayout: undefined,
		hosts: new Map(),
		notifyUrls: [],
		notifyCommand: [],
		origins: new Map(),
	};
}
