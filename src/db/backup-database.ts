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

/**
How long, ms, a deferred write (a backup's final row, the run's history)
waits at most for another write to be committed with it.
*/
const deferDelay = 250;

/** A write waiting for the next commit; `row` names the backup whose final row it is, `failed` takes its error instead of the commit. */
type Deferred = {write: () => void; row?: string; failed?: (error: unknown) => void};

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

	/** Prepared statements by SQL text: preparing costs more than most of the statements here. */
	readonly #statements = new Map<string, Sqlite.Statement>();
	readonly #statement: history.Prepare = sql => this.#prepare(sql);
	/** Writes waiting for the next commit, in order. */
	#deferred: Deferred[] = [];
	/** Some of them write `backup` rows: reads of that table commit them first. */
	#deferredRows = false;
	#timer: NodeJS.Timeout | undefined;
	/** Why final rows the timer was committing were lost: the next write or `close` throws it. */
	#lost: unknown;
	/** Deferred writes, then `fn`, in one immediate transaction. */
	readonly #commit: Sqlite.Transaction<(batch: Deferred[], fn: () => unknown) => unknown>;
	/** A deferred write with its own failure handler, in a savepoint of its own. */
	readonly #isolated: Sqlite.Transaction<(write: () => void) => void>;

	private constructor(file: string, db: Sqlite.Database, writable: boolean) {
		this.path = file;
		this.#db = db;
		this.writable = writable;
		this.#finishTime = backupHasFinishTime(db);
		this.#commit = db.transaction((batch: Deferred[], fn: () => unknown) => {
			this.#runDeferred(batch);
			return fn();
		});
		this.#isolated = db.transaction((write: () => void) => {
			write();
		});
	}

	/** Rows of the `backup` table, ordered by host, volume, device, time. */
	backups(filter: BackupFilter = {}): BackupRow[] {
		const {clause, values} = where(filter);
		return this.#read(() => this.#prepare<string[], RawBackupRow>(`SELECT ${recordColumns(this.#finishTime)}, ${logText} FROM backup ${clause} ORDER BY ${backupOrder}`)
			.all(...values).map(raw => toRow(raw)));
	}

	/** Like `backups`, without the logs. */
	records(filter: BackupFilter = {}): BackupRecord[] {
		const {clause, values} = where(filter);
		return this.#read(() => this.#prepare<string[], Omit<RawBackupRow, 'log'>>(`SELECT ${recordColumns(this.#finishTime)} FROM backup ${clause} ORDER BY ${backupOrder}`)
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
			if (this.#prepare('SELECT 1 FROM main.sqlite_master WHERE type = \'table\' AND name = \'backup\'').get() === undefined) {
				return [];
			}

			return this.#prepare<number[], RawBackupRow>(`SELECT host, volume, device, id, time, pruned, rc, status, ${logText}, NULL AS finishTime FROM main.backup
				WHERE status = ? OR status = ? ORDER BY pruned DESC, rowid`)
				.all(BackupStatus.pruning, BackupStatus.pruned).map(raw => toRow(raw));
		});
	}

	/** Insert a row (the underway row before rsync starts), replacing one with the same key. */
	insertBackup(row: BackupRow): void {
		const values = [row.host, row.volume, row.device, row.id, row.time, row.pruned, row.rc, row.status, toBlob(row.log)];
		this.#write(() => (this.#finishTime
			? this.#prepare('INSERT OR REPLACE INTO backup (host, volume, device, id, time, pruned, rc, status, log, finishTime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...values, row.finishTime)
			: this.#prepare('INSERT OR REPLACE INTO backup (host, volume, device, id, time, pruned, rc, status, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...values)));
	}

	/**
	Record how a backup ended. The row is not committed on its own: it goes
	with the next write (the next backup's underway row, a prune mark, the
	history), or after `deferDelay` ms, or at `close`, whichever comes first;
	reading `backup` rows commits it first. A kill in between leaves the
	backup `underway`, which every run treats as incomplete.
	*/
	finishBackup(key: BackupKey, result: {status: BackupStatusCode; rc: number; log: string; finishTime: number}): void {
		if (!this.writable) {
			throw new Error(`Database '${this.path}' was opened read-only`);
		}

		const keyValues = [key.host, key.volume, key.device, key.id];
		// Said at once, as a write would: a deferred write's failure would take the others with it.
		if (this.#guard(() => this.#prepare('SELECT 1 FROM backup WHERE host = ? AND volume = ? AND device = ? AND id = ?').get(...keyValues)) === undefined) {
			throw new Error(`No backup row ${backupKeyName(key)} to finish`);
		}

		const log = toBlob(result.log);
		this.#defer({row: backupKeyName(key), write: () => {
			const {changes} = this.#finishTime
				? this.#prepare('UPDATE backup SET status = ?, rc = ?, log = ?, finishTime = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?')
					.run(result.status, result.rc, log, result.finishTime, ...keyValues)
				: this.#prepare('UPDATE backup SET status = ?, rc = ?, log = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?')
					.run(result.status, result.rc, log, ...keyValues);
			if (changes === 0) {
				throw new Error(`No backup row ${backupKeyName(key)} to finish`);
			}
		}});
	}

	/** Mark backups as being pruned, in one transaction: status pruning, `pruned = time`, and the log replaced by the reason where `reasons` (keyed by `backupKeyName`) gives one. */
	markPruning(keys: BackupKey[], time: number, reasons?: Map<string, string>): void {
		this.#write(() => this.transaction(() => {
			const mark = this.#prepare('UPDATE backup SET status = ?, pruned = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?');
			const markWithReason = this.#prepare('UPDATE backup SET status = ?, pruned = ?, log = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?');
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
		this.#write(() => this.#prepare('UPDATE backup SET status = ?, pruned = ?, log = ? WHERE host = ? AND volume = ? AND device = ? AND id = ?')
			.run(BackupStatus.pruned, time, toBlob(reason), key.host, key.volume, key.device, key.id));
	}

	/** Delete one backup's row (a retired backup, once its tree is gone). */
	deleteBackup(key: BackupKey): void {
		this.#write(() => this.#prepare('DELETE FROM backup WHERE host = ? AND volume = ? AND device = ? AND id = ?')
			.run(key.host, key.volume, key.device, key.id));
	}

	/** Delete the rows matching `filter` (`--retire`, `--retire-device`); returns how many. At least one field must be given. */
	deleteBackups(filter: BackupFilter): number {
		const {clause, values} = where(filter);
		if (clause === '') {
			throw new Error('deleteBackups needs a host, volume or device');
		}

		return this.#write(() => this.#prepare(`DELETE FROM backup ${clause}`).run(...values).changes);
	}

	/** Delete pruned rows (status 5) pruned before `olderThan` (Unix seconds); returns how many. */
	expirePruneLogs(olderThan: number): number {
		return this.#write(() => this.#prepare('DELETE FROM backup WHERE status = ? AND pruned < ?').run(BackupStatus.pruned, olderThan).changes);
	}

	/** Run `fn` in one transaction (a savepoint when nested). Write transactions take the write lock up front, so they wait instead of failing mid-way. */
	transaction<T>(fn: () => T): T {
		if (this.writable && !this.#db.inTransaction) {
			// The deferred writes go first, in the same transaction.
			this.#throwLost();
			return this.#guard(() => this.#commitWith(fn));
		}

		const transaction = this.#db.transaction(fn);
		return this.#guard(() => (this.writable ? transaction.immediate() : transaction()));
	}

	/**
	Run `write` with the next commit, as `finishBackup`'s row is (rsdeck's
	history). If it throws, its own changes are undone and `failed` gets the
	error, the rest is committed; if the commit fails, `failed` gets that.
	*/
	defer(write: () => void, failed: (error: unknown) => void): void {
		if (!this.writable) {
			throw new Error(`Database '${this.path}' was opened read-only`);
		}

		this.#defer({write, failed});
	}

	/** Commit the deferred writes now. */
	flush(): void {
		if (this.#deferred.length > 0) {
			this.#guard(() => this.#commitWith(() => undefined));
		}
	}

	/** Start recording a run in rsdeck's history; returns its ID. */
	startRun(run: history.RunStart): number {
		return this.#write(() => history.startRun(this.#statement, run));
	}

	finishRun(runId: number, run: history.RunFinish): void {
		this.#write(() => history.finishRun(this.#statement, runId, run));
	}

	/** Record an action's latest state, replacing what was recorded for it in this run. */
	recordAction(runId: number, action: history.ActionRecord): void {
		this.#write(() => history.recordAction(this.#statement, runId, action));
	}

	/** Store the next piece of an attempt's output. */
	recordOutput(runId: number, piece: history.OutputPiece): void {
		this.#write(() => history.recordOutput(this.#statement, runId, piece));
	}

	/** The last finished run's actions, for `--retry-failed`. */
	lastRunActions(): Array<{name: string; state: string}> {
		return this.#read(() => history.lastRunActions(this.#statement), true);
	}

	/** Forget runs started before `olderThan` (ms since the epoch); returns how many. */
	expireRuns(olderThan: number): number {
		return this.#write(() => history.expireRuns(this.#statement, olderThan));
	}

	/** `host/volume/device` → how long its last complete backup took, ms; for critical-path estimates. */
	backupDurations(): Map<string, number> {
		if (!this.#finishTime) {
			return new Map();
		}

		// SQLite takes the bare columns from the row that max(time) picked.
		const rows = this.#read(() => this.#prepare<[number], {host: string; volume: string; device: string; seconds: number}>(
			'SELECT host, volume, device, finishTime - time AS seconds, max(time) FROM backup WHERE status = ? AND finishTime >= time GROUP BY host, volume, device',
		).all(BackupStatus.complete));
		return new Map(rows.map(row => [`${row.host}/${row.volume}/${row.device}`, row.seconds * 1000]));
	}

	/** Commit what is deferred and close; the connection is closed even when that commit fails. */
	close(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (!this.#db.open) {
			return;
		}

		try {
			this.flush();
			this.#throwLost();
		} finally {
			this.#statements.clear();
			this.#db.close();
		}
	}

	#prepare<BindParameters extends unknown[] | {} = unknown[], Result = unknown>(sql: string): Sqlite.Statement<BindParameters, Result> {
		let statement = this.#statements.get(sql);
		if (statement === undefined) {
			statement = this.#db.prepare(sql);
			this.#statements.set(sql, statement);
		}

		return statement as Sqlite.Statement<BindParameters, Result>;
	}

	/** A read of `backup` rows (or, `history`, of anything) first commits the deferred writes it would see. */
	#read<T>(fn: () => T, history = false): T {
		if (this.#deferred.length > 0 && (this.#deferredRows || history) && !this.#db.inTransaction) {
			return this.#guard(() => this.#commitWith(fn));
		}

		return this.#guard(fn);
	}

	/** A write: it commits the deferred writes with it, in one transaction. */
	#write<T>(fn: () => T): T {
		if (!this.writable) {
			throw new Error(`Database '${this.path}' was opened read-only`);
		}

		this.#throwLost();
		return this.#guard(() => (this.#deferred.length === 0 || this.#db.inTransaction ? fn() : this.#commitWith(fn)));
	}

	#throwLost(): void {
		const lost = this.#lost;
		if (lost !== undefined) {
			this.#lost = undefined;
			throw lost;
		}
	}

	#defer(deferred: Deferred): void {
		this.#deferred.push(deferred);
		this.#deferredRows ||= deferred.row !== undefined;
		if (this.#timer === undefined) {
			this.#timer = setTimeout(() => {
				this.#timer = undefined;
				try {
					this.#commitWith(() => undefined);
				} catch (error) {
					this.#lost ??= error;
				}
			}, deferDelay);
			// Waiting writes never keep rsdeck alive: `close` commits them.
			this.#timer.unref();
		}
	}

	/**
	The deferred writes and then `fn` in one immediate transaction. If it
	fails, the deferred writes are lost (final rows stay `underway`) and the
	error says which.
	*/
	#commitWith<T>(fn: () => T): T {
		const batch = this.#deferred;
		this.#deferred = [];
		this.#deferredRows = false;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		try {
			return this.#commit.immediate(batch, fn) as T;
		} catch (error) {
			for (const {failed} of batch) {
				failed?.(error);
			}

			throw lostRows(this.path, error, batch);
		}
	}

	#runDeferred(batch: Deferred[]): void {
		for (const {write, failed} of batch) {
			if (failed === undefined) {
				write();
				continue;
			}

			try {
				this.#isolated(write);
			} catch (error) {
				if (!this.#db.inTransaction) {
					// SQLite rolled back the whole transaction (a full disk, an I/O error): all is lost.
					throw error;
				}

				failed(error);
			}
		}
	}

	#guard<T>(fn: () => T): T {
		try {
			return fn();
		} catch (error) {
			throw asDatabaseError(this.path, error);
		}
	}
}

/** A failed commit's error, saying which backups' final rows went with it. */
function lostRows(file: string, error: unknown, batch: Deferred[]): unknown {
	const rows = batch.flatMap(({row}) => (row === undefined ? [] : [row]));
	const cause = asDatabaseError(file, error);
	if (rows.length === 0) {
		return cause;
	}

	const message = cause instanceof Error ? cause.message : String(cause);
	const name = cause instanceof DatabaseError ? message : `database '${file}': ${message}`;
	return new DatabaseError(`${name} (the final ${rows.length === 1 ? 'row' : 'rows'} of ${rows.join(', ')} not written: ${rows.length === 1 ? 'it stays' : 'they stay'} underway)`, {cause: error});
}

/** SQLite's complaints (busy, read-only file, not a database, disk full…) are the operator's to fix; our own errors pass through. */
function asDatabaseError(file: string, error: unknown): unknown {
	if (error instanceof Sqlite.SqliteError) {
		return new DatabaseError(`database '${file}': ${error.message}`, {cause: error});
	}

	return error;
}
