/** The snapshot commands' output: aligned text for operators, one JSON object per line for tools. */
import {formatSize} from '../report/report-format.js';
import type {Entry} from './entry.js';
import type {HistoryItem} from './path-history.js';
import type {Change} from './snapshot-diff.js';
import type {Snapshot} from './volume-backups.js';

const pad = (value: number): string => String(value).padStart(2, '0');

/** A modification time (ms) in local time, `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(milliseconds: number): string {
	const date = new Date(milliseconds);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Columns padded to their widest cell; the last column is left as it is. */
function table(rows: ReadonlyArray<readonly string[]>): string {
	const widths: number[] = [];
	for (const row of rows) {
		for (const [column, cell] of row.entries()) {
			widths[column] = Math.max(widths[column] ?? 0, cell.length);
		}
	}

	return rows.map(row => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd() + '\n').join('');
}

export function formatBackups(snapshots: readonly Snapshot[]): string {
	return table([
		['ID', 'DEVICE', 'STATUS', 'SIZE', 'PATH'],
		...snapshots.map(snapshot => [snapshot.id, snapshot.device, snapshot.status, snapshot.size === undefined ? '-' : formatSize(snapshot.size), snapshot.path ?? '(device not available)']),
	]);
}

const span = (backups: ReadonlyArray<{id: string}>): string =>
	(backups.length === 1 ? backups[0]!.id : `${backups[0]!.id} .. ${backups.at(-1)!.id}`) + ` (${backups.length} backup${backups.length === 1 ? '' : 's'})`;

const describeEntry = (entry: Entry, target: string | undefined): string[] =>
	[entry.type + (target === undefined ? '' : ` -> ${target}`), entry.type === 'dir' ? '-' : String(entry.size), formatTime(entry.mtime)];

export function formatHistory(items: readonly HistoryItem[]): string {
	const rows = items.map(item => (item.kind === 'gap'
		? ['absent', '', '', span(item.backups)]
		: [...describeEntry(item.entry, item.target), span(item.backups) + (item.matchedByAttributes ? ' *' : '')]));
	const note = items.some(item => item.kind === 'version' && item.matchedByAttributes)
		? '* some of these backups hold a copy, not a hard link (another device, links not used, or a directory): matched by type, size, mode and mtime\n'
		: '';
	return table([['TYPE', 'SIZE', 'MTIME', 'BACKUPS'], ...rows]) + note;
}

export function historyJson(item: HistoryItem): Record<string, unknown> {
	if (item.kind === 'gap') {
		return {absent: true, backups: item.backups};
	}

	const {entry} = item;
	return {
		type: entry.type,
		size: entry.size,
		mtime: new Date(entry.mtime).toISOString(),
		mode: entry.mode.toString(8).padStart(4, '0'),
		...(item.target === undefined ? {} : {target: item.target}),
		backups: item.backups,
		matchedBy: item.matchedByAttributes ? 'attributes' : 'inode',
	};
}

/** `M etc/hosts`, directories with a trailing slash. */
export const formatChange = (change: Change): string => `${change.change} ${change.path}${change.type === 'dir' ? '/' : ''}\n`;
