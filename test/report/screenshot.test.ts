/**
Writes media/report.png: the HTML report of the demo fleet as Chromium draws
it. Run with `RSDECK_SCREENSHOTS=1 npx vitest run test/report/screenshot.test.ts`.
*/
import {writeFile, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, test} from 'vitest';
import {htmlReport} from '../../src/report/html-report.js';
import {reportData} from '../../src/report/report-data.js';
import {hasChromium, screenshot} from './chromium.js';
import {demoConfig, demoNow, demoRows} from './demo-fleet.js';

const wanted = process.env['RSDECK_SCREENSHOTS'] === '1';

test.runIf(wanted && hasChromium())('writes media/report.png from the demo fleet', async () => {
	process.env['TZ'] = 'UTC';
	const directory = await mkdtemp(path.join(tmpdir(), 'rsdeck-screenshot-'));
	try {
		const html = path.join(directory, 'report.html');
		await writeFile(html, htmlReport(reportData({config: demoConfig(), rows: demoRows(), now: demoNow, logs: 'failed'})));
		const output = path.resolve('media/report.png');
		const result = await screenshot(html, output, 1200, 960);
		expect(result.exitCode, result.output).toBe(0);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});
