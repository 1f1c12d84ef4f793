import {beforeAll, describe, expect, test} from 'vitest';
import {reportData} from '../../src/report/report-data.js';
import {textReport} from '../../src/report/text-report.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

describe('textReport', () => {
	test('reproduces SPEC §7\'s example character for character', () => {
		const config = makeConfig(['device1', 'device2'], {host1: ['volume1', 'volume2', 'volume3']});
		const rows = [
			row('host1', 'volume1', 'device1', '1980-01-01T00:00:00', {duration: 60}),
			row('host1', 'volume1', 'device2', '1980-01-01T00:00:00', {duration: 60}),
		];
		const data = reportData({config, rows, now: at('1980-01-01T00:00:00'), logs: 'failed'});
		expect(textReport(data)).toBe(`==== Backup report (1980-01-01) ====

=== Warnings ===

 * WARNING: 2 volumes have no backups.

=== Summary ===

| Host  | Volume  |   Oldest   | Total |                        Devices                        |  Time  |
|       |         |            |       |          device1          |          device2          |        |
|       |         |            |       |   Newest   | Count | Size |   Newest   | Count | Size | Med/Max|
| host1 | volume1 | 1980-01-01 | 2     | 1980-01-01 | 1     | 4K   | 1980-01-01 | 1     | 4K   | 1m/1m  |
|       | volume2 | none       | 0     | none       | 0     |      | none       | 0     |      |        |
|       | volume3 | none       | 0     | none       | 0     |      | none       | 0     |      |        |

=== Logfiles ===

== Pruning logs ==

| Created | Pruned | Host | Volume | Device | Reason|

Generated Tue Jan  1 00:00:00 1980

`);
	});
});
