import {existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {makeStore, readBackups, rsdeck, writeTree, treeOf} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {waitFor} from '../helpers/wait.js';

/*
A fleet made once by rsdeck with the fake clock and copied for each test:
host1:volume1, host1:volume2 and host2:volume1, backed up on 1980-01-01 and
01-02 to device1 (store1) and device2 (store2).
*/

const days = ['1980-01-01T00:00:00', '1980-01-02T00:00:00'];

type Fleet = {root: string; store1: string; store2: string; database: string; config: string};

function configText(root: string, options: {host2?: boolean; device2?: boolean; global?: string} = {}): string {
	const host2 = `host host2
  hostname localhost
  volume volume1 ${path.join(root, 'source', 'host2-volume1')}
`;
	return `store --no-mounted ${path.join(root, 'store1')}
store --no-mounted ${path.join(root, 'store2')}
device device1
${options.device2 === false ? '' : 'device device2\n'}database ${path.join(root, 'backups.db')}
logs ${root}
rsync-extra-options
${options.global ?? ''}
host host1
  hostname localhost
  volume volume1 ${path.join(root, 'source', 'host1-volume1')}
  volume volume2 ${path.join(root, 'source', 'host1-volume2')}
${options.host2 === false ? '' : host2}`;
}

let template: string;

beforeAll(async () => {
	template = temporaryDirectory('rsdeck-retire-template-');
	makeStore(template, 'store1', 'device1');
	makeStore(template, 'store2', 'device2');
	for (const volume of ['host1-volume1', 'host1-volume2', 'host2-volume1']) {
		writeTree(path.join(template, 'source', volume), {'a.txt': `${volume}\n`, 'sub/b.txt': 'beta\n'});
	}

	writeFileSync(path.join(template, 'config'), configText(template));
	for (const day of days) {
		const result = await rsdeck(['--backup', '--config', path.join(template, 'config')], {env: {RSBACKUP_TIME: day}});
		expect(result.exitCode, result.stderr).toBe(0);
	}
}, 60_000);

afterAll(() => {
	removeTemporaryDirectories();
});

async function fleet(options: Parameters<typeof configText>[1] = {}): Promise<Fleet> {
	const root = temporaryDirectory();
	await execa('cp', ['-a', `${template}/.`, root]);
	const config = path.join(root, 'config');
	writeFileSync(config, configText(root, options));
	return {root, store1: path.join(root, 'store1'), store2: path.join(root, 'store2'), database: path.join(root, 'backups.db'), config};
}

/** Everything a retire could change: the rows and both stores. */
const state = (s: Fleet) => ({rows: readBackups(s.database), store1: treeOf(s.store1, {directories: true}), store2: treeOf(s.store2, {directories: true})});

/** `host:volume` of each row, one per row. */
const volumesOf = (s: Fleet) => readBackups(s.database).map(row => `${row.host}:${row.volume}:${row.device}`);

describe('--retire', () => {
	test('HOST:VOLUME --force: every backup of it removed, one device at a time, its rows deleted only once the files are gone, empty directories removed', async () => {
		const s = await fleet();
		// The first removal waits for the test's go-ahead, so the test can look at the rows mid-retire.
		const rm = writeScript(path.join(s.root, 'rm'), `store=$(basename "$(dirname "$(dirname "$(dirname "$2")")")")
mkdir ${s.root}/busy-$store || echo "overlap on $store" >&2
touch ${s.root}/started
while [ ! -e ${s.root}/go ]; do sleep 0.02; done
rm "$@"
rmdir ${s.root}/busy-$store`);
		writeFileSync(s.config, configText(s.root, {global: `rm ${rm}`}));
		const running = rsdeck(['--retire', '--force', '--config', s.config, 'host1:volume1']);
		await waitFor(() => existsSync(path.join(s.root, 'started')), 'a removal to start');
		expect(volumesOf(s).filter(name => name.startsWith('host1:volume1:'))).toHaveLength(4);
		writeFileSync(path.join(s.root, 'go'), '');
		const result = await running;
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(volumesOf(s)).toEqual(['host1:volume2:device1', 'host1:volume2:device1', 'host1:volume2:device2', 'host1:volume2:device2', 'host2:volume1:device1', 'host2:volume1:device1', 'host2:volume1:device2', 'host2:volume1:device2']);
		for (const store of [s.store1, s.store2]) {
			expect(existsSync(path.join(store, 'host1', 'volume1'))).toBe(false);
			expect(readdirSync(path.join(store, 'host1', 'volume2'))).toEqual(days);
			expect(readdirSync(path.join(store, 'host2', 'volume1'))).toEqual(days);
		}
	});

	test('a retire that fails part-way keeps rows only for backups still on disk; --latest never names a removed one; the next retire finishes', async () => {
		const s = await fleet();
		const rm = writeScript(path.join(s.root, 'rm'), `case "$2" in *store2*) echo "disk on fire" >&2; exit 1;; esac
exec rm "$@"`);
		writeFileSync(s.config, configText(s.root, {global: `rm ${rm}`}));
		const result = await rsdeck(['--retire', '--force', '--config', s.config, 'host1:volume1']);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain('disk on fire');
		expect(existsSync(path.join(s.store1, 'host1', 'volume1', days[0]!))).toBe(false);
		expect(readdirSync(path.join(s.store2, 'host1', 'volume1')).filter(name => !name.endsWith('.incomplete'))).toEqual(days);
		const rows = readBackups(s.database).filter(row => row.host === 'host1' && row.volume === 'volume1');
		// device1's backups are gone and so are their rows; device2's are there, no longer complete (a removal began).
		expect(rows.map(row => `${row.device} ${row.id} ${row.status}`)).toEqual(days.map(day => `device2 ${day} ${BackupStatus.pruning}`));
		const latest = await rsdeck(['--latest', '--config', s.config, 'host1:volume1']);
		for (const line of latest.stdout.split('\n').filter(Boolean)) {
			expect(existsSync(line), line).toBe(true);
		}

		writeFileSync(s.config, configText(s.root));
		expect(await rsdeck(['--retire', '--force', '--config', s.config, 'host1:volume1'])).toMatchObject({exitCode: 0, stderr: ''});
		expect(volumesOf(s).filter(name => name.startsWith('host1:volume1:'))).toEqual([]);
		for (const store of [s.store1, s.store2]) {
			expect(existsSync(path.join(store, 'host1', 'volume1'))).toBe(false);
		}
	});

	test('HOST no longer in the configuration: all its volumes, rows and directories go', async () => {
		const s = await fleet({host2: false});
		const result = await rsdeck(['--retire', '--force', '--config', s.config, 'host2']);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(volumesOf(s).every(name => name.startsWith('host1:'))).toBe(true);
		expect(volumesOf(s)).toHaveLength(8);
		for (const store of [s.store1, s.store2]) {
			expect(readdirSync(store).sort()).toEqual(['device-id', 'host1']);
		}
	});

	test('asks first without --force: no, or no answer at all, changes nothing (the refusal on a line of its own); yes retires', async () => {
		const s = await fleet();
		const before = state(s);
		for (const input of ['no\n', undefined]) {
			const result = await rsdeck(['--retire', '--config', s.config, 'host1:volume1'], input === undefined ? {} : {input});
			expect(result.exitCode, String(input)).toBe(1);
			expect(result.stderr).toBe('Really remove all backups of host1:volume1? (yes/no) \nERROR: retire cancelled\n');
			expect(state(s)).toEqual(before);
		}

		const result = await rsdeck(['--retire', '--config', s.config, 'host1:volume1'], {input: 'yes\n'});
		expect(result.exitCode).toBe(0);
		expect(volumesOf(s)).toHaveLength(8);
		expect(existsSync(path.join(s.store1, 'host1', 'volume1'))).toBe(false);
	});

	test('* and negative selections are refused with a clear error, before anything is asked or done', async () => {
		const s = await fleet();
		const before = state(s);
		for (const selection of ['*', '-host1', '!host1', 'host1:volume1 -host1:volume2']) {
			const result = await rsdeck(['--retire', '--force', '--config', s.config, '--', ...selection.split(' ')]);
			expect(result.exitCode, selection).toBe(1);
			expect(result.stderr, selection).toMatch(/^ERROR: --retire .*'(\*|-host1|!host1|-host1:volume2)'\n$/);
		}

		expect(state(s)).toEqual(before);
	});

	test('--forget-only deletes the rows and leaves every file', async () => {
		const s = await fleet();
		const before = state(s);
		const result = await rsdeck(['--retire', '--forget-only', '--force', '--config', s.config, 'host1']);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(volumesOf(s)).toEqual(['host2:volume1:device1', 'host2:volume1:device1', 'host2:volume1:device2', 'host2:volume1:device2']);
		expect({store1: treeOf(s.store1, {directories: true}), store2: treeOf(s.store2, {directories: true})}).toEqual({store1: before.store1, store2: before.store2});
	});

	test('--dry-run variants say what they would do and change nothing, without asking', async () => {
		const s = await fleet();
		const before = state(s);
		const retire = await rsdeck(['--retire', '--dry-run', '--config', s.config, 'host1:volume1']);
		expect(retire.exitCode).toBe(0);
		for (const store of [s.store1, s.store2]) {
			for (const day of days) {
				expect(retire.stderr).toContain(`would remove ${path.join(store, 'host1', 'volume1', day)}\n`);
			}
		}

		expect(retire.stderr).toContain('would forget 4 record(s)');
		const forget = await rsdeck(['--retire', '--forget-only', '--dry-run', '--config', s.config, 'host1']);
		expect(forget.exitCode).toBe(0);
		expect(forget.stderr).toContain('would forget 8 record(s)');
		const device = await rsdeck(['--retire-device', '--dry-run', '--config', s.config, 'device2']);
		expect(device).toMatchObject({exitCode: 0, stderr: 'INFO: would forget 6 backup record(s) of device device2\n'});
		expect(state(s)).toEqual(before);
	});

	test('a volume or host directory symlinked out of the store: not a byte lost outside, an ERROR, exit 1, their records kept', async () => {
		const s = await fleet();
		const outside = path.join(s.root, 'outside');
		mkdirSync(outside);
		for (const [from, to] of [[path.join(s.store1, 'host1', 'volume1'), 'volume1'], [path.join(s.store1, 'host2'), 'host2']] as const) {
			renameSync(from, path.join(outside, to));
			symlinkSync(path.join(outside, to), from);
		}

		const before = treeOf(outside, {directories: true});
		for (const [target, link] of [['host1:volume1', path.join(s.store1, 'host1', 'volume1')], ['host2', path.join(s.store1, 'host2')]] as const) {
			const result = await rsdeck(['--retire', '--force', '--config', s.config, target]);
			expect(result.exitCode, target).toBe(1);
			expect(result.stderr, target).toMatch(new RegExp(`^ERROR: cannot remove ${link}/\\S+: refusing to remove under '${link}': it is a symbolic link$`, 'm'));
		}

		expect(treeOf(outside, {directories: true})).toEqual(before);
		// The refused backups keep their rows; store2's were removed, and their rows with them.
		expect(volumesOf(s)).toEqual(['host1:volume1:device1', 'host1:volume1:device1', 'host1:volume2:device1', 'host1:volume2:device1', 'host1:volume2:device2', 'host1:volume2:device2', 'host2:volume1:device1', 'host2:volume1:device1']);
	});

	test('names that climb out of the store are refused and nothing moves', async () => {
		const s = await fleet();
		// Everything beside the stores, but the database (which records each run).
		const around = () => ({entries: readdirSync(s.root).filter(name => !name.startsWith('backups.db')).sort(), source: treeOf(path.join(s.root, 'source'), {directories: true})});
		const before = {...state(s), ...around()};
		for (const [selection, complaint] of [['..', 'invalid host name \'..\''], ['host1:..', 'invalid volume name \'..\''], ['..:store1', 'invalid host name \'..\'']] as const) {
			const result = await rsdeck(['--retire', '--force', '--config', s.config, '--', selection]);
			expect(result.exitCode, selection).toBe(1);
			expect(result.stderr, selection).toBe(`ERROR: --retire: ${complaint}\n`);
		}

		expect({...state(s), ...around()}).toEqual(before);
	});
});

describe('--retire-device', () => {
	test('a configured device: asks, then deletes its rows only; an unconfigured one is not asked about', async () => {
		const s = await fleet();
		const before = state(s);
		for (const input of ['no\n', undefined]) {
			const result = await rsdeck(['--retire-device', '--config', s.config, 'device2'], input === undefined ? {} : {input});
			expect(result.exitCode).toBe(1);
			expect(result.stderr).toBe('Device \'device2\' is still in the configuration. Really retire it? (yes/no) \nERROR: retire of device device2 cancelled\n');
			expect(state(s)).toEqual(before);
		}

		const result = await rsdeck(['--retire-device', '--config', s.config, 'device2'], {input: 'yes\n'});
		expect(result.exitCode).toBe(0);
		expect(readBackups(s.database).map(row => row.device)).toEqual(Array.from({length: 6}, () => 'device1'));
		expect({store1: treeOf(s.store1, {directories: true}), store2: treeOf(s.store2, {directories: true})}).toEqual({store1: before.store1, store2: before.store2});

		const t = await fleet({device2: false});
		const unconfigured = await rsdeck(['--retire-device', '--config', t.config, 'device2']);
		expect(unconfigured).toMatchObject({exitCode: 0, stderr: ''});
		expect(readBackups(t.database)).toHaveLength(6);
		expect(treeOf(t.store2, {directories: true})).toEqual(before.store2);
	});
});
