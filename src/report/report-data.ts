/**
Every fact a report shows, computed once from the configuration and the rows
of rsbackup's `backup` table, so that the text, HTML, email, JSON and metrics
renderers only format. No database access: the caller passes the rows.
*/
import {graphLayoutProblem} from '../config/global-directives.js';
import type {Color, Config, Volume} from '../config/types.js';
import {unknownNames} from '../config/unknown-names.js';
import {BackupStatus, type BackupRow} from '../db/types.js';
import {resolveLayout, type LayoutItem} from './report-layout.js';
import {ReportError} from './report-error.js';
import {ctime, localDate, median, totalFileSize} from './report-format.js';
import {selectLogs, type LogEntry, type LogsLevel} from './report-logs.js';
import {groupRows} from '../db/group-rows.js';
import {globMatcher} from '../matching/picomatch.js';

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
	/** Contents of the `stylesheet` file, when the directive is set (read by the caller: report data touches no files). */
	stylesheet?: string;
	/** Where `${NAME}` in `report` values is looked up, and whether the clock is faked; default `process.env`. */
	env?: Readonly<Record<string, string | undefined>>;
	/**
	The pruned and pruning rows in the table's order for the pruning logs:
	newest `pruned` first, ties in insertion order (`BackupDatabase.pruneLog`).
	Default: those of `rows`, newest `pruned` first, ties in the order given.
	*/
	pruneLog?: BackupRow[];
};

/** Kinds of warning, in the order the report lists them. */
export type WarningKind = 'unknown-device' | 'unknown-host' | 'unknown-volume' | 'missing' | 'partial' | 'stale' | 'failed';

/** One warning line of the report. */
export type ReportWarning = {
	kind: WarningKind;
	/** How many volumes (or unknown names) it is about. */
	count: number;
	/** The list entry as rsbackup words it: `WARNING: 2 volumes have no backups.`, `Unknown device d3`. */
	text: string;
	/** What it is about: `host:volume` names, or the unknown name. */
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

/** The cells of a pruning-log table row: Created, Pruned, Host, Volume, Device, Reason. */
export type PruneLogRow = [created: string, pruned: string, host: string, volume: string, device: string, reason: string];

/**
A resolved report section; `prune-logs` carries its own rows: `entries`, the
facts for `--report-json`, and `table`, the rows as the text and HTML reports
show them (rsbackup's compressed table).
*/
export type ReportSection = Exclude<LayoutItem, {kind: 'prune-logs'}> | {kind: 'prune-logs'; window: number; entries: PruneLogEntry[]; table: PruneLogRow[]};

/** All the facts of one report. */
export type ReportData = {
	/** Document title (HTML title, email subject). */
	title: string;
	/** The report clock, Unix seconds, and its local date and ctime(3) text (`<timestamp>` when the clock is faked). */
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

/** Compute every fact of a report. Throws `ReportError` for a bad `report` item or `graph-layout` part. */
export function reportData(input: ReportInput): ReportData {
	const {config, now} = input;
	const devices = [...config.devices].sort();
	const rows = input.rows.filter(row => row.status !== BackupStatus.pruned && row.status !== BackupStatus.pruning);
	const volumes = summarizeVolumes(config, devices, rows, now);
	const warnings = [...unknownWarnings(config, devices, rows), ...volumeWarnings(volumes)];
	const date = localDate(now);
	const environment = input.env ?? process.env;
	// rsbackup's own test suite compares reports: a faked clock gives a fixed text.
	const ctimeText = clockFaked(environment) ? '<timestamp>' : ctime(now);
	const variable = (name: string): string | undefined =>
		name === 'RSBACKUP_DATE' ? date : name === 'RSBACKUP_CTIME' ? ctimeText : environment[name];
	const layout = resolveLayout(config.report, {configPath: config.path, variable, hasWarnings: warnings.length > 0});
	const graphProblem = graphLayoutProblem(config);
	if (graphProblem !== undefined) {
		throw new ReportError(graphProblem);
	}

	return {
		title: lastTitle(layout) ?? `Backup report (${date})`,
		now,
		date,
		ctime: ctimeText,
		logsLevel: input.logs,
		devices,
		...(input.availableDevices === undefined ? {} : {availableDevices: [...input.availableDevices].sort()}),
		colors: {good: config.colorGood, bad: config.colorBad},
		...(input.stylesheet === undefined ? {} : {stylesheet: input.stylesheet}),
		warnings,
		counts: countWarnings(warnings),
		volumes,
		logs: selectLogs(rows.filter(row => isKnown(config, devices, row)), input.logs),
		sections: layout.map(item => item.kind === 'prune-logs' ? {
			...item,
			entries: pruneLogs(input.rows, now - item.window),
			table: pruneLogTable(input.pruneLog ?? newestPrunedFirst(input.rows), now - item.window),
		} : item),
	};
}

/** Whether the report clock is faked: `RSBACKUP_TIME_REPORT` or `RSBACKUP_TIME` set and not empty. */
function clockFaked(environment: Readonly<Record<string, string | undefined>>): boolean {
	return ['RSBACKUP_TIME_REPORT', 'RSBACKUP_TIME'].some(name => (environment[name] ?? '') !== '');
}

function lastTitle(layout: readonly LayoutItem[]): string | undefined {
	const titles = layout.flatMap(item => item.kind === 'title' ? [item.text] : []);
	return titles.at(-1);
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

/** A device's rows as one pass over a volume's rows finds them. */
type Tally = {count: number; newest?: BackupRow; latest?: BackupRow};

/** One volume's summary: its state, and per device the newest complete backup and the latest attempt (newest by time, then id). */
export function summarizeVolume(host: string, volume: Volume, devices: readonly string[], rows: readonly BackupRow[], now: number): VolumeSummary {
	const tallies = new Map<string, Tally>(devices.map(device => [device, {count: 0}]));
	const complete: BackupRow[] = [];
	for (const row of rows) {
		const tally = tallies.get(row.device);
		if (tally === undefined) {
			continue;
		}

		if (row.status === BackupStatus.complete) {
			complete.push(row);
			tally.count++;
			tally.newest = later(tally.newest, row);
		}

		if (row.status === BackupStatus.complete || row.status === BackupStatus.failed) {
			tally.latest = later(tally.latest, row);
		}
	}

	complete.sort((a, b) => a.time - b.time);
	const matches = globMatcher(volume.devicePattern);
	const deviceSummaries = devices.map(device => summarizeDevice(device, matches(device), tallies.get(device)!));
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

function summarizeDevice(device: string, expected: boolean, {count, newest, latest}: Tally): DeviceSummary {
	const size = newest === undefined ? undefined : totalFileSize(newest.log);
	return {
		device,
		expected,
		count,
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

/** The later of two rows by time, then id; the first on a tie. */
function later(latest: BackupRow | undefined, row: BackupRow): BackupRow {
	return latest === undefined || row.time > latest.time || (row.time === latest.time && row.id > latest.id) ? row : latest;
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

/** The row's host, volume and device are all configured. */
function isKnown(config: Config, devices: readonly string[], row: BackupRow): boolean {
	return config.hosts.get(row.host)?.volumes.has(row.volume) === true && devices.includes(row.device);
}

/**
rsbackup's entries for rows the configuration does not know, one per device
they are on: `Unknown host H on device D` for a host not configured, else
`Unknown volume H:V on device D`, else `Unknown device D`. Pruned rows are
history, not backups, and are left out by the caller.
*/
function unknownWarnings(config: Config, devices: readonly string[], rows: readonly BackupRow[]): ReportWarning[] {
	const entries = new Map<string, ReportWarning>();
	for (const row of rows) {
		if (isKnown(config, devices, row)) {
			continue;
		}

		const unknown = unknownNames(config, row, devices);
		const warning: ReportWarning | undefined = unknown.place === 'host'
			? {kind: 'unknown-host', count: 1, text: `Unknown host ${row.host} on device ${row.device}`, items: [row.host]}
			: (unknown.place === 'volume'
				? {kind: 'unknown-volume', count: 1, text: `Unknown volume ${row.host}:${row.volume} on device ${row.device}`, items: [`${row.host}:${row.volume}`]}
				: (unknown.device ? {kind: 'unknown-device', count: 1, text: `Unknown device ${row.device}`, items: [row.device]} : undefined));
		if (warning !== undefined) {
			entries.set(warning.text, warning);
		}
	}

	return [...entries.values()].sort((a, b) => compare(a.text, b.text));
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
		return items.length === 0 ? [] : [{kind, count: items.length, text: `WARNING: ${items.length} ${sentence}.`, items}];
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

function newestPrunedFirst(rows: readonly BackupRow[]): BackupRow[] {
	return rows.filter(row => isPruned(row)).sort((a, b) => b.pruned - a.pruned);
}

const isPruned = (row: BackupRow): boolean => row.status === BackupStatus.pruned || row.status === BackupStatus.pruning;

/**
rsbackup's pruning-log table: a row per backup pruned (or being pruned) since
`since`, in the order given; then any two adjacent rows that differ in at most
one column become one row whose differing cell lists the distinct values,
sorted and joined with `,`, until no adjacent pair merges.
*/
function pruneLogTable(rows: readonly BackupRow[], since: number): PruneLogRow[] {
	const table = rows.filter(row => isPruned(row) && row.pruned >= since)
		.map(row => [localDate(row.time), localDate(row.pruned), row.host, row.volume, row.device, row.log].map(value => new Set([value])));
	let merged = true;
	while (merged) {
		merged = false;
		for (let index = 0; index + 1 < table.length;) {
			const joined = mergeRows(table[index], table[index + 1]);
			if (joined === undefined) {
				index++;
			} else {
				table.splice(index, 2, joined);
				merged = true;
			}
		}
	}

	return table.map(cells => cells.map(cell => [...cell].sort(compare).join(',')) as PruneLogRow);
}

/** Two rows as one, when they differ in at most one column. */
function mergeRows(first: Array<Set<string>> | undefined, second: Array<Set<string>> | undefined): Array<Set<string>> | undefined {
	if (first === undefined || second === undefined) {
		return undefined;
	}

	const other = (column: number): Set<string> => second[column] ?? new Set();
	const differences = first.filter((cell, column) => !sameSet(cell, other(column))).length;
	return differences <= 1 ? first.map((cell, column) => new Set([...cell, ...other(column)])) : undefined;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
	return a.size === b.size && [...a].every(value => b.has(value));
}

function compare(a: string, b: string): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}
