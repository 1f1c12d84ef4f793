import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {expect} from 'vitest';
import {makeStore, rsdeck, type CommandOutcome} from '../helpers/fleet.js';
import {temporaryDirectory} from '../helpers/files.js';

export type SnapshotSetup = {root: string; store: string; source: string; database: string; config: string; volume: string};

/**
One local host `host1` with volume `data` (a source directory to change
between backups) on device1, backed up by the real rsdeck, hence real rsync
with `--link-dest` unless `linkDest` is false.
*/
export function snapshotSetup(options: {linkDest?: boolean; extra?: string[]} = {}): SnapshotSetup {
	const root = temporaryDirectory('rsdeck-browse-');
	const store = makeStore(root, 'store', 'device1');
	const source = path.join(root, 'source');
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, [
		`store --no-mounted ${store}`,
		'device device1',
		`database ${database}`,
		`logs ${root}`,
		'rsync-extra-options',
		...(options.linkDest === false ? ['rsync-link-dest false'] : []),
		...(options.extra ?? []),
		'host host1',
		'  hostname localhost',
		`  volume data ${source}`,
		'',
	].join('\n'));
	return {root, store, source, database, config, volume: path.join(store, 'host1', 'data')};
}

/** Day `n` of November 2026 at 01:00 UTC, as a backup ID. */
export const day = (n: number): string => `2026-11-${String(n).padStart(2, '0')}T01:00:00`;

/** Make a backup now-as-`id` with the real binary; it must succeed. */
export async function backupAt(s: SnapshotSetup, id: string): Promise<void> {
	const result = await rsdeck(['--backup', '--force', '--config', s.config], {env: {RSBACKUP_TIME: id}});
	expect(result.stderr).toBe('');
	expect(result.exitCode).toBe(0);
}

/** Run rsdeck with this setup's configuration. */
export async function browse(s: SnapshotSetup, args: string[], options: {cwd?: string} = {}): Promise<CommandOutcome> {
	return rsdeck([...args, '--config', s.config], {env: {RSBACKUP_TIME: '2026-12-01T00:00:00'}, ...options});
}

/** `snapshot/relative` of the backup `id`. */
export const inBackup = (s: SnapshotSetup, id: string, relative = ''): string => path.join(s.volume, id, relative);
