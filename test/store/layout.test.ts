import {describe, expect, it} from 'vitest';
import {
	backupDirectory, backupId, incompletePath, nolinkPath, parseBackupId, printableId, volumeDirectory,
} from '../../src/store/layout.js';

describe('backup IDs', () => {
	it('formats the UTC start time', () => {
		expect(backupId(0)).toBe('1970-01-01T00:00:00');
		expect(backupId(315_532_800)).toBe('1980-01-01T00:00:00');
		expect(backupId(1_700_000_000)).toBe('2023-11-14T22:13:20');
	});

	it('drops fractions of a second', () => {
		expect(backupId(315_532_800.9)).toBe('1980-01-01T00:00:00');
	});

	it('parses what it formats', () => {
		for (const seconds of [0, 315_532_800, 951_782_400, 1_700_000_000, 4_102_444_799]) {
			expect(parseBackupId(backupId(seconds))).toBe(seconds);
		}
	});

	it('rejects anything else', () => {
		for (const id of ['', 'latest', '1980-01-01', '1980-01-01T00:00', '1980-01-01 00:00:00',
			'1980-01-01T00:00:00.incomplete', '1980-02-30T00:00:00', '1980-13-01T00:00:00', '1980-01-01T24:00:00', '1980-1-01T00:00:00']) {
			expect(parseBackupId(id), id).toBeUndefined();
		}
	});
});

describe('store paths', () => {
	it('follow rsbackup\'s layout', () => {
		expect(volumeDirectory('/store1', 'h1', 'home')).toBe('/store1/h1/home');
		expect(backupDirectory('/store1', 'h1', 'home', '1980-01-01T00:00:00')).toBe('/store1/h1/home/1980-01-01T00:00:00');
		expect(incompletePath('/store1', 'h1', 'home', '1980-01-01T00:00:00')).toBe('/store1/h1/home/1980-01-01T00:00:00.incomplete');
		expect(nolinkPath('/store1', 'h1', 'home')).toBe('/store1/h1/home.nolink');
	});

	it('do not double a trailing slash on the store', () => {
		expect(backupDirectory('/store1/', 'h1', 'home', '1980-01-01T00:00:00')).toBe('/store1/h1/home/1980-01-01T00:00:00');
	});
});

it('printableId escapes control characters and backslashes, and leaves a valid id alone', () => {
	expect(printableId('1980-01-01T00:00:00')).toBe('1980-01-01T00:00:00');
	expect(printableId('a\nb\rc\td\\e\u001B[2Jf\u007F')).toBe('a\\nb\\rc\\td\\\\e\\x1b[2Jf\\x7f');
});
