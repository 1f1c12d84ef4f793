import {chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {execa} from 'execa';
import type {BackupRow} from '../../src/db/types.js';

/** The built command line (`npm test` builds before running; tests run from the sources). */
export const cli = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));

/** A store holding `device`, private to root as rsbackup requires. */
export function makeStore(root: string, name: string, device: string): string {
	const store = path.join(root, name);
	mkdirSync(store, {recursive: true});
	chmodSync(store, 0o700);
	writeFileSync(path.join(store, 'device-id'), `${device}\n`);
	return store;
}

/** Write files (relative path → content) under `root`. */
export function writeTree(root: string, files: Record<string, string>): void {
	for (const [file, content] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
		writeFileSync(path.join(root, file), content);
	}
}

export type CommandOutcome = {exitCode: number; stdout: string; stderr: string};

/** Run the real `rsdeck` binary with a fake clock (override with `env`). */
export async function rsdeck(args: string[], options: {env?: Record<string, string>; input?: string; cwd?: string} = {}): Promise<CommandOutcome> {
	const result = await execa(process.execPath, [cli, ...args], {
		reject: false,
		env: {RSBACKUP_TIME: '1980-01-01T00:00:00', TZ: 'UTC', ...options.env},
		...(options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input}),
		cwd: options.cwd,
		timeout: 60_000,
		stripFinalNewline: false,
	});
	return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr};
}

/** Every row of the `backup` table, log as text. */
export function readBackups(database: string): BackupRow[] {
	// Read-write (never created), so the hot journal of an rsdeck a test SIGKILLed mid-write is rolled back, not refused (SQLITE_READONLY_ROLLBACK).
	const db = new Database(database, {fileMustExist: true});
	try {
		const rows = db.prepare('SELECT * FROM backup ORDER BY host, volume, device, id').all() as Array<BackupRow & {log: Buffer | string | null}>;
		return rows.map(row => ({...row, log: row.log === null ? '' : row.log.toString()}));
	} finally {
		db.close();
	}
}

/** Relative path → content of every file under `root`; with `directories`, each directory too (as `path/` → ''). */
export function treeOf(root: string, options: {directories?: boolean} = {}): Record<string, string> {
	const files: Record<string, string> = {};
	const walk = (directory: string) => {
		for (const entry of readdirSync(directory, {withFileTypes: true})) {
			const full = path.join(directory, entry.name);
			if (entry.isDirectory()) {
				if (options.directories) {
					files[`${path.relative(root, full)}/`] = '';
				}

				walk(full);
			} else {
				files[path.relative(root, full)] = readFileSync(full, 'utf8');
			}
		}
	};

	walk(root);
	return files;
}
