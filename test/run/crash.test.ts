import {cpSync, existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {execa} from 'execa';
import {afterEach, describe, expect, test} from 'vitest';
import {BackupStatus, type BackupRow} from '../../src/db/types.js';
import {cli, makeStore, readBackups, rsdeck, treeOf, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

const hosts = ['host1', 'host2'];
const volumes = ['volume1', 'volume2'];
const day = (n: number) => `1980-01-${String(n).padStart(2, '0')}T00:00:00`;

/** Two hosts × two volumes backed up daily to two devices; backups older than two days are pruned. */
function fleet(root = temporaryDirectory()) {
	const stores = [makeStore(root, 'store1', 'device1'), makeStore(root, 'store2', 'device2')];
	const database = path.join(root, 'backups.db');
	const lines = [
		...stores.map(store => `store --no-mounted ${store}`),
		'device device1', 'device device2', `database ${database}`, `lock ${path.join(root, 'lock')}`,
		'rsync-extra-options', 'prune-policy age', 'prune-parameter prune-age 2d', 'prune-parameter min-backups 1',
	];
	for (const host of hosts) {
		lines.push(`host ${host}`, '  hostname localhost');
		for (const volume of volumes) {
			const source = path.join(root, 'source', host, volume);
			writeTree(source, Object.fromEntries(Array.from({length: 20}, (_, index) => [`dir${index % 4}/file${index}.txt`, `${host}:${volume}:${index}\n`.repeat(200)])));
			lines.push(`  volume ${volume} ${source}`);
		}
	}

	const config = path.join(root, 'config');
	writeFileSync(config, `${lines.join('\n')}\n`);
	// Outside every store: must never change.
	writeTree(path.join(root, 'outside'), {'keep.txt': 'keep\n'});
	return {root, stores, database, config};
}

type Fleet = ReturnType<typeof fleet>;

/** Run `rsdeck --json …` and send it `signal` (SIGKILL) as soon as it has written `events` events. */
async function killedAfter(f: Fleet, events: number, time: string, args: string[], signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
	const subprocess = execa(process.execPath, [cli, '--json', '--config', f.config, ...args], {reject: false, buffer: false, env: {RSBACKUP_TIME: time, TZ: 'UTC'}, stdin: 'ignore'});
	let seen = 0;
	let signalled = false;
	subprocess.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		seen += chunk.split('\n').length - 1;
		if (seen >= events && !signalled) {
			signalled = true;
			subprocess.kill(signal);
		}
	});
	await subprocess;
}

/** Backup directories present in the stores, as `device host volume id`, `.incomplete` markers apart. */
function onDisk(f: Fleet): {directories: Set<string>; markers: Set<string>} {
	const directories = new Set<string>();
	const markers = new Set<string>();
	for (const [index, store] of f.stores.entries()) {
		for (const host of readdirSync(store).filter(name => name !== 'device-id')) {
			for (const volume of readdirSync(path.join(store, host))) {
				for (const entry of readdirSync(path.join(store, host, volume))) {
					const marker = entry.endsWith('.incomplete');
					(marker ? markers : directories).add(`device${index + 1} ${host} ${volume} ${marker ? entry.slice(0, -'.incomplete'.length) : entry}`);
				}
			}
		}
	}

	return {directories, markers};
}

const keyOf = (row: BackupRow) => `${row.device} ${row.host} ${row.volume} ${row.id}`;

/** What must hold whenever rsdeck stops, however it stops. */
function expectConsistent(f: Fleet, sources: Record<string, string>): void {
	// Read-write, as readBackups: the hot journal of a run killed mid-commit is rolled back (as by any next run), not refused.
	const db = new Database(f.database, {fileMustExist: true});
	try {
		expect(db.pragma('integrity_check', {simple: true})).toBe('ok');
	} finally {
		db.close();
	}

	const rows = readBackups(f.database);
	const rowsByKey = new Map(rows.map(row => [keyOf(row), row]));
	const {directories, markers} = onDisk(f);
	for (const row of rows) {
		const key = keyOf(row);
		if (row.status === BackupStatus.complete) {
			// A backup the database calls complete is whole: there, and not marked incomplete.
			expect(directories.has(key), `${key} complete but missing`).toBe(true);
			expect(markers.has(key), `${key} complete but marked incomplete`).toBe(false);
		}

		if (row.status === BackupStatus.pruned) {
			expect(directories.has(key) || markers.has(key), `${key} pruned but still on disk`).toBe(false);
		}
	}

	for (const key of [...directories, ...markers]) {
		// Every directory and marker rsdeck made has its row, so --prune-incomplete can find it. (A
		// directory whose rsync succeeded loses its marker before its row says complete: between the
		// two the row is still underway, and the backup is not used.)
		expect(rowsByKey.get(key), `${key} on disk without a row`).toBeDefined();
	}

	expect(treeOf(path.join(f.root, 'source'))).toEqual(sources);
	expect(treeOf(path.join(f.root, 'outside'))).toEqual({'keep.txt': 'keep\n'});
}

describe('killed at any moment', () => {
	test('SIGKILL at points across backup and prune runs leaves the database and stores consistent; the next run recovers', async () => {
		const f = fleet();
		const sources = treeOf(path.join(f.root, 'source'));
		for (const n of [1, 2, 3]) {
			expect((await rsdeck(['--backup', '--config', f.config], {env: {RSBACKUP_TIME: day(n)}})).exitCode).toBe(0);
			// A run that ends has committed every final row, deferred or not.
			expect(readBackups(f.database).filter(row => row.status !== BackupStatus.complete).map(keyOf)).toEqual([]);
		}

		// Each day's run is killed a little later than the one before: underway rows, rsync, records,
		// prune decisions and removals are all interrupted somewhere, and debris piles up.
		// A whole run writes about 250 events, the first hundred or so while nothing has started yet.
		const points = [90, 100, 110, 120, 130, 145, 160, 180, 200, 225];
		for (const [index, events] of points.entries()) {
			await killedAfter(f, events, day(4 + index), ['--backup', '--prune']);
			expectConsistent(f, sources);
		}

		const recovery = await rsdeck(['--backup', '--prune', '--prune-incomplete', '--config', f.config], {env: {RSBACKUP_TIME: day(20)}});
		expect(recovery).toMatchObject({exitCode: 0, stderr: ''});
		expectConsistent(f, sources);
		const rows = readBackups(f.database);
		expect(rows.filter(row => row.status !== BackupStatus.complete && row.status !== BackupStatus.pruned).map(keyOf)).toEqual([]);
		const {directories, markers} = onDisk(f);
		expect([...markers]).toEqual([]);
		expect([...directories].sort()).toEqual(rows.filter(row => row.status === BackupStatus.complete).map(keyOf).sort());
		// Today's backup of every volume on every device is there.
		expect(rows.filter(row => row.id === day(20) && row.status === BackupStatus.complete)).toHaveLength(hosts.length * volumes.length * 2);
		expect(existsSync(path.join(f.root, 'lock'))).toBe(true);
	}, 120_000);

	test('SIGTERM at points across backup and prune runs: the run stops cleanly, no row is left underway, the database and stores are consistent', async () => {
		const f = fleet();
		const sources = treeOf(path.join(f.root, 'source'));
		for (const n of [1, 2]) {
			expect((await rsdeck(['--backup', '--config', f.config], {env: {RSBACKUP_TIME: day(n)}})).exitCode).toBe(0);
		}

		for (const [index, events] of [95, 110, 125, 145, 170, 200].entries()) {
			await killedAfter(f, events, day(3 + index), ['--backup', '--prune'], 'SIGTERM');
			expectConsistent(f, sources);
			// Cancelled backups are recorded failed and their final rows committed as rsdeck exits.
			expect(readBackups(f.database).filter(row => row.status === BackupStatus.underway).map(keyOf), `after ${events} events`).toEqual([]);
		}
	}, 120_000);

	test('SIGKILL at points across --retire --force: no complete row without its tree, --latest names only what exists; the next retire finishes', async () => {
		const template = fleet();
		for (const n of [1, 2]) {
			expect((await rsdeck(['--backup', '--config', template.config], {env: {RSBACKUP_TIME: day(n)}})).exitCode).toBe(0);
		}

		// A retire of host1 (8 backups) writes about 65 events; removals start at about the 30th.
		for (const events of [12, 30, 33, 36, 40, 44, 48, 52, 56, 60]) {
			const f = copyOf(template);
			const sources = treeOf(path.join(f.root, 'source'));
			await killedAfter(f, events, day(3), ['--retire', '--force', 'host1']);
			expectConsistent(f, sources);
			const latest = await rsdeck(['--latest', '--config', f.config, 'host1:volume1', 'host1:volume2']);
			for (const line of latest.stdout.split('\n').filter(Boolean)) {
				expect(existsSync(line), `after ${events} events --latest printed ${line}`).toBe(true);
			}

			const again = await rsdeck(['--retire', '--force', '--config', f.config, 'host1'], {env: {RSBACKUP_TIME: day(4)}});
			expect(again, `after ${events} events`).toMatchObject({exitCode: 0, stderr: ''});
			expectConsistent(f, sources);
			expect(readBackups(f.database).filter(row => row.host === 'host1')).toEqual([]);
			expect(f.stores.filter(store => existsSync(path.join(store, 'host1')))).toEqual([]);
			expect(readBackups(f.database).filter(row => row.host === 'host2' && row.status === BackupStatus.complete)).toHaveLength(volumes.length * 2 * 2);
		}
	}, 240_000);
});

/** A copy of a fleet in a new directory, its configuration naming the copy. */
function copyOf(original: Fleet): Fleet {
	const root = temporaryDirectory();
	cpSync(original.root, root, {recursive: true});
	writeFileSync(path.join(root, 'config'), readFileSync(original.config, 'utf8').replaceAll(original.root, root));
	return {root, stores: original.stores.map(store => store.replace(original.root, root)), database: original.database.replace(original.root, root), config: path.join(root, 'config')};
}
