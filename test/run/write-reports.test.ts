import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, test, vi} from 'vitest';
import type {Config} from '../../src/config/types.js';
import {BackupDatabase} from '../../src/db/backup-database.js';
import type {BackupRow} from '../../src/db/types.js';
import {parseOptions} from '../../src/options/parse-options.js';
import type {Io} from '../../src/run/main.js';
import {writeReports} from '../../src/run/write-reports.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {makeConfig, row} from '../report/fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

afterEach(() => {
	vi.unstubAllEnvs();
	removeTemporaryDirectories();
});

/** The HTML report `writeReports` prints for `--html -` from a real database holding these rows, the report clock at `now`. */
async function htmlFor(config: Config, rows: BackupRow[], now: string): Promise<string> {
	vi.stubEnv('RSBACKUP_TIME_REPORT', now);
	const db = BackupDatabase.open(path.join(temporaryDirectory(), 'backups.db'), {write: true});
	let stdout = '';
	const io: Io = {stdout: text => { stdout += text; }, stderr() {}, confirm: async () => false, interactive: false, version: 'test'};
	try {
		for (const backup of rows) {
			db.insertBackup(backup);
		}

		await writeReports(config, parseOptions(['--html', '-']), db, {started: 0, finished: 0, failures: 0}, io);
		return stdout;
	} finally {
		db.close();
	}
}

describe('writeReports', () => {
	test('uses the stylesheet file and the configured colours', async () => {
		const css = path.join(temporaryDirectory('rsdeck-style-'), 'site.css');
		writeFileSync(css, 'body { font-family: "Site Font" }\n');
		const config = makeConfig(['d1'], {h: ['v']}, {stylesheet: css, colorGood: 0x00_80_00, colorBad: 0x80_00_00, report: [{key: 'summary'}]});
		const html = await htmlFor(config, [row('h', 'v', 'd1', '1980-01-01T00:00:00')], '1980-01-01T00:00:00');
		expect(html).toContain('<style>\nbody { font-family: "Site Font" }\ntd.bad { background-color: #800000 }\ntd.good { background-color: #008000 }\nspan.bad { color: #800000 }\n</style>');
		expect(html).not.toContain('system-ui');
		expect(html).toContain('<td style="background-color: #008000; color: #ffffff">1980-01-01</td>');
	});

	test('an unreadable stylesheet', async () => {
		const config = makeConfig(['d1'], {h: ['v']}, {stylesheet: '/nonexistent/report.css'});
		await expect(htmlFor(config, [], '1980-01-10T12:00:00')).rejects.toThrow('cannot read stylesheet /nonexistent/report.css: no such file or directory');
	});
});
