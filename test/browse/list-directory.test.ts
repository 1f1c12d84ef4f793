import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {BrowseError} from '../../src/browse/browse-error.js';
import {listDirectory, type ListedEntry} from '../../src/browse/list-directory.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

async function collect(snapshot: string, relative: string): Promise<ListedEntry[][]> {
	const batches: ListedEntry[][] = [];
	for await (const batch of listDirectory(snapshot, relative)) {
		batches.push(batch);
	}

	return batches;
}

test('a directory of 10,000 entries comes in batches, each entry with its type and size; symlinks are not followed', async () => {
	const snapshot = temporaryDirectory('rsdeck-list-');
	mkdirSync(path.join(snapshot, 'big'));
	for (let index = 0; index < 10_000; index++) {
		writeFileSync(path.join(snapshot, 'big', `f${index}`), 'x'.repeat(index % 7));
	}

	symlinkSync('/etc', path.join(snapshot, 'big', 'out'));
	mkdirSync(path.join(snapshot, 'big', 'sub'));
	const batches = await collect(snapshot, 'big');
	expect(batches.length).toBeGreaterThan(1);
	const all = batches.flat();
	expect(all).toHaveLength(10_002);
	expect(all.find(entry => entry.name === 'f13')).toMatchObject({type: 'file', size: 6});
	expect(all.find(entry => entry.name === 'out')).toMatchObject({type: 'symlink', size: 4});
	expect(all.find(entry => entry.name === 'sub')).toMatchObject({type: 'dir'});
});

test('a path through a symlink, a file or nothing is refused', async () => {
	const snapshot = temporaryDirectory('rsdeck-list-');
	mkdirSync(path.join(snapshot, 'etc'));
	writeFileSync(path.join(snapshot, 'etc', 'hosts'), '');
	symlinkSync('/', path.join(snapshot, 'root'));
	await expect(collect(snapshot, 'root/etc')).rejects.toThrow(new BrowseError('root/etc is reached through the symlink root -> /'));
	await expect(collect(snapshot, 'root')).rejects.toThrow(BrowseError);
	await expect(collect(snapshot, 'etc/hosts')).rejects.toThrow(BrowseError);
	await expect(collect(snapshot, 'nothing')).rejects.toThrow(BrowseError);
	expect((await collect(snapshot, '')).flat().map(entry => entry.name).sort()).toEqual(['etc', 'root']);
});
