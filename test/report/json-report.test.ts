import {beforeAll, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {jsonReport} from '../../src/report/json-report.js';
import {reportData} from '../../src/report/report-data.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

test('jsonReport gives the report\'s facts as data', () => {
	const config = makeConfig(['d1', 'd2'], {h: [{name: 'v', devicePattern: 'd1'}, 'w']}, {report: [{key: 'summary'}, {key: 'prune-logs', value: '1'}, {key: 'prune-logs', value: '7'}]});
	const rows = [
		row('h', 'v', 'd1', '1980-01-09T00:00:00', {duration: 120}),
		row('h', 'v', 'd1', '1980-01-10T00:00:00', {status: BackupStatus.failed, duration: 3, rc: 5888, log: 'boom\n'}),
		row('h', 'v', 'd1', '1980-01-01T00:00:00', {status: BackupStatus.pruned, pruned: at('1980-01-05T00:00:00'), log: 'age 4 > 3 and remaining 2 > 1'}),
	];
	const text = jsonReport(reportData({config, rows, now: at('1980-01-10T12:00:00'), logs: 'failed', availableDevices: ['d2', 'd1']}));
	expect(text.endsWith('}\n')).toBe(true);
	expect(JSON.parse(text)).toEqual({
		format: 'rsdeck-report',
		version: 1,
		title: 'Backup report (1980-01-10)',
		now: at('1980-01-10T12:00:00'),
		generated: '1980-01-10T12:00:00.000Z',
		date: '1980-01-10',
		logsLevel: 'failed',
		devices: ['d1', 'd2'],
		availableDevices: ['d1', 'd2'],
		counts: {missing: 1, partial: 0, stale: 0, failed: 1, unknown: 0},
		warnings: [
			{kind: 'missing', count: 1, text: 'WARNING: 1 volumes have no backups.', items: ['h:w']},
			{kind: 'failed', count: 1, text: 'WARNING: 1 volumes failed latest backup.', items: ['h:v']},
		],
		volumes: [
			{
				host: 'h',
				volume: 'v',
				maxAge: 259_200,
				state: 'ok',
				latestFailed: true,
				oldest: at('1980-01-09T00:00:00'),
				newest: at('1980-01-09T00:00:00'),
				total: 1,
				devices: [
					{
						device: 'd1',
						expected: true,
						count: 1,
						newest: at('1980-01-09T00:00:00'),
						size: 4096,
						latest: {id: '1980-01-10T00:00:00', time: at('1980-01-10T00:00:00'), finishTime: at('1980-01-10T00:00:03'), status: 'failed', rc: 5888},
					},
					{device: 'd2', expected: false, count: 0},
				],
				durationMedian: 120,
				durationMax: 120,
			},
			{host: 'h', volume: 'w', maxAge: 259_200, state: 'missing', latestFailed: false, total: 0, devices: [{device: 'd1', expected: true, count: 0}, {device: 'd2', expected: true, count: 0}]},
		],
		logs: [{host: 'h', volume: 'v', device: 'd1', id: '1980-01-10T00:00:00', time: at('1980-01-10T00:00:00'), finishTime: at('1980-01-10T00:00:03'), status: 'failed', rc: 5888, log: 'boom\n'}],
		pruneLogs: [{created: at('1980-01-01T00:00:00'), pruned: at('1980-01-05T00:00:00'), host: 'h', volume: 'v', devices: ['d1'], reason: 'age 4 > 3 and remaining 2 > 1'}],
		pruneLogWindow: 7 * 86_400,
	});
});
