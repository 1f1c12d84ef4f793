import type {BackupRow} from '../db/types.js';
import {runProcess} from '../process/run-process.js';
import {describeCommandFailure} from './command-failure.js';
import {PruneError} from './prune-error.js';
import type {PruneContext, PruneVerdict} from './policies.js';

/**
The `exec` policy: run the program at `path` with the volume's parameters as
`PRUNE_<name>`, and `PRUNE_ONDEVICE` (the backups' start times in Unix
seconds, oldest first, space-separated), `PRUNE_TOTAL`, `PRUNE_HOST`,
`PRUNE_VOLUME` and `PRUNE_DEVICE`. It prints one `TIME:reason` line per
backup to prune. A failure or malformed output is a PruneError for this
volume.
*/
export async function execPolicy(path: string, onDevice: readonly BackupRow[], total: number, context: PruneContext): Promise<PruneVerdict> {
	const environment: Record<string, string> = {};
	for (const [name, value] of context.parameters) {
		environment[`PRUNE_${name}`] = value;
	}

	Object.assign(environment, {
		PRUNE_ONDEVICE: onDevice.map(backup => String(backup.time)).join(' '),
		PRUNE_TOTAL: String(total),
		PRUNE_HOST: context.host,
		PRUNE_VOLUME: context.volume,
		PRUNE_DEVICE: context.device,
	});
	const result = await runProcess([path], {env: environment, signal: context.signal});
	const where = `${context.host}:${context.volume}: prune policy ${path} (device ${context.device})`;
	const failure = describeCommandFailure(result);
	if (failure !== undefined) {
		throw new PruneError(`${where} ${failure}`);
	}

	return parsePruneList(result.stdout, onDevice, where);
}

/** Read `TIME:reason` lines; each TIME must name exactly one backup on the device, once. */
export function parsePruneList(stdout: string, onDevice: readonly BackupRow[], where: string): PruneVerdict {
	const verdict: PruneVerdict = new Map();
	const lines = stdout.split('\n');
	if (lines.at(-1) === '') {
		lines.pop();
	}

	for (const [index, line] of lines.entries()) {
		const colon = line.indexOf(':');
		const timeText = colon < 0 ? '' : line.slice(0, colon);
		if (!/^\d+$/.test(timeText)) {
			throw new PruneError(`${where} printed a malformed line ${index + 1} (expected TIME:reason): '${line}'`);
		}

		const backup = onDevice.find(candidate => candidate.time === Number(timeText));
		if (backup === undefined) {
			throw new PruneError(`${where} named a backup that is not on the device: time ${timeText}`);
		}

		if (verdict.has(backup.id)) {
			throw new PruneError(`${where} named the backup at time ${timeText} twice`);
		}

		verdict.set(backup.id, line.slice(colon + 1));
	}

	return verdict;
}
