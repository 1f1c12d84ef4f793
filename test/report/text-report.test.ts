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

Generated Tue Jan 1 00:00:00 1980

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

Generated Fri Feb 1 00:00:00 1980

`);
	});

	test('keeps Size and Time empty when no log has --stats and no backup has a finish time, and widens a span for a long device name', () => {
		const config = makeConfig(['a-very-long-device-name-indeed-yes', 'd2'], {h: ['v']}, {report: [{key: 'summary'}]});
		const rows = [row('h', 'v', 'a-very-long-device-name-indeed-yes', '1980-01-01T00:00:00', {log: 'no stats'}), row('h', 'v', 'd2', '1980-01-01T00:00:00', {log: ''})];
		expect(text({config, rows, now: at('1980-01-01T12:00:00')})).toBe(`| Host | Volume |   Oldest   | Total |                            Devices                             |  Time  |
|      |        |            |       | a-very-long-device-name-indeed-yes |            d2             |        |
|      |        |            |       |   Newest   | Count |     Size      |   Newest   | Count | Size | Med/Max|
| h    | v      | 1980-01-01 | 2     | 1980-01-01 | 1     |               | 1980-01-01 | 1     |      |        |

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

Generated Tue Jan 1 00:00:00 1980

`);
	});
});

describe('rsbackup\'s text rules', () => {
	const config = makeConfig(['d1'], {h: ['v']});
	const rows = [row('h', 'v', 'd1', '1980-01-01T00:00:00', {duration: 60})];

	test('${RSBACKUP_CTIME} is <timestamp> when the report clock is faked (RSBACKUP_TIME or RSBACKUP_TIME_REPORT), ctime when not', () => {
		const generated = (env: Record<string, string>) => text({config, rows, now: at('1980-01-01T00:00:00'), env}).split('\n').filter(line => line.startsWith('Generated'));
		expect(generated({RSBACKUP_TIME: '315532800'})).toEqual(['Generated <timestamp>']);
		expect(generated({RSBACKUP_TIME_REPORT: '315532800'})).toEqual(['Generated <timestamp>']);
		expect(generated({RSBACKUP_TIME: '', RSBACKUP_TIME_REPORT: ''})).toEqual(['Generated Tue Jan 1 00:00:00 1980']);
		expect(generated({})).toEqual(['Generated Tue Jan 1 00:00:00 1980']);
	});

	test('paragraphs and list entries are word-wrapped to 80 columns with whitespace collapsed', () => {
		const words = Array.from({length: 30}, (_, index) => `word${index}`).join('  \t ');
		const report = textReport(reportData({config: makeConfig(['d1'], {h: ['v']}, {report: [{key: 'p', value: words}, {key: 'warnings'}]}), rows: [], now: at('1980-01-01T00:00:00'), logs: 'failed'}));
		expect(report).toBe(`word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12
word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23
word24 word25 word26 word27 word28 word29

 * WARNING: 1 volumes have no backups.

`);
		const long = makeConfig(['d1'], {[`host-${'x'.repeat(40)}`]: [`volume-${'y'.repeat(40)}`]}, {report: [{key: 'warnings'}]});
		const unknown = row(`host-${'x'.repeat(40)}`, `volume-${'z'.repeat(40)}`, 'd1', '1980-01-01T00:00:00');
		expect(textReport(reportData({config: long, rows: [unknown], now: at('1980-01-01T00:00:00'), logs: 'failed'}))).toBe(` * Unknown volume
   host-${'x'.repeat(40)}:volume-${'z'.repeat(40)}
   on device d1
 * WARNING: 1 volumes have no backups.

`);
	});

	test('an empty warnings section is an empty list: the default report has two empty lines before the summary', () => {
		const report = text({config, rows, now: at('1980-01-01T00:00:00')});
		expect(report.startsWith('==== Backup report (1980-01-01) ====\n\n\n=== Summary ===\n')).toBe(true);
	});

	test('the summary always has the Size and Time columns, also with no backups', () => {
		const report = textReport(reportData({config: makeConfig(['d1'], {h: ['v']}, {report: [{key: 'summary'}]}), rows: [], now: at('1980-01-01T00:00:00'), logs: 'failed'}));
		expect(report).toBe(`| Host | Volume | Oldest | Total |        Devices        |  Time  |
|      |        |        |       |          d1           |        |
|      |        |        |       | Newest | Count | Size | Med/Max|
| h    | v      | none   | 0     | none   | 0     |      |        |

`);
	});

	test('unknown devices, hosts and volumes are listed one per device in rsbackup\'s words, sorted', () => {
		const known = makeConfig(['d1', 'd2'], {h: ['v']}, {report: [{key: 'warnings'}]});
		const unknownRows = [
			row('h', 'v', 'd1', '1980-01-01T00:00:00'),
			row('h', 'v', 'd2', '1980-01-01T00:00:00'),
			row('h', 'v', 'd9', '1980-01-01T00:00:00'),
			row('h', 'v', 'd8', '1980-01-02T00:00:00'),
			row('h', 'v', 'd8', '1980-01-03T00:00:00'),
			row('gone', 'v', 'd2', '1980-01-01T00:00:00'),
			row('gone', 'w', 'd1', '1980-01-01T00:00:00'),
			row('h', 'old', 'd2', '1980-01-01T00:00:00'),
			row('h', 'old', 'd1', '1980-01-01T00:00:00'),
			row('h', 'older', 'd1', '1980-01-01T00:00:00', {status: BackupStatus.pruned, pruned: at('1980-01-02T00:00:00')}),
		];
		expect(textReport(reportData({config: known, rows: unknownRows, now: at('1980-01-03T00:00:00'), logs: 'failed'}))).toBe(` * Unknown device d8
 * Unknown device d9
 * Unknown host gone on device d1
 * Unknown host gone on device d2
 * Unknown volume h:old on device d1
 * Unknown volume h:old on device d2

`);
	});
});
