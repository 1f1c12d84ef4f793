import {beforeAll, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {reportData, type ReportInput} from '../../src/report/report-data.js';
import {textReport} from '../../src/report/text-report.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

const text = (input: Partial<ReportInput> & Pick<ReportInput, 'config' | 'rows' | 'now'>) => textReport(reportData({logs: 'failed', ...input}));

describe('textReport', () => {
	test('reproduces SPEC §7\'s example character for character', () => {
		const config = makeConfig(['device1', 'device2'], {host1: ['volume1', 'volume2', 'volume3']});
		const rows = [
			row('host1', 'volume1', 'device1', '1980-01-01T00:00:00', {duration: 60}),
			row('host1', 'volume1', 'device2', '1980-01-01T00:00:00', {duration: 60}),
		];
		expect(text({config, rows, now: at('1980-01-01T00:00:00')})).toBe(`==== Backup report (1980-01-01) ====

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

	test('widens columns for their contents, merges pruning logs across devices, and drops absent columns', () => {
		const config = makeConfig(['device1', 'device2'], {host1: ['volume1', 'volume2', 'volume3']});
		const reason = 'age 31 > 2 and remaining 2 > 1';
		const rows = [
			row('host1', 'volume1', 'device1', '1980-01-01T00:00:00', {status: BackupStatus.pruned, pruned: at('1980-02-01T00:00:00'), log: reason}),
			row('host1', 'volume1', 'device2', '1980-01-01T00:00:00', {status: BackupStatus.pruned, pruned: at('1980-02-01T00:00:00'), log: reason}),
			row('host1', 'volume1', 'device1', '1980-01-02T00:00:00', {duration: 60}),
			row('host1', 'volume1', 'device2', '1980-01-02T00:00:00', {duration: 60}),
			...['device1', 'device2'].flatMap(device => [
				row('host1', 'volume2', device, '1980-01-01T00:00:00', {duration: 60, log: 'Total file size: 1048576 bytes\n'}),
				row('host1', 'volume2', device, '1980-01-02T00:00:00', {duration: 120, log: 'Total file size: 2,097,152 bytes\n'}),
			]),
			row('host1', 'volume3', 'device2', '1980-01-01T00:00:00', {duration: 60, log: 'Total file size: 4 bytes\n'}),
			row('host1', 'volume3', 'device2', '1980-01-02T00:00:00', {duration: 120, log: 'Total file size: 4 bytes\n'}),
		];
		expect(text({config, rows, now: at('1980-02-01T00:00:00')})).toBe(`==== Backup report (1980-02-01) ====

=== Warnings ===

 * WARNING: 1 volumes are not fully backed up.
 * WARNING: 2 volumes are out of date.

=== Summary ===

| Host  | Volume  |   Oldest   | Total |                        Devices                        |   Time  |
|       |         |            |       |          device1          |          device2          |         |
|       |         |            |       |   Newest   | Count | Size |   Newest   | Count | Size | Med/Max |
| host1 | volume1 | 1980-01-02 | 2     | 1980-01-02 | 1     | 4K   | 1980-01-02 | 1     | 4K   | 1m/1m   |
|       | volume2 | 1980-01-01 | 4     | 1980-01-02 | 2     | 2M   | 1980-01-02 | 2     | 2M   | 1m30s/2m|
|       | volume3 | 1980-01-01 | 2     | none       | 0     |      | 1980-01-02 | 2     | 4    | 1m30s/2m|

=== Logfiles ===

== Pruning logs ==

|  Created   |   Pruned   | Host  | Volume  |     Device      |             Reason            |
| 1980-01-01 | 1980-02-01 | host1 | volume1 | device1,device2 | age 31 > 2 and remaining 2 > 1|

Generated Fri Feb  1 00:00:00 1980

`);
	});

	test('leaves out Size and Time when no log has --stats and no backup has a finish time, and widens a span for a long device name', () => {
		const config = makeConfig(['a-very-long-device-name', 'd2'], {h: ['v']}, {report: [{key: 'summary'}]});
		const rows = [row('h', 'v', 'a-very-long-device-name', '1980-01-01T00:00:00', {log: 'no stats'}), row('h', 'v', 'd2', '1980-01-01T00:00:00', {log: ''})];
		expect(text({config, rows, now: at('1980-01-01T12:00:00')})).toBe(`| Host | Volume |   Oldest   | Total |                   Devices                   |
|      |        |            |       | a-very-long-device-name |         d2        |
|      |        |            |       |   Newest   |   Count    |   Newest   | Count|
| h    | v      | 1980-01-01 | 2     | 1980-01-01 | 1          | 1980-01-01 | 1    |

`);
	});

	test('shows the logs --logs chooses, with their status', () => {
		const config = makeConfig(['d1'], {h: ['v']}, {report: [{key: 'logs'}]});
		const rows = [
			row('h', 'v', 'd1', '1980-01-01T00:00:00', {status: BackupStatus.failed, rc: -1, log: 'pre-volume-hook failed\n'}),
			row('h', 'v', 'd1', '1980-01-02T00:00:00', {status: BackupStatus.failed, rc: 9, log: 'killed\n'}),
		];
		expect(text({config, rows, now: at('1980-01-03T00:00:00'), logs: 'errors'})).toBe(`h:v on d1 at 1980-01-01T00:00:00: failed, rsync never ran

    pre-volume-hook failed

h:v on d1 at 1980-01-02T00:00:00: failed, killed by signal 9

    killed

`);
	});

	test('renders every layout key, with substitution and conditions', () => {
		const config = makeConfig(['d1'], {h: ['v']}, {report: [
			{key: 'title', value: 'not printed'},
			{key: 'h1', value: 'Report for ${RSBACKUP_DATE} from ${SITE}'},
			{key: 'h2', value: 'Problems', condition: 'warnings'},
			{key: 'p', value: 'All well', condition: '!warnings'},
			{key: 'h3', value: 'Escaped \\${RSBACKUP_DATE} and ${UNSET_VARIABLE}'},
			{key: 'pre', value: 'a\n  b'},
			{key: 'history-graph'},
			{key: 'generated'},
		]});
		const rows = [row('h', 'v', 'd1', '1980-01-01T00:00:00')];
		expect(text({config, rows, now: at('1980-01-01T00:00:00'), env: {SITE: 'Cambridge'}})).toBe(`==== Report for 1980-01-01 from Cambridge ====

All well

== Escaped \${RSBACKUP_DATE} and \${UNSET_VARIABLE} ==

a
  b

Generated Tue Jan  1 00:00:00 1980

`);
	});
});
