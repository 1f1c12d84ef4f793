/**
`--logs`: which backup logs a report shows, per volume and device.

- `all`: every non-empty log, even of a backup that succeeded;
- `errors`: every failed backup's log;
- `recent`: the most recent failed backup's log;
- `latest`: the log of the last attempt, even if it succeeded;
- `failed` (default): the log of the last attempt, only if it failed.
*/
import {BackupStatus, backupStatusName, type BackupRow} from '../db/types.js';
import {groupRows, targetKey} from '../db/group-rows.js';

export type LogsLevel = 'all' | 'errors' | 'recent' | 'latest' | 'failed';

/** The `--logs` values, for option parsing. */
export const logsLevels: readonly LogsLevel[] = ['all', 'errors', 'recent', 'latest', 'failed'];

/** One backup log shown in a report. */
export type LogEntry = {
	host: string;
	volume: string;
	device: string;
	/** The backup's directory name (UTC start time). */
	id: string;
	/** Start and end, Unix seconds (end 0 while underway). */
	time: number;
	finishTime: number;
	/** `complete`, `failed`, `underway`, `unknown`. */
	status: string;
	/** Raw wait status; −1 when rsync never ran. */
	rc: number;
	/** rsync's output. */
	log: string;
};

/** The logs `level` selects from a volume's rows (pruned rows already removed), by host, volume, device and time. */
export function selectLogs(rows: readonly BackupRow[], level: LogsLevel): LogEntry[] {
	// Only a non-empty log is shown: a volume and device whose rows have none has nothing to choose from.
	const logged = new Set(rows.filter(row => row.log !== '').map(row => targetKey(row)));
	if (logged.size === 0) {
		return [];
	}

	const pairs = groupRows(rows.filter(row => logged.has(targetKey(row))).sort(byPlaceAndTime), targetKey);

	return [...pairs.values()].flatMap(pair => choose(pair, level)).filter(row => row.log !== '').map(row => toEntry(row));
}

function choose(rows: readonly BackupRow[], level: LogsLevel): BackupRow[] {
	const failed = rows.filter(row => row.status === BackupStatus.failed);
	const finished = rows.filter(row => row.status === BackupStatus.complete || row.status === BackupStatus.failed);
	const last = finished.at(-1);
	switch (level) {
		case 'all': {
			return [...rows];
		}

		case 'errors': {
			return failed;
		}

		case 'recent': {
			return failed.slice(-1);
		}

		case 'latest': {
			return last === undefined ? [] : [last];
		}

		case 'failed': {
			return last?.status === BackupStatus.failed ? [last] : [];
		}
	}
}

function byPlaceAndTime(a: BackupRow, b: BackupRow): number {
	for (const key of ['host', 'volume', 'device'] as const) {
		if (a[key] !== b[key]) {
			return a[key] < b[key] ? -1 : 1;
		}
	}

	return a.time - b.time || (a.id < b.id ? -1 : (a.id > b.id ? 1 : 0));
}

function toEntry(row: BackupRow): LogEntry {
	return {
		host: row.host,
		volume: row.volume,
		device: row.device,
		id: row.id,
		time: row.time,
		finishTime: row.finishTime,
		status: backupStatusName(row.status),
		rc: row.rc,
		log: row.log,
	};
}
