/**
For the browse benchmarks: a store holding `host1:data` on device1, a
configuration and a database that records the backups given, so the real
`rsdeck` can read them. The snapshots themselves are the caller's to make.
*/
import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {BackupDatabase} from '../../src/db/backup-database.js';
import {BackupStatus} from '../../src/db/types.js';
import {parseBackupId} from '../../src/store/layout.js';

export const run = promisify(execFile);
export const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export type BenchStore = {config: string; volume: string; record: (ids: readonly string[]) => void};

export function benchStore(root: string): BenchStore {
	const store = path.join(root, 'store');
	const volume = path.join(store, 'host1', 'data');
	mkdirSync(volume, {recursive: true});
	chmodSync(store, 0o700);
	writeFileSync(path.join(store, 'device-id'), 'device1\n');
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, [`store --no-mounted ${store}`, 'device device1', `database ${database}`, `logs ${root}`, 'rsync-extra-options', 'host host1', '  hostname localhost', `  volume data ${path.join(root, 'source')}`, ''].join('\n'));
	return {
		config,
		volume,
		record(ids) {
			const db = BackupDatabase.open(database, {write: true});
			for (const id of ids) {
				const time = parseBackupId(id)!;
				db.insertBackup({host: 'host1', volume: 'data', device: 'device1', id, time, pruned: 0, rc: 0, status: BackupStatus.complete, log: '', finishTime: time});
			}

			db.close();
		},
	};
}

/** The real rsdeck with `args`; its stdout. */
export async function rsdeck(config: string, args: readonly string[]): Promise<string> {
	const {stdout} = await run(process.execPath, [cli, ...args, '--config', config], {maxBuffer: 256 * 1024 * 1024, env: {...process.env, TZ: 'UTC'}});
	return stdout;
}

export async function timed(work: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await work();
	return performance.now() - start;
}

