import {readFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, test} from 'vitest';
import {BackupDatabase} from '../../src/db/backup-database.js';
import {Engine} from '../../src/engine/engine.js';
import {RunRecorder} from '../../src/run/run-recorder.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

/** The file change counter of the database's header: one more for each commit (rollback journal). */
function commits(file: string): number {
	return readFileSync(file).readUInt32BE(24);
}

/** Each attempt's output as stored, pieces joined in order. */
function storedOutput(file: string): Array<{name: string; attempt: number; pieces: number; output: string}> {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare(`SELECT name, attempt, count(*) AS pieces, group_concat(text, '') AS output
			FROM (SELECT * FROM rsdeck_output ORDER BY name, attempt, piece) GROUP BY name, attempt ORDER BY name, attempt`).all() as Array<{name: string; attempt: number; pieces: number; output: string}>;
	} finally {
		db.close();
	}
}

describe('RunRecorder', () => {
	test('writes every attempt\'s output in pieces as it comes, and each action\'s end', async () => {
		const file = path.join(temporaryDirectory(), 'backups.db');
		const db = BackupDatabase.open(file, {write: true});
		// 200 lines of 1 KiB: more than three pieces' worth.
		const line = (index: number) => `${String(index).padStart(4, '0')} ${'x'.repeat(1018)}\n`;
		const long = Array.from({length: 200}, (_, index) => line(index)).join('');
		let attempts = 0;
		const engine = new Engine([
			{
				name: 'backup/h1/v1/d1',
				async body(context) {
					attempts++;
					if (attempts === 1) {
						context.log('first attempt\n', 'stderr');
						return {state: 'failed', message: 'network', transient: true};
					}

					for (let index = 0; index < 200; index++) {
						context.log(line(index), 'stdout');
					}

					return undefined;
				},
			},
			{name: 'record-backup/h1/v1/d1', after: ['backup/h1/v1/d1'], async body() {}},
		], {retries: 1, backoff: 0});
		const recorder = new RunRecorder(db, engine, ['--backup']);
		await engine.run();
		recorder.finish(0);
		db.close();
		expect(storedOutput(file)).toEqual([
			{name: 'backup/h1/v1/d1', attempt: 1, pieces: 1, output: 'first attempt\n'},
			{name: 'backup/h1/v1/d1', attempt: 2, pieces: 4, output: long},
		]);
		const raw = new Database(file, {readonly: true});
		expect(raw.prepare('SELECT name, state, attempt FROM rsdeck_actions ORDER BY name').all()).toEqual([
			{name: 'backup/h1/v1/d1', state: 'succeeded', attempt: 2},
			{name: 'record-backup/h1/v1/d1', state: 'succeeded', attempt: 1},
		]);
		raw.close();
	});

	test('writes what comes together in one transaction, not a commit per action', async () => {
		const file = path.join(temporaryDirectory(), 'backups.db');
		const db = BackupDatabase.open(file, {write: true});
		const engine = new Engine(Array.from({length: 50}, (_, index) => ({name: `a${index}`, async body(context) {
			context.log(`${index}\n`);
		}})));
		const recorder = new RunRecorder(db, engine, ['--backup']);
		const commitsBefore = commits(file);
		await engine.run();
		recorder.finish(0);
		db.close();
		expect(commits(file) - commitsBefore).toBe(1);
		const raw = new Database(file, {readonly: true});
		expect(raw.prepare('SELECT count(*) AS actions FROM rsdeck_actions').get()).toEqual({actions: 50});
		expect(raw.prepare('SELECT count(*) AS pieces FROM rsdeck_output').get()).toEqual({pieces: 50});
		expect(raw.prepare('SELECT exitStatus FROM rsdeck_runs').get()).toEqual({exitStatus: 0});
		raw.close();
	});

	test('a write that fails stops the history, not the run, and says why', async () => {
		const file = path.join(temporaryDirectory(), 'backups.db');
		const db = BackupDatabase.open(file, {write: true});
		const engine = new Engine([
			{name: 'first', async body() {}},
			// What came before is written; then the database goes away under the run (a full disk, say): the next write fails.
			{name: 'second', after: ['first'], async body(context) {
				recorder.flush();
				db.close();
				context.log('output nobody can store\n');
			}},
			{name: 'third', after: ['second'], async body() {}},
		]);
		const recorder = new RunRecorder(db, engine, ['--backup']);
		await engine.run();
		recorder.finish(0);
		expect(engine.snapshot().map(info => info.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
		expect(recorder.problem).toMatch(/not open/);
		const raw = new Database(file, {readonly: true});
		expect(raw.prepare('SELECT name FROM rsdeck_actions').all()).toEqual([{name: 'first'}]);
		raw.close();
	});
});
