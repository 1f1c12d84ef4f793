import {chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {execa} from 'execa';
import {afterEach, describe, expect, test} from 'vitest';
import {cli, makeStore, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

/** Two volumes, one backed up, one never, reported at the same fake time. */
async function backedUpFleet() {
	const root = temporaryDirectory();
	const store = makeStore(root, 'store1', 'device1');
	const source = path.join(root, 'source');
	writeTree(source, {'a.txt': 'alpha\n'});
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store}
device device1
database ${path.join(root, 'backups.db')}
sendmail ${path.join(root, 'sendmail')}
rsync-extra-options
host host1
  hostname localhost
  volume volume1 ${source}
  volume volume2 ${path.join(root, 'missing')}
`);
	const backup = await rsdeck(['--backup', '--config', path.join(root, 'config'), 'host1:volume1'], {env: {RSBACKUP_TIME_FINISH: '1980-01-01T00:01:00'}});
	expect(backup.exitCode).toBe(0);
	return {root, config};
}

describe('reports from the command line', () => {
	test('--text - prints rsbackup\'s text report for the database', async () => {
		const {config} = await backedUpFleet();
		const result = await rsdeck(['--text', '-', '--config', config]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(/^==== Backup report \(1980-01-01\) ====\n/);
		expect(result.stdout).toContain(' * WARNING: 1 volumes have no backups.\n');
		expect(result.stdout).toContain('| host1 | volume1 | 1980-01-01 | 1     | 1980-01-01 | 1     |');
		expect(result.stdout).toContain('|       | volume2 | none       | 0     | none       | 0     |');
	});

	test('--html, --report-json and --metrics write files; the run and report can go together', async () => {
		const {root, config} = await backedUpFleet();
		const html = path.join(root, 'report.html');
		const json = path.join(root, 'report.json');
		const metrics = path.join(root, 'rsdeck.prom');
		const result = await rsdeck(['--backup', '--html', html, '--report-json', json, '--metrics', metrics, '--config', config, 'host1:volume1'], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(result.exitCode).toBe(0);
		expect(readFileSync(html, 'utf8')).toMatch(/<svg[^>]*>/);
		const report = JSON.parse(readFileSync(json, 'utf8')) as {volumes?: unknown[]; format?: string};
		expect(report.format).toBe('rsdeck-report');
		expect(readFileSync(metrics, 'utf8')).toMatch(/rsdeck_backup_last_success_timestamp_seconds\{[^}]*host="host1"[^}]*volume="volume1"[^}]*\} 315619200/);
		expect(existsSync(`${metrics}.tmp`)).toBe(false);
	});

	test('report paths that are not regular files are written through: a symlink stays a link, a report keeps its mode, a device stays a device', async () => {
		const {root, config} = await backedUpFleet();
		const www = path.join(root, 'www');
		mkdirSync(www);
		const html = path.join(www, 'backups.html');
		writeFileSync(html, 'old\n', {mode: 0o640});
		const link = path.join(root, 'backups.html');
		symlinkSync(html, link);
		const metrics = path.join(root, 'rsdeck.prom');
		writeFileSync(metrics, 'old\n', {mode: 0o600});
		const args = ['--html', link, '--metrics', metrics, '--config', config];
		const device = path.join(root, 'null');
		if (process.getuid?.() === 0) {
			// A private /dev/null: a test that failed must not break the machine's.
			await execa('mknod', [device, 'c', '1', '3']);
			args.push('--text', device, '--report-json', device);
		}

		const result = await rsdeck(args);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(lstatSync(link).isSymbolicLink()).toBe(true);
		expect(readFileSync(html, 'utf8')).toMatch(/<svg[^>]*>/);
		expect(statSync(html).mode & 0o777).toBe(0o640);
		expect(readFileSync(metrics, 'utf8')).toContain('rsdeck_backup_last_success_timestamp_seconds');
		expect(statSync(metrics).mode & 0o777).toBe(0o600);
		if (process.getuid?.() === 0) {
			expect(lstatSync(device).isCharacterDevice()).toBe(true);
		}
	});

	test.runIf(process.getuid?.() === 0)('after a backup, a user who may read the logs directory but not write it reads the database: rsdeck --text and sqlite3 -readonly', async () => {
		const {root, config} = await backedUpFleet();
		const database = path.join(root, 'backups.db');
		// The logs directory as an operator has it: readable by all, writable by root alone.
		chmodSync(root, 0o755);
		expect(statSync(root).uid).toBe(0);
		const asNobody = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];
		const report = await execa('setpriv', [...asNobody, process.execPath, cli, '--text', '-', '--config', config], {reject: false, env: {RSBACKUP_TIME: '1980-01-01T00:00:00', TZ: 'UTC'}, stdin: 'ignore'});
		expect(report.stderr).toBe('');
		expect(report.exitCode).toBe(0);
		expect(report.stdout).toContain('| host1 | volume1 | 1980-01-01 | 1     |');
		const sqlite = await execa('setpriv', [...asNobody, 'sqlite3', '-readonly', database, 'select count(*) from backup'], {reject: false});
		expect(sqlite).toMatchObject({exitCode: 0, stdout: '1', stderr: ''});
		const db = new Database(database, {readonly: true});
		try {
			expect(db.pragma('journal_mode', {simple: true})).toBe('delete');
		} finally {
			db.close();
		}

		expect(readdirSync(root).filter(name => name.startsWith('backups.db'))).toEqual(['backups.db']);
	});

	test('a report loads its own renderer and nothing a run needs: no lock, stores, engine, console, other renderers, child processes, sockets or crypto', async () => {
		const {root, config} = await backedUpFleet();
		const list = path.join(root, 'modules');
		const hooks = path.join(root, 'hooks.mjs');
		const preload = path.join(root, 'preload.mjs');
		writeFileSync(hooks, `import {appendFileSync} from 'node:fs';
export async function load(url, context, next) {
	appendFileSync(${JSON.stringify(list)}, url + '\\n');
	return next(url, context);
}
`);
		writeFileSync(preload, `import {register} from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
		for (const [option, renderer, others] of [['--text', 'text-report', ['html-report', 'metrics', 'json-report', 'email']], ['--html', 'html-report', ['text-report', 'metrics', 'json-report', 'email']], ['--metrics', 'metrics', ['text-report', 'html-report', 'json-report', 'email']]] as const) {
			writeFileSync(list, '');
			const result = await execa(process.execPath, ['--import', pathToFileURL(preload).href, cli, '--config', config, option, path.join(root, `report${option}`)], {reject: false, env: {RSBACKUP_TIME: '1980-01-01T00:00:00', TZ: 'UTC'}, stdin: 'ignore'});
			expect(result.exitCode, result.stderr).toBe(0);
			const loaded = readFileSync(list, 'utf8').split('\n').filter(url => url !== '');
			const ours = loaded.filter(url => url.includes('/dist/src/')).map(url => url.replace(/.*\/dist\/src\//, ''));
			expect(ours).toContain(`report/${renderer}.js`);
			expect(ours).toContain('run/write-reports.js');
			expect(ours.filter(module => /^(engine\/(?!graph-error)|console\/|actions\/|plan\/|headless\/|notify\/|prune\/(?!prune-error|removal-error))|^store\/(lock|identify-stores|unexpected)\.js$|^run\/run-backups\.js$/.test(module) || others.some(other => module === `report/${other}.js`))).toEqual([]);
			expect(loaded.filter(url => ['node:child_process', 'node:crypto', 'node:net', 'node:readline', 'node:readline/promises'].includes(url))).toEqual([]);
		}
	});

	test('a report that cannot be written or sent is an ERROR, not a stack trace', async () => {
		const {root, config} = await backedUpFleet();
		const unwritable = await rsdeck(['--text', path.join(root, 'no', 'such', 'dir', 'report.txt'), '--config', config]);
		expect(unwritable.exitCode).toBe(1);
		expect(unwritable.stderr).toMatch(/^ERROR: .*report\.txt/);
		expect(unwritable.stderr).not.toContain('    at ');
		const noSendmail = await rsdeck(['--email', 'ops@example.com', '--config', config]);
		expect(noSendmail.exitCode).toBe(1);
		expect(noSendmail.stderr).toMatch(/^ERROR: /);
		expect(noSendmail.stderr).not.toContain('    at ');
	});

	test.each([
		['report item', 'report title:T bogus-key', 'config:2: report item \'bogus-key\': unknown key \'bogus-key\''],
		['graph-layout part', 'graph-layout content:a,b', 'config:2: invalid graph-layout part \'content:a,b\''],
	])('a bad %s fails only the commands that write a report, as in rsbackup', async (_what, line, message) => {
		const root = temporaryDirectory();
		const store = makeStore(root, 'store1', 'device1');
		const source = path.join(root, 'source');
		writeTree(source, {'a.txt': 'alpha\n'});
		const config = path.join(root, 'config');
		writeFileSync(config, `store --no-mounted ${store}\n${line}\ndevice device1\ndatabase ${path.join(root, 'backups.db')}\nhost host1\n  hostname localhost\n  volume volume1 ${source}\n`);
		const backup = await rsdeck(['--backup', '--config', config]);
		expect(backup.stderr).toBe('');
		expect(backup.exitCode).toBe(0);
		expect(existsSync(path.join(store, 'host1', 'volume1'))).toBe(true);
		const text = await rsdeck(['--text', '-', '--config', config]);
		expect(text.stderr).toBe(`ERROR: ${root}/${message}\n`);
		expect(text.exitCode).toBe(1);
		const both = await rsdeck(['--backup', '--force', '--text', '-', '--config', config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(both.stderr).toBe(`ERROR: ${root}/${message}\n`);
		expect(both.exitCode).toBe(1);
		expect(readdirSync(path.join(store, 'host1', 'volume1'))).toHaveLength(2);
	});

	test('--email hands a multipart message to sendmail with the counts in the subject', async () => {
		const {root, config} = await backedUpFleet();
		const received = path.join(root, 'mail.txt');
		writeScript(path.join(root, 'sendmail'), `echo "$@" > ${received}.args\ncat > ${received}`);
		const result = await rsdeck(['--email', 'ops@example.com', '--config', config]);
		expect(result.exitCode).toBe(0);
		expect(readFileSync(`${received}.args`, 'utf8')).toBe('-t -oee -oi -odb\n');
		const message = readFileSync(received, 'utf8');
		expect(message).toMatch(/^To: ops@example\.com$/m);
		expect(message).toMatch(/^Subject: .*missing:1/m);
		expect(message).toContain('multipart/alternative');
	});
});
