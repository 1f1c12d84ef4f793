import {appendFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, describe, expect, test} from 'vitest';
import {cli, makeStore, readBackups, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {processGone, waitFor} from '../helpers/wait.js';

afterEach(() => {
	removeTemporaryDirectories();
});

type Setup = {root: string; store: string; source: string; database: string; config: string; log: string};

/** One volume with a pre and post hook that record their environment to `log`. */
function setup(pre: string, post = '', extra = ''): Setup {
	const root = temporaryDirectory();
	const store = makeStore(root, 'store', 'device1');
	const source = path.join(root, 'source');
	writeTree(source, {'file.txt': 'original\n'});
	const log = path.join(root, 'hooks.log');
	const record = `{ echo "== $RSBACKUP_HOOK"; env | grep ^RSBACKUP_ | grep -v ^RSBACKUP_TIME | sort; } >> ${log}`;
	const preHook = writeScript(path.join(root, 'pre'), `${record}\n${pre}`);
	const postHook = writeScript(path.join(root, 'post'), `${record}\n${post}`);
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store}
device device1
database ${database}
rsync-extra-options
${extra}
host host1
  hostname localhost
  user backup
  volume volume1 ${source}
    pre-volume-hook ${preHook}
    post-volume-hook ${postHook}
`);
	return {root, store, source, database, config, log};
}

const backupDirectory = (s: Setup) => path.join(s.store, 'host1', 'volume1', '1980-01-01T00:00:00');

describe('volume hooks', () => {
	test('pre and post hooks run around the backup with rsbackup\'s environment', async () => {
		const s = setup('exit 0');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const environment = (hook: string) => `== ${hook}
RSBACKUP_ACT=true
RSBACKUP_GROUP=host1
RSBACKUP_HOOK=${hook}
RSBACKUP_HOST=host1
RSBACKUP_SSH_HOSTNAME=localhost
RSBACKUP_SSH_TARGET=backup@localhost
RSBACKUP_SSH_USERNAME=backup
RSBACKUP_VOLUME=volume1
RSBACKUP_VOLUME_PATH=${s.source}
`;
		expect(readFileSync(s.log, 'utf8')).toBe(environment('pre-volume-hook') + environment('post-volume-hook'));
		expect(readBackups(s.database).map(row => row.status)).toEqual([2]);
	});

	test('exit 75 skips the volume quietly', async () => {
		const s = setup('exit 75');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(existsSync(backupDirectory(s))).toBe(false);
		expect(readFileSync(s.log, 'utf8')).not.toContain('post-volume-hook');
	});

	test('a failing pre hook is an error: nothing backed up, no post hook', async () => {
		const s = setup('echo "snapshot failed: no space" >&2\nexit 1');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toBe('ERROR: host1:volume1 pre-volume-hook failed:\nsnapshot failed: no space\n');
		expect(existsSync(backupDirectory(s))).toBe(false);
		expect(readBackups(s.database)).toEqual([]);
		expect(readFileSync(s.log, 'utf8')).not.toContain('post-volume-hook');
	});

	test('the pre hook\'s stdout is the source for this run; the post hook sees the original path', async () => {
		const s = setup('');
		const snapshot = path.join(s.root, 'snapshot');
		writeTree(snapshot, {'file.txt': 'from the snapshot\n'});
		writeScript(path.join(s.root, 'pre'), `echo "== $RSBACKUP_HOOK $RSBACKUP_VOLUME_PATH" >> ${s.log}\necho ${snapshot}`);
		writeScript(path.join(s.root, 'post'), `echo "== $RSBACKUP_HOOK $RSBACKUP_VOLUME_PATH" >> ${s.log}`);
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
		expect(readFileSync(path.join(backupDirectory(s), 'file.txt'), 'utf8')).toBe('from the snapshot\n');
		expect(readFileSync(s.log, 'utf8')).toBe(`== pre-volume-hook ${s.source}\n== post-volume-hook ${s.source}\n`);
	});

	test('hook-timeout kills a hung hook and its children', async () => {
		const s = setup('sleep 300 & echo $! > "$(dirname "$0")/child.pid"; wait', '', 'hook-timeout 1s');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain('ERROR: host1:volume1 pre-volume-hook failed: timed out');
		const pid = Number(readFileSync(path.join(s.root, 'child.pid'), 'utf8'));
		await waitFor(() => processGone(pid), 'the hook\'s child to be killed', 10_000);
		expect(existsSync(backupDirectory(s))).toBe(false);
	});

	test('hook-timeout 25d, beyond Node\'s timer limit, lets hooks finish', async () => {
		const s = setup('sleep 0.2', 'sleep 0.2', 'hook-timeout 25d');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(readFileSync(s.log, 'utf8').match(/^== .*/gm)).toEqual(['== pre-volume-hook', '== post-volume-hook']);
		expect(readBackups(s.database).map(row => row.status)).toEqual([2]);
	});

	test('a cancelled run starts no further pre hook: with --jobs 1, SIGTERM during one volume\'s pre hook', async () => {
		const s = setup('sleep 300 & echo $! > "$(dirname "$0")/child.pid"; wait');
		appendFileSync(s.config, `  volume volume2 ${s.source}\n    pre-volume-hook ${path.join(s.root, 'pre')}\n    post-volume-hook ${path.join(s.root, 'post')}\n`);
		const run = execa(process.execPath, [cli, '--backup', '--jobs', '1', '--config', s.config], {reject: false, env: {RSBACKUP_TIME: '1980-01-01T00:00:00'}});
		const childPid = path.join(s.root, 'child.pid');
		await waitFor(() => existsSync(childPid) && readFileSync(childPid, 'utf8').trim() !== '', 'a pre hook to start');
		run.kill('SIGTERM');
		expect((await run).exitCode).toBe(1);
		await waitFor(() => processGone(Number(readFileSync(childPid, 'utf8'))), 'the hook\'s child to be killed', 10_000);
		expect(readFileSync(s.log, 'utf8').match(/^== /gm)).toEqual(['== ']);
		expect(readBackups(s.database)).toEqual([]);
	});

	test('a second SIGTERM stops clean-up too: a hung post hook is killed, the backup stays recorded complete', async () => {
		const s = setup('exit 0', 'sleep 300 & echo $! > "$(dirname "$0")/child.pid"; wait');
		const run = execa(process.execPath, [cli, '--backup', '--json', '--config', s.config], {reject: false, buffer: false, stdin: 'ignore', env: {RSBACKUP_TIME: '1980-01-01T00:00:00'}});
		let events = '';
		run.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			events += chunk;
		});
		const childPid = path.join(s.root, 'child.pid');
		await waitFor(() => existsSync(childPid) && readFileSync(childPid, 'utf8').trim() !== '', 'the post hook to start');
		run.kill('SIGTERM');
		// The first signal spares clean-up: the run says it is cancelling, and the hook runs on.
		await waitFor(() => events.includes('"state":"cancelling"'), 'the run to start cancelling');
		expect(processGone(Number(readFileSync(childPid, 'utf8')))).toBe(false);
		run.kill('SIGTERM');
		expect((await run).exitCode).toBe(1);
		await waitFor(() => processGone(Number(readFileSync(childPid, 'utf8'))), 'the hook\'s child to be killed', 10_000);
		expect(readBackups(s.database).map(row => row.status)).toEqual([2]);
	});

	test('a failing post hook is its own error and does not change a complete backup', async () => {
		const s = setup('exit 0', 'echo "cannot drop snapshot" >&2\nexit 3');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toBe('ERROR: host1:volume1 post-volume-hook failed:\ncannot drop snapshot\n');
		expect(readBackups(s.database).map(row => [row.status, row.rc])).toEqual([[2, 0]]);
	});
});

describe('device hooks', () => {
	test('run once, around everything, with the device list', async () => {
		const s = setup('exit 0');
		const record = (name: string) => writeScript(path.join(s.root, name), `echo "$RSBACKUP_HOOK $RSBACKUP_ACT $RSBACKUP_DEVICES" >> ${s.log}`);
		writeFileSync(s.config, `pre-device-hook ${record('pre-device')}\npost-device-hook ${record('post-device')}\ndevice device0\n${readFileSync(s.config, 'utf8')}`);
		writeFileSync(s.log, '');
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
		const lines = readFileSync(s.log, 'utf8').split('\n').filter(line => !line.startsWith('RSBACKUP_'));
		expect(lines).toEqual(['pre-device-hook true device0 device1', '== pre-volume-hook', '== post-volume-hook', 'post-device-hook true device0 device1', '']);
	});

	test('not run when no device is needed', async () => {
		const s = setup('exit 0', '', 'backup-time 01:00-02:00');
		const marker = path.join(s.root, 'device-hook-ran');
		writeFileSync(s.config, `pre-device-hook ${writeScript(path.join(s.root, 'pre-device'), `touch ${marker}`)}\n${readFileSync(s.config, 'utf8')}`);
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
		expect(existsSync(marker)).toBe(false);
	});

	/** Device hooks that append `HOOK ACT` to the log, put in front of the volume's config. */
	function withDeviceHooks(s: Setup, extra = ''): void {
		const record = (name: string) => writeScript(path.join(s.root, name), `echo "$RSBACKUP_HOOK $RSBACKUP_ACT" >> ${s.log}`);
		writeFileSync(s.config, `pre-device-hook ${record('pre-device')}\npost-device-hook ${record('post-device')}\n${extra}${readFileSync(s.config, 'utf8')}`);
	}

	const deviceHookLines = (s: Setup): string[] => (existsSync(s.log) ? readFileSync(s.log, 'utf8').split('\n').filter(line => line.endsWith('-device-hook true') || line.endsWith('-device-hook false')) : []);

	test('--prune with nothing to remove runs no device hook; a prune that removes runs them once around the removals', async () => {
		const s = setup('exit 0');
		withDeviceHooks(s, 'prune-policy age\nprune-parameter prune-age 2d\nprune-parameter min-backups 1\n');
		for (const day of ['01', '02']) {
			expect((await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: `1980-01-${day}T00:00:00`}})).exitCode).toBe(0);
		}

		writeFileSync(s.log, '');
		const nothing = await rsdeck(['--prune', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-03T00:00:00'}});
		expect(nothing).toMatchObject({exitCode: 0, stderr: ''});
		expect(deviceHookLines(s)).toEqual([]);
		const dryRun = await rsdeck(['--prune', '--dry-run', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-05T00:00:00'}});
		expect(dryRun.exitCode).toBe(0);
		expect(dryRun.stderr).toContain(`would prune ${path.join(s.store, 'host1', 'volume1', '1980-01-01T00:00:00')} because: age 4 > 2 and remaining 2 > 1`);
		expect(deviceHookLines(s)).toEqual(['pre-device-hook false', 'post-device-hook false']);
		writeFileSync(s.log, '');
		const removing = await rsdeck(['--prune', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-05T00:00:00'}});
		expect(removing).toMatchObject({exitCode: 0, stderr: ''});
		expect(deviceHookLines(s)).toEqual(['pre-device-hook true', 'post-device-hook true']);
		expect(readBackups(s.database).map(row => [row.id, row.status])).toEqual([['1980-01-01T00:00:00', 5], ['1980-01-02T00:00:00', 2]]);
		expect(existsSync(path.join(s.store, 'host1', 'volume1', '1980-01-01T00:00:00'))).toBe(false);
	});

	test('a prune whose pre-device-hook fails removes nothing: an error, the rows stay pruning for the next run, no post hook', async () => {
		const s = setup('exit 0');
		for (const day of ['01', '02']) {
			expect((await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: `1980-01-${day}T00:00:00`}})).exitCode).toBe(0);
		}

		const marker = path.join(s.root, 'post-device-ran');
		writeFileSync(s.config, `pre-device-hook /bin/false\npost-device-hook ${writeScript(path.join(s.root, 'post-device'), `touch ${marker}`)}\nprune-parameter prune-age 2d\n${readFileSync(s.config, 'utf8')}`);
		const result = await rsdeck(['--prune', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-05T00:00:00'}});
		expect(result).toMatchObject({exitCode: 1, stderr: 'ERROR: pre-device-hook failed: exit status 1\n'});
		expect(readBackups(s.database).map(row => [row.id, row.status])).toEqual([['1980-01-01T00:00:00', 4], ['1980-01-02T00:00:00', 2]]);
		expect(existsSync(path.join(s.store, 'host1', 'volume1', '1980-01-01T00:00:00'))).toBe(true);
		expect(existsSync(marker)).toBe(false);
	});

	test('--retire runs the device hooks, also with --forget-only and --dry-run (then RSBACKUP_ACT=false)', async () => {
		for (const [options, act] of [[['--force'], 'true'], [['--force', '--forget-only'], 'true'], [['--dry-run'], 'false'], [['--dry-run', '--forget-only'], 'false']] as const) {
			const s = setup('exit 0');
			expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
			withDeviceHooks(s);
			const result = await rsdeck(['--retire', ...options, '--config', s.config, 'host1:volume1']);
			expect(result.exitCode, `${options.join(' ')}: ${result.stderr}`).toBe(0);
			expect(deviceHookLines(s), options.join(' ')).toEqual([`pre-device-hook ${act}`, `post-device-hook ${act}`]);
		}
	});

	test('a failing pre-device-hook is an error; the post hook is not run', async () => {
		const s = setup('exit 0');
		const marker = path.join(s.root, 'post-device-ran');
		writeFileSync(s.config, `pre-device-hook /bin/false\npost-device-hook ${writeScript(path.join(s.root, 'post-device'), `touch ${marker}`)}\n${readFileSync(s.config, 'utf8')}`);
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain('ERROR: pre-device-hook failed: exit status 1');
		expect(existsSync(marker)).toBe(false);
		expect(existsSync(backupDirectory(s))).toBe(false);
	});
});
