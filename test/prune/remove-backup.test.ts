import {lstat, mkdir, readFile, rename, stat, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {RemovalError, removeBackup} from '../../src/prune/remove-backup.js';
import {waitForFile} from './helpers.js';
import {removeTemporaryDirectories, writeScript} from '../helpers/files.js';
import {firstId, secondId, storeWithSnapshots, treeContents} from './fixtures.js';

afterEach(removeTemporaryDirectories);

const exists = async (file: string): Promise<boolean> => lstat(file).then(() => true, () => false);

describe('removeBackup', () => {
	test('removes a hard-linked snapshot and leaves the one it shares files with', async () => {
		const {store, volume} = await storeWithSnapshots();
		const before = await treeContents(path.join(volume, firstId));
		expect((await stat(path.join(volume, firstId, 'd3', 'f3'))).nlink).toBe(2);
		await removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm: 'rm'});
		expect(await exists(path.join(volume, secondId))).toBe(false);
		expect(await exists(path.join(volume, `${secondId}.incomplete`))).toBe(false);
		expect(await treeContents(path.join(volume, firstId))).toEqual(before);
		expect((await stat(path.join(volume, firstId, 'd3', 'f3'))).nlink).toBe(1);
	});

	test('ID.incomplete exists while rm runs and is gone after', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		const started = path.join(root, 'rm-started');
		const go = path.join(root, 'rm-go');
		const rm = await writeScript(path.join(root, 'slow-rm'), `touch '${started}'\nwhile ! test -e '${go}'; do sleep 0.01; done\nexec rm "$@"`);
		const removal = removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm});
		await waitForFile(started);
		expect((await lstat(path.join(volume, `${secondId}.incomplete`))).isFile()).toBe(true);
		expect(await exists(path.join(volume, secondId))).toBe(true);
		await writeFile(go, '');
		await removal;
		expect(await exists(path.join(volume, secondId))).toBe(false);
		expect(await exists(path.join(volume, `${secondId}.incomplete`))).toBe(false);
	});

	test('rm is run as `RM -rf PATH` and its output is passed on', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		const rm = await writeScript(path.join(root, 'echo-rm'), 'echo "args: $*"\nexec rm "$@"');
		const output: string[] = [];
		await removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm, onOutput: text => output.push(text)});
		expect(output.join('')).toBe(`args: -rf ${path.join(volume, secondId)}\n`);
	});

	test('a failing rm is a RemovalError and leaves ID.incomplete', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		const rm = await writeScript(path.join(root, 'bad-rm'), 'echo "rm: cannot remove: Read-only file system" >&2\nexit 1');
		const removal = removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm});
		await expect(removal).rejects.toThrow(RemovalError);
		await expect(removal).rejects.toThrow(`cannot remove '${path.join(volume, secondId)}': '${rm}' failed with exit status 1: rm: cannot remove: Read-only file system`);
		expect(await exists(path.join(volume, `${secondId}.incomplete`))).toBe(true);
		expect(await exists(path.join(volume, secondId))).toBe(true);
	});

	test('an rm that succeeds without removing anything is caught', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		const rm = await writeScript(path.join(root, 'lazy-rm'), 'exit 0');
		await expect(removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm})).rejects.toThrow(/it is still there after/);
		expect(await exists(path.join(volume, `${secondId}.incomplete`))).toBe(true);
	});

	test('a missing rm is a RemovalError', async () => {
		const {root, store} = await storeWithSnapshots();
		await expect(removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm: path.join(root, 'no-such-rm')}))
			.rejects.toThrow(/could not be run: no such file or directory$/);
	});

	test('cancelling kills rm and leaves ID.incomplete for the next run', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		const started = path.join(root, 'rm-started');
		const rm = await writeScript(path.join(root, 'stuck-rm'), `touch '${started}'\nexec sleep 60`);
		const controller = new AbortController();
		const removal = removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm, signal: controller.signal});
		await waitForFile(started);
		controller.abort();
		await expect(removal).rejects.toThrow(/'.*stuck-rm' was cancelled$/);
		expect(await exists(path.join(volume, `${secondId}.incomplete`))).toBe(true);
	});

	test('an already cancelled removal touches nothing', async () => {
		const {store, volume} = await storeWithSnapshots();
		const before = await treeContents(volume);
		await expect(removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm: 'rm', signal: AbortSignal.abort()}))
			.rejects.toThrow('removal of host1:volume1 2024-01-02T00:00:00 was cancelled before it started');
		expect(await treeContents(volume)).toEqual(before);
	});

	test('resuming: a backup already gone only loses its ID.incomplete', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		await rename(path.join(volume, secondId), path.join(root, 'gone'));
		await writeFile(path.join(volume, `${secondId}.incomplete`), '');
		const rm = await writeScript(path.join(root, 'bad-rm'), 'exit 1');
		await removeBackup({store, host: 'host1', volume: 'volume1', id: secondId}, {rm});
		expect(await exists(path.join(volume, `${secondId}.incomplete`))).toBe(false);
	});

	test('a volume directory that does not exist has nothing to remove', async () => {
		const {store} = await storeWithSnapshots();
		await removeBackup({store, host: 'host1', volume: 'volume2', id: secondId}, {rm: 'rm'});
		await removeBackup({store, host: 'host2', volume: 'volume1', id: secondId}, {rm: 'rm'});
		expect(await exists(path.join(store, 'host2'))).toBe(false);
	});

	test('a store reached through a symlink is fine', async () => {
		const {root, store, volume} = await storeWithSnapshots();
		await symlink(store, path.join(root, 'mnt'));
		await removeBackup({store: path.join(root, 'mnt'), host: 'host1', volume: 'volume1', id: secondId}, {rm: 'rm'});
		expect(await exists(path.join(volume, secondId))).toBe(false);
	});
});

describe('removeBackup in a hostile layout loses nothing outside the store', () => {
	/** Run `attempt` against a fresh store; it must be refused, and the tree outside must be unchanged. */
	async function refused(arrange: (layout: Awaited<ReturnType<typeof storeWithSnapshots>>) => Promise<{host?: string; volume?: string; id?: string}>, message: RegExp) {
		const layout = await storeWithSnapshots();
		const target = {host: 'host1', volume: 'volume1', id: secondId, ...await arrange(layout)};
		const before = await treeContents(layout.outside);
		const removal = removeBackup({store: layout.store, ...target}, {rm: 'rm'});
		await expect(removal).rejects.toThrow(RemovalError);
		await expect(removal).rejects.toThrow(message);
		expect(await treeContents(layout.outside)).toEqual(before);
		expect(await readFile(path.join(layout.outside, 'precious'), 'utf8')).toBe('do not lose me\n');
		return layout;
	}

	test('a host directory that is a symlink out of the store', async () => {
		await refused(async ({store, outside}) => {
			await symlink(outside, path.join(store, 'evil'));
			return {host: 'evil'};
		}, /refusing to remove under '.*\/store\/evil': it is a symbolic link/);
	});

	test('a volume directory that is a symlink out of the store', async () => {
		await refused(async ({store, outside}) => {
			await mkdir(path.join(store, 'host2'));
			await symlink(path.join(outside, 'volume1'), path.join(store, 'host2', 'volume1'));
			return {host: 'host2'};
		}, /refusing to remove under '.*\/store\/host2\/volume1': it is a symbolic link/);
	});

	test('a backup id that is a symlink', async () => {
		const {volume} = await refused(async ({volume, outside}) => {
			await rename(path.join(volume, secondId), path.join(volume, 'moved'));
			await symlink(path.join(outside, 'volume1', secondId), path.join(volume, secondId));
			return {};
		}, /it is a symbolic link/);
		expect((await lstat(path.join(volume, secondId))).isSymbolicLink()).toBe(true);
	});

	test('an ID.incomplete that is a symlink to a file outside', async () => {
		await refused(async ({volume, outside}) => {
			await symlink(path.join(outside, 'precious'), path.join(volume, `${secondId}.incomplete`));
			return {};
		}, /cannot create '.*\.incomplete': it is a symbolic link/);
	});

	test.each([
		['host', '..', /invalid host name '\.\.'/],
		['host', '.', /invalid host name '\.'/],
		['host', 'host1/../..', /invalid host name/],
		['host', '-rf', /invalid host name '-rf'/],
		['host', '', /invalid host name ''/],
		['volume', '..', /invalid volume name '\.\.'/],
		['volume', '../../outside/volume1', /invalid volume name/],
		['volume', 'volume1/x', /invalid volume name/],
		['id', '..', /invalid backup id '\.\.'/],
		['id', `${secondId}/..`, /invalid backup id/],
		['id', '../../../outside/volume1/2024-01-02T00:00:00', /invalid backup id/],
		['id', '2024-13-02T00:00:00', /invalid backup id/],
	])('the %s %j', async (field, value, message) => {
		await refused(async () => ({[field]: value}), message);
	});

	test('a symlink inside the backup is removed, not followed', async () => {
		const {volume, outside} = await storeWithSnapshots();
		await symlink(outside, path.join(volume, secondId, 'escape'));
		await symlink(path.join(outside, 'precious'), path.join(volume, secondId, 'd1', 'precious'));
		const before = await treeContents(outside);
		await removeBackup({store: path.dirname(path.dirname(volume)), host: 'host1', volume: 'volume1', id: secondId}, {rm: 'rm'});
		expect(await exists(path.join(volume, secondId))).toBe(false);
		expect(await treeContents(outside)).toEqual(before);
	});
});
