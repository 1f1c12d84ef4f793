/**
The database file shared with rsbackup (SPEC §6.1): its `backup` table and
rsdeck's own history beside it. One better-sqlite3 connection, short
transactions, and a busy timeout so a concurrent rsbackup or rsdeck makes us
wait rather than fail. The journal mode stays rsbackup's rollback journal:
WAL would stay in the file for good, and a reader who may not write the logs
directory (a report job as an unprivileged user) could no longer open it.
*/
import fs from 'node:fs';
import path from 'node:path';
import {Sqlite} from './sqlite.js';
import {BackupStatus, type BackupRecord, type BackupRow, type BackupStatusCode} from './types.js';
import {DatabaseError} from './database-error.js';
import {backupHasFinishTime, ensureSchema, shadowSchema} from './schema.js';
import * as history from './run-history.js';

// Its own module so that the command line can name it without loading SQLite.
export {DatabaseError} from './database-error.js';

/** The primary key of a `backup` row. */
export type BackupKey = {host: string; volume: string; device: string; id: string};

/** Which rows a query or deletion is about; absent fields match everything. */
export type BackupFilter = {host?: string; volume?: string; device?: string};

/** How long to wait for another program's lock on the file before giving up, ms. */
const busyTimeout = 10 * 60 * 1000;

/** `host/volume/device/id`: how `markPruning`'s reasons are keyed (the tail of a `remove/…` action name). */
export const backupKeyName = (key: BackupKey): string => `${key.host}/${key.volume}/${key.device}/${key.id}`;

type RawBackupRow = {
	host: string;
	volume: string;
	device: string;
	id: string;
	time: number | null;
	pruned: number | null;
	rc: number | null;
	status: number | null;
	log: Uint8Array | string | null;
	finishTime: number | null;
};

const statusCodes = new Set<number>(Object.values(BackupStatus));

/** Every column of `backup` but the log (a version-10 table has no `finishTime`: read as NULL), and the order rows are read in. */
const recordColumns = (finishTime: boolean) => `host, volume, device, id, time, pruned, rc, status, ${finishTime ? 'finishTime' : 'NULL AS finishTime'}`;
const backupOrder = 'host, volume, device, time, id';
/** The log BLOB read as text by SQLite (its bytes as UTF-8, as `Buffer.toString` would): no Buffer per row. */
const logText = 'CAST(log AS TEXT) AS log';

/** A raw row's fields but the log, NULLs as rsbackup reads them (0), unknown statuses as `unknown`. */
function toRecord(raw: Omit<RawBackupRow, 'log'>): BackupRecord {
	return {
		host: raw.host,
		volume: raw.volume,
		device: raw.device,
		id: raw.id,
		time: raw.time ?? 0,
		pruned: raw.pruned ?? 0,
		rc: raw.rc ?? 0,
		status: statusCodes.has(raw.status ?? 0) ? (raw.status as BackupStatusCode) : BackupStatus.unknown,
		finishTime: raw.finishTime ?? 0,
	};
}

function toRow(raw: RawBackupRow): BackupRow {
	const {log} = raw;
	return {...toRecord(raw), log: log === null ? '' : (typeof log === 'string' ? log : Buffer.from(log).toString('utf8'))};
}

/** `log` is a BLOB in rsbackup: store text as its UTF-8 bytes. */
const toBlob = (text: string): Buffer => Buffer.from(text, 'utf8');

function where(filter: BackupFilter): {clause: string; values: string[]} {
	const fields = (['host', 'volume', 'device'] as const).filter(field => filter[field] !== undefined);
	return {
		clause: fields.length === 0 ? '' : `WHERE ${fields.map(field => `${field} = ?`).join(' AND ')}`,
		values: fields.map(field => filter[field]!),
	};
}

function openConnection(file: string, write: boolean, timeout: number): Sqlite.Database {
	if (write) {
		const directory = path.dirname(file);
		if (!fs.existsSync(directory)) {
			throw new DatabaseError(`cannot create database '${file}': directory '${directory}' does not exist`);
		}

		const db = new Sqlite(file, {timeout});
		leaveWal(db);
		ensureSchema(db);
		return db;
	}

	if (!fs.existsSync(file)) {
		// A read-only run must not create the file: answer from an empty database instead.
		const db = new Sqlite(':memory:');
		ensureSchema(db);
		return db;
	}

	if (fs.existsSync(`${file}-journal`) && canWrite(file)) {
		rollBackHotJournal(file, timeout);
	}

	const db = new Sqlite(file, {readonly: true, fileMustExist: true, timeout});
	try {
		shadowSchema(db);
	} catch (error) {
		db.close();
		const refused = error instanceof Sqlite.SqliteError && /^SQLITE_(READONLY|CANTOPEN)/.test(error.code);
		throw refused && isWalFile(file) ? new DatabaseError(`cannot read database '${file}' without write access to its directory: an earlier rsdeck left it in WAL mode; any rsdeck run that writes (--backup, --prune) switches it back`, {cause: error}) : error;
	}

	return db;
}

function canWrite(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.W_OK);
		fs.accessSync(path.dirname(file), fs.constants.W_OK);
		return true;
	} catch {
		return false;
	}
}

/**
A journal beside the file is either a live writer's (it holds a lock; this
read waits for it as any would) or the hot journal of a writer that was
killed, which SQLite will not let a read-only connection roll back
(SQLITE_READONLY_ROLLBACK: every read fails). A read-write connection's first
read rolls it back, as rsbackup's read-write open would.
*/
function rollBackHotJournal(file: string, timeout: number): void {
	const db = new Sqlite(file, {fileMustExist: true, timeout});
	try {
		db.prepare('SELECT count(*) FROM sqlite_master').get();
	} finally {
		db.close();
	}
}

/** Whether the file's header says WAL (read and write versions 2), which only a writer of its directory can read. */
function isWalFile(file: string): boolean {
	const header = Buffer.alloc(20);
	const fd = fs.openSync(file, 'r');
	try {
		fs.readSync(fd, header, 0, 20, 0);
	} finally {
		fs.closeSync(fd);
	}

	return header[18] === 2 && header[19] === 2;
}

/**
Earlier rsdeck versions switched the file to WAL, which persists in it: put
it back to rsbackup's rollback journal. That needs the file to ourselves; if
another program has it open, it stays WAL until the next read-write run.
*/
function leaveWal(db: Sqlite.Database): void {
	if (db.pragma('journal_mode', {simple: true}) !== 'wal') {
		return;
	}

	try {
		db.pragma('journal_mode = DELETE');
	} catch (error) {
		if (!(error instanceof Sqlite.SqliteError && error.code.startsWith('SQLITE_BUSY'))) {
			throw error;
		}
	}
}

export class BackupDatabase {
	/**
	Open `file` read-write (creating it, but not its directory) or read-only
	(never creating it). A statement waits up to `busyTimeout` ms (default ten
	minutes) while another process holds a lock, then fails.
	*/
	static open(file: string, options: {write: boolean; busyTimeout?: number}): BackupDatabase {
		try {
			return new BackupDatabase(file, openConnection(file, options.write, options.busyTimeout ?? busyTimeout), options.write);
		} catch (error) {
			throw asDatabaseError(file, error);
		}
	}

	/** The file, as given. */
	readonly path: string;
	/** Opened read-write: the write methods may be used. */
	readonly writable: boolean;
	readonly #db: Sqlite.Database;
	/** The table has `finishTime`; not while RSBACKUP_DBVERSION=10 keeps a version-10 table as it is. */
	readonly #finishTime: boolean;

	private constructor(file: string, db: Sqlite.Database, writable: boolean) {
		this.path = file;
		this.#db = db;
		this.writable = writable;
		this.#finishTime = backupHasFinishTime(db);
	}

	/** Rows of the `backup` table, ordered by host, volume, device, time. */
	backups(filter: BackupFilter = {}): BackupRow[] {
		const {clause, values} = where(filter);
		return this.#read(() => this.#db.prepare<string[], RawBackupRow>(`SELECT ${recordColumns(this.#finishTime)}, ${logText} FROM backup ${clause} ORDER BY ${backupOrder}`)
			.all(...values).map(raw => toRow(raw)));
	}

	/** Like `backups`, without the logs. */
	records(filter: BackupFilter = {}): BackupRecord[] {
		const {clause, values} = where(filter);
		return this.#read(() => this.#db.prepare<string[], Omit<RawBackupRow, 'log'>>(`SELECT ${recordColumns(this.#finishTime)} FROM backup ${clause} ORDER BY ${backupOrder}`)
			.all(...values).map(raw => toRecord(raw)));
	}

	/**
	Rows being pruned or pruned, newest `pruned` first and, for the same
	`pruned`, in the order they were inserted: the order of rsbackup's
	pruning-log table. Read from `main.backup` itself, since the view over a
	version-10 table has no rowid; a database without the table has none.
	*/
	pruneLog(): BackupRow[] {
		return this.#read(() => {
			if (this.#db.prepare('SELECT 1 FROM main.sqlite_master WHERE type = \'table\' AND name = \'backup\'').get() === undefined) {
				return [];
			}

			return this.#db.prepare<number[], RawBackupRow>(`SELECT host, volume, device, id, time, pruned, rc, status, ${logText}, NULL AS finishTime FROM main.backup
				WHERE status = ? OR status = ? ORDER BY pruned DESC, rowid`)
				.all(BackupStatus.pruning, BackupStatus.pruned).map(raw => toRow(raw));
		});
	}

	/** Insert a row (the underway row before rsync starts), replacing one with the same key. */
	insertBackup(row: BackupRow): void {
		const values = [row.host, row.volume, row.device, row.id, row.time, row.pruned, row.rc, row.status, toBlob(row.log)];
		this.#write(() => (this.#finishTime
			? this.#db.prepare('INSERT OR REPLACE INTO backup (host, volume, device, id, time, pruned, rc, status, log, finishTime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...values, row.finishTime)
			: this.#db.prepare('INSERT OR REPLACE INTO backup (host, volume, device, id, time, pruned, rc, status, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...values)));
	}

	/** Record how a backup ended. */
	finishBackup(key: BackupKey, result: {status: BackupStatusCode; rc: number; log: string; finishTime: number}): void {
		this.#write(() => {
			const keyValues = [key.host, key.volume, key.device, key.id];
			const {changes} = this.#finishTime
				? this.#db.prepare('UPDATE backup SET status = ?, rc = ?, log = ?, finishTime = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?')
					.run(result.status, result.rc, toBlob(result.log), result.finishTime, ...keyValues)
				: this.#db.prepare('UPDATE backup SET status = ?, rc = ?, log = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?')
					.run(result.status, result.rc, toBlob(result.log), ...keyValues);
			if (changes === 0) {
				throw new Error(`No backup row ${backupKeyName(key)} to finish`);
			}
		});
	}

	/** Mark backups as being pruned, in one transaction: status pruning, `pruned = time`, and the log replaced by the reason where `reasons` (keyed by `backupKeyName`) gives one. */
	markPruning(keys: BackupKey[], time: number, reasons?: Map<string, string>): void {
		this.#write(() => this.transaction(() => {
			const mark = this.#db.prepare('UPDATE backup SET status = ?, pruned = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?');
			const markWithReason = this.#db.prepare('UPDATE backup SET status = ?, pruned = ?, log = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?');
			for (const key of keys) {
				const reason = reasons?.get(backupKeyName(key));
				const keyValues = [key.host, key.volume, key.device, key.id];
				if (reason === undefined) {
					mark.run(BackupStatus.pruning, time, ...keyValues);
				} else {
					markWithReason.run(BackupStatus.pruning, time, toBlob(reason), ...keyValues);
				}
			}
		}));
	}

	/** Record a finished removal: status pruned, `pruned = time`, log = the reason. */
	markPruned(key: BackupKey, time: number, reason: string): void {
		this.#write(() => this.#db.prepare('UPDATE backup SET status = ?, pruned = ?, log = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?')
			.run(BackupStatus.pruned, time, toBlob(reason), key.host, key.volume, key.device, key.id));
	}

	/** Delete one backup's row (a retired backup, once its tree is gone). */
	deleteBackup(key: BackupKey): void {
		this.#write(() => this.#db.prepare('DELETE FROM backup WHERE host = ? AND volume = ? AND device = ? AND id = ?')
			.run(key.host, key.volume, key.device, key.id));
	}

	/** Delete the rows matching `filter` (`--retire`, `--retire-device`); returns how many. At least one field must be given. */
	deleteBackups(filter: BackupFilter): number {
		const {clause, values} = where(filter);
		if (clause === '') {
			throw new Error('deleteBackups needs a host, volume or device');
		}

		return this.#write(() => this.#db.prepare(`DELETE FROM backup ${clause}`).run(...values).changes);
	}

	/** Delete pruned rows (status 5) pruned before `olderThan` (Unix seconds); returns how many. */
	expirePruneLogs(olderThan: number): number {
		return this.#write(() => this.#db.prepare('DELETE FROM backup WHERE status = ? AND pruned < ?').run(BackupStatus.pruned, olderThan).changes);
	}

	/** Run `fn` in one transaction (a savepoint when nested). Write transactions take the write lock up front, so they wait instead of failing mid-way. */
	transaction<T>(fn: () => T): T {
		const transaction = this.#db.transaction(fn);
		return this.#guard(() => (this.writable ? transaction.immediate() : transaction()));
	}

	/** Start recording a run in rsdeck's history; returns its ID. */
	startRun(run: history.RunStart): number {
		return this.#write(() => history.startRun(this.#db, run));
	}

	finishRun(runId: number, run: history.RunFinish): void {
		this.#write(() => history.finishRun(this.#db, runId, run));
	}

	/** Record an action's latest state, replacing what was recorded for it in this run. */
	recordAction(runId: number, action: history.ActionRecord): void {
		this.#write(() => history.recordAction(this.#db, runId, action));
	}

	/** Store the next piece of an attempt's output. */
	recordOutput(runId: number, piece: history.OutputPiece): void {
		this.#write(() => history.recordOutput(this.#db, runId, piece));
	}

	/** The last finished run's actions, for `--retry-failed`. */
	lastRunActions(): Array<{name: string; state: string}> {
		return this.#read(() => history.lastRunActions(this.#db));
	}

	/** Forget runs started before `olderThan` (ms since the epoch); returns how many. */
	expireRuns(olderThan: number): number {
		return this.#write(() => history.expireRuns(this.#db, olderThan));
	}

	/** `host/volume/device` → how long its last complete backup took, ms; for critical-path estimates. */
	backupDurations(): Map<string, number> {
		if (!this.#finishTime) {
			return new Map();
		}

		// SQLite takes the bare columns from the row that max(time) picked.
		const rows = this.#read(() => this.#db.prepare<[number], {host: string; volume: string; device: string; seconds: number}>(
			'SELECT host, volume, device, finishTime - time AS seconds, max(time) FROM backup WHERE status = ? AND finishTime >= time GROUP BY host, volume, device',
		).all(BackupStatus.complete));
		return new Map(rows.map(row => [`${row.host}/${row.volume}/${row.device}`, row.seconds * 1000]));
	}

	close(): void {
		this.#db.close();
	}

	#read<T>(fn: () => T): T {
		return this.#guard(fn);
	}

	#write<T>(fn: () => T): T {
		if (!this.writable) {
			throw new Error(`Database '${this.path}' was opened read-only`);
		}

		return this.#guard(fn);
	}

	#guard<T>(fn: () => T): T {
		try {
			return fn();
		} catch (error) {
			throw asDatabaseError(this.path, error);
		}
	}
}

/** SQLite's complaints (busy, read-only file, not a database, disk full…) are the operator's to fix; our own errors pass through. */
function asDatabaseError(file: string, error: unknown): unknown {
	if (error instanceof Sqlite.SqliteError) {
		return new DatabaseError(`database '${file}': ${error.message}`, {cause: error});
	}

	return error;
}
