/**
Rows of rsbackup's `backup` table (SPEC §6.1), shared bit for bit with rsbackup.
*/

/** `status` column values. */
export const BackupStatus = {
	unknown: 0,
	underway: 1,
	complete: 2,
	failed: 3,
	pruning: 4,
	pruned: 5,
} as const;

export type BackupStatusCode = (typeof BackupStatus)[keyof typeof BackupStatus];

/** The name of a status code, as used in prune reasons (`status=failed`). */
export const backupStatusName = (status: number): string =>
	(Object.keys(BackupStatus) as Array<keyof typeof BackupStatus>).find(key => BackupStatus[key] === status) ?? 'unknown';

export type BackupRow = {
	host: string;
	volume: string;
	device: string;
	/** The backup's directory name: UTC start time `YYYY-MM-DDTHH:MM:SS`. */
	id: string;
	/** Start, Unix seconds. */
	time: number;
	/** When pruning was decided (status 4) or finished (5); 0 otherwise. */
	pruned: number;
	/** Raw wait status (exit code × 256); −1 when rsync never ran. */
	rc: number;
	status: BackupStatusCode;
	/** rsync's output; the prune reason once pruned. */
	log: string;
	/** End, Unix seconds; 0 while underway. */
	finishTime: number;
};

/** A row without its log: what most readers need, at a fraction of the memory (logs are rsync's whole output). */
export type BackupRecord = Omit<BackupRow, 'log'>;
