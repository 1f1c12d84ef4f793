/**
The pruning policies (SPEC §6.2): given one device's complete backups of a
volume, decide which to prune and why.
*/
import type {BackupRow} from '../db/types.js';
import {agePolicy} from './age.js';
import {decayPolicy} from './decay.js';
import {execPolicy} from './exec.js';
import {PruneError} from './prune-error.js';

export {PruneError} from './prune-error.js';

/** What a policy knows besides the backups themselves. */
export type PruneContext = {
	host: string;
	volume: string;
	/** The device whose backups are being judged. */
	device: string;
	/** "Now" for pruning, Unix seconds (`RSBACKUP_TIME_PRUNE` in tests). */
	now: number;
	/** The volume's `prune-parameter`s. */
	parameters: ReadonlyMap<string, string>;
	/** Cancels an exec policy's program. */
	signal?: AbortSignal;
};

/** Backups to prune: backup id → the reason, as logged and recorded. */
export type PruneVerdict = Map<string, string>;

/**
Run `policy` (`age`, `decay`, `never`, `exec`, or an absolute path meaning
`exec` with that `path`) on `onDevice`, one device's complete backups of the
volume, oldest first; `total` counts the volume's complete backups on all
devices. Throws PruneError, naming the volume, when the policy cannot decide.
*/
export async function runPrunePolicy(policy: string, onDevice: readonly BackupRow[], total: number, context: PruneContext): Promise<PruneVerdict> {
	if (policy.startsWith('/')) {
		// rsbackup turns `prune-policy /PATH` into exec with parameter `path`, and exports it like any other.
		const parameters = new Map(context.parameters).set('path', policy);
		return execPolicy(policy, onDevice, total, {...context, parameters});
	}

	switch (policy) {
		case 'age': {
			return agePolicy(onDevice, context);
		}

		case 'decay': {
			return decayPolicy(onDevice, context);
		}

		case 'never': {
			return new Map();
		}

		case 'exec': {
			const path = context.parameters.get('path');
			if (path === undefined) {
				throw new PruneError(`${context.host}:${context.volume}: prune-policy exec needs prune-parameter path`);
			}

			return execPolicy(path, onDevice, total, context);
		}

		default: {
			throw new PruneError(`${context.host}:${context.volume}: unknown prune-policy '${policy}'`);
		}
	}
}
