import {existsSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {BackupRow} from '../../src/db/types.js';
import {makeStore, readBackups, rsdeck, writeTree, treeOf} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {processGone, waitFor} from '../helpers/wait.js';

/*
One fleet of dated backups, made once by rsdeck itself with the fake clock and
copied (hard links and all) for each test: host1:volume1, host1:volume2 and
host2:volume1, on device1 every day from 1980-01-01 to 01-08 and on device2
on the 1st, 4th and 7th only.
*/

const volumes = ['host1:volume1', 'host1:volume2', 'host2:volume1'] as const;
type VolumeName = typeof volumes[number];
const device1Days = [1, 2, 3, 4, 5, 6, 7, 8];
const device2Days = [1, 4, 7];

const id = (day: number): string => `1980-01-${String(day).padStart(2, '0')}T00:00:00`;
const unix = (day: number, hour = 0): number => Date.UTC(1980, 0, day, hour) / 1000;
/** Prune "now": noon on 1980-01-10, so the backup of day d is 10 − d days old. */
const pruneDay = 10;
const pruneEnv = {RSBACKUP_TIME_PRUNE: `1980-01-${pruneDay}T12:00:00`};
const pruneTime = unix(pruneDay, 12);

type Fleet = {root: string; store1: string; store2: string; database: string; config: string};

type ConfigOptions = {
	/** Global lines, after the defaults. */
	global?: string;
	/** Lines inside each volume's stanza. */
	volume?: Partial<Record<VolumeName, string>>;
};

function configText(root: string, options: ConfigOptions = {}): string {
	const volumeLines = (name: VolumeName) => (options.volume?.[name] ?? '').split('\n').filter(Boolean).map(line => `    ${line}\n`).join('');
	return `store --no-mounted ${path.join(root, 'store1')}
store --no-mounted ${path.join(root, 'store2')}
device device1
device device2
database ${path.join(root, 'backups.db')}
logs ${root}
rsync-extra-options
prune-policy never
${options.global ?? ''}
host host1
  hostname localhost
  volume volume1 ${path.join(root, 'source', 'host1-volume1')}
${volumeLines('host1:volume1')}  volume volume2 ${path.join(root, 'source', 'host1-volume2')}
${volumeLines('host1:volume2')}host host2
  hostname localhost
  volume volume1 ${path.join(root, 'source', 'host2-volume1')}
${volumeLines('host2:volume1')}`;
}

let template: string;

beforeAll(async () => {
	template = temporaryDirectory('rsdeck-prune-template-');
	makeStore(template, 'store1', 'device1');
	makeStore(template, 'store2', 'device2');
	for (const volume of volumes) {
		writeTree(path.join(template, 'source', volume.replace(':', '-')), {'a.txt': `${volume}\n`, 'sub/b.txt': 'beta\n', 'sub/deeper/c.txt': 'gamma\n'});
	}

	const config = path.join(template, 'config');
	writeFileSync(config, configText(template));
	for (const day of device1Days) {
		const both = device2Days.includes(day);
		const result = await rsdeck(['--backup', '--config', config, ...(both ? [] : ['--unmounted-store', path.join(template, 'store1')])], {env: {RSBACKUP_TIME: id(day)}});
		expect(result.exitCode, result.stderr).toBe(0);
	}

	expect(readBackups(path.join(template, 'backups.db'))).toHaveLength(volumes.length * (device1Days.length + device2Days.length));
}, 120_000);

afterAll(() => {
	removeTemporaryDirectories();
});

/** A fresh copy of the fleet, configured with `options`. */
async function fleet(options: ConfigOptions = {}): Promise<Fleet> {
	const root = temporaryDirectory();
	await execa('cp', ['-a', `${template}/.`, root]);
	const config = path.join(root, 'config');
	writeFileSync(config, configText(root, options));
	return {root, store1: path.join(root, 'store1'), store2: path.join(root, 'store2'), database: path.join(root, 'backups.db'), config};
}

const backupPath = (store: string, volume: VolumeName, day: number): string => path.join(store, ...volume.split(':'), id(day));

/** The rows of one volume on one device, by day of the month. */
function rowsOf(rows: BackupRow[], volume: VolumeName, device: string): Map<number, BackupRow> {
	const [host, name] = volume.split(':');
	return new Map(rows.filter(row => row.host === host && row.volume === name && row.device === device).map(row => [Number(row.id.slice(8, 10)), row]));
}

/**
Check one volume on one device: exactly the `pruned` days (day → reason) are
status 5 with the prune time and reason, their directories and markers gone;
every other backup is complete, untouched, and on disk.
*/
function expectPruned(s: Fleet, rows: BackupRow[], volume: VolumeName, device: 'device1' | 'device2', pruned: Record<number, string>, at = pruneTime): void {
	const store = device === 'device1' ? s.store1 : s.store2;
	for (const [day, row] of rowsOf(rows, volume, device)) {
		const where = `${volume} ${device} day ${day}`;
		const reason = pruned[day];
		const directory = backupPath(store, volume, day);
		if (reason === undefined) {
			expect({status: row.status, pruned: row.pruned}, where).toEqual({status: 2, pruned: 0});
			expect(row.log, where).toContain('Total file size');
			expect(existsSync(path.join(directory, 'sub/deeper/c.txt')), where).toBe(true);
		} else {
			expect({status: row.status, pruned: row.pruned, log: row.log}, where).toEqual({status: 5, pruned: at, log: reason});
			expect(existsSync(directory), where).toBe(false);
		}

		expect(existsSync(`${directory}.incomplete`), where).toBe(false);
	}

	expect(Object.keys(pruned).every(day => rowsOf(rows, volume, device).has(Number(day))), `${volume} ${device}: pruned days exist`).toBe(true);
}

const inode = (file: string): number => statSync(file).ino;

describe('--prune', () => {
	test('age policy: exactly the old backups go on each device, reasons and prune time recorded, the rest still hard-linked', async () => {
		const s = await fleet({volume: {'host1:volume1': 'prune-policy age\nprune-parameter prune-age 3d\nprune-parameter min-backups 2'}});
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const rows = readBackups(s.database);
		// device1: ages 9…2; everything older than 3 days goes while more than 2 remain.
		expectPruned(s, rows, 'host1:volume1', 'device1', {
			1: 'age 9 > 3 and remaining 8 > 2',
			2: 'age 8 > 3 and remaining 7 > 2',
			3: 'age 7 > 3 and remaining 6 > 2',
			4: 'age 6 > 3 and remaining 5 > 2',
			5: 'age 5 > 3 and remaining 4 > 2',
			6: 'age 4 > 3 and remaining 3 > 2',
		});
		// device2: ages 9, 6, 3; the 4th is old enough but min-backups keeps it.
		expectPruned(s, rows, 'host1:volume1', 'device2', {1: 'age 9 > 3 and remaining 3 > 2'});
		for (const volume of ['host1:volume2', 'host2:volume1'] as const) {
			expectPruned(s, rows, volume, 'device1', {});
			expectPruned(s, rows, volume, 'device2', {});
		}

		// What is left still shares unchanged files with its neighbours.
		const file = (store: string, day: number) => path.join(backupPath(store, 'host1:volume1', day), 'sub/b.txt');
		expect(inode(file(s.store1, 8))).toBe(inode(file(s.store1, 7)));
		expect(inode(file(s.store2, 7))).toBe(inode(file(s.store2, 4)));
		expect(readFileSync(file(s.store1, 7), 'utf8')).toBe('beta\n');
	});

	test('decay policy: the oldest in each bucket stays, past decay-limit goes, the newest always stays', async () => {
		const s = await fleet({volume: {
			'host1:volume1': 'prune-policy decay\nprune-parameter decay-limit 8d',
			'host2:volume1': 'prune-policy decay\nprune-parameter decay-limit 1d',
		}});
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const rows = readBackups(s.database);
		// Ages 9…2, decay-start 1: buckets of age−1 are 0 (age 2), 1 (ages 3–4), 2 (ages 5–8).
		expectPruned(s, rows, 'host1:volume1', 'device1', {
			1: 'age 9 > 8 and other backups exist',
			3: 'age 7 > 1 and oldest in bucket 2',
			4: 'age 6 > 1 and oldest in bucket 2',
			5: 'age 5 > 1 and oldest in bucket 2',
			7: 'age 3 > 1 and oldest in bucket 1',
		});
		expectPruned(s, rows, 'host1:volume1', 'device2', {1: 'age 9 > 8 and other backups exist'});
		// Everything is past a 1-day limit: all go but the newest on each device.
		expectPruned(s, rows, 'host2:volume1', 'device1', Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map(day => [day, `age ${pruneDay - day} > 1 and other backups exist`])));
		expectPruned(s, rows, 'host2:volume1', 'device2', {1: 'age 9 > 1 and other backups exist', 4: 'age 6 > 1 and other backups exist'});
		expectPruned(s, rows, 'host1:volume2', 'device1', {});
	});

	test('a global prune-age with one decay volume: each volume uses its own policy\'s parameters and ignores the rest, as rsbackup does', async () => {
		const s = await fleet({
			global: 'prune-policy age\nprune-parameter prune-age 7d',
			volume: {'host1:volume1': 'prune-policy decay\nprune-parameter decay-limit 8d'},
		});
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device2', {1: 'age 9 > 8 and other backups exist'});
		expect(rowsOf(rows, 'host1:volume1', 'device1').get(2)?.status).toBe(2);
		for (const volume of ['host1:volume2', 'host2:volume1'] as const) {
			expectPruned(s, rows, volume, 'device1', {1: 'age 9 > 7 and remaining 8 > 1', 2: 'age 8 > 7 and remaining 7 > 1'});
			expectPruned(s, rows, volume, 'device2', {1: 'age 9 > 7 and remaining 3 > 1'});
		}
	});

	test('never keeps everything, however old', async () => {
		const s = await fleet();
		const before = readBackups(s.database);
		const result = await rsdeck(['--prune', '--config', s.config], {env: {RSBACKUP_TIME_PRUNE: '1990-01-01T00:00:00'}});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(readBackups(s.database)).toEqual(before);
	});

	test('exec policy: the documented environment in, TIME:reason lines out; a failing policy is an error for its volume only', async () => {
		const s = await fleet();
		const record = path.join(s.root, 'policy-env');
		const policy = writeScript(path.join(s.root, 'policy'), `env | grep ^PRUNE_ | sort > ${record}-$PRUNE_HOST-$PRUNE_VOLUME-$PRUNE_DEVICE
[ "$PRUNE_HOST" = host2 ] && { echo "no opinion" >&2; exit 3; }
set -- $PRUNE_ONDEVICE
echo "$1:first of $PRUNE_TOTAL on $PRUNE_DEVICE says $PRUNE_colour"`);
		const exec = `prune-policy exec\nprune-parameter path ${policy}\nprune-parameter colour blue`;
		writeFileSync(s.config, configText(s.root, {volume: {'host1:volume1': exec, 'host2:volume1': exec}}));
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(`ERROR: host2:volume1: prune policy ${policy} (device device1) failed with exit status 3: no opinion\n`);
		const rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device1', {1: 'first of 11 on device1 says blue'});
		// device1 chose one already: device2 is told of the 10 left (rsbackup's PRUNE_TOTAL).
		expectPruned(s, rows, 'host1:volume1', 'device2', {1: 'first of 10 on device2 says blue'});
		for (const volume of ['host1:volume2', 'host2:volume1'] as const) {
			expectPruned(s, rows, volume, 'device1', {});
			expectPruned(s, rows, volume, 'device2', {});
		}

		expect(readFileSync(`${record}-host1-volume1-device1`, 'utf8').split('\n')).toEqual([
			'PRUNE_DEVICE=device1',
			'PRUNE_HOST=host1',
			`PRUNE_ONDEVICE=${device1Days.map(day => unix(day)).join(' ')}`,
			'PRUNE_TOTAL=11',
			'PRUNE_VOLUME=volume1',
			'PRUNE_colour=blue',
			`PRUNE_path=${policy}`,
			'',
		]);
		expect(readFileSync(`${record}-host1-volume1-device2`, 'utf8')).toContain(`PRUNE_ONDEVICE=${device2Days.map(day => unix(day)).join(' ')}\n`);
		// The failure on device1 stops that volume: its device2 is not asked.
		expect(readdirSync(s.root).filter(name => name.startsWith('policy-env-')).sort()).toEqual(['policy-env-host1-volume1-device1', 'policy-env-host1-volume1-device2', 'policy-env-host2-volume1-device1']);
	});

	test('--dry-run says what would go and changes nothing', async () => {
		const s = await fleet({volume: {'host1:volume1': 'prune-policy age\nprune-parameter prune-age 7d'}});
		const before = readBackups(s.database);
		const result = await rsdeck(['--prune', '--dry-run', '--config', s.config], {env: pruneEnv});
		expect(result.exitCode).toBe(0);
		for (const [store, day, reason] of [[s.store1, 1, 'age 9 > 7 and remaining 8 > 1'], [s.store1, 2, 'age 8 > 7 and remaining 7 > 1'], [s.store2, 1, 'age 9 > 7 and remaining 3 > 1']] as const) {
			expect(result.stderr).toContain(`would prune ${backupPath(store, 'host1:volume1', day)} because: ${reason}\n`);
			expect(existsSync(backupPath(store, 'host1:volume1', day))).toBe(true);
		}

		expect(result.stderr.match(/would prune/g)).toHaveLength(3);
		expect(readBackups(s.database)).toEqual(before);
	});

	test('selections: HOST:VOLUME prunes only that volume; * -HOST all but the host; -HOST alone nothing', async () => {
		const everywhere = {global: 'prune-policy age\nprune-parameter prune-age 7d'};
		const s = await fleet(everywhere);
		expect((await rsdeck(['--prune', '--config', s.config, 'host1:volume1'], {env: pruneEnv})).exitCode).toBe(0);
		let rows = readBackups(s.database);
		expect(rows.filter(row => row.status === 5).map(row => `${row.host}:${row.volume}:${row.device}:${row.id.slice(8, 10)}`)).toEqual([
			'host1:volume1:device1:01', 'host1:volume1:device1:02', 'host1:volume1:device2:01',
		]);

		const t = await fleet(everywhere);
		expect((await rsdeck(['--prune', '--config', t.config, '--', '-host2'], {env: pruneEnv})).exitCode).toBe(0);
		expect(readBackups(t.database).filter(row => row.status === 5)).toEqual([]);
		expect((await rsdeck(['--prune', '--config', t.config, '--', '*', '-host2'], {env: pruneEnv})).exitCode).toBe(0);
		rows = readBackups(t.database);
		expect(new Set(rows.filter(row => row.status === 5).map(row => `${row.host}:${row.volume}`))).toEqual(new Set(['host1:volume1', 'host1:volume2']));
		expectPruned(t, rows, 'host2:volume1', 'device1', {});
		expectPruned(t, rows, 'host2:volume1', 'device2', {});
	});
});

/** The age policy of the first test on host1:volume1: days 1–6 go from device1, day 1 from device2. */
const ageOnVolume1 = 'prune-policy age\nprune-parameter prune-age 3d\nprune-parameter min-backups 2';
const ageReasons1: Record<number, string> = {
	1: 'age 9 > 3 and remaining 8 > 2',
	2: 'age 8 > 3 and remaining 7 > 2',
	3: 'age 7 > 3 and remaining 6 > 2',
	4: 'age 6 > 3 and remaining 5 > 2',
	5: 'age 5 > 3 and remaining 4 > 2',
	6: 'age 4 > 3 and remaining 3 > 2',
};
const ageReasons2: Record<number, string> = {1: 'age 9 > 3 and remaining 3 > 2'};

describe('--prune-incomplete', () => {
	test('failed and underway backups go with their directories, status=NAME as the reason; complete ones stay whatever the policy', async () => {
		const s = await fleet({global: 'prune-policy age\nprune-parameter prune-age 3d'});
		// host1:volume1 fails on both devices: its source is missing.
		const source = path.join(s.root, 'source', 'host1-volume1');
		renameSync(source, `${source}.away`);
		const failed = await rsdeck(['--backup', '--config', s.config, 'host1:volume1'], {env: {RSBACKUP_TIME: id(9)}});
		expect(failed.exitCode).toBe(1);
		renameSync(`${source}.away`, source);
		// host1:volume2: rsdeck dies (SIGKILL) as soon as rsync has copied, leaving the row underway.
		const crash = writeScript(path.join(s.root, 'rsync-then-crash'), 'rsync "$@"\nkill -KILL $PPID');
		writeFileSync(s.config, configText(s.root, {global: 'prune-policy age\nprune-parameter prune-age 3d', volume: {'host1:volume2': `rsync-command ${crash}`}}));
		const crashed = await rsdeck(['--backup', '--config', s.config, 'host1:volume2'], {env: {RSBACKUP_TIME: id(9)}});
		expect(crashed.exitCode).not.toBe(0);
		const incomplete = readBackups(s.database).filter(row => row.status !== 2);
		expect(incomplete.map(row => `${row.host}:${row.volume}:${row.device}:${row.status}`)).toEqual([
			'host1:volume1:device1:3', 'host1:volume1:device2:3', 'host1:volume2:device1:1',
		]);
		for (const row of incomplete) {
			expect(existsSync(`${backupPath(row.device === 'device1' ? s.store1 : s.store2, `${row.host}:${row.volume}` as VolumeName, 9)}.incomplete`)).toBe(true);
		}

		const result = await rsdeck(['--prune-incomplete', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device1', {9: 'status=failed'});
		expectPruned(s, rows, 'host1:volume1', 'device2', {9: 'status=failed'});
		expectPruned(s, rows, 'host1:volume2', 'device1', {9: 'status=underway'});
		expectPruned(s, rows, 'host1:volume2', 'device2', {});
		expectPruned(s, rows, 'host2:volume1', 'device1', {});
	});
});

describe('removals', () => {
	test('one at a time on each device, the two devices in parallel', async () => {
		const s = await fleet({global: ageOnVolume1.replace('min-backups 2', 'min-backups 1')});
		const log = path.join(s.root, 'rm.log');
		// Each device's first removal waits (up to 10s) for the other device's to start: only parallel devices pass.
		const rm = writeScript(path.join(s.root, 'rm'), `store=$(basename "$(dirname "$(dirname "$(dirname "$2")")")")
other=store1; [ "$store" = store1 ] && other=store2
echo "start $store $(date +%s%N)" >> ${log}
mkdir ${s.root}/busy-$store || echo "overlap $store" >> ${log}
touch ${s.root}/started-$store
i=0; while [ ! -e ${s.root}/started-$other ]; do i=$((i+1)); [ $i -gt 500 ] && { echo "alone $store" >> ${log}; break; }; sleep 0.02; done
rm "$@"
rmdir ${s.root}/busy-$store
echo "end $store $(date +%s%N)" >> ${log}`);
		writeFileSync(s.config, `rm ${rm}\n${readFileSync(s.config, 'utf8')}`);
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const lines = readFileSync(log, 'utf8').trim().split('\n').map(line => line.split(' '));
		expect(lines.filter(([what]) => what === 'overlap' || what === 'alone')).toEqual([]);
		const intervals = new Map<string, Array<[bigint, bigint]>>();
		const open = new Map<string, bigint>();
		for (const [what, store, time] of lines) {
			if (what === 'start') {
				open.set(store!, BigInt(time!));
			} else {
				intervals.set(store!, [...intervals.get(store!) ?? [], [open.get(store!)!, BigInt(time!)]]);
			}
		}

		// Per volume: days 1–6 on device1 (older than 3 days), days 1 and 4 on device2.
		expect(intervals.get('store1')).toHaveLength(18);
		expect(intervals.get('store2')).toHaveLength(6);
		for (const each of intervals.values()) {
			for (const [index, [, end]] of each.slice(0, -1).entries()) {
				expect(end <= each[index + 1]![0]).toBe(true);
			}
		}

		const overlaps = intervals.get('store1')!.some(([start1, end1]) => intervals.get('store2')!.some(([start2, end2]) => start1 < end2 && start2 < end1));
		expect(overlaps).toBe(true);
	});

	test('prune-timeout: removals not finished in time are cancelled, not an error; their rows stay pruning and the next run finishes them', async () => {
		const s = await fleet({volume: {'host1:volume1': ageOnVolume1}});
		const pids = path.join(s.root, 'rm.pids');
		const slow = writeScript(path.join(s.root, 'slow-rm'), `echo $$ >> ${pids}\nexec sleep 60`);
		writeFileSync(s.config, `rm ${slow}\nprune-timeout 2s\n${readFileSync(s.config, 'utf8')}`);
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		// One removal was running on each device when time ran out: both were killed.
		const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
		expect(started).toHaveLength(2);
		await waitFor(() => started.every(pid => processGone(pid)), 'the slow rm processes to be killed');
		let rows = readBackups(s.database);
		const pruning = rows.filter(row => row.status === 4);
		expect(pruning.map(row => `${row.device}:${row.id.slice(8, 10)}:${row.pruned}:${row.log}`)).toEqual([
			...Object.entries(ageReasons1).map(([day, reason]) => `device1:0${day}:${pruneTime}:${reason}`),
			`device2:01:${pruneTime}:${ageReasons2[1]}`,
		]);
		for (const row of pruning) {
			expect(existsSync(path.join(backupPath(row.device === 'device1' ? s.store1 : s.store2, 'host1:volume1', Number(row.id.slice(8, 10))), 'a.txt'))).toBe(true);
		}

		writeFileSync(s.config, configText(s.root, {volume: {'host1:volume1': ageOnVolume1}}));
		const resumed = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(resumed).toMatchObject({exitCode: 0, stderr: ''});
		rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device1', ageReasons1);
		expectPruned(s, rows, 'host1:volume1', 'device2', ageReasons2);
	});

	test('prune-timeout 30d, beyond Node\'s timer limit, removes everything that is due', async () => {
		const s = await fleet({volume: {'host1:volume1': ageOnVolume1}});
		writeFileSync(s.config, `prune-timeout 30d\n${readFileSync(s.config, 'utf8')}`);
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device1', ageReasons1);
		expectPruned(s, rows, 'host1:volume1', 'device2', ageReasons2);
	});

	test('prune-timeout: removals found after it passed are not started either; their rows stay pruning', async () => {
		const s = await fleet();
		// The policy answers after prune-timeout has passed: its removals are added to a run whose deadline fired.
		const policy = writeScript(path.join(s.root, 'policy'), 'sleep 2\nset -- $PRUNE_ONDEVICE\necho "$1:too late"');
		writeFileSync(s.config, `prune-timeout 1s\n${configText(s.root, {volume: {'host1:volume1': `prune-policy exec\nprune-parameter path ${policy}`}})}`);
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const pruning = readBackups(s.database).filter(row => row.status === 4);
		expect(pruning.map(row => `${row.device}:${row.id}`)).toEqual([`device1:${id(1)}`, `device2:${id(1)}`]);
		for (const store of [s.store1, s.store2]) {
			expect(existsSync(path.join(backupPath(store, 'host1:volume1', 1), 'a.txt'))).toBe(true);
		}
	});

	test('an interrupted prune (half-removed backup, .incomplete left) is resumed by the next run whatever its policy', async () => {
		const s = await fleet({volume: {'host1:volume1': ageOnVolume1.replace('min-backups 2', 'min-backups 3')}});
		// The first removal deletes part of its backup, then rsdeck dies.
		const crash = writeScript(path.join(s.root, 'rm-crash'), `if mkdir ${s.root}/crashed 2>/dev/null; then
  rm -rf "$2/sub"
  kill -KILL $PPID
  exit 1
fi
exec rm "$@"`);
		writeFileSync(s.config, `rm ${crash}\n${readFileSync(s.config, 'utf8')}`);
		const crashed = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(crashed.exitCode).not.toBe(0);
		const days = [1, 2, 3, 4, 5];
		const reasons = Object.fromEntries(days.map(day => [day, ageReasons1[day]!.replace(' > 2', ' > 3')]));
		const pruning = readBackups(s.database).filter(row => row.status === 4);
		expect(pruning.map(row => [row.device, Number(row.id.slice(8, 10)), row.log])).toEqual(days.map(day => ['device1', day, reasons[day]]));
		const half = days.filter(day => existsSync(`${backupPath(s.store1, 'host1:volume1', day)}.incomplete`));
		expect(half).toHaveLength(1);
		const halfRemoved = backupPath(s.store1, 'host1:volume1', half[0]!);
		expect([existsSync(path.join(halfRemoved, 'a.txt')), existsSync(path.join(halfRemoved, 'sub'))]).toEqual([true, false]);

		writeFileSync(s.config, configText(s.root));
		const later = {RSBACKUP_TIME_PRUNE: '1980-01-11T12:00:00'};
		const resumed = await rsdeck(['--prune', '--config', s.config], {env: later});
		expect(resumed).toMatchObject({exitCode: 0, stderr: ''});
		const rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device1', reasons, unix(11, 12));
		expectPruned(s, rows, 'host1:volume1', 'device2', {});
	});

	test('a device that is not available keeps its rows pruning until it is back', async () => {
		const s = await fleet({volume: {'host1:volume1': ageOnVolume1}});
		renameSync(path.join(s.store2, 'device-id'), path.join(s.root, 'device-id.away'));
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result.exitCode).toBe(0);
		let rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device1', ageReasons1);
		expect(rowsOf(rows, 'host1:volume1', 'device2').get(1)).toMatchObject({status: 4, pruned: pruneTime, log: ageReasons2[1]});
		expect(existsSync(path.join(backupPath(s.store2, 'host1:volume1', 1), 'a.txt'))).toBe(true);

		renameSync(path.join(s.root, 'device-id.away'), path.join(s.store2, 'device-id'));
		expect((await rsdeck(['--prune', '--config', s.config], {env: pruneEnv})).exitCode).toBe(0);
		rows = readBackups(s.database);
		expectPruned(s, rows, 'host1:volume1', 'device2', ageReasons2);
	});

	test('a volume directory symlinked out of the store: nothing outside is touched, an ERROR, exit 1, rows left pruning', async () => {
		const s = await fleet({volume: {'host1:volume1': ageOnVolume1}});
		const outside = path.join(s.root, 'outside');
		const volume1 = path.join(s.store1, 'host1', 'volume1');
		await execa('mkdir', [outside]);
		renameSync(volume1, path.join(outside, 'volume1'));
		symlinkSync(path.join(outside, 'volume1'), volume1);
		const before = treeOf(outside);
		const result = await rsdeck(['--prune', '--config', s.config], {env: pruneEnv});
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(new RegExp(`^ERROR: .*'${volume1}': it is a symbolic link$`, 'm'));
		expect(treeOf(outside)).toEqual(before);
		const rows = readBackups(s.database);
		expect([...rowsOf(rows, 'host1:volume1', 'device1')].filter(([, row]) => row.status === 4).map(([day]) => day)).toEqual([1, 2, 3, 4, 5, 6]);
		expectPruned(s, rows, 'host1:volume1', 'device2', ageReasons2);
	});
});

describe('keep-prune-logs', () => {
	test('--prune forgets pruned rows, and rsdeck runs, older than keep-prune-logs; dry runs and -P alone do not', async () => {
		const s = await fleet({global: 'keep-prune-logs 20d', volume: {'host1:volume1': ageOnVolume1}});
		const day = 86_400_000;
		const db = new Database(s.database);
		db.prepare('INSERT INTO rsdeck_runs (started, finished, argv, exitStatus) VALUES (?, ?, ?, 0)').run(Date.now() - (40 * day), Date.now() - (40 * day), '["--backup"]');
		const recentRuns = (db.prepare('SELECT count(*) AS n FROM rsdeck_runs').get() as {n: number}).n - 1;
		db.close();
		const runs = () => {
			const reader = new Database(s.database, {readonly: true});
			try {
				return (reader.prepare('SELECT started FROM rsdeck_runs').all() as Array<{started: number}>).map(run => run.started);
			} finally {
				reader.close();
			}
		};

		expect((await rsdeck(['--prune', '--config', s.config], {env: pruneEnv})).exitCode).toBe(0);
		const pruned = () => readBackups(s.database).filter(row => row.status === 5).length;
		expect(pruned()).toBe(7);
		expect(runs().every(started => started > Date.now() - day)).toBe(true);
		expect(runs().length).toBe(recentRuns + 1);

		expect((await rsdeck(['--prune', '--config', s.config], {env: {RSBACKUP_TIME_PRUNE: '1980-01-30T11:00:00'}})).exitCode).toBe(0);
		expect(pruned()).toBe(7);
		for (const args of [['--prune', '--dry-run'], ['--prune-incomplete']]) {
			expect((await rsdeck([...args, '--config', s.config], {env: {RSBACKUP_TIME_PRUNE: '1980-01-31T00:00:00'}})).exitCode).toBe(0);
			expect(pruned(), args.join(' ')).toBe(7);
		}

		expect((await rsdeck(['--prune', '--config', s.config], {env: {RSBACKUP_TIME_PRUNE: '1980-01-31T00:00:00'}})).exitCode).toBe(0);
		const rows = readBackups(s.database);
		expect(rows.filter(row => row.status === 5)).toEqual([]);
		expect(rows).toHaveLength((volumes.length * 11) - 7);
		expect(rows.every(row => row.status === 2)).toBe(true);
	});
});
