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

/**
Maps that more than one stanza holds: a stanza opening inside another shares
its parent's maps rather than copying them (a large configuration opens
thousands), and whoever changes a shared map first takes a copy of its own
(`ownMap`). Inherited lists and objects are never changed in place, only
replaced, so they are simply shared.
*/
const sharedMaps = new WeakSet<ReadonlyMap<string, unknown>>();

/** Mark `map` as held by more than one stanza. */
export function share<T extends ReadonlyMap<string, unknown>>(map: T): T {
	sharedMaps.add(map);
	return map;
}

/** One of `into`'s maps, ready to change: its own copy if other stanzas share it. */
export function ownMap<K extends 'backupParameters' | 'pruneParameters' | 'policySources'>(into: Inheritable, key: K): Inheritable[K] {
	const map = into[key];
	if (!sharedMaps.has(map)) {
		return map;
	}

	const own = new Map<string, unknown>(map) as Inheritable[K];
	into[key] = own;
	return own;
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
