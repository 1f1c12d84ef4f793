/**
The tables of the database file: rsbackup's `backup` table, bit for bit
(SPEC §6.1), and rsdeck's own history tables beside it (prefix `rsdeck_`).
*/
import type Sqlite from 'better-sqlite3';

/** rsbackup's table, exactly as rsbackup creates it. */
export const backupTableSql = 'CREATE TABLE backup (host TEXT, volume TEXT, device TEXT, id TEXT, time INTEGER, pruned INTEGER, rc INTEGER, status INTEGER, log BLOB, finishTime INTEGER, PRIMARY KEY (host,volume,device,id))';

/** The same table as rsbackup 10 and earlier made it, before `finishTime`. */
const backupTableSqlVersion10 = 'CREATE TABLE backup (host TEXT, volume TEXT, device TEXT, id TEXT, time INTEGER, pruned INTEGER, rc INTEGER, status INTEGER, log BLOB, PRIMARY KEY (host,volume,device,id))';

/** The database version to make and keep: rsbackup's `RSBACKUP_DBVERSION=10` (its tests use it) means the table before `finishTime`. */
type DatabaseVersion = 10 | 11;

const databaseVersion = (env: NodeJS.ProcessEnv = process.env): DatabaseVersion => (env['RSBACKUP_DBVERSION'] === '10' ? 10 : 11);

/** One row per rsdeck run. Times are milliseconds since the epoch; `argv` is a JSON array. */
const runsTableSql = 'CREATE TABLE rsdeck_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started INTEGER NOT NULL, finished INTEGER, argv TEXT NOT NULL, exitStatus INTEGER)';

/** One row per action of a run, its latest attempt. Times are milliseconds since the epoch. */
const actionsTableSql = 'CREATE TABLE rsdeck_actions (run INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL, started INTEGER, finished INTEGER, waitStatus INTEGER, message TEXT, PRIMARY KEY (run, name))';

/**
Every attempt's output, in the order written, in numbered pieces: complete in
the database while rsdeck holds at most one piece per running action.
*/
const outputTableSql = 'CREATE TABLE rsdeck_output (run INTEGER NOT NULL, name TEXT NOT NULL, attempt INTEGER NOT NULL, piece INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (run, name, attempt, piece))';

const rsdeckTables = new Map([
	['rsdeck_runs', runsTableSql],
	['rsdeck_actions', actionsTableSql],
	['rsdeck_output', outputTableSql],
]);

function tableExists(db: Sqlite.Database, table: string): boolean {
	return db.prepare('SELECT 1 FROM main.sqlite_master WHERE type = \'table\' AND name = ?').get(table) !== undefined;
}

function hasColumn(db: Sqlite.Database, table: string, column: string): boolean {
	return db.prepare('SELECT 1 FROM pragma_table_info(?, \'main\') WHERE name = ?').get(table, column) !== undefined;
}

/** The `backup` table as queries see it (a TEMP view included) has `finishTime`: only a version-10 table kept by RSBACKUP_DBVERSION=10 has not. */
export function backupHasFinishTime(db: Sqlite.Database): boolean {
	return db.prepare('SELECT 1 FROM pragma_table_info(\'backup\') WHERE name = \'finishTime\'').get() !== undefined;
}

/**
Create whatever is missing in a writable database, and upgrade an rsbackup
database from before `finishTime` existed (rows already there keep a NULL
`finishTime`, as rsbackup leaves them) unless `version` is 10. Runs in one
immediate transaction so two programs opening the same file at once cannot
both try to upgrade it.
*/
export function ensureSchema(db: Sqlite.Database, version: DatabaseVersion = databaseVersion()): void {
	db.transaction(() => {
		if (!tableExists(db, 'backup')) {
			db.exec(version === 10 ? backupTableSqlVersion10 : backupTableSql);
		} else if (version > 10 && !hasColumn(db, 'backup', 'finishTime')) {
			db.exec('ALTER TABLE backup ADD COLUMN finishTime INTEGER');
		}

		for (const [table, sql] of rsdeckTables) {
			if (!tableExists(db, table)) {
				db.exec(sql);
			}
		}

		// rsdeck 0.1 kept each action's output whole in rsdeck_actions: move it to its own table.
		if (hasColumn(db, 'rsdeck_actions', 'output')) {
			db.exec(`INSERT INTO rsdeck_output (run, name, attempt, piece, text) SELECT run, name, attempt, 0, output FROM rsdeck_actions WHERE output <> '';
				ALTER TABLE rsdeck_actions DROP COLUMN output`);
		}
	}).immediate();
}

/**
Make a read-only database look complete without writing to it: what is
missing from `main` is supplied by empty TEMP tables (or, for an old `backup`
table without `finishTime`, a TEMP view adding it as NULL). TEMP names shadow
`main` ones, so every query works unchanged.
*/
export function shadowSchema(db: Sqlite.Database): void {
	if (!tableExists(db, 'backup')) {
		db.exec(backupTableSql.replace('CREATE TABLE', 'CREATE TEMP TABLE'));
	} else if (!hasColumn(db, 'backup', 'finishTime')) {
		db.exec('CREATE TEMP VIEW backup AS SELECT host, volume, device, id, time, pruned, rc, status, log, NULL AS finishTime FROM main.backup');
	}

	for (const [table, sql] of rsdeckTables) {
		if (!tableExists(db, table)) {
			db.exec(sql.replace('CREATE TABLE', 'CREATE TEMP TABLE'));
		}
	}
}
