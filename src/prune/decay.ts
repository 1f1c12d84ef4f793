import type {BackupRow} from '../db/types.js';
import {PruneError} from './prune-error.js';
import {ageInDays, dayParameter, numberParameter} from './days.js';
import type {PruneContext, PruneVerdict} from './policies.js';

/**
The decay bucket of a backup `age` days past decay-start (age ≥ 1):
`ceil(log_s((s−1)·a/w + 1)) − 1`, so bucket b spans w·s^b days. Computed as
the least k with w·s^k ≥ (s−1)·a + w, by multiplication rather than
logarithms, so that ages on a bucket edge do not wobble with rounding.
*/
export function decayBucket(age: number, window: number, scale: number): number {
	const target = ((scale - 1) * age) + window;
	let power = window;
	let exponent = 0;
	while (power < target) {
		power *= scale;
		exponent++;
	}

	return exponent - 1;
}

/**
The `decay` policy: keep backups up to `decay-start` days old; prune those
older than `decay-limit`; sort the rest into buckets that grow by
`decay-scale` from `decay-window` days and keep only the oldest in each.
rsdeck: the newest backup on the device is always kept, even when everything
is past decay-limit.
*/
export function decayPolicy(onDevice: readonly BackupRow[], context: PruneContext): PruneVerdict {
	const start = dayParameter(context, 'decay-start', '1d');
	const window = dayParameter(context, 'decay-window', '1d');
	const limit = dayParameter(context, 'decay-limit', '366d');
	const scale = numberParameter(context, 'decay-scale', '2', value => value > 1, 'a number greater than 1');
	if (window < 1) {
		throw new PruneError(`${context.host}:${context.volume}: prune-parameter decay-window must be at least 1d`);
	}

	const verdict: PruneVerdict = new Map();
	const occupied = new Set<number>();
	for (const backup of onDevice) {
		const age = ageInDays(backup.time, context.now);
		if (age <= start) {
			continue;
		}

		if (age > limit) {
			verdict.set(backup.id, `age ${age} > ${limit} and other backups exist`);
			continue;
		}

		const bucket = decayBucket(age - start, window, scale);
		if (occupied.has(bucket)) {
			verdict.set(backup.id, `age ${age} > ${start} and oldest in bucket ${bucket}`);
		} else {
			occupied.add(bucket);
		}
	}

	const newest = onDevice.at(-1);
	if (newest !== undefined && verdict.size === onDevice.length) {
		verdict.delete(newest.id);
	}

	return verdict;
}
