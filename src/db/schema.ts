/**
The tables of the database file: rsbackup's `backup` table, bit for bit
(SPEC §6.1), and rsdeck's own history tables beside it (prefix `rsdeck_`).
*/
import type Sqlite from 'better-sqlite3';

/** rsbackup's table, exactly as rsbackup creates it. */
export const backupTableSql = 'CREATE TABLE backup (host TEXT, volume TEXT, device TEXT, id TEXT, time INTEGER, pruned INTEGER, rc INTEGER, status INTEGER, log BLOB, finishTime INTEGER, PRIMARY KEY (host,volume,device,id))';

/** One row per rsdeck run. Times are milliseconds since the epoch; `argv` is a JSON array. */
const runsTableSql = 'CREATE TABLE rsdeck_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started INTEGER NOT NULL, finished INTEGER, argv TEXT NOT NULL, exitStatus INTEGER)';

/** One row per action of a run, its latest attempt. Times are milliseconds since the epoch. */
const actionsTableSql = 'CREATE TABLE rsdeck_actions (run INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL, started INTEGER, finished INTEGER, waitStatus INTEGER, message TEXT, output TEXT NOT NULL, PRIMARY KEY (run, name))';

const rsdeckTables = new Map([
	['rsdeck_runs', runsTableSql],
	['rsdeck_actions', actionsTableSql],
]);

function tableExists(db: Sqlite.Database, table: string): boolean {
	return db.prepare('SELECT 1 FROM main.sqlite_master WHERE type = \'table\' AND name = ?').get(table) !== undefined;
}

function hasColumn(db: Sqlite.Database, table: string, column: string): boolean {
	return db.prepare('SELECT 1 FROM pragma_table_info(?, \'main\') WHERE name = ?').get(table, column) !== undefined;
}

/**
Create whatever is missing in a writable database, and upgrade an rsbackup
database from before `finishTime` existed. Runs in one immediate transaction
so two programs opening the same file at once cannot both try to upgrade it.
*/
export function ensureSchema(db: Sqlite.Database): void {
	db.transaction(() => {
		if (!tableExists(db, 'backup')) {
			db.exec(backupTableSql);
		} else if (!hasColumn(db, 'backup', 'finishTime')) {
			db.exec('ALTER TABLE backup ADD COLUMN finishTime INTEGER');
		}

		for (const [table, sql] of rsdeckTables) {
			if (!tableExists(db, table)) {
				db.exec(sql);
			}
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
