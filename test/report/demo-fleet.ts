/**
A realistic fleet for the HTML rendering test and the screenshot: three hosts,
three devices, two months of nightly backups with gaps, a device that is
rotated off-site weekly, a failing volume, an unknown device, pruning logs.
*/
import type {Config} from '../../src/config/types.js';
import {BackupStatus, type BackupRow} from '../../src/db/types.js';
import {at, makeConfig, row, statsLog} from './fixtures.js';

/** The report clock of the demo. */
export const demoNow = at('2024-03-15T07:30:00');

export function demoConfig(): Config {
	return makeConfig(['offsite', 'usb1', 'usb2'], {
		'db1.example.org': ['pgdata', {name: 'etc', maxAge: 7 * 86_400}],
		'mail.example.org': ['home', 'spool', 'etc'],
		'laptop-anna': [{name: 'home', devicePattern: 'usb*'}],
	});
}

const day = (index: number): string => new Date(at('2024-01-15T02:00:00') * 1000 + (index * 86_400_000)).toISOString().slice(0, 19);

export function demoRows(): BackupRow[] {
	const rows: BackupRow[] = [];
	const volumes: Array<[string, string, number]> = [
		['db1.example.org', 'pgdata', 38_000_000_000],
		['db1.example.org', 'etc', 2_400_000],
		['mail.example.org', 'home', 120_000_000_000],
		['mail.example.org', 'spool', 8_300_000_000],
		['mail.example.org', 'etc', 1_900_000],
	];
	for (let index = 0; index < 60; index++) {
		for (const [host, volume, bytes] of volumes) {
			const size = bytes + (index * 1_000_000);
			const device = index % 2 === 0 ? 'usb1' : 'usb2';
			if (!(volume === 'spool' && index > 52)) {
				rows.push(row(host, volume, device, day(index), {duration: 600 + ((index * 37) % 900), log: statsLog(size)}));
			}

			if (index % 7 === 3 && volume !== 'spool') {
				rows.push(row(host, volume, 'offsite', day(index), {duration: 1800 + (index * 11), log: statsLog(size)}));
			}
		}

		if (index % 3 === 0 && index < 50) {
			rows.push(row('laptop-anna', 'home', index % 2 === 0 ? 'usb1' : 'usb2', day(index), {duration: 1200, log: statsLog(54_000_000_000)}));
		}
	}

	rows.push(
		row('mail.example.org', 'spool', 'usb1', day(58), {status: BackupStatus.failed, duration: 12}),
		row('mail.example.org', 'spool', 'usb2', day(59), {status: BackupStatus.failed, duration: 9}),
		row('old-nas', 'share', 'usb1', '2024-01-20T02:00:00', {duration: 300}),
		row('db1.example.org', 'pgdata', 'usb1', '2023-12-01T02:00:00', {status: BackupStatus.pruned, pruned: at('2024-03-14T04:00:00'), log: 'age 104 > 90 and remaining 30 > 1'}),
		row('db1.example.org', 'pgdata', 'usb2', '2023-12-01T02:00:00', {status: BackupStatus.pruned, pruned: at('2024-03-14T04:00:00'), log: 'age 104 > 90 and remaining 30 > 1'}),
	);
	return rows;
}
