import {formatDuration} from './format-duration.js';

/** One volume's backups on one device, as the status view shows them. */
export type StatusDevice = {
	device: string;
	/** Start time of the newest complete backup, Unix seconds; absent when there is none. */
	newest?: number;
	/** Number of complete backups. */
	count: number;
	/** The most recent attempt failed. */
	latestFailed: boolean;
};

/** One host/volume line of the status view. */
export type StatusRow = {
	host: string;
	volume: string;
	/** The devices this volume is backed up to; others are left blank. */
	devices: StatusDevice[];
	/** The volume's `max-age`, seconds: an older newest backup is out of date. */
	maxAge: number;
};

/** How one cell reads: fresh, out of date, latest attempt failed, or no backup at all. */
export type CellHealth = 'fresh' | 'stale' | 'failed' | 'none';

/** Symbol (meaning without colour), colour and legend word of each health. */
export const healthStyles: Readonly<Record<CellHealth, {symbol: string; color: string; label: string}>> = {
	fresh: {symbol: '✓', color: 'green', label: 'within max-age'},
	stale: {symbol: '!', color: 'yellow', label: 'older than max-age'},
	failed: {symbol: '✗', color: 'red', label: 'latest backup failed'},
	none: {symbol: '∅', color: 'red', label: 'no backup'},
};

/** Worst first: what a host row shows for its volumes. */
const healthOrder: readonly CellHealth[] = ['failed', 'none', 'stale', 'fresh'];

/** A failed latest attempt is the most urgent news, then no backup, then age. */
export function cellHealth(cell: StatusDevice, maxAge: number, now: number): CellHealth {
	if (cell.latestFailed) {
		return 'failed';
	}

	if (cell.newest === undefined || cell.count === 0) {
		return 'none';
	}

	return now - cell.newest > maxAge ? 'stale' : 'fresh';
}

/** `3h05m (4)`: the newest backup's age and the number of backups; `none` without any. */
export function cellText(cell: StatusDevice, now: number): string {
	return cell.newest === undefined ? 'none' : `${formatDuration((now - cell.newest) * 1000)} (${cell.count})`;
}

export function worstHealth(healths: Iterable<CellHealth>): CellHealth | undefined {
	let worst: number | undefined;
	for (const health of healths) {
		const rank = healthOrder.indexOf(health);
		worst = worst === undefined ? rank : Math.min(worst, rank);
	}

	return worst === undefined ? undefined : healthOrder[worst];
}

/** How many volumes have at least one cell of each kind of trouble, for the header. */
export function troubleCounts(rows: readonly StatusRow[], now: number): Record<Exclude<CellHealth, 'fresh'>, number> {
	const counts = {failed: 0, none: 0, stale: 0};
	for (const row of rows) {
		const healths = new Set(row.devices.map(cell => cellHealth(cell, row.maxAge, now)));
		for (const health of ['failed', 'none', 'stale'] as const) {
			if (healths.has(health)) {
				counts[health]++;
			}
		}
	}

	return counts;
}
