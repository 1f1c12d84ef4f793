import type {Host, Volume} from '../config/types.js';
import {BackupStatus, backupStatusName, type BackupRow} from '../db/types.js';
import {runPrunePolicy} from './policies.js';
import {groupRows} from '../db/group-rows.js';

/** One backup to prune, and why. */
export type PruneDecision = {
	row: BackupRow;
	/** Logged as `pruning PATH because: REASON` and kept in the row's `log` once pruned. */
	reason: string;
};

/** What the run asked for. */
export type FindPrunableOptions = {
	/** "Now" for pruning, Unix seconds. */
	now: number;
	/** `--prune-incomplete`: unknown, underway and failed backups go too. */
	incomplete: boolean;
	/** `--prune`: complete backups go through the volume's policy. */
	prune: boolean;
	/** Cancels an exec policy. */
	signal?: AbortSignal;
};

const incompleteStatuses: ReadonlySet<number> = new Set([BackupStatus.unknown, BackupStatus.underway, BackupStatus.failed]);

/**
The backups of one volume to prune (SPEC §6.2), given all its rows: rows
already being pruned (status 4, resumed whatever was asked), incomplete
ones under `--prune-incomplete`, and complete ones the policy picks, device
by device. Throws PruneError when the policy cannot decide for this volume.
*/
export async function findPrunable(volume: Volume, host: Host, rows: readonly BackupRow[], options: FindPrunableOptions): Promise<PruneDecision[]> {
	const decisions: PruneDecision[] = [];
	for (const row of rows) {
		if (row.status === BackupStatus.pruning) {
			// The reason was written to `log` when the row was marked.
			decisions.push({row, reason: row.log === '' ? 'status=pruning' : row.log});
		} else if (options.incomplete && incompleteStatuses.has(row.status)) {
			decisions.push({row, reason: `status=${backupStatusName(row.status)}`});
		}
	}

	if (options.prune) {
		decisions.push(...await policyDecisions(volume, host, rows, options));
	}

	return decisions;
}

/**
Run the volume's policy on each device's complete backups, devices in name
order. The total a policy is told (exec's PRUNE_TOTAL) leaves out what the
devices before it already chose, as rsbackup counts.
*/
async function policyDecisions(volume: Volume, host: Host, rows: readonly BackupRow[], options: FindPrunableOptions): Promise<PruneDecision[]> {
	const complete = rows.filter(row => row.status === BackupStatus.complete);
	const byDevice = groupRows(complete, row => row.device);

	const decisions: PruneDecision[] = [];
	let total = complete.length;
	for (const device of [...byDevice.keys()].sort()) {
		const onDevice = (byDevice.get(device) ?? []).sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
		// One device at a time, as rsbackup does: an exec policy never runs twice at once for a volume.
		const verdict = await runPrunePolicy(volume.prunePolicy, onDevice, total, {
			host: host.name,
			volume: volume.name,
			device,
			now: options.now,
			parameters: volume.pruneParameters,
			signal: options.signal,
		});
		for (const row of onDevice) {
			const reason = verdict.get(row.id);
			if (reason !== undefined) {
				decisions.push({row, reason});
				total--;
			}
		}
	}

	return decisions;
}
