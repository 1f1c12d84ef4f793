import {beforeAll, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import type {ReportItem} from '../../src/config/types.js';
import {reportData} from '../../src/report/report-data.js';
import {ReportError} from '../../src/report/report-error.js';
import {logsLevels} from '../../src/report/report-logs.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

const now = at('1980-01-10T12:00:00');

describe('warnings', () => {
	const config = makeConfig(['d1', 'd2'], {
		h1: ['ok', 'missing', 'partial', 'stale', {name: 'usbonly', devicePattern: 'd2'}],
		h2: ['failing', 'failing2'],
	});
	const rows = [
		...['d1', 'd2'].map(device => row('h1', 'ok', device, '1980-01-10T01:00:00')),
		row('h1', 'partial', 'd1', '1980-01-10T01:00:00'),
		...['d1', 'd2'].map(device => row('h1', 'stale', device, '1980-01-07T11:59:00')),
		row('h1', 'usbonly', 'd2', '1980-01-10T01:00:00'),
		...['d1', 'd2'].map(device => row('h2', 'failing', device, '1980-01-09T01:00:00')),
		row('h2', 'failing', 'd2', '1980-01-10T01:00:00', {status: BackupStatus.failed}),
		...['d1', 'd2'].map(device => row('h2', 'failing2', device, '1980-01-09T01:00:00')),
		row('h2', 'failing2', 'd1', '1980-01-10T01:00:00', {status: BackupStatus.failed}),
		row('h2', 'failing2', 'd1', '1980-01-10T03:00:00', {status: BackupStatus.underway, log: ''}),
		row('h1', 'ok', 'd9', '1980-01-10T01:00:00'),
		row('h1', 'ok', 'd8', '1980-01-10T02:00:00'),
		row('gone', 'v', 'd1', '1980-01-10T01:00:00'),
		row('h1', 'retired', 'd1', '1980-01-10T01:00:00'),
		row('retired-and-pruned', 'v', 'd1', '1980-01-01T01:00:00', {status: BackupStatus.pruned, pruned: now}),
	];
	const data = reportData({config, rows, now, logs: 'failed'});

	test('counts each volume once as missing, partial or stale, and failed latest backups besides', () => {
		expect(data.warnings.map(warning => [warning.kind, warning.text, warning.items])).toEqual([
			['unknown-device', 'Unknown device d8', ['d8']],
			['unknown-device', 'Unknown device d9', ['d9']],
			['unknown-host', 'Unknown host gone on device d1', ['gone']],
			['unknown-volume', 'Unknown volume h1:retired on device d1', ['h1:retired']],
			['missing', 'WARNING: 1 volumes have no backups.', ['h1:missing']],
			['partial', 'WARNING: 1 volumes are not fully backed up.', ['h1:partial']],
			['stale', 'WARNING: 1 volumes are out of date.', ['h1:stale']],
			['failed', 'WARNING: 2 volumes failed latest backup.', ['h2:failing', 'h2:failing2']],
		]);
		expect(data.counts).toEqual({missing: 1, partial: 1, stale: 1, failed: 2, unknown: 4});
		expect(data.volumes.find(volume => volume.volume === 'ok')?.total).toBe(2);
		expect(data.volumes.map(volume => `${volume.host}:${volume.volume}=${volume.state}`)).toEqual([
			'h1:missing=missing', 'h1:ok=ok', 'h1:partial=partial', 'h1:stale=stale', 'h1:usbonly=ok', 'h2:failing=ok', 'h2:failing2=ok',
		]);
	});

	test('a volume exactly max-age old is not out of date; one second older is', () => {
		const edge = reportData({config, rows, now: at('1980-01-10T11:59:00'), logs: 'failed'});
		expect(edge.volumes.find(volume => volume.volume === 'stale')?.state).toBe('ok');
		expect(data.volumes.find(volume => volume.volume === 'stale')?.state).toBe('stale');
	});

	test('plural and singular forms', () => {
		const two = reportData({config: makeConfig(['d1'], {h: ['a', 'b']}), rows: [], now, logs: 'failed'});
		expect(two.warnings.map(warning => warning.text)).toEqual(['WARNING: 2 volumes have no backups.']);
		const none = reportData({config: makeConfig(['d1'], {h: ['a']}), rows: [row('h', 'a', 'd1', '1980-01-10T00:00:00')], now, logs: 'failed'});
		expect(none.warnings).toEqual([]);
	});
});

describe('--logs', () => {
	const config = makeConfig(['d1', 'd2'], {h: ['v', 'w']});
	const rows = [
		row('h', 'v', 'd1', '1980-01-01T00:00:00', {status: BackupStatus.failed, log: 'v d1 first failure\n'}),
		row('h', 'v', 'd1', '1980-01-02T00:00:00', {status: BackupStatus.failed, log: 'v d1 second failure\n'}),
		row('h', 'v', 'd1', '1980-01-03T00:00:00', {log: 'v d1 success\n'}),
		row('h', 'v', 'd2', '1980-01-01T00:00:00', {log: 'v d2 success\n'}),
		row('h', 'v', 'd2', '1980-01-02T00:00:00', {status: BackupStatus.failed, log: 'v d2 failure\n'}),
		row('h', 'w', 'd1', '1980-01-01T00:00:00', {log: ''}),
		row('h', 'w', 'd1', '1980-01-05T00:00:00', {status: BackupStatus.underway, log: 'w d1 running\n'}),
		row('h', 'w', 'd2', '1980-01-01T00:00:00', {status: BackupStatus.pruned, pruned: now, log: 'pruned reason'}),
		row('elsewhere', 'x', 'd1', '1980-01-02T00:00:00', {status: BackupStatus.failed, log: 'unknown host\n'}),
	];
	const logsFor = (level: typeof logsLevels[number]) => reportData({config, rows, now, logs: level}).logs.map(entry => entry.log.trim());

	test.each([
		['all', ['v d1 first failure', 'v d1 second failure', 'v d1 success', 'v d2 success', 'v d2 failure', 'w d1 running']],
		['errors', ['v d1 first failure', 'v d1 second failure', 'v d2 failure']],
		['recent', ['v d1 second failure', 'v d2 failure']],
		['latest', ['v d1 success', 'v d2 failure']],
		['failed', ['v d2 failure']],
	] as const)('%s', (level, expected) => {
		expect(logsFor(level)).toEqual(expected);
	});

	test('every level is covered', () => {
		expect([...logsLevels].sort()).toEqual(['all', 'errors', 'failed', 'latest', 'recent']);
	});
});

describe('pruning logs', () => {
	const config = (report: ReportItem[]) => makeConfig(['d1'], {h: ['v']}, {report});
	const pruned = (days: number) => row('h', 'v', 'd1', `1979-12-${String(10 + days).padStart(2, '0')}T00:00:00`, {status: BackupStatus.pruned, pruned: now - (days * 86_400), log: `${days} days ago`});
	const rows = [pruned(0), pruned(2), pruned(3), pruned(4), pruned(10)];
	const reasons = (report: ReportItem[]) => reportData({config: config(report), rows, now, logs: 'failed'}).sections
		.flatMap(section => section.kind === 'prune-logs' ? [section.entries.map(entry => entry.reason)] : []);

	test('default window is 3 days, inclusive', () => {
		expect(reasons([{key: 'prune-logs'}])).toEqual([['3 days ago', '2 days ago', '0 days ago']]);
	});

	test('a number of days, or an interval', () => {
		expect(reasons([{key: 'prune-logs', value: '4'}, {key: 'prune-logs', value: '36h'}, {key: 'prune-logs', value: '11d'}])).toEqual([
			['4 days ago', '3 days ago', '2 days ago', '0 days ago'],
			['0 days ago'],
			['10 days ago', '4 days ago', '3 days ago', '2 days ago', '0 days ago'],
		]);
	});
});

describe('layout errors name the configuration file and the item', () => {
	test.each([
		[{key: 'spong'}, 'test.config: report item \'spong\': unknown key \'spong\''],
		[{key: 'h1'}, 'test.config: report item \'h1\': h1 needs a value (h1:TEXT)'],
		[{key: 'summary', value: 'x'}, 'test.config: report item \'summary:x\': summary takes no value'],
		[{key: 'logs', condition: 'sunny'}, 'test.config: report item \'logs?sunny\': unknown condition \'sunny\''],
		[{key: 'prune-logs', value: 'soon'}, 'test.config: report item \'prune-logs:soon\': expected a number of days or an interval, not \'soon\' (invalid time interval \'soon\')'],
	] as Array<[ReportItem, string]>)('%o', (item, message) => {
		const config = makeConfig(['d1'], {h: ['v']}, {report: [item]});
		expect(() => reportData({config, rows: [], now, logs: 'failed'})).toThrow(new ReportError(message));
	});
});

test('the title is the last title item, or the default', () => {
	const config = (report: ReportItem[]) => makeConfig([], {}, {report});
	expect(reportData({config: config([]), rows: [], now, logs: 'failed'}).title).toBe('Backup report (1980-01-10)');
	expect(reportData({config: config([{key: 'title', value: 'a'}, {key: 'title', value: 'b ${RSBACKUP_CTIME}'}]), rows: [], now, logs: 'failed'}).title).toBe('b Thu Jan 10 12:00:00 1980');
	expect(reportData({config: config([{key: 'summary'}]), rows: [], now, logs: 'failed'}).title).toBe('Backup report (1980-01-10)');
});
