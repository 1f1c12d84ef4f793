import {expect, test} from 'vitest';
import {now} from '../../src/config/clock.js';
import {UsageError} from '../../src/options/usage-error.js';

test('RSBACKUP_TIME accepts a Unix time', () => {
	expect(now('backup', {RSBACKUP_TIME: '315532800'})).toBe(315_532_800);
});

test('RSBACKUP_TIME accepts an ISO time read as UTC', () => {
	expect(now('report', {RSBACKUP_TIME: '1980-01-01T00:00:00'})).toBe(315_532_800);
	expect(now('report', {RSBACKUP_TIME: '2024-02-29T12:34:56'})).toBe(Date.UTC(2024, 1, 29, 12, 34, 56) / 1000);
});

test('the per-purpose variable wins over RSBACKUP_TIME, for its purpose only', () => {
	const env = {RSBACKUP_TIME: '100', RSBACKUP_TIME_PRUNE: '200', RSBACKUP_TIME_FINISH: '1980-01-01T00:01:00'};
	expect(now('prune', env)).toBe(200);
	expect(now('finish', env)).toBe(315_532_860);
	expect(now('backup', env)).toBe(100);
	expect(now('report', {RSBACKUP_TIME_REPORT: '7'})).toBe(7);
	expect(now('backup', {RSBACKUP_TIME_BACKUP: '8'})).toBe(8);
});

test('without the variables it is the real clock', () => {
	const before = Math.floor(Date.now() / 1000);
	const value = now('backup', {});
	expect(value).toBeGreaterThanOrEqual(before);
	expect(value).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
});

test.each(['yesterday', ' ', '1980-01-01', '1980-13-01T00:00:00', '1980-02-30T00:00:00', '1980-01-01T00:00:00Z', '12.5'])('%j is refused', value => {
	expect(() => now('backup', {RSBACKUP_TIME: value})).toThrow(new UsageError(`cannot parse RSBACKUP_TIME value: ${value}`));
});

test('a bad per-purpose value is refused even when RSBACKUP_TIME is good', () => {
	expect(() => now('prune', {RSBACKUP_TIME: '1', RSBACKUP_TIME_PRUNE: 'soon'})).toThrow(UsageError);
});

test('a variable set but empty is the real clock, as in rsbackup (scripts pass it through empty)', () => {
	const before = Math.floor(Date.now() / 1000);
	for (const env of [{RSBACKUP_TIME: ''}, {RSBACKUP_TIME_PRUNE: ''}, {RSBACKUP_TIME: '', RSBACKUP_TIME_PRUNE: ''}, {RSBACKUP_TIME: '100', RSBACKUP_TIME_PRUNE: ''}]) {
		const value = now('prune', env);
		expect(value).toBeGreaterThanOrEqual(before);
		expect(value).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
	}

	expect(now('prune', {RSBACKUP_TIME: '', RSBACKUP_TIME_PRUNE: '200'})).toBe(200);
});
