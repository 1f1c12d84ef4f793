import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, test} from 'vitest';
import {makeStore, readBackups, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

function fleet() {
	const root = temporaryDirectory();
	const store1 = makeStore(root, 'store1', 'device1');
	const store2 = makeStore(root, 'store2', 'device2');
	const good = path.join(root, 'good');
	writeTree(good, {'a.txt': 'alpha\n'});
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store1}
store --no-mounted ${store2}
device device1
device device2
database ${database}
backup-policy always
rsync-extra-options
host host1
  hostname localhost
  volume good ${good}
  volume bad ${path.join(root, 'missing')}
`);
	return {root, store1, store2, good, database, config};
}

describe('queries and follow-ups', () => {
	test('--latest prints the newest complete backup on an available device', async () => {
		const f = fleet();
		await rsdeck(['--backup', '--config', f.config, 'host1:good']);
		await rsdeck(['--backup', '--config', f.config, 'host1:good'], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		const latest = await rsdeck(['--latest', '--config', f.config, 'host1:good']);
		expect(latest.exitCode).toBe(0);
		expect(latest.stdout).toMatch(new RegExp(`^(${f.store1}|${f.store2})/host1/good/1980-01-02T00:00:00\\n$`));
		const none = await rsdeck(['--latest', '--config', f.config, 'host1:bad']);
		expect(none.exitCode).toBe(1);
		expect(none.stderr).toContain('ERROR: no backup found for host1:bad');
	});

	test('a backup id with a newline (from the database) is printed escaped, never across lines: --latest, report logs, prune messages', async () => {
		const f = fleet();
		await rsdeck(['--backup', '--config', f.config, 'host1:good']);
		const db = new Database(f.database);
		const insert = db.prepare('INSERT INTO backup (host, volume, device, id, time, pruned, rc, status, log, finishTime) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)');
		insert.run('host1', 'good', 'device1', '1980-01-03T00:00:00\nrm -rf /', 315_705_600, 0, 2, 'ok', 315_705_660);
		insert.run('host1', 'good', 'device2', '1980-01-03T00:00:00\r\\x', 315_705_600, 5888, 3, 'rsync said no', 315_705_660);
		db.close();
		const latest = await rsdeck(['--latest', '--config', f.config, 'host1:good']);
		expect(latest.stdout).toBe(`${f.store1}/host1/good/1980-01-03T00:00:00\\nrm -rf /\n`);
		const text = await rsdeck(['--text', '-', '--logs', 'all', '--config', f.config], {env: {RSBACKUP_TIME: '1980-01-04T00:00:00'}});
		expect(text.stdout).toContain('host1:good on device2 at 1980-01-03T00:00:00\\r\\\\x: ');
		expect(text.stdout).not.toContain('\r');
		const prune = await rsdeck(['--prune-incomplete', '--verbose', '--config', f.config], {env: {RSBACKUP_TIME: '1980-01-04T00:00:00'}});
		expect(prune.stderr).toContain('1980-01-03T00:00:00\\r\\\\x');
		expect(prune.stderr).not.toContain('\r');
		expect(prune.stderr.split('\n').filter(line => line !== '').every(line => /^(INFO|ERROR|WARNING): /.test(line))).toBe(true);
	});

	test('--check-unexpected lists what no configuration or record explains', async () => {
		const f = fleet();
		await rsdeck(['--backup', '--config', f.config, 'host1:good']);
		mkdirSync(path.join(f.store1, 'stranger'));
		writeFileSync(path.join(f.store1, 'host1', 'good', 'notes.txt'), '');
		const result = await rsdeck(['--check-unexpected', '--config', f.config]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout.trimEnd().split('\n').sort()).toEqual([path.join(f.store1, 'host1', 'good', 'notes.txt'), path.join(f.store1, 'stranger')]);
		const nul = await rsdeck(['--check-unexpected', '--null', '--config', f.config]);
		expect(nul.stdout.split('\0').filter(Boolean)).toHaveLength(2);
	});

	test('--warn-unknown names hosts, volumes and devices only the database knows', async () => {
		const f = fleet();
		await rsdeck(['--backup', '--config', f.config, 'host1:good']);
		writeFileSync(f.config, readFileSync(f.config, 'utf8').replace('device device2\n', '').replace(/  volume good .*\n/, ''));
		const result = await rsdeck(['--backup', '--warn-unknown', '--config', f.config, 'host1:bad'], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(result.stderr).toMatch(/^WARNING: unknown volume 'host1:good' in the database\nWARNING: unknown device 'device2' in the database\n/);
	});

	test('--dump-config reads back identically', async () => {
		const f = fleet();
		const first = await rsdeck(['--dump-config', '--config', f.config]);
		expect(first.exitCode).toBe(0);
		const dumped = path.join(f.root, 'dumped');
		writeFileSync(dumped, first.stdout);
		expect((await rsdeck(['--dump-config', '--config', dumped])).stdout).toBe(first.stdout);
		const verbose = await rsdeck(['--dump-config', '--verbose', '--config', f.config]);
		writeFileSync(dumped, verbose.stdout);
		expect(verbose.stdout).toContain('#');
		expect((await rsdeck(['--dump-config', '--config', dumped])).stdout).toBe(first.stdout);
	});

	test('RSBACKUP_TIME= (set but empty) is the real clock: --dump-config of an empty file runs and prints rsbackup\'s defaults', async () => {
		const root = temporaryDirectory();
		const config = path.join(root, 'config');
		writeFileSync(config, '');
		const result = await rsdeck(['--dump-config', '--config', config], {env: {RSBACKUP_TIME: '', RSBACKUP_TIME_REPORT: ''}});
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(/^max-age 3d\nbackup-policy daily\nprune-policy age\nssh-timeout 1m\n[^]*\ngraph-layout \+ device-key:2,3:RC\n$/);
	});

	test('--retry-failed backs up again only the volumes that failed last time', async () => {
		const f = fleet();
		const first = await rsdeck(['--backup', '--config', f.config]);
		expect(first.exitCode).toBe(1);
		expect(readBackups(f.database).map(row => `${row.volume}:${row.status}`).sort()).toEqual(['bad:3', 'bad:3', 'good:2', 'good:2']);
		writeTree(path.join(f.root, 'missing'), {'b.txt': 'now present\n'});
		const retry = await rsdeck(['--retry-failed', '--config', f.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(retry).toMatchObject({exitCode: 0, stderr: ''});
		const second = readBackups(f.database).filter(row => row.id === '1980-01-02T00:00:00');
		expect(second.map(row => `${row.volume}:${row.status}`)).toEqual(['bad:2', 'bad:2']);
	});

	test('rsdeck keeps its own history of each run and action beside the backup table', async () => {
		const f = fleet();
		await rsdeck(['--backup', '--config', f.config, 'host1:good']);
		const {default: Database} = await import('better-sqlite3');
		const db = new Database(f.database, {readonly: true});
		const actions = db.prepare('SELECT name, state FROM rsdeck_actions ORDER BY name').all() as Array<{name: string; state: string}>;
		db.close();
		expect(actions).toContainEqual({name: 'backup/host1/good/device1', state: 'succeeded'});
		expect(actions).toContainEqual({name: 'record-backup/host1/good/device2', state: 'succeeded'});
		expect(readFileSync(f.config, 'utf8')).toContain('host1');
	});
});
