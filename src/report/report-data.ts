/**
Every fact a report shows, computed once from the configuration and the rows
of rsbackup's `backup` table, so that the text, HTML, email, JSON and metrics
renderers only format. No database access: the caller passes the rows.
*/
import {readFileSync} from 'node:fs';
import picomatch from 'picomatch';
import {graphLayoutProblem} from '../config/global-directives.js';
import type {Color, Config, Volume} from '../config/types.js';
import {BackupStatus, type BackupRow} from '../db/types.js';
import {resolveLayout, type LayoutItem} from './report-layout.js';
import {ReportError} from './report-error.js';
import {countOf, ctime, localDate, median, totalFileSize} from './report-format.js';
import {selectLogs, type LogEntry, type LogsLevel} from './report-logs.js';
import {systemErrorText} from '../process/system-error.js';
import {groupRows} from '../db/group-rows.js';

export type {LogEntry, LogsLevel} from './report-logs.js';

/** What a report is made from. */
export type ReportInput = {
	config: Config;
	/** Every row of the `backup` table. */
	rows: BackupRow[];
	/** The report clock (`RSBACKUP_TIME_REPORT`), Unix seconds. */
	now: number;
	/** `--logs`: which backup logs the report shows. */
	logs: LogsLevel;
	/** Devices seen in stores during this run, if the run looked. */
	availableDevices?: string[];
	/** Where `${NAME}` in `report` values is looked up; default `process.env`. */
	env?: Readonly<Record<string, string | undefined>>;
};

/** Kinds of warning, in the order the report lists them. */
export type WarningKind = 'unknown-device' | 'unknown-host' | 'unknown-volume' | 'missing' | 'partial' | 'stale' | 'failed';

/** One warning line of the report. */
export type ReportWarning = {
	kind: WarningKind;
	/** How many volumes (or unknown names) it is about. */
	count: number;
	/** The sentence, without `WARNING: `: `2 volumes have no backups.` */
	text: string;
	/** What it is about: `host:volume` names, or the unknown names. */
	items: string[];
};

/** The counts in the email subject (` missing:N partial:N stale:N failed:N unknown:N`). */
export type WarningCounts = {missing: number; partial: number; stale: number; failed: number; unknown: number};

/** The last finished attempt (complete or failed) of a volume on a device. */
export type Attempt = {
	id: string;
	/** Start, Unix seconds. */
	time: number;
	/** End, Unix seconds; 0 when unknown. */
	finishTime: number;
	status: 'complete' | 'failed';
	/** Raw wait status. */
	rc: number;
};

/** One device's cell group in a volume's summary row. */
export type DeviceSummary = {
	device: string;
	/** The volume's `devices` pattern matches this device: a missing backup here matters. */
	expected: boolean;
	/** Complete backups on this device. */
	count: number;
	/** Start time of the newest complete backup. */
	newest?: number;
	/** `Total file size` of the newest complete backup, bytes, when its log has `--stats`. */
	size?: number;
	/** The last finished attempt, complete or failed. */
	latest?: Attempt;
};

/** How a volume stands. Each volume is in exactly one state; `failed` is counted besides. */
export type VolumeState = 'ok' | 'missing' | 'partial' | 'stale';

/** One row of the summary table, and everything else known about one configured volume. */
export type VolumeSummary = {
	host: string;
	volume: string;
	/** `max-age`, seconds. */
	maxAge: number;
	state: VolumeState;
	/** Some device's last finished attempt failed. */
	latestFailed: boolean;
	/** Start time of the oldest and newest complete backups on any device. */
	oldest?: number;
	newest?: number;
	/** Complete backups on all devices. */
	total: number;
	/** One per configured device, in the report's device order. */
	devices: DeviceSummary[];
	/** Median and longest duration (finishTime − time) of complete backups, seconds. */
	durationMedian?: number;
	durationMax?: number;
	/** Every complete backup, oldest first: the history graph's marks. */
	backups: Array<{device: string; time: number}>;
};

/** Pruning log rows for the same backup on several devices, merged as rsbackup does. */
export type PruneLogEntry = {
	/** Start time of the pruned backup. */
	created: number;
	/** When it was pruned. */
	pruned: number;
	host: string;
	volume: string;
	devices: string[];
	reason: string;
};

/** A resolved report section; `prune-logs` carries its own rows. */
export type ReportSection = Exclude<LayoutItem, {kind: 'prune-logs'}> | {kind: 'prune-logs'; window: number; entries: PruneLogEntry[]};

/** All the facts of one report. */
export type ReportData = {
	/** Document title (HTML title, email subject). */
	title: string;
	/** The report clock, Unix seconds, and its local date and ctime(3) text. */
	now: number;
	date: string;
	ctime: string;
	/** `--logs`. */
	logsLevel: LogsLevel;
	/** Configured devices, sorted by name: the summary's device columns. */
	devices: string[];
	/** Devices found in stores during this run, when known. */
	availableDevices?: string[];
	/** `color-good` and `color-bad`, 0xRRGGBB. */
	colors: {good: Color; bad: Color};
	/** Contents of the `stylesheet` file, when the directive is set. */
	stylesheet?: string;
	warnings: ReportWarning[];
	counts: WarningCounts;
	/** Configured volumes, by host then volume name. */
	volumes: VolumeSummary[];
	/** Backup logs chosen by `--logs`, by host, volume, device, time. */
	logs: LogEntry[];
	/** The layout to render, in order. */
	sections: ReportSection[];
};

/** Compute every fact of a report. Throws `ReportError` for a bad `report` item or `graph-layout` part, or an unreadable stylesheet. */
export function reportData(input: ReportInput): ReportData {
	const {config, now} = input;
	const devices = [...config.devices].sort();
	const rows = input.rows.filter(row => row.status !== BackupStatus.pruned && row.status !== BackupStatus.pruning);
	const volumes = summarizeVolumes(config, devices, rows, now);
	const warnings = [...unknownWarnings(config, rows), ...volumeWarnings(volumes)];
	const date = localDate(now);
	const ctimeText = ctime(now);
	const environment = input.env ?? process.env;
	const variable = (name: string): string | undefined =>
		name === 'RSBACKUP_DATE' ? date : name === 'RSBACKUP_CTIME' ? ctimeText : environment[name];
	const layout = resolveLayout(config.report, {configPath: config.path, variable, hasWarnings: warnings.length > 0});
	const graphProblem = graphLayoutProblem(config);
	if (graphProblem !== undefined) {
		throw new ReportError(graphProblem);
	}

	const known = (row: BackupRow) => config.hosts.get(row.host)?.volumes.has(row.volume) === true && devices.includes(row.device);
	return {
		title: lastTitle(layout) ?? `Backup report (${date})`,
		now,
		date,
		ctime: ctimeText,
		logsLevel: input.logs,
		devices,
		...(input.availableDevices === undefined ? {} : {availableDevices: [...input.availableDevices].sort()}),
		colors: {good: config.colorGood, bad: config.colorBad},
		...(config.stylesheet === undefined ? {} : {stylesheet: readStylesheet(config.stylesheet)}),
		warnings,
		counts: countWarnings(warnings),
		volumes,
		logs: selectLogs(rows.filter(row => known(row)), input.logs),
		sections: layout.map(item => item.kind === 'prune-logs' ? {...item, entries: pruneLogs(input.rows, now - item.window)} : item),
	};
}

function lastTitle(layout: readonly LayoutItem[]): string | undefined {
	const titles = layout.flatMap(item => item.kind === 'title' ? [item.text] : []);
	return titles.at(-1);
}

function readStylesheet(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new ReportError(`cannot read stylesheet ${path}: ${systemErrorText(error)}`, {cause: error});
	}
}

function summarizeVolumes(config: Config, devices: readonly string[], rows: readonly BackupRow[], now: number): VolumeSummary[] {
	const byVolume = groupRows(rows, row => `${row.host}\u0000${row.volume}`);

	const summaries: VolumeSummary[] = [];
	for (const host of [...config.hosts.values()].sort((a, b) => compare(a.name, b.name))) {
		for (const volume of [...host.volumes.values()].sort((a, b) => compare(a.name, b.name))) {
			summaries.push(summarizeVolume(host.name, volume, devices, byVolume.get(`${host.name}\u0000${volume.name}`) ?? [], now));
		}
	}

	return summaries;
}

function summarizeVolume(host: string, volume: Volume, devices: readonly string[], rows: readonly BackupRow[], now: number): VolumeSummary {
	const complete = rows.filter(row => row.status === BackupStatus.complete && devices.includes(row.device)).sort((a, b) => a.time - b.time);
	const matches = picomatch(volume.devicePattern);
	const deviceSummaries = devices.map(device => summarizeDevice(device, matches(device), rows));
	const durations = complete.filter(row => row.finishTime > 0).map(row => row.finishTime - row.time);
	const newest = complete.at(-1)?.time;
	return {
		host,
		volume: volume.name,
		maxAge: volume.maxAge,
		state: volumeState(complete.length, deviceSummaries, newest === undefined ? 0 : now - newest, volume.maxAge),
		latestFailed: deviceSummaries.some(device => device.latest?.status === 'failed'),
		...(complete[0] === undefined ? {} : {oldest: complete[0].time}),
		...(newest === undefined ? {} : {newest}),
		total: complete.length,
		devices: deviceSummaries,
		...(durations.length === 0 ? {} : {durationMedian: median(durations), durationMax: Math.max(...durations)}),
		backups: complete.map(row => ({device: row.device, time: row.time})),
	};
}

function summarizeDevice(device: string, expected: boolean, rows: readonly BackupRow[]): DeviceSummary {
	const here = rows.filter(row => row.device === device);
	const complete = here.filter(row => row.status === BackupStatus.complete);
	const newest = latestOf(complete);
	const latest = latestOf(here.filter(row => row.status === BackupStatus.complete || row.status === BackupStatus.failed));
	const size = newest === undefined ? undefined : totalFileSize(newest.log);
	return {
		device,
		expected,
		count: complete.length,
		...(newest === undefined ? {} : {newest: newest.time}),
		...(size === undefined ? {} : {size}),
		...(latest === undefined ? {} : {latest: {
			id: latest.id,
			time: latest.time,
			finishTime: latest.finishTime,
			status: latest.status === BackupStatus.complete ? 'complete' : 'failed',
			rc: latest.rc,
		}}),
	};
}

function latestOf(rows: readonly BackupRow[]): BackupRow | undefined {
	let latest: BackupRow | undefined;
	for (const row of rows) {
		if (latest === undefined || row.time > latest.time || (row.time === latest.time && row.id > latest.id)) {
			latest = row;
		}
	}

	return latest;
}

/** rsbackup counts a volume once: no backups, else missing on an expected device, else too old. */
function volumeState(total: number, devices: readonly DeviceSummary[], age: number, maxAge: number): VolumeState {
	if (total === 0) {
		return 'missing';
	}

	if (devices.some(device => device.expected && device.count === 0)) {
		return 'partial';
	}

	return age > maxAge ? 'stale' : 'ok';
}

function unknownWarnings(config: Config, rows: readonly BackupRow[]): ReportWarning[] {
	const devices = new Set<string>();
	const hosts = new Set<string>();
	const volumes = new Set<string>();
	for (const row of rows) {
		if (!config.devices.includes(row.device)) {
			devices.add(row.device);
		}

		const host = config.hosts.get(row.host);
		if (host === undefined) {
			hosts.add(row.host);
		} else if (!host.volumes.has(row.volume)) {
			volumes.add(`${row.host}:${row.volume}`);
		}
	}

	const warning = (kind: WarningKind, names: Set<string>, what: string): ReportWarning[] => {
		const items = [...names].sort();
		return items.length === 0 ? [] : [{kind, count: items.length, text: `${countOf(items.length, `unknown ${what}`, `unknown ${what}s`)} in the database: ${items.join(', ')}.`, items}];
	};

	return [...warning('unknown-device', devices, 'device'), ...warning('unknown-host', hosts, 'host'), ...warning('unknown-volume', volumes, 'volume')];
}

/** rsbackup's sentences, always plural ("1 volumes have no backups.") so operators' greps keep matching. */
const volumeSentences: ReadonlyArray<[kind: WarningKind, sentence: string]> = [
	['missing', 'volumes have no backups'],
	['partial', 'volumes are not fully backed up'],
	['stale', 'volumes are out of date'],
	['failed', 'volumes failed latest backup'],
];

function volumeWarnings(volumes: readonly VolumeSummary[]): ReportWarning[] {
	return volumeSentences.flatMap(([kind, sentence]) => {
		const items = volumes
			.filter(volume => kind === 'failed' ? volume.latestFailed : volume.state === kind)
			.map(volume => `${volume.host}:${volume.volume}`);
		return items.length === 0 ? [] : [{kind, count: items.length, text: `${items.length} ${sentence}.`, items}];
	});
}

function countWarnings(warnings: readonly ReportWarning[]): WarningCounts {
	const count = (kinds: readonly WarningKind[]) => warnings.filter(warning => kinds.includes(warning.kind)).reduce((sum, warning) => sum + warning.count, 0);
	return {
		missing: count(['missing']),
		partial: count(['partial']),
		stale: count(['stale']),
		failed: count(['failed']),
		unknown: count(['unknown-device', 'unknown-host', 'unknown-volume']),
	};
}

/** Pruned rows whose pruning time is at or after `since`, merged across devices, in pruning order. */
function pruneLogs(rows: readonly BackupRow[], since: number): PruneLogEntry[] {
	const merged = new Map<string, PruneLogEntry>();
	const pruned = rows.filter(row => row.status === BackupStatus.pruned && row.pruned >= since)
		.sort((a, b) => a.pruned - b.pruned || a.time - b.time || compare(a.host, b.host) || compare(a.volume, b.volume) || compare(a.device, b.device));
	for (const row of pruned) {
		const key = [localDate(row.time), localDate(row.pruned), row.host, row.volume, row.log].join('\u0000');
		const entry = merged.get(key);
		if (entry === undefined) {
			merged.set(key, {created: row.time, pruned: row.pruned, host: row.host, volume: row.volume, devices: [row.device], reason: row.log});
		} else if (!entry.devices.includes(row.device)) {
			entry.devices.push(row.device);
		}
	}

	return [...merged.values()];
}

function compare(a: string, b: string): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}
