import {appendFileSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {cli, treeOf, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {processGone, waitFor} from '../helpers/wait.js';
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
		expect(result.stdout).toBe(`restored host1:data:etc/app.conf from ${day(1)} to ${target}: 1 file and 1 directory written, 0 skipped\n`);
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
		expect(kept.stdout).toMatch(/: \d+ files? and \d+ director(y|ies) written, 1 skipped \(already there; --force replaces them\)\n$/);
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

	test('a restore whose rsync fails says it failed, with what was written before, never "restored"', async () => {
		const s = snapshotSetup();
		await backups(s);
		const target = temporaryDirectory('rsdeck-restore-');
		const elsewhere = temporaryDirectory('rsdeck-elsewhere-');
		// A symlink in the way at the target: rsync, without --force, will not write through it and fails.
		symlinkSync(elsewhere, path.join(target, 'etc'));
		const failed = await browse(s, ['--restore', '--target', target, 'host1:data:etc']);
		expect(failed.exitCode).toBe(1);
		expect(failed.stdout).not.toMatch(/^restored /m);
		expect(failed.stderr).toMatch(/^ERROR: restore of host1:data:etc from \S+ to .* failed: \d+ files? and \d+ director(y|ies) written before it, \d+ skipped\n/m);
		expect(treeOf(elsewhere)).toEqual({});
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

		// A target that is a file, or lies under one, is refused before anything runs: no "restored" line, no raw errno text.
		const file = path.join(target, 'a-file');
		writeFileSync(file, 'mine\n');
		for (const written of [file, path.join(file, 'below')]) {
			const result = await browse(s, ['--restore', '--target', written, 'host1:data:etc']);
			expect([result.exitCode, result.stdout, result.stderr]).toEqual([1, '', `ERROR: --target ${written}: ${file} is not a directory\n`]);
		}

		expect(readFileSync(file, 'utf8')).toBe('mine\n');
		rmSync(file);

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

describe('--restore stops', () => {
	test('Ctrl-C (SIGINT) cancels the restore: rsync\'s process group is killed and rsdeck exits 1', async () => {
		const s = snapshotSetup();
		await backups(s);
		// From now on "rsync" is a stand-in that says where it is and hangs, as a restore of a large tree would.
		const pidFile = path.join(s.root, 'rsync.pid');
		const slow = writeScript(path.join(s.root, 'slow-rsync'), `echo $$ > '${pidFile}'\nexec sleep 60`);
		appendFileSync(s.config, `    rsync-command ${slow}\n`);
		const child = execa(process.execPath, [cli, '--restore', '--target', temporaryDirectory('rsdeck-restore-'), '--config', s.config, 'host1:data:etc'], {reject: false, stdin: 'ignore', env: {RSBACKUP_TIME: '2026-12-01T00:00:00'}});
		await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the restore\'s rsync to start');
		const rsyncPid = Number(readFileSync(pidFile, 'utf8'));
		child.kill('SIGINT');
		const result = await child;
		expect(result.exitCode).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe('WARNING: cancelling the run\nERROR: restore of host1:data:etc cancelled: nothing more is written; what was written stays');
		await waitFor(() => processGone(rsyncPid), 'rsync to be gone');
	});
});
