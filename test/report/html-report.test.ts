import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {htmlReport} from '../../src/report/html-report.js';
import {reportData} from '../../src/report/report-data.js';
import {chromiumPath, hasChromium, screenshot} from './chromium.js';
import {demoConfig, demoNow, demoRows} from './demo-fleet.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url);

/** SPEC §7's data, plus a failed latest backup and a pruning log, so every part of the page shows. */
function exampleData() {
	const config = makeConfig(['device1', 'device2'], {host1: ['volume1', 'volume2', 'volume3'], host2: [{name: 'volume1', devicePattern: 'device2'}]});
	const rows = [
		row('host1', 'volume1', 'device1', '1980-01-01T00:00:00', {duration: 60}),
		row('host1', 'volume1', 'device2', '1980-01-01T00:00:00', {duration: 60}),
		row('host1', 'volume1', 'device2', '1980-01-02T00:00:00', {status: BackupStatus.failed, duration: 5, log: 'rsync: connection unexpectedly closed <EOF> & "gone"\n'}),
		row('host2', 'volume1', 'device2', '1979-12-30T18:00:00', {duration: 90}),
		row('host1', 'volume2', 'device1', '1979-12-20T00:00:00', {status: BackupStatus.pruned, pruned: at('1980-01-01T12:00:00'), log: 'age 13 > 10 and remaining 1 > 0'}),
	];
	return reportData({config, rows, now: at('1980-01-02T00:00:00'), logs: 'failed'});
}

describe('htmlReport', () => {
	test('renders the example fleet exactly as recorded', async () => {
		expect(htmlReport(exampleData())).toBe(await readFile(fixture('example.html'), 'utf8'));
	});

	test('shades the newest backup from color-good to color-bad by its age against max-age', () => {
		const config = makeConfig(['d1'], {h: [{name: 'v', maxAge: 4 * 86_400}]}, {report: [{key: 'summary'}]});
		const shade = (days: number) => /<td style="background-color: (#[\da-f]{6})/.exec(htmlReport(reportData({
			config,
			rows: [row('h', 'v', 'd1', '1980-01-01T00:00:00')],
			now: at('1980-01-01T00:00:00') + (days * 86_400),
			logs: 'failed',
		})))?.[1];
		expect([0, 2, 4, 8].map(days => shade(days))).toEqual(['#e0ffe0', '#ffff90', '#ff4040', '#ff4040']);
	});

	test.skipIf(!hasChromium())(hasChromium() ? 'renders in headless Chromium' : `renders in headless Chromium: SKIPPED, ${chromiumPath} is not installed`, async () => {
		const directory = await mkdtemp(path.join(tmpdir(), 'rsdeck-render-'));
		try {
			const html = path.join(directory, 'report.html');
			const png = path.join(directory, 'report.png');
			await writeFile(html, htmlReport(reportData({config: demoConfig(), rows: demoRows(), now: demoNow, logs: 'all'})));
			const result = await screenshot(html, png, 1200, 900);
			expect(result.exitCode, result.output).toBe(0);
			const image = await readFile(png);
			expect(image.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));
			expect(image.readUInt32BE(16)).toBe(1200);
			expect((await stat(png)).size).toBeGreaterThan(30_000);
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	});
});
