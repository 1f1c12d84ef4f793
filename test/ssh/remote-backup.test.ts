import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {readBackups, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {startSshd, type TestSshd} from '../helpers/sshd.js';
import {configLine, describedAs, finalState, indexOfState, parseEvents, remoteConfig, remoteHost, treeOf} from './remote-fleet.js';

let sshd: TestSshd;

beforeAll(async () => {
	sshd = await startSshd();
}, 60_000);

afterAll(async () => {
	await sshd.stop();
});

afterEach(() => {
	removeTemporaryDirectories();
});

const day1 = '1980-01-01T00:00:00';
const day2 = '1980-01-02T00:00:00';

/** A directory on the "remote" host (this machine, reached through the test sshd). */
function remoteSource(files: Record<string, string> = {'a.txt': 'alpha\n', 'sub/b.txt': 'beta\n', 'sub/deeper/c.txt': 'gamma\n'}): string {
	const source = path.join(temporaryDirectory('rsdeck-remote-'), 'data');
	writeTree(source, files);
	return source;
}

describe('a remote volume over ssh', () => {
	test('is backed up identical to its source, and the next backup hard-links to it', async () => {
		const source = remoteSource();
		const s = remoteConfig(sshd, {hosts: [remoteHost(sshd, 'remote', [configLine(['volume', 'data', source])])]});
		const first = await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: day1}});
		expect(first.stderr).toBe('');
		expect(first.exitCode).toBe(0);
		const backup1 = path.join(s.store, 'remote', 'data', day1);
		expect(treeOf(backup1)).toEqual(treeOf(source));
		expect(existsSync(`${backup1}.incomplete`)).toBe(false);

		writeFileSync(path.join(source, 'a.txt'), 'changed\n');
		const second = await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: day2}});
		expect(second.exitCode).toBe(0);
		const backup2 = path.join(s.store, 'remote', 'data', day2);
		expect(treeOf(backup2)).toEqual(treeOf(source));
		expect(statSync(path.join(backup2, 'sub/b.txt')).ino).toBe(statSync(path.join(backup1, 'sub/b.txt')).ino);
		expect(statSync(path.join(backup2, 'a.txt')).ino).not.toBe(statSync(path.join(backup1, 'a.txt')).ino);
		expect(readBackups(s.database).map(row => [row.id, row.status, row.rc])).toEqual([[day1, 2, 0], [day2, 2, 0]]);
	});

	test('check-file and check-mounted run on the host over ssh', async () => {
		const source = remoteSource({'flag file': 'here\n', 'x.txt': 'x\n'});
		const s = remoteConfig(sshd, {
			hosts: [remoteHost(sshd, 'remote', [
				configLine(['volume', 'present', source]),
				'  check-file "flag file"',
				configLine(['volume', 'missing', source]),
				`  check-file ${source}/no-such-flag`,
				configLine(['volume', 'plain', source]),
				'  check-mounted true',
				// /proc is a mount point on every Linux host; only ever used in a dry run below.
				'volume proc /proc',
				'  check-mounted true',
			])],
		});
		const run = await rsdeck(['--backup', '--json', '--config', s.config, 'remote:present', 'remote:missing', 'remote:plain']);
		expect(run.exitCode).toBe(0);
		const events = parseEvents(run.stdout);
		expect(finalState(events, 'flag/remote/present')).toBe('succeeded');
		expect(finalState(events, 'flag/remote/missing')).toBe('skipped');
		expect(finalState(events, 'mounted/remote/plain')).toBe('skipped');
		expect(describedAs(events, 'flag/remote/present')['command']).toEqual([
			...sshd.sshCommand, '-oConnectTimeout=2', '-oBatchMode=yes', `${sshd.user}@127.0.0.1`, `test -e '${source}/flag file'`,
		]);
		expect(readBackups(s.database).map(row => [row.volume, row.status])).toEqual([['present', 2]]);
		expect(treeOf(path.join(s.store, 'remote', 'present', day1))).toEqual(treeOf(source));

		const mounted = await rsdeck(['--backup', '--dry-run', '--json', '--config', s.config, 'remote:proc']);
		expect(mounted.exitCode).toBe(0);
		const mountEvents = parseEvents(mounted.stdout);
		expect(finalState(mountEvents, 'mounted/remote/proc')).toBe('succeeded');
		expect(describedAs(mountEvents, 'mounted/remote/proc')['command']).toContain('stat -c %d /proc /proc/..');
	});

	test('paths with spaces, quotes and shell characters reach the host intact', async () => {
		const root = temporaryDirectory('rsdeck-remote-');
		// The wildcards would match the decoy if anything expanded them.
		const source = path.join(root, 'it\'s a $HOME; [1] * dir');
		writeTree(source, {'file one.txt': 'one\n', 'sub dir/flag\'s': 'flag\n', 'back\\slash': 'b\n'});
		writeTree(path.join(root, 'it\'s a $HOME; 1 x dir'), {'decoy.txt': 'wrong\n'});
		// The ssh identity, too, lives at an awkward path: it has to survive rsync's `--rsh` splitting.
		const key = path.join(root, 'key dir', 'it\'s "the" key');
		mkdirSync(path.dirname(key));
		copyFileSync(sshd.key, key);
		chmodSync(key, 0o600);
		const sshCommand = sshd.sshCommand.map(word => (word === sshd.key ? key : word));
		const s = remoteConfig(sshd, {
			global: [configLine(['ssh-command', ...sshCommand])],
			hosts: [remoteHost(sshd, 'remote', [configLine(['volume', 'odd', source]), `  ${configLine(['check-file', 'sub dir/flag\'s'])}`])],
		});
		const result = await rsdeck(['--backup', '--json', '--config', s.config]);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		const events = parseEvents(result.stdout);
		expect(finalState(events, 'flag/remote/odd')).toBe('succeeded');
		expect(describedAs(events, 'backup/remote/odd/device1')['command']).toContain('--rsh');
		expect(treeOf(path.join(s.store, 'remote', 'odd', day1))).toEqual(treeOf(source));
	});

	test('rsync-remote names the program run on the remote side', async () => {
		const source = remoteSource();
		const root = temporaryDirectory('rsdeck-remote-');
		const marker = path.join(root, 'remote-rsync-ran');
		const remoteRsync = writeScript(path.join(root, 'remote-rsync'), `echo "$@" > ${marker}\nexec rsync "$@"`);
		const s = remoteConfig(sshd, {hosts: [remoteHost(sshd, 'remote', [`rsync-remote ${remoteRsync}`, configLine(['volume', 'data', source])])]});
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(readFileSync(marker, 'utf8')).toMatch(/^--server --sender .* \S*data\/\.\n$/);
		expect(treeOf(path.join(s.store, 'remote', 'data', day1))).toEqual(treeOf(source));
	});

	test('hooks and rsync get RSBACKUP_SSH_* for hosts with and without a user', async () => {
		const root = temporaryDirectory('rsdeck-remote-');
		const source = remoteSource();
		const capture = (name: string) => `env | grep '^RSBACKUP_SSH_' | sort > ${path.join(root, name)}`;
		const hook = writeScript(path.join(root, 'hook'), capture('hook-$RSBACKUP_HOST'));
		const rsync = writeScript(path.join(root, 'rsync'), `${capture('rsync-$RSBACKUP_HOST')}\nexec rsync "$@"`);
		const s = remoteConfig(sshd, {
			global: [`pre-volume-hook ${hook}`, `rsync-command ${rsync}`],
			hosts: [
				remoteHost(sshd, 'withuser', [configLine(['volume', 'data', source])]),
				// No `user`: ssh logs in as the local user, the variables say so by leaving the user out.
				['host nouser', '  hostname 127.0.0.1', `  ${configLine(['volume', 'data', source])}`].join('\n'),
			],
		});
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		const withUser = `RSBACKUP_SSH_HOSTNAME=127.0.0.1\nRSBACKUP_SSH_TARGET=${sshd.user}@127.0.0.1\nRSBACKUP_SSH_USERNAME=${sshd.user}\n`;
		const noUser = 'RSBACKUP_SSH_HOSTNAME=127.0.0.1\nRSBACKUP_SSH_TARGET=127.0.0.1\nRSBACKUP_SSH_USERNAME=\n';
		for (const program of ['hook', 'rsync']) {
			expect(readFileSync(path.join(root, `${program}-withuser`), 'utf8'), program).toBe(withUser);
			expect(readFileSync(path.join(root, `${program}-nouser`), 'utf8'), program).toBe(noUser);
		}

		expect(readBackups(s.database).map(row => [row.host, row.status])).toEqual([['nouser', 2], ['withuser', 2]]);
	});

	test('headless -v and --json show the ssh host check as its own action', async () => {
		const source = remoteSource();
		const s = remoteConfig(sshd, {hosts: [remoteHost(sshd, 'remote', [configLine(['volume', 'data', source])])]});
		const verbose = await rsdeck(['--backup', '--headless', '-v', '--config', s.config]);
		expect(verbose.exitCode).toBe(0);
		expect(verbose.stderr).toMatch(/^INFO: live\/remote succeeded: remote is up$/m);

		const json = await rsdeck(['--backup', '--json', '--config', s.config], {env: {RSBACKUP_TIME: day2}});
		expect(json.exitCode).toBe(0);
		const events = parseEvents(json.stdout);
		expect(indexOfState(events, 'live/remote', 'running')).toBeGreaterThanOrEqual(0);
		expect(finalState(events, 'live/remote')).toBe('succeeded');
		expect(describedAs(events, 'live/remote')['command']).toEqual([...sshd.sshCommand, '-oConnectTimeout=2', '-oBatchMode=yes', `${sshd.user}@127.0.0.1`, 'true']);
		// The check comes before anything is done for the host's volumes.
		expect(indexOfState(events, 'live/remote', 'end')).toBeLessThan(indexOfState(events, 'backup/remote/data/device1', 'running'));
		const rsync = describedAs(events, 'backup/remote/data/device1')['command'];
		expect(rsync).toEqual(expect.arrayContaining(['--rsh', sshd.sshCommand.join(' '), `${sshd.user}@127.0.0.1:${source}/.`]));
	});
});
