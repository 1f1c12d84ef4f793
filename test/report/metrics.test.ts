import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {beforeAll, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {metricsText} from '../../src/report/metrics.js';
import {reportData} from '../../src/report/report-data.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

const now = at('1980-01-10T12:00:00');

function fleet() {
	const config = makeConfig(['d1', 'd2'], {'web"1\\x': ['v'], h: [{name: 'usb', devicePattern: 'd2'}]});
	const rows = [
		row('web"1\\x', 'v', 'd1', '1980-01-09T00:00:00', {duration: 120, log: 'Total file size: 5000 bytes\n'}),
		row('web"1\\x', 'v', 'd1', '1980-01-10T00:00:00', {status: BackupStatus.failed, duration: 7}),
		row('web"1\\x', 'v', 'd2', '1980-01-10T00:00:00', {duration: 60}),
		row('h', 'usb', 'd1', '1980-01-08T00:00:00', {duration: 30}),
	];
	return reportData({config, rows, now, logs: 'failed'});
}

/** Samples of one family as `labels → value`, labels written `k=v,…` in order. */
function samples(text: string, name: string): Record<string, string> {
	const family = parsePrometheusTextFormat(text).find(candidate => candidate.name === name);
	expect(family?.type).toBe('GAUGE');
	return Object.fromEntries((family?.metrics ?? []).map(sample => [Object.entries(sample.labels ?? {}).map(([key, value]) => `${key}=${value}`).join(','), sample.value]));
}

test('per volume and device: last success, last duration, last status, count, size; escaped labels', () => {
	const text = metricsText(fleet());
	const web = 'host=web"1\\x,volume=v';
	expect(samples(text, 'rsdeck_backup_last_success_timestamp_seconds')).toEqual({
		[`${web},device=d1`]: String(at('1980-01-09T00:00:00')),
		[`${web},device=d2`]: String(at('1980-01-10T00:00:00')),
		'host=h,volume=usb,device=d1': String(at('1980-01-08T00:00:00')),
	});
	expect(samples(text, 'rsdeck_backup_last_duration_seconds')).toEqual({[`${web},device=d1`]: '7', [`${web},device=d2`]: '60', 'host=h,volume=usb,device=d1': '30'});
	expect(samples(text, 'rsdeck_backup_last_status')).toEqual({[`${web},device=d1`]: '0', [`${web},device=d2`]: '1', 'host=h,volume=usb,device=d1': '1'});
	expect(samples(text, 'rsdeck_backup_count')).toEqual({[`${web},device=d1`]: '1', [`${web},device=d2`]: '1', 'host=h,volume=usb,device=d1': '1', 'host=h,volume=usb,device=d2': '0'});
	expect(samples(text, 'rsdeck_backup_last_size_bytes')).toEqual({[`${web},device=d1`]: '5000', [`${web},device=d2`]: '4096', 'host=h,volume=usb,device=d1': '4096'});
	expect(text).toContain('rsdeck_backup_count{host="web\\"1\\\\x",volume="v",device="d1"} 1\n');
});

test('per volume state, warnings by kind, report time; run metrics only when given', () => {
	const text = metricsText(fleet());
	expect(samples(text, 'rsdeck_volume_state')).toMatchObject({'host=h,volume=usb,state=partial': '1', 'host=h,volume=usb,state=ok': '0'});
	expect(samples(text, 'rsdeck_report_warnings')).toEqual({'kind=missing': '0', 'kind=partial': '1', 'kind=stale': '0', 'kind=failed': '1', 'kind=unknown': '0'});
	expect(samples(text, 'rsdeck_report_timestamp_seconds')).toEqual({'': String(now)});
	expect(text).not.toContain('rsdeck_run_');

	const withRun = metricsText(fleet(), {started: now - 900, finished: now - 300, failures: 2});
	expect(samples(withRun, 'rsdeck_run_start_timestamp_seconds')).toEqual({'': String(now - 900)});
	expect(samples(withRun, 'rsdeck_run_duration_seconds')).toEqual({'': '600'});
	expect(samples(withRun, 'rsdeck_run_failures')).toEqual({'': '2'});
});

test('every family has HELP and TYPE lines before its samples', () => {
	const lines = metricsText(fleet(), {started: 0, finished: 1, failures: 0}).trimEnd().split('\n');
	let family = '';
	for (const line of lines) {
		const help = /^# HELP (\w+) \S/.exec(line);
		if (help?.[1] !== undefined) {
			family = help[1];
			continue;
		}

		if (line.startsWith('# TYPE ')) {
			expect(line).toBe(`# TYPE ${family} gauge`);
			continue;
		}

		expect(line).toMatch(new RegExp(`^${family}(\\{.*\\})? -?\\d+$`));
	}
});
