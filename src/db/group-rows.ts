import type {BackupRecord} from './types.js';

/** Rows grouped by a key, each group in the rows' order (`Map.groupBy`, which node 20 lacks). */
export function groupRows<T extends BackupRecord>(rows: Iterable<T>, key: (row: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const name = key(row);
		const group = groups.get(name);
		if (group === undefined) {
			groups.set(name, [row]);
		} else {
			group.push(row);
		}
	}

	return groups;
}

/** The key of one volume's backups on one device. */
export const targetKey = (row: Pick<BackupRecord, 'host' | 'volume' | 'device'>): string => `${row.host}\0${row.volume}\0${row.device}`;
