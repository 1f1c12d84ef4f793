/**
better-sqlite3, loaded by `require`: importing the CommonJS package as ESM
costs a pass of Node's export lexer over it on every start.
*/
import {createRequire} from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

// The package's types under the same name, as `import Sqlite from 'better-sqlite3'` gives them.
export declare namespace Sqlite {
	export type Database = BetterSqlite3.Database;
	export type SqliteError = BetterSqlite3.SqliteError;
	export type Statement<BindParameters extends unknown[] | {} = unknown[], Result = unknown> = BetterSqlite3.Statement<BindParameters, Result>;
	export type Transaction<F extends (...parameters: any[]) => unknown> = BetterSqlite3.Transaction<F>;
}
