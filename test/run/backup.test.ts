import {existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {cli, makeStore, readBackups, rsdeck, writeTree, treeOf} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

type Setup = {root: string; store1: string; store2: string; source: string; database: string; config: string};

/** One local host with one volume, two devices in two stores, and `extra` config lines. */
function setup(extra = '', volumeExtra = ''): Setup {
	const root = temporaryDirectory();
	const store1 = makeStore(root, 'store1', 'device1');
	const store2 = makeStore(root, 'store2', 'device2');
	const source = path.join(root, 'source');
	writeTree(source, {'a.txt': 'alpha\n', 'sub/b.txt': 'beta\n', 'sub/deeper/c.txt': 'gamma\n'});
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store1}
store --no-mounted ${store2}
device device1
device device2
database ${database}
logs ${root}
rsync-extra-options
${extra}
host host1
  hostname localhost
  volume volume1 ${source}
${volumeExtra}`);
	return {root, store1, store2, source, database, config};
}

const idAt = '1980-01-01T00:00:00';

describe('backups', () => {
	test('backs up a volume to every device: identical trees, rows as rsbackup writes them', async () => {
		const s = setup();
		const result = await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME_FINISH: '1980-01-01T00:01:00'}});
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		for (const store of [s.store1, s.store2]) {
			const backup = path.join(store, 'host1', 'volume1', idAt);
			expect(treeOf(backup)).toEqual(treeOf(s.source));
			expect(existsSync(`${backup}.incomplete`)).toBe(false);
		}

		const rows = readBackups(s.database);
		expect(rows.map(({log, ...row}) => row)).toEqual(['device1', 'device2'].map(device => ({
			host: 'host1', volume: 'volume1', device, id: idAt, time: 315_532_800, pruned: 0, rc: 0, status: 2, finishTime: 315_532_860,
		})));
		expect(rows[0]?.log).toMatch(/Total file size: 17 bytes/);
	});

	test('a reader that goes away (rsdeck --json | head -1) stops the output, not the backups', async () => {
		const s = setup('', '    pre-volume-hook /bin/sleep 0.3');
		const run = execa(process.execPath, [cli, '--backup', '--json', '--config', s.config], {reject: false, buffer: false, stdin: 'ignore', stderr: 'pipe', env: {RSBACKUP_TIME: idAt}});
		let stderr = '';
		run.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		// Read the first event, then close the pipe, as `head -1` does.
		await new Promise<void>(resolve => {
			run.stdout.once('data', () => {
				run.stdout.destroy();
				resolve();
			});
		});
		const result = await run;
		expect(stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(readBackups(s.database).map(row => row.status)).toEqual([2, 2]);
	});

	test('a second backup hard-links unchanged files to the first', async () => {
		const s = setup('backup-policy always');
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
		writeFileSync(path.join(s.source, 'a.txt'), 'changed\n');
		expect((await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}})).exitCode).toBe(0);
		const first = path.join(s.store1, 'host1', 'volume1', idAt);
		const second = path.join(s.store1, 'host1', 'volume1', '1980-01-02T00:00:00');
		expect(statSync(path.join(second, 'sub/b.txt')).ino).toBe(statSync(path.join(first, 'sub/b.txt')).ino);
		expect(statSync(path.join(second, 'a.txt')).ino).not.toBe(statSync(path.join(first, 'a.txt')).ino);
		expect(readFileSync(path.join(second, 'a.txt'), 'utf8')).toBe('changed\n');
	});

	test('no hard links with rsync-link-dest false, nor after .nolink (which is then removed)', async () => {
		for (const variant of ['rsync-link-dest false', 'nolink']) {
			const s = setup(variant === 'nolink' ? 'backup-policy always' : `backup-policy always\n${variant}`);
			expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
			const nolink = path.join(s.store1, 'host1', 'volume1.nolink');
			if (variant === 'nolink') {
				writeFileSync(nolink, '');
			}

			expect((await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}})).exitCode).toBe(0);
			const first = path.join(s.store1, 'host1', 'volume1', idAt, 'sub/b.txt');
			const second = path.join(s.store1, 'host1', 'volume1', '1980-01-02T00:00:00', 'sub/b.txt');
			expect(statSync(second).ino, variant).not.toBe(statSync(first).ino);
			expect(existsSync(nolink)).toBe(false);
		}
	});

	test('daily policy: one backup per local day unless --force', async () => {
		const s = setup();
		await rsdeck(['--backup', '--config', s.config]);
		await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-01T12:00:00'}});
		expect(readBackups(s.database)).toHaveLength(2);
		await rsdeck(['--backup', '--force', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-01T13:00:00'}});
		expect(readBackups(s.database)).toHaveLength(4);
		await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(readBackups(s.database)).toHaveLength(6);
	});

	test('interval policy honours min-interval', async () => {
		const s = setup('backup-policy interval\nbackup-parameter min-interval 6h');
		await rsdeck(['--backup', '--config', s.config]);
		await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-01T05:00:00'}});
		expect(readBackups(s.database)).toHaveLength(2);
		await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-01T07:00:00'}});
		expect(readBackups(s.database)).toHaveLength(4);
	});

	test('backup-time applies only when no selectors are given', async () => {
		const s = setup('backup-time 01:00-02:00');
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
		expect(existsSync(s.database) ? readBackups(s.database) : []).toHaveLength(0);
		expect((await rsdeck(['--backup', '--config', s.config, 'host1'])).exitCode).toBe(0);
		expect(readBackups(s.database)).toHaveLength(2);
	});

	test('a missing check-file or an unmounted volume skips it quietly', async () => {
		for (const line of ['    check-file .present', '    check-mounted true']) {
			const s = setup('', line);
			const result = await rsdeck(['--backup', '--config', s.config]);
			expect(result.exitCode, line).toBe(0);
			expect(result.stderr, line).toBe('');
			expect(existsSync(path.join(s.store1, 'host1')), line).toBe(false);
		}

		const s = setup('', '    check-file .present');
		writeFileSync(path.join(s.source, '.present'), '');
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
		expect(readBackups(s.database)).toHaveLength(2);
	});

	test('check-mounted runs `stat -c %d PATH PATH/..` found on PATH: two device numbers = mounted; a failing stat is the volume\'s error', async () => {
		const s = setup('', '    check-mounted true');
		const bin = path.join(s.root, 'bin');
		mkdirSync(bin);
		const record = path.join(s.root, 'stat-arguments');
		const fakeStat = (body: string) => writeScript(path.join(bin, 'stat'), `printf '%s\\n' "$@" >> ${record}\n${body}`);
		const withFake = {env: {PATH: `${bin}:${process.env['PATH'] ?? ''}`}};

		fakeStat('echo 41; echo 7');
		expect(await rsdeck(['--backup', '--config', s.config], withFake)).toMatchObject({exitCode: 0, stderr: ''});
		expect(readFileSync(record, 'utf8')).toBe(`-c\n%d\n${s.source}\n${s.source}/..\n`);
		expect(readBackups(s.database).map(row => row.status)).toEqual([2, 2]);

		fakeStat('echo 7; echo 7');
		const unmounted = await rsdeck(['--backup', '--force', '--config', s.config], {env: {...withFake.env, RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(unmounted).toMatchObject({exitCode: 0, stderr: ''});
		expect(readBackups(s.database)).toHaveLength(2);

		fakeStat('echo "stat: cannot statx: Permission denied" >&2; exit 1');
		const failing = await rsdeck(['--backup', '--config', s.config], {env: {...withFake.env, RSBACKUP_TIME: '1980-01-03T00:00:00'}});
		expect(failing.exitCode).toBe(1);
		expect(failing.stderr).toBe(`ERROR: host1:volume1 cannot check mount point ${s.source}: exit status 1\nstat: cannot statx: Permission denied\n`);
		expect(readBackups(s.database)).toHaveLength(2);
	});

	test('check-mounted with the real stat: a mount point (/dev/shm) is mounted, a plain directory is not', async () => {
		const s = setup('', '    check-mounted true');
		const plain = await rsdeck(['--backup', '--dry-run', '--config', s.config]);
		expect(plain.exitCode).toBe(0);
		expect(plain.stderr).toContain('INFO: mounted/host1/volume1 skipped: host1:volume1 is not mounted\n');
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace(s.source, '/dev/shm'));
		const mounted = await rsdeck(['--backup', '--dry-run', '--config', s.config]);
		expect(mounted.exitCode, mounted.stderr).toBe(0);
		expect(mounted.stderr).toContain('INFO: mounted/host1/volume1 succeeded: /dev/shm is a mount point\n');
	});

	test('backup-job-timeout 30d, beyond Node\'s timer limit, lets rsync finish', async () => {
		const s = setup('', '    backup-job-timeout 30d\n');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(readBackups(s.database).map(row => [row.device, row.status])).toEqual([['device1', 2], ['device2', 2]]);
		expect(treeOf(path.join(s.store1, 'host1', 'volume1', idAt))).toEqual(treeOf(s.source));
	});

	test('rsync failure: recorded failed with its wait status and log, exit 1', async () => {
		const s = setup();
		const missing = path.join(s.root, 'missing');
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace(s.source, missing));
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(/^ERROR: backup of host1:volume1 to device1 failed: rsync exit status 23\nrsync: \[sender\] change_dir .*missing" failed: No such file or directory \(2\)\nrsync error: /m);
		const quiet = await rsdeck(['--backup', '--force', '--no-errors', '--config', s.config]);
		expect(quiet.stderr).toBe('ERROR: backup of host1:volume1 to device1 failed: rsync exit status 23\nERROR: backup of host1:volume1 to device2 failed: rsync exit status 23\n');
		const rows = readBackups(s.database);
		expect(rows.map(row => [row.status, row.rc])).toEqual([[3, 5888], [3, 5888]]);
		expect(rows[0]?.log).toContain('change_dir');
		expect(existsSync(path.join(s.store1, 'host1', 'volume1', `${idAt}.incomplete`))).toBe(true);
	});

	test('rsync exit 24 is a complete backup with a warning (silenced by --no-warn-partial)', async () => {
		const s = setup();
		const wrapper = writeScript(path.join(s.root, 'rsync24'), 'rsync "$@" || exit $?\nexit 24');
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace('rsync-extra-options', `rsync-extra-options\nrsync-command ${wrapper}`));
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(result.stderr).toContain('WARNING: host1:volume1 to device1: some files vanished during the backup (rsync exit 24)');
		expect(readBackups(s.database).map(row => [row.status, row.rc])).toEqual([[2, 6144], [2, 6144]]);
		const quiet = await rsdeck(['--backup', '--force', '--no-warn-partial', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(quiet).toMatchObject({exitCode: 0, stderr: ''});
	});

	test('--retries repeats a transient rsync failure, and only a transient one', async () => {
		const s = setup();
		// Fails with exit 12 (protocol data stream) the first time for each device, then works.
		const wrapper = writeScript(path.join(s.root, 'flaky'), `for last; do :; done
marker="${'$'}{0%/*}/tried-$(echo "$last" | md5sum | cut -c1-8)"
if [ ! -e "$marker" ]; then touch "$marker"; echo "connection unexpectedly closed" >&2; exit 12; fi
exec rsync "$@"`);
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace('rsync-extra-options', `rsync-extra-options\nrsync-command ${wrapper}`));
		const result = await rsdeck(['--backup', '--retries', '2', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(readBackups(s.database).map(row => row.status)).toEqual([2, 2]);
		const missing = path.join(s.root, 'missing');
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace(s.source, missing));
		const permanent = await rsdeck(['--backup', '--force', '--retries', '2', '--verbose', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}});
		expect(permanent.exitCode).toBe(1);
		expect(permanent.stderr.match(/rsync exit status 23/g)).toHaveLength(2);
	});

	test('--store limits the devices and warns about the others', async () => {
		const s = setup();
		const result = await rsdeck(['--backup', '--config', s.config, '--unmounted-store', s.store1]);
		expect(result.exitCode).toBe(0);
		expect(result.stderr).toBe('WARNING: cannot backup host1:volume1 to device2 - device suppressed due to --store\n');
		expect(readBackups(s.database).map(row => row.device)).toEqual(['device1']);
	});

	test('--store: a device in no store at all is "not available", not "suppressed due to --store"', async () => {
		const s = setup('device device3');
		const result = await rsdeck(['--backup', '--config', s.config, '--unmounted-store', s.store1]);
		expect(result.exitCode).toBe(0);
		expect(result.stderr.split('\n').sort()).toEqual([
			'',
			'WARNING: cannot backup host1:volume1 to device2 - device suppressed due to --store',
			'WARNING: cannot backup host1:volume1 to device3 - device not available',
		]);
	});

	test('--store naming a store that is not mounted: the error, then a warning per due backup and the store\'s, exit 1', async () => {
		const s = setup('', '  volume volume2 /nonexistent');
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace(`store --no-mounted ${s.store1}`, `store ${s.store1}`));
		const result = await rsdeck(['--backup', '--config', s.config, '--store', s.store1]);
		expect(result.stderr).toBe(`ERROR: no backup devices found
WARNING: cannot backup host1:volume1 to device1 - device not available
WARNING: cannot backup host1:volume1 to device2 - device suppressed due to --store
WARNING: cannot backup host1:volume2 to device1 - device not available
WARNING: cannot backup host1:volume2 to device2 - device suppressed due to --store
WARNING: store '${s.store1}' is not mounted
`);
		expect(result.exitCode).toBe(1);
		expect(existsSync(s.database) ? readBackups(s.database) : []).toEqual([]);
		// Without --warn-store (no --store): the unavailable stores are listed under the error, as rsbackup does.
		writeFileSync(s.config, readFileSync(s.config, 'utf8').replace(`store --no-mounted ${s.store2}\n`, ''));
		expect(await rsdeck(['--backup', '--config', s.config])).toMatchObject({exitCode: 1, stderr: `ERROR: no backup devices found\n  store '${s.store1}' is not mounted\n`});
	});

	test('a duplicate device-id is fatal', async () => {
		const s = setup();
		writeFileSync(path.join(s.store2, 'device-id'), 'device1\n');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(`store '${s.store2}' has duplicate device-id 'device1', also found on store '${s.store1}'`);
		expect(existsSync(path.join(s.store1, 'host1'))).toBe(false);
	});

	test('a store readable by others is refused unless public', async () => {
		const s = setup();
		const {chmodSync} = await import('node:fs');
		chmodSync(s.store2, 0o755);
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(s.store2);
		expect(readBackups(s.database).map(row => row.device)).toEqual(['device1']);
		const open = await rsdeck(['--backup', '--force', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-02T00:00:00'}, cwd: s.root});
		expect(open.exitCode).toBe(1);
		writeFileSync(s.config, `public true\n${readFileSync(s.config, 'utf8')}`);
		expect((await rsdeck(['--backup', '--force', '--config', s.config], {env: {RSBACKUP_TIME: '1980-01-03T00:00:00'}})).exitCode).toBe(0);
	});

	test('--dry-run changes nothing and creates no database', async () => {
		const s = setup();
		const record = path.join(s.root, 'hook.env');
		writeScript(path.join(s.root, 'pre'), `env | grep ^RSBACKUP_ | sort > ${record}`);
		writeFileSync(s.config, `${readFileSync(s.config, 'utf8')}    pre-volume-hook ${path.join(s.root, 'pre')}\n`);
		const result = await rsdeck(['--backup', '--dry-run', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(result.stderr).toMatch(/would run: rsync/);
		expect(existsSync(s.database)).toBe(false);
		expect(existsSync(path.join(s.store1, 'host1'))).toBe(false);
		expect(readFileSync(record, 'utf8')).toContain('RSBACKUP_ACT=false\n');
	});

	test('--plan prints the graph without running it', async () => {
		const s = setup();
		const result = await rsdeck(['--backup', '--plan', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('backup/host1/volume1/device1  after underway/host1/volume1/device1  holds device:device1, group:host1');
		const dot = await rsdeck(['--backup', '--plan=dot', '--config', s.config]);
		expect(dot.stdout).toMatch(/^digraph rsdeck/);
		expect(existsSync(s.database)).toBe(false);
	});

	test('a bad configuration is reported with its file and line, no stack trace', async () => {
		const s = setup();
		writeFileSync(s.config, 'spong\n');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 1, stdout: ''});
		expect(result.stderr).toBe(`ERROR: ${s.config}:1: unknown command 'spong'\n`);
	});

	test('a selection naming an unknown host or volume is an error; a pattern matching nothing is not', async () => {
		const s = setup();
		expect(await rsdeck(['--backup', '--config', s.config, 'nosuch'])).toMatchObject({exitCode: 1, stderr: 'ERROR: no such host as \'nosuch\'\n'});
		expect(await rsdeck(['--backup', '--config', s.config, 'host1:nosuch'])).toMatchObject({exitCode: 1, stderr: 'ERROR: no such volume as \'host1:nosuch\'\n'});
		expect(await rsdeck(['--backup', '--config', s.config, 'web*'])).toMatchObject({exitCode: 0, stderr: ''});
		expect(existsSync(path.join(s.store1, 'host1'))).toBe(false);
	});

	test('a bad fake clock is reported', async () => {
		const s = setup();
		const result = await rsdeck(['--backup', '--config', s.config], {env: {RSBACKUP_TIME: 'yesterday'}});
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain('cannot parse RSBACKUP_TIME value: yesterday');
	});

	test('makes the store directories it needs', async () => {
		const s = setup();
		mkdirSync(path.join(s.store1, 'host1'));
		expect((await rsdeck(['--backup', '--config', s.config])).exitCode).toBe(0);
	});
});

describe('symlinks planted in a store', () => {
	/** Outside every store: a directory and a file a planted link points at, which must not change by a byte. */
	function sentinels(s: Setup) {
		const directory = path.join(s.root, 'outside');
		writeTree(directory, {'keep.txt': 'keep\n', 'volume1/old.txt': 'old\n', [`${idAt}/old.txt`]: 'old\n'});
		const file = path.join(s.root, 'outside-file');
		writeFileSync(file, 'precious\n');
		const snapshot = () => ({tree: treeOf(directory, {directories: true}), file: readFileSync(file)});
		return {directory, file, snapshot};
	}

	const plants = [
		{what: 'STORE/H/V/ID.incomplete', link: (store: string) => path.join(store, 'host1', 'volume1', `${idAt}.incomplete`), to: 'file'},
		{what: 'STORE/H/V/ID', link: (store: string) => path.join(store, 'host1', 'volume1', idAt), to: 'directory'},
		{what: 'STORE/H/V', link: (store: string) => path.join(store, 'host1', 'volume1'), to: 'directory'},
		{what: 'STORE/H', link: (store: string) => path.join(store, 'host1'), to: 'directory'},
	] as const;

	test.each(plants)('a symlink at $what fails that backup with an ERROR naming it; nothing outside the store changes; the other device is backed up', async ({link, to}) => {
		const s = setup();
		const outside = sentinels(s);
		const planted = link(s.store1);
		mkdirSync(path.dirname(planted), {recursive: true});
		symlinkSync(to === 'file' ? outside.file : outside.directory, planted);
		const before = outside.snapshot();
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(new RegExp(`^ERROR: .*'${planted}' is a symbolic link`, 'm'));
		expect(result.stderr).not.toContain('    at ');
		expect(outside.snapshot()).toEqual(before);
		expect(lstatSync(planted).isSymbolicLink()).toBe(true);
		const rows = readBackups(s.database);
		expect(rows.filter(row => row.device === 'device1' && row.status === BackupStatus.complete)).toEqual([]);
		expect(rows.filter(row => row.device === 'device2').map(row => row.status)).toEqual([BackupStatus.complete]);
		expect(treeOf(path.join(s.store2, 'host1', 'volume1', idAt))).toEqual(treeOf(s.source));
	});
});
