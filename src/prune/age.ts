import type {BackupRow} from '../db/types.js';
import {ageInDays, dayParameter, numberParameter} from './days.js';
import type {PruneContext, PruneVerdict} from './policies.js';

/**
The `age` policy: oldest first, prune a backup older than `prune-age` (days,
default 366d) while more than `min-backups` (default 1) remain on the device.
The reason counts the backups remaining before this one goes.
*/
export function agePolicy(onDevice: readonly BackupRow[], context: PruneContext): PruneVerdict {
	const pruneAge = dayParameter(context, 'prune-age', '366d');
	const minBackups = numberParameter(context, 'min-backups', '1', value => Number.isInteger(value) && value >= 1, 'a whole number, at least 1');
	const verdict: PruneVerdict = new Map();
	let remaining = onDevice.length;
	for (const backup of onDevice) {
		const age = ageInDays(backup.time, context.now);
		if (age > pruneAge && remaining > minBackups) {
			verdict.set(backup.id, `age ${age} > ${pruneAge} and remaining ${remaining} > ${minBackups}`);
			remaining--;
		}
	}

	return verdict;
}
