import {mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {removeTemporaryDirectories} from '../helpers/files.js';
import {backupAt, browse, day, snapshotSetup, type SnapshotSetup} from './snapshot-fleet.js';

afterEach(() => {
	removeTemporaryDirectories();
});

const mtime = (n: number) => new Date(`2026-10-${String(n).padStart(2, '0')}T12:00:00Z`);

function write(s: SnapshotSetup, file: string, content: string, modified: number): void {
	const full = path.join(s.source, file);
	mkdirSync(path.dirname(full), {recursive: true});
	writeFileSync(full, content);
	utimesSync(full, mtime(modified), mtime(modified));
}

/**
A config file through ten backups: unchanged over days 1-3, changed on 4
(kept over 4-6), deleted on 7, recreated on 8, replaced by a directory on 9
and by a symlink on 10.
*/
async function tenBackups(s: SnapshotSetup): Promise<void> {
	write(s, 'etc/app.conf', 'one\n', 1);
	write(s, 'etc/other', 'x\n', 1);
	for (let n = 1; n <= 10; n++) {
		const file = path.join(s.source, 'etc/app.conf');
		if (n === 4) {
			write(s, 'etc/app.conf', 'two!\n', 4);
		} else if (n === 7) {
			rmSync(file);
		} else if (n === 8) {
			write(s, 'etc/app.conf', 'three\n', 8);
		} else if (n === 9) {
			rmSync(file);
			write(s, 'etc/app.conf/inner', 'in\n', 9);
			utimesSync(file, mtime(9), mtime(9));
		} else if (n === 10) {
			rmSync(file, {recursive: true});
			symlinkSync('other', file);
		}

		await backupAt(s, day(n));
	}
}

const expectedRows = (marker: string) => [
	'TYPE              SIZE  MTIME                BACKUPS',
	`file              4     2026-10-01 12:00:00  ${day(1)} .. ${day(3)} (3 backups)${marker}`,
	`file              5     2026-10-04 12:00:00  ${day(4)} .. ${day(6)} (3 backups)${marker}`,
	`absent                                       ${day(7)} (1 backup)`,
	`file              6     2026-10-08 12:00:00  ${day(8)} (1 backup)`,
];

describe('--history', () => {
	test('with --link-dest: versions by inode, gaps, a directory and a symlink in its place', async () => {
		const s = snapshotSetup();
		await tenBackups(s);
		const result = await browse(s, ['--history', 'host1:data:etc/app.conf']);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines.slice(0, 5)).toEqual(expectedRows(''));
		expect(lines[5]).toMatch(new RegExp(`^dir +- +2026-10-09 12:00:00  ${day(9)} \\(1 backup\\)$`));
		expect(lines[6]).toMatch(new RegExp(`^symlink -> other +5 +\\S+ \\S+  ${day(10)} \\(1 backup\\)$`));
		expect(lines).toHaveLength(7);

		const json = await browse(s, ['--history', '--json', 'host1:data:/etc//app.conf']);
		const items = json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
		expect(items.map(item => [item['type'] ?? 'absent', item['matchedBy'], (item['backups'] as unknown[]).length])).toEqual([
			['file', 'inode', 3], ['file', 'inode', 3], ['absent', undefined, 1], ['file', 'inode', 1], ['dir', 'inode', 1], ['symlink', 'inode', 1],
		]);
	});

	test('without links (rsync-link-dest false): the same versions, matched by size and mtime, and it says so', async () => {
		const s = snapshotSetup({linkDest: false});
		await tenBackups(s);
		const result = await browse(s, ['--history', 'host1:data:etc/app.conf']);
		expect(result.exitCode).toBe(0);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines.slice(0, 5)).toEqual(expectedRows(' *'));
		// Named in full: with two devices every version has a copy on the other one, which is no sign of links not being used.
		expect(lines.at(-1)).toBe('* some of these backups hold a copy, not a hard link (another device, links not used, or a directory): matched by type, size, mode and mtime');
	});

	test('a file unchanged across many backups is one version; a new one in the middle is found', async () => {
		const s = snapshotSetup();
		write(s, 'keep', 'same\n', 1);
		for (let n = 1; n <= 12; n++) {
			if (n === 6) {
				write(s, 'keep', 'other\n', 6);
			}

			await backupAt(s, day(n));
		}

		const result = await browse(s, ['--history', 'host1:data:keep']);
		expect(result.stdout).toBe([
			'TYPE  SIZE  MTIME                BACKUPS',
			`file  5     2026-10-01 12:00:00  ${day(1)} .. ${day(5)} (5 backups)`,
			`file  6     2026-10-06 12:00:00  ${day(6)} .. ${day(12)} (7 backups)`,
			'',
		].join('\n'));
	});

	test('errors: a path no backup holds, an unknown host, volume, a device not available', async () => {
		const s = snapshotSetup();
		write(s, 'a', 'a\n', 1);
		await backupAt(s, day(1));
		const absent = await browse(s, ['--history', 'host1:data:nope']);
		expect([absent.exitCode, absent.stderr]).toEqual([1, 'ERROR: host1:data:nope is in none of the 1 complete backups on available devices\n']);
		expect((await browse(s, ['--history', 'nohost:data:a'])).stderr).toBe('ERROR: unknown host \'nohost\'\n');
		expect((await browse(s, ['--history', 'host1:novolume:a'])).stderr).toBe('ERROR: unknown volume \'host1:novolume\'\n');
		rmSync(path.join(s.store, 'device-id'));
		const gone = await browse(s, ['--diff', 'host1:data']);
		expect([gone.exitCode, gone.stderr]).toEqual([1, 'ERROR: no complete backup of host1:data is on an available device\n']);
	});
});
