import {lstat, mkdir, rm, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {RemovalError} from '../../src/prune/remove-backup.js';
import {removeEmptyDirectories} from '../../src/prune/retire.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {treeContents} from './fixtures.js';

afterEach(removeTemporaryDirectories);

const exists = async (file: string): Promise<boolean> => lstat(file).then(() => true, () => false);

/** A store with host1 holding the given volume directories, each with the given entries. */
async function storeWith(volumes: Record<string, string[]>): Promise<{root: string; store: string; host: string}> {
	const root = await temporaryDirectory();
	const store = path.join(root, 'store');
	const host = path.join(store, 'host1');
	await mkdir(host, {recursive: true});
	for (const [volume, entries] of Object.entries(volumes)) {
		await mkdir(path.join(host, volume));
		for (const entry of entries) {
			await mkdir(path.join(host, volume, entry));
		}
	}

	return {root, store, host};
}

describe('removeEmptyDirectories', () => {
	test('removes the retired volume\'s directory and the host\'s once empty', async () => {
		const {store, host} = await storeWith({volume1: []});
		await removeEmptyDirectories(store, 'host1', 'volume1');
		expect(await exists(host)).toBe(false);
		expect(await exists(store)).toBe(true);
	});

	test('keeps the host directory while other volumes remain', async () => {
		const {store, host} = await storeWith({volume1: [], volume2: ['2024-01-01T00:00:00']});
		await removeEmptyDirectories(store, 'host1', 'volume1');
		expect(await exists(path.join(host, 'volume1'))).toBe(false);
		expect(await exists(path.join(host, 'volume2', '2024-01-01T00:00:00'))).toBe(true);
	});

	test('never removes anything that is not empty', async () => {
		const {store, host} = await storeWith({volume1: ['2024-01-01T00:00:00']});
		await writeFile(path.join(host, 'volume1.nolink'), '');
		await removeEmptyDirectories(store, 'host1', 'volume1');
		expect(await exists(path.join(host, 'volume1', '2024-01-01T00:00:00'))).toBe(true);
		expect(await exists(path.join(host, 'volume1.nolink'))).toBe(true);
	});

	test('retiring a whole host removes its empty volume directories, then the host\'s', async () => {
		const {store, host} = await storeWith({volume1: [], volume2: [], volume3: ['2024-01-01T00:00:00']});
		await removeEmptyDirectories(store, 'host1');
		expect(await exists(path.join(host, 'volume1'))).toBe(false);
		expect(await exists(path.join(host, 'volume2'))).toBe(false);
		expect(await exists(path.join(host, 'volume3', '2024-01-01T00:00:00'))).toBe(true);
		await rm(path.join(host, 'volume3', '2024-01-01T00:00:00'), {recursive: true});
		await removeEmptyDirectories(store, 'host1');
		expect(await exists(host)).toBe(false);
	});

	test('directories already gone are fine', async () => {
		const {store} = await storeWith({});
		await removeEmptyDirectories(store, 'host1', 'volume9');
		await removeEmptyDirectories(store, 'host2');
		expect(await exists(path.join(store, 'host1'))).toBe(false);
	});

	test('a symlink in the way is refused and outside is untouched', async () => {
		const {root, store, host} = await storeWith({});
		const outside = path.join(root, 'outside');
		await mkdir(path.join(outside, 'empty'), {recursive: true});
		await symlink(outside, path.join(host, 'volume1'));
		await symlink(outside, path.join(store, 'host2'));
		const before = await treeContents(root);
		await expect(removeEmptyDirectories(store, 'host1', 'volume1')).rejects.toThrow(RemovalError);
		await expect(removeEmptyDirectories(store, 'host2')).rejects.toThrow(/refusing to remove under '.*host2': it is a symbolic link/);
		await removeEmptyDirectories(store, 'host1');
		expect(await treeContents(root)).toEqual(before);
	});

	test('names that climb out of the store are refused', async () => {
		const {store} = await storeWith({});
		await expect(removeEmptyDirectories(store, '..')).rejects.toThrow(/invalid host name '\.\.'/);
		await expect(removeEmptyDirectories(store, 'host1', '../..')).rejects.toThrow(/invalid volume name/);
	});
});
