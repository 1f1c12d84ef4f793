import {existsSync, linkSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {treeOf, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {startSshd, type TestSshd} from '../helpers/sshd.js';
import {configLine} from '../ssh/remote-fleet.js';
import {backupAt, browse, day, inBackup, snapshotSetup, type SnapshotSetup} from './snapshot-fleet.js';

afterEach(() => {
	removeTemporaryDirectories();
});

const awkward = 'etc/it\'s a "file" [1]';

/** Two backups: day 1 with the first contents, day 2 with `etc/app.conf` changed. */
async function backups(s: SnapshotSetup): Promise<void> {
	writeTree(s.source, {'etc/app.conf': 'v1\n', 'etc/ssh/sshd_config': 'Port 22\n', 'data/one': 'linked\n', [awkward]: 'quoted\n', 'top': 't\n'});
	linkSync(path.join(s.source, 'data/one'), path.join(s.source, 'data/two'));
	symlinkSync('/etc', path.join(s.source, 'out'));
	symlinkSync('../etc', path.join(s.source, 'data/up'));
	await backupAt(s, day(1));
	writeFileSync(path.join(s.source, 'etc/app.conf'), 'v2 newer\n');
	await backupAt(s, day(2));
}

describe('--restore to a local target', () => {
	test('a file from yesterday keeps its place in the volume; the newest by default', async () => {
		const s = snapshotSetup();
		await backups(s);
		const target = temporaryDirectory('rsdeck-restore-');
		const result = await browse(s, ['--restore', '--from', day(1), '--target', target, 'host1:data:etc/app.conf']);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(treeOf(target)).toEqual({'etc/app.conf': 'v1\n'});
		expect(result.stdout).toBe(`restored host1:data:etc/app.conf from ${day(1)} to ${target}: 2 written, 0 skipped\n`);
		const newest = await browse(s, ['--restore', '--target', path.join(target, 'new'), 'host1:data:etc/app.conf']);
		expect(newest.exitCode).toBe(0);
		expect(readFileSync(path.join(target, 'new/etc/app.conf'), 'utf8')).toBe('v2 newer\n');
	});

	test('a directory with hard links inside keeps them; a relative target; the whole volume', async () => {
		const s = snapshotSetup();
		await backups(s);
		const cwd = temporaryDirectory('rsdeck-restore-');
		const result = await browse(s, ['--restore', '--target', 'out', 'host1:data:data'], {cwd});
		expect(result.exitCode).toBe(0);
		const one = statSync(path.join(cwd, 'out/data/one'));
		expect(one.ino).toBe(statSync(path.join(cwd, 'out/data/two')).ino);
		expect(one.ino).not.toBe(statSync(inBackup(s, day(2), 'data/one')).ino);
		expect(lstatSync(path.join(cwd, 'out/data/up')).isSymbolicLink()).toBe(true);
		const all = await browse(s, ['--restore', '--target', 'all', 'host1:data'], {cwd});
		expect(all.exitCode).toBe(0);
		// Symlinks compared as links: `out -> /etc` must not be followed.
		const same = await execa('diff', ['-r', '--no-dereference', inBackup(s, day(2)), path.join(cwd, 'all')], {reject: false});
		expect([same.exitCode, same.stdout]).toEqual([0, '']);
	});

	test('a path with spaces, quotes and brackets', async () => {
		const s = snapshotSetup();
		await backups(s);
		const target = path.join(temporaryDirectory('rsdeck-restore-'), 'a "target" it\'s');
		const result = await browse(s, ['--restore', '--target', target, `host1:data:${awkward}`]);
		expect(result.stderr).toBe('');
		expect(treeOf(target)).toEqual({[awkward]: 'quoted\n'});
	});

	test('never replaces without --force: existing files are skipped and listed; --force replaces; nothing is deleted', async () => {
		const s = snapshotSetup();
		await backups(s);
		const target = temporaryDirectory('rsdeck-restore-');
		writeTree(target, {'etc/app.conf': 'mine\n', 'etc/extra': 'keep me\n'});
		const kept = await browse(s, ['--restore', '--target', target, 'host1:data:etc']);
		expect(kept.exitCode).toBe(0);
		expect(kept.stdout).toContain('skipped (exists) etc/app.conf\n');
		expect(kept.stdout).toMatch(/: \d+ written, 1 skipped \(already there; --force replaces them\)\n$/);
		expect(readFileSync(path.join(target, 'etc/app.conf'), 'utf8')).toBe('mine\n');
		expect(readFileSync(path.join(target, 'etc/ssh/sshd_config'), 'utf8')).toBe('Port 22\n');

		const dry = await browse(s, ['--restore', '--force', '--dry-run', '--target', target, 'host1:data:etc']);
		expect(dry.stdout).toContain('would write etc/app.conf\n');
		expect(readFileSync(path.join(target, 'etc/app.conf'), 'utf8')).toBe('mine\n');

		const forced = await browse(s, ['--restore', '--force', '--target', target, 'host1:data:etc']);
		expect(forced.exitCode).toBe(0);
		expect(readFileSync(path.join(target, 'etc/app.conf'), 'utf8')).toBe('v2 newer\n');
		expect(readFileSync(path.join(target, 'etc/extra'), 'utf8')).toBe('keep me\n');
	});

	test('refusals: a target in a store, .., a symlink out of the snapshot, unknown backup, absent path', async () => {
		const s = snapshotSetup();
		await backups(s);
		const target = temporaryDirectory('rsdeck-restore-');
		const refuse = async (args: string[], message: string) => {
			const result = await browse(s, ['--restore', ...args]);
			expect([result.exitCode, result.stderr]).toEqual([1, `ERROR: ${message}\n`]);
		};

		await refuse(['--target', path.join(s.store, 'host1/data/new'), 'host1:data:etc'], `--target ${path.join(s.store, 'host1/data/new')} is inside the store ${s.store}: a restore never writes into a store`);
		await refuse(['--target', target, 'host1:data:etc/../..'], 'path \'etc/../..\' climbs out of the snapshot (\'..\' is not allowed)');
		await refuse(['--target', target, 'host1:data:out/passwd'], 'path \'out/passwd\' leads out of the snapshot through the symlink out -> /etc');
		await refuse(['--target', target, '--from', '2026-11-09T01:00:00', 'host1:data:etc'], 'no backup 2026-11-09T01:00:00 of host1:data');
		await refuse(['--target', target, 'host1:data:nothing'], `host1:data:nothing is not in backup ${day(2)}; no backup holds it`);
		await refuse(['--target', 'nohost:/tmp/x', 'host1:data:etc'], 'unknown host \'nohost\' in --target nohost:/tmp/x (write ./nohost:/tmp/x for a local path)');
		expect(existsSync(path.join(s.store, 'host1/data/new'))).toBe(false);
		expect(readFileSync('/etc/hostname', 'utf8')).not.toBe('');

		// A symlink that stays inside the snapshot is followed to the real path.
		const inside = await browse(s, ['--restore', '--target', target, 'host1:data:data/up/app.conf']);
		expect(inside.exitCode).toBe(0);
		expect(treeOf(target)).toEqual({'etc/app.conf': 'v2 newer\n'});
	});
});

describe('--restore to a remote target', () => {
	let sshd: TestSshd;

	beforeAll(async () => {
		sshd = await startSshd();
	}, 60_000);

	afterAll(async () => {
		await sshd.stop();
	});

	test('HOST:PATH of a configured host, through its ssh-command, with an awkward path', async () => {
		const s = snapshotSetup({extra: [configLine(['ssh-command', ...sshd.sshCommand]), 'host remote', `  hostname ${sshd.hostname}`, `  user ${sshd.user}`]});
		await backups(s);
		const target = path.join(temporaryDirectory('rsdeck-remote-'), 'restored it\'s [x]');
		mkdirSync(target);
		writeTree(target, {'etc/app.conf': 'theirs\n'});
		const result = await browse(s, ['--restore', '--target', `remote:${target}`, 'host1:data:etc']);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('skipped (exists) etc/app.conf\n');
		expect(treeOf(target)).toEqual({'etc/app.conf': 'theirs\n', 'etc/ssh/sshd_config': 'Port 22\n', [awkward]: 'quoted\n'});
	});
});
