import {describe, expect, test} from 'vitest';
import {RsyncProgressFilter} from '../../src/actions/rsync-progress.js';
import type {Progress} from '../../src/engine/types.js';

describe('RsyncProgressFilter', () => {
	test('progress records become reports; everything else is kept as it came, across chunk boundaries', () => {
		const reports: Progress[] = [];
		const filter = new RsyncProgressFilter(progress => {
			reports.push(progress);
		});
		const chunks = [
			'sending incremental file list\n',
			'\r         32,768   1%    0.00kB/s    0:00:00  (xfr#1, to-chk=9/11)\r    1,0',
			'48,576  50%  999.52kB/s    0:00:01  (xfr#4, to-chk=5/11)',
			'\r      2,097,152 100%  998.53kB/s    0:00:02 (xfr#8, to-chk=0/11)\n\nNumber of files: 11\n',
			'Total file size: 2,097,152 bytes\n',
		];
		const log = chunks.map(chunk => filter.feed(chunk)).join('') + filter.flush();
		expect(log).toBe('sending incremental file list\n\nNumber of files: 11\nTotal file size: 2,097,152 bytes\n');
		expect(reports).toEqual([
			{fraction: 0.01, text: '32,768 bytes 1% 0.00kB/s 0:00:00'},
			{fraction: 0.5, text: '1,048,576 bytes 50% 999.52kB/s 0:00:01'},
			{fraction: 1, text: '2,097,152 bytes 100% 998.53kB/s 0:00:02'},
		]);
	});

	test('an unfinished last line is kept', () => {
		const filter = new RsyncProgressFilter(() => {});
		expect(filter.feed('rsync error: code 23')).toBe('');
		expect(filter.flush()).toBe('rsync error: code 23');
	});
});
