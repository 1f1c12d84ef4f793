import {access} from 'node:fs/promises';
import {defaultInheritable} from '../../src/config/defaults.js';
import type {Host, Volume} from '../../src/config/types.js';
import {BackupStatus, type BackupRow, type BackupStatusCode} from '../../src/db/types.js';
import {backupId} from '../../src/store/layout.js';

/** "Now" for the policy tests: 2024-03-01T12:00:00Z (the tests run with TZ=UTC unless they say otherwise). */
export const now = Date.UTC(2024, 2, 1, 12) / 1000;

/** A time `days` whole days before `now`, at the same time of day. */
export const daysAgo = (days: number): number => now - (days * 86_400);

/** A backup row of host1:volume1 started at `time`. */
export function backupRow(device: string, time: number, status: BackupStatusCode = BackupStatus.complete, log = ''): BackupRow {
	return {host: 'host1', volume: 'volume1', device, id: backupId(time), time, pruned: 0, rc: 0, status, log, finishTime: time + 60};
}

/** Complete backups on device1 at the given ages in days, in the order given. */
export const backupsAged = (...ages: number[]): BackupRow[] => ages.map(age => backupRow('device1', daysAgo(age)));

/** host1:volume1 with a prune policy and its parameters. */
export function volumeWith(prunePolicy: string, parameters: Record<string, string> = {}): Volume {
	return {
		...defaultInheritable(),
		prunePolicy,
		pruneParameters: new Map(Object.entries(parameters)),
		name: 'volume1',
		path: '/srv/volume1',
		exclude: [],
		traverse: false,
		checkFile: undefined,
		checkMounted: false,
		location: {file: 'test.config', line: 1},
	};
}

export function host1(): Host {
	return {
		...defaultInheritable(),
		name: 'host1',
		hostname: 'host1',
		user: undefined,
		priority: 0,
		volumes: new Map(),
		location: {file: 'test.config', line: 1},
	};
}

/** Resolves once `file` exists (a child process signalling that it has got somewhere). */
export async function waitForFile(file: string): Promise<void> {
	for (;;) {
		try {
			await access(file);
			return;
		} catch {
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}
	}
}
