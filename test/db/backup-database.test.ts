import {spawn} from 'node:child_process';
import {once} from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {BackupDatabase, DatabaseError, backupKeyName, type BackupKey} from '../../src/db/backup-database.js';
import {BackupStatus, type BackupRow} from '../../src/db/types.js';

let directory: string;
let file: string;
const open: BackupDatabase[] = [];

beforeEach(() => {
	directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rsdeck-db-'));
	file = path.join(directory, 'backups.db');
});

afterEach(() => {
	for (const db of open.splice(0)) {
		db.close();
	}

	fs.rmSync(directory, {recursive: true, force: true});
});

function openDb(options: {write: boolean; busyTimeout?: number}, at = file): BackupDatabase {
	const db = BackupDatabase.open(at, options);
	open.push(db);
	return db;
}

const t0 = 315_532_800; // 1980-01-01T00:00:00Z

function row(fields: Partial<BackupRow> = {}): BackupRow {
	return {
		host: 'h1', volume: 'v1', device: 'd1', id: '1980-01-01T00:00:00', time: t0,
		pruned: 0, rc: -1, status: BackupStatus.underway, log: '', finishTime: 0, ...fields,
	};
}

const keyOf = ({host, volume, device, id}: BackupRow): BackupKey => ({host, volume, device, id});

/** Read the file with a separate, plain connection, as rsbackup would. */
function raw<T>(sql: string, ...parameters: unknown[]): T[] {
	const db = new Sqlite(file, {readonly: true});
	try {
		return db.prepare(sql).all(...parameters) as T[];
	} finally {
		db.close();
	}
}

const rsbackupColumns = [
	['host', 'TEXT', 1], ['volume', 'TEXT', 2], ['device', 'TEXT', 3], ['id', 'TEXT', 4], ['time', 'INTEGER', 0],
	['pruned', 'INTEGER', 0], ['rc', 'INTEGER', 0], ['status', 'INTEGER', 0], ['log', 'BLOB', 0], ['finishTime', 'INTEGER', 0],
];

describe('schema', () => {
	it('creates rsbackup\'s backup table exactly', () => {
		openDb({write: true}).close();
		const [table] = raw<{sql: string}>('SELECT sql FROM sqlite_master WHERE name = \'backup\'');
		expect(table?.sql).toBe('CREATE TABLE backup (host TEXT, volume TEXT, device TEXT, id TEXT, time INTEGER, pruned INTEGER, rc INTEGER, status INTEGER, log BLOB, finishTime INTEGER, PRIMARY KEY (host,volume,device,id))');
		const columns = raw<{name: string; type: string; pk: number}>('PRAGMA table_info(backup)');
		expect(columns.map(column => [column.name, column.type, column.pk])).toEqual(rsbackupColumns);
	});

	it('keeps its own tables beside it, prefixed rsdeck_', () => {
		openDb({write: true}).close();
		const tables = raw<{name: string}>('SELECT name FROM sqlite_master WHERE type = \'table\' AND name NOT LIKE \'sqlite_%\' ORDER BY name');
		expect(tables.map(table => table.name)).toEqual(['backup', 'rsdeck_actions', 'rsdeck_output', 'rsdeck_runs']);
	});

	it('leaves a new file in rsbackup\'s rollback-journal mode', () => {
		const db = openDb({write: true});
		db.insertBackup(row());
		db.close();
		expect(raw<{journal_mode: string}>('PRAGMA journal_mode')[0]?.journal_mode).toBe('delete');
		expect(fs.readdirSync(directory)).toEqual(['backups.db']);
	});

	it('a read-only open rolls back the hot journal a killed writer left, where it may write (else SQLite refuses every read)', async () => {
		const db = openDb({write: true});
		db.insertBackup(row({status: BackupStatus.complete}));
		db.close();
		// A writer killed mid-transaction, after its changes reached the file: the journal is hot.
		const killed = spawn('python3', ['-c', `import sqlite3, os, signal
c = sqlite3.connect(${JSON.stringify(file)}, isolation_level=None)
c.execute('PRAGMA cache_size=1')
c.execute('BEGIN')
c.execute("UPDATE backup SET log = randomblob(200000), status = 3")
os.kill(os.getpid(), signal.SIGKILL)`]);
		await once(killed, 'exit');
		expect(fs.existsSync(`${file}-journal`)).toBe(true);
		const reader = openDb({write: false});
		expect(reader.backups().map(backup => backup.status)).toEqual([BackupStatus.complete]);
		expect(fs.existsSync(`${file}-journal`)).toBe(false);
	});

	it('switches a file an earlier rsdeck left in WAL mode back to a rollback journal', () => {
		const old = new Sqlite(file);
		old.pragma('journal_mode = WAL');
		old.close();
		openDb({write: true}).close();
		expect(raw<{journal_mode: string}>('PRAGMA journal_mode')[0]?.journal_mode).toBe('delete');
	});

	it('a WAL file another program has open stays WAL this time, and the run goes on', () => {
		const other = new Sqlite(file);
		other.pragma('journal_mode = WAL');
		other.exec('CREATE TABLE other (x)');
		const db = openDb({write: true});
		db.insertBackup(row());
		expect(db.backups()).toHaveLength(1);
		db.close();
		other.close();
		openDb({write: true}).close();
		expect(raw<{journal_mode: string}>('PRAGMA journal_mode')[0]?.journal_mode).toBe('delete');
	});

	it('upgrades an old database without finishTime, keeping its rows', () => {
		const old = new Sqlite(file);
		old.exec('CREATE TABLE backup (host TEXT, volume TEXT, device TEXT, id TEXT, time INTEGER, pruned INTEGER, rc INTEGER, status INTEGER, log BLOB, PRIMARY KEY (host,volume,device,id))');
		old.prepare('INSERT INTO backup VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run('h1', 'v1', 'd1', '1980-01-01T00:00:00', t0, 0, 0, 2, Buffer.from('old log'));
		old.close();

		const db = openDb({write: true});
		expect(raw<{name: string}>('PRAGMA table_info(backup)').map(column => column.name)).toContain('finishTime');
		expect(db.backups()).toEqual([row({rc: 0, status: BackupStatus.complete, log: 'old log'})]);
	});

	it('reads an old database read-only without upgrading it', () => {
		const old = new Sqlite(file);
		old.exec('CREATE TABLE backup (host TEXT, volume TEXT, device TEXT, id TEXT, time INTEGER, pruned INTEGER, rc INTEGER, status INTEGER, log BLOB, PRIMARY KEY (host,volume,device,id))');
		old.prepare('INSERT INTO backup VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run('h1', 'v1', 'd1', '1980-01-01T00:00:00', t0, 0, 0, 2, Buffer.from('old log'));
		old.close();
		const before = fs.readFileSync(file);

		const db = openDb({write: false});
		expect(db.backups()).toEqual([row({rc: 0, status: BackupStatus.complete, log: 'old log'})]);
		expect(db.lastRunActions()).toEqual([]);
		expect(db.backupDurations()).toEqual(new Map());
		db.close();
		expect(fs.readFileSync(file).equals(before)).toBe(true);
		expect(raw<{name: string}>('PRAGMA table_info(backup)').map(column => column.name)).not.toContain('finishTime');
	});
});

describe('opening', () => {
	it('does not create a missing file when read-only, and answers as if empty', () => {
		const db = openDb({write: false});
		expect(db.writable).toBe(false);
		expect(db.path).toBe(file);
		expect(db.backups()).toEqual([]);
		expect(db.lastRunActions()).toEqual([]);
		expect(db.backupDurations()).toEqual(new Map());
		expect(fs.readdirSync(directory)).toEqual([]);
	});

	it('refuses writes on a read-only database', () => {
		openDb({write: true}).close();
		const db = openDb({write: false});
		expect(() => {
			db.insertBackup(row());
		}).toThrow(/read-only/);
		expect(() => db.startRun({started: 0, argv: []})).toThrow(/read-only/);
	});

	it('creates the file, not its directory, when writing', () => {
		const missing = path.join(directory, 'logs', 'backups.db');
		expect(() => openDb({write: true}, missing)).toThrow(DatabaseError);
		expect(() => openDb({write: true}, missing)).toThrow(`cannot create database '${missing}': directory '${path.join(directory, 'logs')}' does not exist`);
		expect(fs.existsSync(path.join(directory, 'logs'))).toBe(false);
		const db = openDb({write: true});
		expect(db.writable).toBe(true);
		expect(fs.existsSync(file)).toBe(true);
	});

	it('names the file when it is not a database', () => {
		fs.writeFileSync(file, 'this is not an SQLite database, it is a text file that is long enough to have a header\n'.repeat(20));
		expect(() => openDb({write: false})).toThrow(DatabaseError);
		expect(() => openDb({write: true})).toThrow(`database '${file}': file is not a database`);
	});

	it('sees what another connection committed', () => {
		const writer = openDb({write: true});
		const reader = openDb({write: false});
		writer.insertBackup(row());
		expect(reader.backups()).toHaveLength(1);
	});
});

describe('backup rows', () => {
	it('round-trips every field', () => {
		const db = openDb({write: true});
		const written = row({rc: 5888, status: BackupStatus.failed, log: 'rsync: some error\nline two\n', finishTime: t0 + 61, pruned: 7});
		db.insertBackup(written);
		expect(db.backups()).toEqual([written]);
		const reopened = openDb({write: false});
		expect(reopened.backups()).toEqual([written]);
	});

	it('records are the rows without their logs, filtered and ordered alike; NULLs read as zeros', () => {
		const db = openDb({write: true});
		const rows = [
			row({device: 'd2', log: 'x'.repeat(100_000)}),
			row({id: '1980-01-02T00:00:00', time: t0 + 86_400, status: BackupStatus.complete, rc: 0, log: 'second'}),
			row({host: 'h2', status: BackupStatus.failed, log: 'failed'}),
		];
		for (const each of rows) {
			db.insertBackup(each);
		}

		const other = new Sqlite(file);
		other.prepare('INSERT INTO backup (host, volume, device, id, status) VALUES (?, ?, ?, ?, ?)').run('h3', 'v1', 'd1', 'x', 9);
		other.close();
		const withoutLog = ({log: _log, ...record}: BackupRow) => record;
		expect(db.records()).toEqual(db.backups().map(each => withoutLog(each)));
		expect(db.records({host: 'h1'}).map(each => `${each.device} ${each.id}`)).toEqual(['d1 1980-01-02T00:00:00', 'd2 1980-01-01T00:00:00']);
		expect(db.records({host: 'h3'})).toEqual([{host: 'h3', volume: 'v1', device: 'd1', id: 'x', time: 0, pruned: 0, rc: 0, status: BackupStatus.unknown, finishTime: 0}]);
		expect(db.records().every(each => !('log' in each))).toBe(true);
	});

	it('stores the log as a UTF-8 BLOB', () => {
		const db = openDb({write: true});
		const log = 'Grüße — ✓ 日本語\n\u0000after a NUL';
		db.insertBackup(row({log}));
		const [stored] = raw<{log: unknown; kind: string}>('SELECT log, typeof(log) AS kind FROM backup');
		expect(stored?.kind).toBe('blob');
		expect(Buffer.isBuffer(stored?.log) && stored.log.equals(Buffer.from(log, 'utf8'))).toBe(true);
		expect(db.backups()[0]?.log).toBe(log);
	});

	it('decodes a log BLOB that is not UTF-8 as Buffer.toString does (U+FFFD for each bad sequence), read-write, read-only and in the pruning log', () => {
		// Bad lead bytes, a truncated sequence, an overlong NUL, a lone surrogate's bytes, a NUL, Latin-1 text, an empty BLOB.
		const bytes = Buffer.from([0x61, 0xFF, 0x62, 0xC3, 0x0A, 0xE2, 0x82, 0x63, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x00, 0x64, 0x47, 0x72, 0xFC, 0xDF, 0x65, 0xF0, 0x9F, 0x98]);
		openDb({write: true}).close();
		const other = new Sqlite(file);
		const insert = other.prepare('INSERT INTO backup (host, volume, device, id, time, pruned, status, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
		insert.run('h1', 'v1', 'd1', '1980-01-01T00:00:00', t0, 0, BackupStatus.failed, bytes);
		insert.run('h1', 'v1', 'd2', '1980-01-01T00:00:00', t0, t0 + 60, BackupStatus.pruned, bytes);
		insert.run('h1', 'v2', 'd1', '1980-01-01T00:00:00', t0, 0, BackupStatus.complete, Buffer.alloc(0));
		other.close();
		const expected = bytes.toString('utf8');
		expect(expected).toContain('\uFFFD');
		for (const db of [openDb({write: true}), openDb({write: false})]) {
			expect(db.backups().map(backup => backup.log)).toEqual([expected, expected, '']);
			expect(db.pruneLog().map(backup => backup.log)).toEqual([expected]);
		}
	});

	it('reads a log rsbackup stored as text, and NULLs as zeros', () => {
		openDb({write: true}).close();
		const other = new Sqlite(file);
		other.prepare('INSERT INTO backup (host, volume, device, id, time, status, log) VALUES (?, ?, ?, ?, ?, ?, ?)').run('h1', 'v1', 'd1', '1980-01-01T00:00:00', t0, 2, 'text log');
		other.close();
		expect(openDb({write: false}).backups()).toEqual([row({rc: 0, status: BackupStatus.complete, log: 'text log'})]);
	});

	it('orders by host, volume, device, time and filters', () => {
		const db = openDb({write: true});
		const rows = [
			row({host: 'h2'}),
			row({device: 'd2'}),
			row({id: '1980-01-02T00:00:00', time: t0 + 86_400}),
			row(),
			row({volume: 'v2'}),
		];
		for (const each of rows) {
			db.insertBackup(each);
		}

		const order = (list: BackupRow[]) => list.map(each => `${each.host}:${each.volume}:${each.device}:${each.id}`);
		expect(order(db.backups())).toEqual([
			'h1:v1:d1:1980-01-01T00:00:00', 'h1:v1:d1:1980-01-02T00:00:00', 'h1:v1:d2:1980-01-01T00:00:00',
			'h1:v2:d1:1980-01-01T00:00:00', 'h2:v1:d1:1980-01-01T00:00:00',
		]);
		expect(order(db.backups({host: 'h1', volume: 'v1'}))).toEqual([
			'h1:v1:d1:1980-01-01T00:00:00', 'h1:v1:d1:1980-01-02T00:00:00', 'h1:v1:d2:1980-01-01T00:00:00',
		]);
		expect(order(db.backups({device: 'd2'}))).toEqual(['h1:v1:d2:1980-01-01T00:00:00']);
	});

	it('replaces a row with the same key', () => {
		const db = openDb({write: true});
		db.insertBackup(row({log: 'first'}));
		db.insertBackup(row({log: 'second'}));
		expect(db.backups().map(each => each.log)).toEqual(['second']);
	});

	it('finishes a backup', () => {
		const db = openDb({write: true});
		db.insertBackup(row());
		db.finishBackup(keyOf(row()), {status: BackupStatus.complete, rc: 0, log: 'sent 1 bytes', finishTime: t0 + 90});
		expect(db.backups()).toEqual([row({status: BackupStatus.complete, rc: 0, log: 'sent 1 bytes', finishTime: t0 + 90})]);
		expect(() => {
			db.finishBackup({...keyOf(row()), device: 'nope'}, {status: BackupStatus.failed, rc: 256, log: '', finishTime: t0});
		}).toThrow(/No backup row h1\/v1\/nope/);
	});
});

describe('deferred writes', () => {
	/** The file change counter of the header: one more for each commit (rollback journal). */
	const commits = () => fs.readFileSync(file).readUInt32BE(24);
	const complete = {status: BackupStatus.complete, rc: 0, log: 'sent 1 bytes', finishTime: t0 + 90};
	const statusOf = (id: string) => raw<{status: number}>('SELECT status FROM backup WHERE id = ?', id)[0]?.status;

	it('a final row is read back at once by the same process, and committed with the next backup\'s underway row: one commit for both', () => {
		const db = openDb({write: true});
		db.insertBackup(row());
		const before = commits();
		db.finishBackup(keyOf(row()), complete);
		expect(db.records()[0]).toMatchObject({status: BackupStatus.complete, finishTime: t0 + 90});
		db.insertBackup(row({device: 'd2'}));
		expect(commits()).toBe(before + 2);
		db.finishBackup(keyOf(row({device: 'd2'})), complete);
		expect(raw<{status: number}>('SELECT status FROM backup WHERE device = \'d2\'')).toEqual([{status: BackupStatus.underway}]);
		db.insertBackup(row({id: '1980-01-02T00:00:00', time: t0 + 86_400}));
		expect(commits()).toBe(before + 3);
		expect(raw<{device: string; id: string; status: number}>('SELECT device, id, status FROM backup ORDER BY device, id')).toEqual([
			{device: 'd1', id: '1980-01-01T00:00:00', status: BackupStatus.complete},
			{device: 'd1', id: '1980-01-02T00:00:00', status: BackupStatus.underway},
			{device: 'd2', id: '1980-01-01T00:00:00', status: BackupStatus.complete},
		]);
	});

	it('a final row waits no more than a quarter second for company, and is seen by a second connection then', async () => {
		const db = openDb({write: true});
		db.insertBackup(row());
		db.finishBackup(keyOf(row()), complete);
		const second = openDb({write: false});
		expect(second.records()[0]?.status).toBe(BackupStatus.underway);
		await new Promise(resolve => {
			setTimeout(resolve, 600);
		});
		expect(second.records()[0]?.status).toBe(BackupStatus.complete);
		expect(statusOf(row().id)).toBe(BackupStatus.complete);
	});

	it('close, a prune mark and the history commit what waits', () => {
		const db = BackupDatabase.open(file, {write: true});
		db.insertBackup(row());
		db.insertBackup(row({device: 'd2'}));
		db.finishBackup(keyOf(row()), complete);
		db.markPruning([keyOf(row({device: 'd2'}))], t0 + 100);
		expect(statusOf(row().id)).toBe(BackupStatus.complete);
		db.insertBackup(row({volume: 'v2'}));
		db.finishBackup(keyOf(row({volume: 'v2'})), complete);
		const run = db.startRun({started: 1, argv: []});
		expect(raw<{status: number}>('SELECT status FROM backup WHERE volume = \'v2\'')).toEqual([{status: BackupStatus.complete}]);
		db.insertBackup(row({volume: 'v3'}));
		db.finishBackup(keyOf(row({volume: 'v3'})), complete);
		db.defer(() => {
			db.recordAction(run, {name: 'a', state: 'succeeded', attempt: 1});
		}, () => undefined);
		db.close();
		expect(raw<{status: number}>('SELECT status FROM backup WHERE volume = \'v3\'')).toEqual([{status: BackupStatus.complete}]);
		expect(raw('SELECT name FROM rsdeck_actions')).toEqual([{name: 'a'}]);
	});

	it('a deferred write that fails is undone alone and its handler told; the rest is committed', () => {
		const db = openDb({write: true});
		db.insertBackup(row());
		db.finishBackup(keyOf(row()), complete);
		const failures: unknown[] = [];
		db.defer(() => {
			db.recordAction(1, {name: 'a', state: 'succeeded', attempt: 1});
			throw new Error('broken');
		}, error => failures.push(error));
		db.flush();
		expect(failures).toEqual([new Error('broken')]);
		expect(raw('SELECT name FROM rsdeck_actions')).toEqual([]);
		expect(statusOf(row().id)).toBe(BackupStatus.complete);
	});

	it('a commit that fails says which final rows were lost: they stay underway, a later write goes on', () => {
		const db = openDb({write: true, busyTimeout: 10});
		db.insertBackup(row());
		db.finishBackup(keyOf(row()), complete);
		// Another program holds the write lock past the busy timeout: the next write, and the final row with it, fail.
		const other = new Sqlite(file);
		other.exec('BEGIN IMMEDIATE');
		expect(() => {
			db.insertBackup(row({device: 'd2'}));
		}).toThrow(/database is locked \(the final row of h1\/v1\/d1\/1980-01-01T00:00:00 not written: it stays underway\)/);
		other.exec('ROLLBACK');
		other.close();
		db.insertBackup(row({device: 'd3'}));
		expect(raw<{device: string; status: number}>('SELECT device, status FROM backup ORDER BY device')).toEqual([
			{device: 'd1', status: BackupStatus.underway},
			{device: 'd3', status: BackupStatus.underway},
		]);
	});
});

describe('pruning rows', () => {
	it('marks pruning in one go, with reasons where given', () => {
		const db = openDb({write: true});
		const a = row({status: BackupStatus.complete, log: 'a log'});
		const b = row({id: '1980-01-02T00:00:00', time: t0 + 86_400, status: BackupStatus.complete, log: 'b log'});
		const c = row({id: '1980-01-03T00:00:00', time: t0 + 172_800, status: BackupStatus.complete, log: 'c log'});
		for (const each of [a, b, c]) {
			db.insertBackup(each);
		}

		db.markPruning([keyOf(a), keyOf(b)], t0 + 1000, new Map([[backupKeyName(b), 'age 400 > 366 and remaining 2 > 1']]));
		expect(db.backups()).toEqual([
			{...a, status: BackupStatus.pruning, pruned: t0 + 1000},
			{...b, status: BackupStatus.pruning, pruned: t0 + 1000, log: 'age 400 > 366 and remaining 2 > 1'},
			c,
		]);
	});

	it('rolls the whole marking back when one update fails', () => {
		const db = openDb({write: true});
		db.insertBackup(row({status: BackupStatus.complete}));
		const other = new Sqlite(file);
		// A trigger that rejects the second update makes the transaction fail part-way.
		other.exec('CREATE TRIGGER reject BEFORE UPDATE ON backup WHEN NEW.id = \'1980-01-02T00:00:00\' BEGIN SELECT RAISE(ABORT, \'rejected\'); END');
		other.close();
		db.insertBackup(row({id: '1980-01-02T00:00:00', time: t0 + 86_400, status: BackupStatus.complete}));
		expect(() => {
			db.markPruning([keyOf(row()), keyOf(row({id: '1980-01-02T00:00:00'}))], t0 + 5);
		}).toThrow(DatabaseError);
		expect(db.backups().map(each => each.status)).toEqual([BackupStatus.complete, BackupStatus.complete]);
	});

	it('marks pruned with the reason as log', () => {
		const db = openDb({write: true});
		db.insertBackup(row({status: BackupStatus.pruning, pruned: t0 + 5, log: 'rsync output'}));
		db.markPruned(keyOf(row()), t0 + 9, 'status=failed');
		expect(db.backups()).toEqual([row({status: BackupStatus.pruned, pruned: t0 + 9, log: 'status=failed'})]);
	});

	it('expires pruned rows older than the limit, and nothing else', () => {
		const db = openDb({write: true});
		db.insertBackup(row({status: BackupStatus.pruned, pruned: 100}));
		db.insertBackup(row({id: 'b', status: BackupStatus.pruned, pruned: 200}));
		db.insertBackup(row({id: 'c', status: BackupStatus.pruning, pruned: 50}));
		db.insertBackup(row({id: 'd', status: BackupStatus.complete, pruned: 0}));
		expect(db.expirePruneLogs(200)).toBe(1);
		expect(db.backups().map(each => each.id).sort()).toEqual(['b', 'c', 'd']);
	});

	it('deletes rows by host, volume or device', () => {
		const db = openDb({write: true});
		for (const each of [row(), row({volume: 'v2'}), row({host: 'h2'}), row({host: 'h2', device: 'd2'})]) {
			db.insertBackup(each);
		}

		expect(db.deleteBackups({device: 'd2'})).toBe(1);
		expect(db.deleteBackups({host: 'h1', volume: 'v2'})).toBe(1);
		expect(db.backups().map(each => `${each.host}:${each.volume}:${each.device}`)).toEqual(['h1:v1:d1', 'h2:v1:d1']);
		expect(db.deleteBackups({host: 'h2'})).toBe(1);
		expect(() => db.deleteBackups({})).toThrow(/needs a host/);
		expect(db.backups()).toHaveLength(1);
	});
});

describe('transactions', () => {
	it('commits or rolls back together', () => {
		const db = openDb({write: true});
		expect(() => db.transaction(() => {
			db.insertBackup(row());
			throw new Error('boom');
		})).toThrow('boom');
		expect(db.backups()).toEqual([]);
		expect(db.transaction(() => {
			db.insertBackup(row());
			db.markPruning([keyOf(row())], t0, undefined);
			return 'done';
		})).toBe('done');
		expect(db.backups()[0]?.status).toBe(BackupStatus.pruning);
	});
});

describe('rsdeck history', () => {
	it('records runs and their actions, upserting per action', () => {
		const db = openDb({write: true});
		const run = db.startRun({started: 1000, argv: ['--backup', 'h1']});
		db.recordAction(run, {name: 'backup/h1/v1/d1', state: 'running', attempt: 1, started: 1100});
		db.recordAction(run, {name: 'backup/h1/v1/d1', state: 'failed', attempt: 2, started: 1200, finished: 1300, waitStatus: 5888, message: 'rsync exited 23'});
		db.recordAction(run, {name: 'live/h1', state: 'succeeded', attempt: 1});
		db.finishRun(run, {finished: 2000, exitStatus: 1});
		expect(raw('SELECT * FROM rsdeck_runs')).toEqual([{id: run, started: 1000, finished: 2000, argv: '["--backup","h1"]', exitStatus: 1}]);
		expect(raw('SELECT * FROM rsdeck_actions ORDER BY name')).toEqual([
			{run, name: 'backup/h1/v1/d1', state: 'failed', attempt: 2, started: 1200, finished: 1300, waitStatus: 5888, message: 'rsync exited 23'},
			{run, name: 'live/h1', state: 'succeeded', attempt: 1, started: null, finished: null, waitStatus: null, message: null},
		]);
		expect(() => {
			db.finishRun(run + 1, {finished: 0, exitStatus: 0});
		}).toThrow(/No rsdeck run/);
	});

	it('gives the last finished run\'s actions for --retry-failed', () => {
		const db = openDb({write: true});
		expect(db.lastRunActions()).toEqual([]);
		const first = db.startRun({started: 1, argv: []});
		db.recordAction(first, {name: 'b', state: 'failed', attempt: 1});
		db.recordAction(first, {name: 'a', state: 'succeeded', attempt: 1});
		db.finishRun(first, {finished: 2, exitStatus: 1});
		const unfinished = db.startRun({started: 3, argv: []});
		db.recordAction(unfinished, {name: 'c', state: 'running', attempt: 1});
		expect(db.lastRunActions()).toEqual([{name: 'a', state: 'succeeded'}, {name: 'b', state: 'failed'}]);
	});

	it('keeps each attempt\'s output in numbered pieces', () => {
		const db = openDb({write: true});
		const run = db.startRun({started: 1, argv: []});
		db.recordOutput(run, {name: 'backup/h1/v1/d1', attempt: 1, piece: 0, text: 'first '});
		db.recordOutput(run, {name: 'backup/h1/v1/d1', attempt: 1, piece: 1, text: 'attempt\n'});
		db.recordOutput(run, {name: 'backup/h1/v1/d1', attempt: 2, piece: 0, text: 'second\n'});
		expect(raw('SELECT attempt, group_concat(text, \'\') AS output FROM (SELECT * FROM rsdeck_output ORDER BY attempt, piece) GROUP BY attempt')).toEqual([
			{attempt: 1, output: 'first attempt\n'},
			{attempt: 2, output: 'second\n'},
		]);
	});

	it('expires old runs with their actions and output', () => {
		const db = openDb({write: true});
		const old = db.startRun({started: 1, argv: []});
		db.recordAction(old, {name: 'a', state: 'failed', attempt: 1});
		db.recordOutput(old, {name: 'a', attempt: 1, piece: 0, text: 'x'});
		const recent = db.startRun({started: 10, argv: []});
		db.recordAction(recent, {name: 'a', state: 'failed', attempt: 1});
		db.recordOutput(recent, {name: 'a', attempt: 1, piece: 0, text: 'y'});
		expect(db.expireRuns(5)).toBe(1);
		expect(raw<{run: number}>('SELECT run FROM rsdeck_actions')).toEqual([{run: recent}]);
		expect(raw('SELECT run, text FROM rsdeck_output')).toEqual([{run: recent, text: 'y'}]);
	});

	it('moves the output of a database from rsdeck 0.1 (kept whole in rsdeck_actions) to its own table', () => {
		const old = new Sqlite(file);
		old.exec(`CREATE TABLE rsdeck_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started INTEGER NOT NULL, finished INTEGER, argv TEXT NOT NULL, exitStatus INTEGER);
			CREATE TABLE rsdeck_actions (run INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL, started INTEGER, finished INTEGER, waitStatus INTEGER, message TEXT, output TEXT NOT NULL, PRIMARY KEY (run, name));
			INSERT INTO rsdeck_runs (id, started, argv) VALUES (1, 5, '[]');
			INSERT INTO rsdeck_actions (run, name, state, attempt, output) VALUES (1, 'a', 'failed', 2, 'its log'), (1, 'b', 'succeeded', 1, '')`);
		old.close();
		const db = openDb({write: true});
		expect(raw('SELECT * FROM rsdeck_actions ORDER BY name')).toEqual([
			{run: 1, name: 'a', state: 'failed', attempt: 2, started: null, finished: null, waitStatus: null, message: null},
			{run: 1, name: 'b', state: 'succeeded', attempt: 1, started: null, finished: null, waitStatus: null, message: null},
		]);
		expect(raw('SELECT * FROM rsdeck_output')).toEqual([{run: 1, name: 'a', attempt: 2, piece: 0, text: 'its log'}]);
		db.recordAction(1, {name: 'c', state: 'succeeded', attempt: 1});
	});

	it('estimates durations from the last complete backup of each volume and device', () => {
		const db = openDb({write: true});
		db.insertBackup(row({status: BackupStatus.complete, finishTime: t0 + 100}));
		db.insertBackup(row({id: 'later', time: t0 + 1000, status: BackupStatus.complete, finishTime: t0 + 1030}));
		db.insertBackup(row({id: 'failed', time: t0 + 2000, status: BackupStatus.failed, finishTime: t0 + 2500}));
		db.insertBackup(row({id: 'underway', time: t0 + 3000, status: BackupStatus.underway, finishTime: 0}));
		db.insertBackup(row({device: 'd2', status: BackupStatus.complete, finishTime: t0 + 7}));
		db.insertBackup(row({volume: 'v2', status: BackupStatus.underway}));
		expect(db.backupDurations()).toEqual(new Map([['h1/v1/d1', 30_000], ['h1/v1/d2', 7000]]));
	});
});

/**
Another program (rsbackup, say) in a separate process: it begins a write
transaction, inserts a row for host `other`, says so, then runs `release`
(JavaScript that commits, with `db` in scope).
*/
async function holdTransaction(begin: 'IMMEDIATE' | 'EXCLUSIVE', release: string) {
	const holder = spawn(process.execPath, ['-e', `
		const Database = require('better-sqlite3');
		const db = new Database(process.argv[1]);
		db.exec('BEGIN ${begin}');
		db.prepare("INSERT INTO backup (host, volume, device, id, time, pruned, rc, status, log, finishTime) VALUES ('other', 'v', 'd', 'x', 0, 0, 0, 2, NULL, 0)").run();
		console.log('locked');
		${release}
	`, file], {cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit']});
	await new Promise<void>((resolve, reject) => {
		holder.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			if (chunk.includes('locked')) {
				resolve();
			}
		});
		holder.on('exit', code => {
			reject(new Error(`holder exited ${code}`));
		});
	});
	return holder;
}

describe('concurrent programs', () => {
	it('waits for another program\'s write transaction instead of failing', async () => {
		openDb({write: true}).close();
		// Another writer (rsbackup, say) takes the write lock, holds it briefly, then commits a row.
		const holder = await holdTransaction('IMMEDIATE', 'setTimeout(() => { db.exec(\'COMMIT\'); db.close(); }, 300);');
		const db = openDb({write: true});
		db.insertBackup(row());
		expect(db.backups().map(each => each.host)).toEqual(['h1', 'other']);
		await once(holder, 'exit');
	});

	it('a reader with a short busy timeout fails while a rollback-journal writer holds its lock, and reads once it is gone', async () => {
		openDb({write: true}).close();
		const plain = new Sqlite(file);
		plain.pragma('journal_mode = DELETE');
		plain.close();
		// rsbackup without WAL: its exclusive lock keeps readers out until it commits.
		const holder = await holdTransaction('EXCLUSIVE', 'process.stdin.once(\'data\', () => { db.exec(\'COMMIT\'); db.close(); process.exit(0); });');
		// Each attempt gives up after its 100 ms (the default would wait ten minutes).
		expect(() => openDb({write: false, busyTimeout: 100})).toThrow(DatabaseError);
		expect(() => openDb({write: false, busyTimeout: 100})).toThrow(/database is locked/);
		holder.stdin.end('commit\n');
		await once(holder, 'exit');
		expect(openDb({write: false, busyTimeout: 100}).backups().map(each => each.host)).toEqual(['other']);
	});
});
