import type {Volume} from '../config/types.js';
import {localDate} from '../config/clock.js';
import {parseInterval} from '../config/intervals.js';
import {BackupStatus, type BackupRecord} from '../db/types.js';
import type {Outcome} from '../engine/types.js';
import {backupKey} from '../plan/action-names.js';
import type {Runtime} from './runtime.js';

/** Seconds since local midnight. */
function timeOfDay(unixSeconds: number): number {
	const date = new Date(unixSeconds * 1000);
	return (date.getHours() * 3600) + (date.getMinutes() * 60) + date.getSeconds();
}

/** Why the backup policy says a new backup is not due, or undefined when it is (SPEC §5). */
export function policyBlocks(volume: Volume, complete: readonly BackupRecord[], now: number): string | undefined {
	switch (volume.backupPolicy) {
		case 'daily': {
			const today = localDate(now);
			return complete.some(row => localDate(row.time) === today) ? 'already backed up today' : undefined;
		}

		case 'interval': {
			const minInterval = parseInterval(volume.backupParameters.get('min-interval') ?? '0s');
			return complete.some(row => row.time > now - minInterval) ? `backed up within min-interval ${volume.backupParameters.get('min-interval')}` : undefined;
		}

		default: {
			return undefined;
		}
	}
}

/** `identify/H/V/D`: is a backup of this volume to this device due now? Not due = `skipped`. */
export function identifyBackup(runtime: Runtime, hostName: string, volumeName: string, device: string): Outcome {
	const volume = runtime.volume(hostName, volumeName);
	const key = backupKey({host: hostName, volume: volumeName, device});
	const now = runtime.settings.now('backup');
	const blocked = whyNotDue(runtime, volume, hostName, device, now);
	runtime.due.set(key, blocked === undefined);
	return blocked === undefined
		? {state: 'succeeded', message: `${hostName}:${volumeName} is due on ${device}`}
		: {state: 'skipped', message: `${hostName}:${volumeName} not due on ${device}: ${blocked}`};
}

function whyNotDue(runtime: Runtime, volume: Volume, hostName: string, device: string, now: number): string | undefined {
	if (runtime.settings.honourBackupTime) {
		const time = timeOfDay(now);
		const {earliest, latest} = volume.backupTime;
		if (time < earliest || time >= latest) {
			return 'outside backup-time';
		}
	}

	if (runtime.settings.force) {
		return undefined;
	}

	const complete = runtime.db.records({host: hostName, volume: volume.name, device}).filter(row => row.status === BackupStatus.complete);
	return policyBlocks(volume, complete, now);
}
