import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, test} from 'vitest';
import {makeStore, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

/*
Drop-in both ways, without an rsbackup binary: what rsdeck writes is read
back through the SQL rsbackup itself uses, and a database written the way
rsbackup writes it (plain SQL here, a version-10 table included) is backed up
into, pruned and reported by rsdeck with its rows staying valid for rsbackup.
*/

afterEach(() => {
	removeTemporaryDirectories();
});

/** rsbackup's reads of its table (Conf::readState): these exact names must work. */
const rsbackupRead = 'SELECT host,volume,device,id,time,pruned,rc,status,log,finishTime FROM backup';
/** The same read by rsbackup 10, which has no finishTime. */
const rsbackupVersion10Read = 'SELECT host,volume,device,id,time,pruned,rc,status,log FROM backup';

type ForeignRow = {host: string; volume: string; device: string; id: string; time: number; pruned: number; rc: number; status: number; log: Buffer | null; finishTime?: number | null};

function foreignRead(database: string, sql = rsbackupRead): ForeignRow[] {
	const db = new Database(database, {readonly: true});
	try {
		return (db.prepare(`${sql} ORDER BY host, volume, device, id`).all() as ForeignRow[]);
	} finally {
		db.close();
	}
}

/** Column name, declared type and primary-key position of `backup`, as `PRAGMA table_info` gives them. */
function columns(database: string): string[] {
	const db = new Database(database, {readonly: true});
	try {
		return (db.prepare('PRAGMA table_info(backup)').all() as Array<{name: string; type: string; pk: number}>).map(column => `${column.name} ${column.type} ${column.pk}`);
	} finally {
		db.close();
	}
}

/** Every value is of the SQLite type rsbackup binds: integers, text, the log a BLOB, `pruned` never NULL. */
function storageTypes(database: string): string[] {
	const db = new Database(database, {readonly: true});
	try {
		return (db.prepare('SELECT DISTINCT typeof(host), typeof(id), typeof(time), typeof(pruned), typeof(rc), typeof(status), typeof(log) FROM backup').raw().all() as string[][]).map(row => row.join(' '));
	} finally {
		db.close();
	}
}

const unix = (iso: string): number => Date.parse(`${iso}Z`) / 1000;

type Site = {root: string; store1: string; store2: string; database: string; config: string};

function site(global = ''): Site {
	const root = temporaryDirectory();
	const store1 = makeStore(root, 'store1', 'device1');
	const store2 = makeStore(root, 'store2', 'device2');
	writeTree(path.join(root, 'source'), {'a.txt': 'alpha\n', 'sub/b.txt': 'beta\n'});
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store1}
store --no-mounted ${store2}
device device1
device device2
database ${database}
logs ${root}
rsync-extra-options
${global}
host host1
  hostname localhost
  volume volume1 ${path.join(root, 'source')}
  volume volume2 ${path.join(root, 'no-such-source')}
`);
	return {root, store1, store2, database, config};
}

const allColumns = ['host TEXT 1', 'volume TEXT 2', 'device TEXT 3', 'id TEXT 4', 'time INTEGER 0', 'pruned INTEGER 0', 'rc INTEGER 0', 'status INTEGER 0', 'log BLOB 0'];

describe('RSBACKUP_DBVERSION', () => {
	test('=10 makes the version-10 table; a later run without it adds finishTime and leaves the older rows NULL', async () => {
		const s = site();
		const old = await rsdeck(['--backup', '--config', s.config, 'host1:volume1'], {env: {RSBACKUP_TIME: '1980-01-01T00:00:00', RSBACKUP_TIME_FINISH: '1980-01-01T00:02:00', RSBACKUP_DBVERSION: '10'}});
		expect(old).toMatchObject({exitCode: 0, stderr: ''});
		expect(columns(s.database)).toEqual(allColumns);
		expect(foreignRead(s.database, rsbackupVersion10Read).map(row => [row.device, row.id, row.status, row.rc])).toEqual([
			['device1', '1980-01-01T00:00:00', 2, 0],
			['device2', '1980-01-01T00:00:00', 2, 0],
		]);
		// Still version 10 while the variable says so, and reports read it.
		expect((await rsdeck(['--text', '-', '--config', s.config], {env: {RSBACKUP_DBVERSION: '10'}})).exitCode).toBe(0);
		expect(columns(s.database)).toEqual(allColumns);

		const upgraded = await rsdeck(['--backup', '--config', s.config, 'host1:volume1'], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00', RSBACKUP_TIME_FINISH: '1980-01-02T00:03:00'}});
		expect(upgraded).toMatchObject({exitCode: 0, stderr: ''});
		expect(columns(s.database)).toEqual([...allColumns, 'finishTime INTEGER 0']);
		expect(foreignRead(s.database).map(row => [row.device, row.id, row.status, row.finishTime])).toEqual([
			['device1', '1980-01-01T00:00:00', 2, null],
			['device1', '1980-01-02T00:00:00', 2, unix('1980-01-02T00:03:00')],
			['device2', '1980-01-01T00:00:00', 2, null],
			['device2', '1980-01-02T00:00:00', 2, unix('1980-01-02T00:03:00')],
		]);
	});
});

describe('interoperability with rsbackup', () => {
	test('rsdeck\'s database and store read back through rsbackup\'s SQL: names, statuses, wait statuses, Unix times, finishTime', async () => {
		const s = site('prune-policy age\nprune-parameter prune-age 1d');
		const first = await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-01T00:00:00', RSBACKUP_TIME_FINISH: '1980-01-01T00:01:00'}});
		// volume2's source does not exist: rsync exits 23.
		expect(first.exitCode).toBe(1);
		expect(columns(s.database)).toEqual([...allColumns, 'finishTime INTEGER 0']);
		const start = unix('1980-01-01T00:00:00');
		const withoutLog = ({log, ...rest}: ForeignRow) => rest;
		expect(foreignRead(s.database).map(row => withoutLog(row))).toEqual([['volume1', 0, 2], ['volume2', 23 * 256, 3]].flatMap(([volume, rc, status]) => ['device1', 'device2'].map(device => (
			{host: 'host1', volume, device, id: '1980-01-01T00:00:00', time: start, pruned: 0, rc, status, finishTime: start + 60}))));
		expect(foreignRead(s.database).every(row => Buffer.isBuffer(row.log) && row.log.length > 0)).toBe(true);
		expect(storageTypes(s.database)).toEqual(['text text integer integer integer integer blob']);
		for (const store of [s.store1, s.store2]) {
			expect(existsSync(path.join(store, 'host1', 'volume1', '1980-01-01T00:00:00', 'sub', 'b.txt'))).toBe(true);
			expect(existsSync(path.join(store, 'host1', 'volume1', '1980-01-01T00:00:00.incomplete'))).toBe(false);
		}

		expect((await rsdeck(['--backup', '--config', s.config, 'host1:volume1'], {env: {RSBACKUP_TIME: '1980-01-05T00:00:00'}})).exitCode).toBe(0);
		const prune = await rsdeck(['--prune', '--prune-incomplete', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-05T06:00:00'}});
		expect(prune).toMatchObject({exitCode: 0, stderr: ''});
		const pruneTime = unix('1980-01-05T06:00:00');
		expect(foreignRead(s.database).map(row => [row.volume, row.device, row.id, row.status, row.pruned, row.log?.toString()])).toEqual([
			['volume1', 'device1', '1980-01-01T00:00:00', 5, pruneTime, 'age 4 > 1 and remaining 2 > 1'],
			['volume1', 'device1', '1980-01-05T00:00:00', 2, 0, expect.stringContaining('Total file size') as string],
			['volume1', 'device2', '1980-01-01T00:00:00', 5, pruneTime, 'age 4 > 1 and remaining 2 > 1'],
			['volume1', 'device2', '1980-01-05T00:00:00', 2, 0, expect.stringContaining('Total file size') as string],
			['volume2', 'device1', '1980-01-01T00:00:00', 5, pruneTime, 'status=failed'],
			['volume2', 'device2', '1980-01-01T00:00:00', 5, pruneTime, 'status=failed'],
		]);
		expect(storageTypes(s.database)).toEqual(['text text integer integer integer integer blob']);
	});

	test('a database written the way rsbackup writes it, version 10 included: rsdeck backs up into it, prunes and reports it, and rsbackup can still read every row', async () => {
		const s = site('prune-policy age\nprune-parameter prune-age 4d');
		// rsbackup 10's table and rows, with plain SQL as rsbackup binds them (log a BLOB), and their backups on disk.
		const db = new Database(s.database);
		db.exec('CREATE TABLE backup (\n  host TEXT,\n  volume TEXT,\n  device TEXT,\n  id TEXT,\n  time INTEGER,\n  pruned INTEGER,\n  rc INTEGER,\n  status INTEGER,\n  log BLOB,\n  PRIMARY KEY (host,volume,device,id)\n)');
		const insert = db.prepare('INSERT INTO backup (host,volume,device,id,time,pruned,rc,status,log) VALUES (?,?,?,?,?,?,?,?,?)');
		for (const day of ['01', '02']) {
			const id = `1980-01-${day}T00:00:00`;
			insert.run('host1', 'volume1', 'device1', id, unix(id), 0, 0, 2, Buffer.from('Number of files: 3\nTotal file size: 12 bytes\n'));
			writeTree(path.join(s.store1, 'host1', 'volume1', id), {'a.txt': 'alpha\n'});
		}

		insert.run('host1', 'volume2', 'device2', '1980-01-02T00:00:00', unix('1980-01-02T00:00:00'), 0, 23 * 256, 3, Buffer.from('rsync error: some files could not be transferred (code 23)\n'));
		mkdirSync(path.join(s.store2, 'host1', 'volume2', '1980-01-02T00:00:00'), {recursive: true});
		// Pruned rows: one within keep-prune-logs (kept), one older (expired by --prune, as rsbackup expires them).
		insert.run('host1', 'volume1', 'device1', '1979-12-01T00:00:00', unix('1979-12-01T00:00:00'), unix('1980-01-01T00:00:00'), 0, 5, Buffer.from('age 31 > 30'));
		insert.run('host1', 'volume1', 'device1', '1979-10-01T00:00:00', unix('1979-10-01T00:00:00'), unix('1979-11-01T00:00:00'), 0, 5, Buffer.from('age 31 > 30'));
		db.close();

		const backup = await rsdeck(['--backup', '--config', s.config, 'host1:volume1'], {env: {RSBACKUP_TIME: '1980-01-06T00:00:00', RSBACKUP_TIME_FINISH: '1980-01-06T00:00:30'}});
		expect(backup).toMatchObject({exitCode: 0, stderr: ''});
		// Linked against rsbackup's newest backup, as rsbackup would.
		expect(existsSync(path.join(s.store1, 'host1', 'volume1', '1980-01-06T00:00:00', 'a.txt'))).toBe(true);

		const prune = await rsdeck(['--prune', '--prune-incomplete', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-06T12:00:00'}});
		expect(prune).toMatchObject({exitCode: 0, stderr: ''});
		expect(existsSync(path.join(s.store1, 'host1', 'volume1', '1980-01-01T00:00:00'))).toBe(false);
		expect(existsSync(path.join(s.store2, 'host1', 'volume2', '1980-01-02T00:00:00'))).toBe(false);

		const report = await rsdeck(['--text', '-', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-06T12:00:00'}});
		expect(report.exitCode).toBe(0);
		expect(report.stdout).toContain('| host1 | volume1 | 1980-01-02 | 3     | 1980-01-06 | 2     |');

		const pruneTime = unix('1980-01-06T12:00:00');
		const finished = unix('1980-01-06T00:00:30');
		expect(foreignRead(s.database).map(row => [row.volume, row.device, row.id, row.status, row.rc, row.pruned, row.finishTime])).toEqual([
			['volume1', 'device1', '1979-12-01T00:00:00', 5, 0, unix('1980-01-01T00:00:00'), null],
			['volume1', 'device1', '1980-01-01T00:00:00', 5, 0, pruneTime, null],
			['volume1', 'device1', '1980-01-02T00:00:00', 2, 0, 0, null],
			['volume1', 'device1', '1980-01-06T00:00:00', 2, 0, 0, finished],
			['volume1', 'device2', '1980-01-06T00:00:00', 2, 0, 0, finished],
			['volume2', 'device2', '1980-01-02T00:00:00', 5, 23 * 256, pruneTime, null],
		]);
		expect(storageTypes(s.database).every(types => /^text text integer integer integer integer blob$/.test(types))).toBe(true);
	});
});
