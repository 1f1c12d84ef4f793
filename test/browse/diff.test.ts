import {chmodSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, describe, expect, test} from 'vitest';
import {writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories} from '../helpers/files.js';
import {backupAt, browse, day, inBackup, snapshotSetup, type SnapshotSetup} from './snapshot-fleet.js';

afterEach(() => {
	removeTemporaryDirectories();
});

/** The paths `rsync -an --delete --itemize-changes NEW/ OLD/` would touch: what changed from OLD to NEW, by rsync's account. */
async function rsyncChanges(older: string, newer: string): Promise<string[]> {
	const {stdout} = await execa('rsync', ['-an', '--delete', '--itemize-changes', `${newer}/`, `${older}/`]);
	return stdout.split('\n').filter(line => line !== '').map(line => {
		const deleting = /^\*deleting +(.*)$/.exec(line);
		return (deleting ? deleting[1]! : line.slice(12)).replace(/ -> .*$/, '').replace(/\/$/, '');
	}).filter(file => file !== '.').sort();
}

const pathsOf = (stdout: string): string[] => stdout.split('\n').filter(line => line !== '').map(line => line.slice(2).replace(/\/$/, '')).sort();

const old = new Date('2026-10-01T00:00:00Z');

/** A tree where every kind of change happens between day 1 and day 2. */
async function twoBackups(s: SnapshotSetup): Promise<void> {
	writeTree(s.source, {
		'same/a': 'a\n', 'same/deep/b': 'b\n', 'content': 'one\n', 'touched': 't\n', 'chmodded': 'c\n',
		'gone/x': 'x\n', 'gone/y/z': 'z\n', 'to-dir': 'f\n', 'to-link': 'l\n', 'link': 'x', 'removed file': 'r\n',
	});
	rmSync(path.join(s.source, 'link'));
	symlinkSync('same/a', path.join(s.source, 'link'));
	for (const file of ['same/a', 'same/deep/b', 'content', 'touched', 'chmodded', 'to-dir', 'to-link', 'removed file']) {
		utimesSync(path.join(s.source, file), old, old);
	}

	await backupAt(s, day(1));
	writeFileSync(path.join(s.source, 'content'), 'two\n');
	utimesSync(path.join(s.source, 'touched'), new Date('2026-10-05T00:00:00Z'), new Date('2026-10-05T00:00:00Z'));
	chmodSync(path.join(s.source, 'chmodded'), 0o600);
	rmSync(path.join(s.source, 'gone'), {recursive: true});
	rmSync(path.join(s.source, 'removed file'));
	rmSync(path.join(s.source, 'to-dir'));
	writeTree(s.source, {'to-dir/inside': 'i\n', 'new dir/n1': '1\n', 'new dir/sub/n2': '2\n', 'added "quoted"': 'q\n'});
	rmSync(path.join(s.source, 'to-link'));
	symlinkSync('content', path.join(s.source, 'to-link'));
	rmSync(path.join(s.source, 'link'));
	symlinkSync('same/deep/b', path.join(s.source, 'link'));
	await backupAt(s, day(2));
}

describe('--diff', () => {
	test('reports the same changed paths as rsync -an --delete --itemize-changes, each marked with its kind', async () => {
		const s = snapshotSetup();
		await twoBackups(s);
		const result = await browse(s, ['--diff', 'host1:data']);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(pathsOf(result.stdout)).toEqual(await rsyncChanges(inBackup(s, day(1)), inBackup(s, day(2))));
		const kinds = Object.fromEntries(result.stdout.trimEnd().split('\n').map(line => [line.slice(2), line[0]]));
		expect(kinds).toMatchObject({
			'content': 'M', 'touched': 'M', 'chmodded': 'A', 'gone/': '-', 'gone/x': '-', 'gone/y/': '-', 'gone/y/z': '-', 'removed file': '-',
			'to-dir/': 'T', 'to-dir/inside': '+', 'to-link': 'T', 'link': 'M', 'new dir/': '+', 'new dir/n1': '+', 'new dir/sub/n2': '+', 'added "quoted"': '+',
		});
		expect(kinds).not.toHaveProperty('same/a');
		expect(result.stdout.split('\n').indexOf('- gone/')).toBeLessThan(result.stdout.split('\n').indexOf('- gone/x'));
	});

	test('--checksum reads the data: a file only touched is A, not M', async () => {
		const s = snapshotSetup();
		await twoBackups(s);
		const result = await browse(s, ['--diff', '--checksum', 'host1:data']);
		expect(result.stdout).toContain('A touched\n');
		expect(result.stdout).toContain('M content\n');
	});

	test('the same trees without links: still the same set as rsync, nothing unchanged listed', async () => {
		const s = snapshotSetup({linkDest: false});
		await twoBackups(s);
		const result = await browse(s, ['--diff', 'host1:data']);
		expect(pathsOf(result.stdout)).toEqual(await rsyncChanges(inBackup(s, day(1)), inBackup(s, day(2))));
	});

	test('under a path, as JSON, with --from and --to; errors for unknown backups and absent paths', async () => {
		const s = snapshotSetup();
		await twoBackups(s);
		mkdirSync(path.join(s.source, 'later'));
		await backupAt(s, day(3));
		const json = await browse(s, ['--diff', '--json', '--from', day(1), '--to', day(2), 'host1:data:new dir']);
		expect(json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as unknown)).toEqual([
			{change: '+', path: 'new dir', type: 'dir'}, {change: '+', path: 'new dir/n1', type: 'file'}, {change: '+', path: 'new dir/sub', type: 'dir'}, {change: '+', path: 'new dir/sub/n2', type: 'file'},
		]);
		const newest = await browse(s, ['--diff', 'host1:data']);
		expect(newest.stdout).toBe('+ later/\n');
		const fromAlone = await browse(s, ['--diff', '--from', day(2), 'host1:data']);
		expect(fromAlone.stdout).toBe('+ later/\n');
		const unknown = await browse(s, ['--diff', '--from', '2026-11-09T01:00:00', 'host1:data']);
		expect([unknown.exitCode, unknown.stderr]).toEqual([1, 'ERROR: no backup 2026-11-09T01:00:00 of host1:data\n']);
		const absent = await browse(s, ['--diff', '--from', day(1), '--to', day(2), 'host1:data:later']);
		expect(absent.stderr).toBe(`ERROR: host1:data:later is not in backup ${day(1)} or ${day(2)}; nearest backups holding it: ${day(3)} (device1)\n`);
	});
});
