/**
The reports as rsbackup writes them, through the real binary on SQLite files
made the way rsbackup makes them (plain SQL, its schema, its statuses).
*/
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, test} from 'vitest';
import {backupTableSql} from '../../src/db/schema.js';
import {BackupStatus} from '../../src/db/types.js';
import {makeStore, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

const at = (iso: string): number => Date.parse(`${iso}Z`) / 1000;

type Row = {host: string; volume: string; device: string; id: string; status: number; pruned?: string; log?: string; finished?: string; rc?: number};

/** A configuration of host1 (volume1, volume2) and devices device1 (a store) and device2, with `globals` added, and a database holding `rows` in this order. */
function fleet(rows: Row[], globals = '') {
	const root = temporaryDirectory();
	const store = makeStore(root, 'store1', 'device1');
	const source = path.join(root, 'source');
	writeTree(source, {'a.txt': 'alpha\n'});
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store}
device device1
device device2
database ${database}
rsync-extra-options
${globals}host host1
  hostname localhost
  volume volume1 ${source}
  volume volume2 ${source}
`);
	const db = new Database(database);
	db.exec(backupTableSql);
	const insert = db.prepare('INSERT INTO backup (host, volume, device, id, time, pruned, rc, status, log, finishTime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
	for (const row of rows) {
		insert.run(row.host, row.volume, row.device, row.id, at(row.id), row.pruned === undefined ? 0 : at(row.pruned), row.rc ?? 0, row.status, Buffer.from(row.log ?? ''), row.finished === undefined ? null : at(row.finished));
	}

	db.close();
	return {root, config, database};
}

const pruned = (volume: string, device: string, id: string, when: string, log = 'age 31 > 30'): Row => ({host: 'host1', volume, device, id, status: BackupStatus.pruned, pruned: when, log});

describe('rsbackup\'s reports from the real binary', () => {
	test('${RSBACKUP_CTIME} is <timestamp> under a fake clock', async () => {
		const {config} = fleet([]);
		const result = await rsdeck(['--text', '-', '--config', config]);
		expect(result.stdout).toMatch(/\nGenerated <timestamp>\n\n$/);
	});

	test('--backup --dry-run --text - with no backups yet has the Size and Time columns', async () => {
		const {config} = fleet([]);
		const result = await rsdeck(['--backup', '--dry-run', '--text', '-', '--config', config]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('|       |         |        |       | Newest | Count | Size | Newest | Count | Size | Med/Max|\n');
		expect(result.stdout).toContain('| host1 | volume1 | none   | 0     | none   | 0     |      | none   | 0     |      |        |\n');
	});

	test('--retire-device writes the reports after it, also with --dry-run', async () => {
		const rows: Row[] = [
			{host: 'host1', volume: 'volume1', device: 'device9', id: '1979-12-31T00:00:00', status: BackupStatus.complete, finished: '1979-12-31T00:01:00'},
		];
		const dry = fleet(rows);
		const dryRun = await rsdeck(['--retire-device', '--dry-run', '--text', '-', '--config', dry.config, 'device9']);
		expect(dryRun.exitCode).toBe(0);
		expect(dryRun.stdout).toMatch(/^==== Backup report \(1980-01-01\) ====\n/);
		expect(dryRun.stdout).toContain(' * Unknown device device9\n');
		const real = fleet(rows);
		const html = path.join(real.root, 'report.html');
		const retired = await rsdeck(['--retire-device', '--text', '-', '--html', html, '--config', real.config, 'device9']);
		expect(retired.exitCode).toBe(0);
		expect(retired.stdout).toMatch(/^==== Backup report \(1980-01-01\) ====\n/);
		expect(retired.stdout).not.toContain('device9');
		expect(readFileSync(html, 'utf8')).toContain('<h1>Backup report (1980-01-01)</h1>');
	});

	test('the pruning logs are rsbackup\'s compressed table: newest pruned first, ties in insertion order, adjacent rows differing in one column merged', async () => {
		const {config} = fleet([
			pruned('volume2', 'device2', '1979-12-01T00:00:00', '1979-12-31T10:00:00'),
			pruned('volume1', 'device2', '1979-12-01T00:00:00', '1979-12-31T10:00:00'),
			pruned('volume1', 'device1', '1979-12-01T00:00:00', '1979-12-31T10:00:00'),
			pruned('volume1', 'device1', '1979-11-30T00:00:00', '1979-12-30T00:00:00'),
			pruned('volume2', 'device1', '1979-11-30T00:00:00', '1979-12-30T00:00:00'),
			pruned('volume1', 'device1', '1979-11-01T00:00:00', '1979-12-20T00:00:00'),
			{...pruned('volume1', 'device2', '1979-11-29T00:00:00', '1979-12-31T12:00:00', 'remaining 2 > 1'), status: BackupStatus.pruning},
		]);
		const result = await rsdeck(['--text', '-', '--config', config]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`== Pruning logs ==

|  Created   |   Pruned   | Host  |     Volume      | Device  |     Reason     |
| 1979-11-29 | 1979-12-31 | host1 | volume1         | device2 | remaining 2 > 1|
| 1979-12-01 | 1979-12-31 | host1 | volume1,volume2 | device2 | age 31 > 30    |
| 1979-12-01 | 1979-12-31 | host1 | volume1         | device1 | age 31 > 30    |
| 1979-11-30 | 1979-12-30 | host1 | volume1,volume2 | device1 | age 31 > 30    |

Generated <timestamp>
`);
	});

	test('the HTML report shows the text report\'s text, in the same order', async () => {
		const {root, config} = fleet([
			{host: 'host1', volume: 'volume1', device: 'device1', id: '1979-12-31T00:00:00', status: BackupStatus.complete, finished: '1979-12-31T00:02:00', log: 'Total file size: 2,048 bytes\n'},
			{host: 'host1', volume: 'volume1', device: 'device1', id: '1979-12-31T12:00:00', status: BackupStatus.failed, rc: 23 * 256, finished: '1979-12-31T12:00:30', log: 'rsync: <failed> & "gone"\n  second  line\n'},
			{host: 'host1', volume: 'volume2', device: 'device2', id: '1979-12-30T00:00:00', status: BackupStatus.complete, finished: '1979-12-30T00:01:00'},
			{host: 'host1', volume: 'retired', device: 'device2', id: '1979-12-30T00:00:00', status: BackupStatus.complete},
			{host: 'gone', volume: 'v', device: 'device1', id: '1979-12-30T00:00:00', status: BackupStatus.complete},
			{host: 'host1', volume: 'volume1', device: 'device9', id: '1979-12-30T00:00:00', status: BackupStatus.complete},
			pruned('volume1', 'device2', '1979-12-01T00:00:00', '1979-12-31T10:00:00'),
			pruned('volume2', 'device2', '1979-12-01T00:00:00', '1979-12-31T10:00:00'),
		], `report "h1:Report   for \${RSBACKUP_DATE}" "p:A  paragraph  long enough to be wrapped: ${'word '.repeat(20)}" h2:Warnings warnings summary history-graph logs "h3:Pruning logs" prune-logs "p:Generated \${RSBACKUP_CTIME}"\n`);
		const html = path.join(root, 'report.html');
		const result = await rsdeck(['--text', '-', '--html', html, '--logs', 'all', '--config', config]);
		expect(result.stderr).toBe('');
		const textWords = visibleTextOfText(result.stdout);
		expect(textWords).toContain('Unknown host gone on device device1');
		expect(textWords).toContain('gone"');
		expect(visibleTextOfHtml(readFileSync(html, 'utf8'))).toEqual(textWords);
	});
});

/** The words a reader sees in a text report, without rsbackup's markup (heading marks, bullets, table rules). */
function visibleTextOfText(text: string): string {
	return text.split('\n')
		.map(line => line.startsWith('|') ? line.replaceAll('|', ' ') : line.replace(/^(=+) (.*) \1$/, '$2').replace(/^ \* /, ''))
		.join(' ').split(/\s+/).filter(word => word !== '').join(' ');
}

/** The words a reader sees in an HTML report: the body's text, without the history graph. */
function visibleTextOfHtml(html: string): string {
	const body = html.slice(html.indexOf('<body>')).replaceAll(/<svg[\s\S]*?<\/svg>/g, ' ');
	const text = body.replaceAll(/<[^>]*>/g, ' ')
		.replaceAll(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
		.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
	return text.split(/\s+/).filter(word => word !== '').join(' ');
}
