import {link, mkdir, readdir, readFile, readlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {temporaryDirectory} from '../helpers/files.js';

export const firstId = '2024-01-01T00:00:00';
export const secondId = '2024-01-02T00:00:00';

/** A store with host1/volume1 holding two snapshots, the second hard-linked to the first, and a tree outside the store. */
export async function storeWithSnapshots(files = 20): Promise<{root: string; store: string; volume: string; outside: string}> {
	const root = await temporaryDirectory();
	const store = path.join(root, 'store');
	const volume = path.join(store, 'host1', 'volume1');
	const outside = path.join(root, 'outside');
	await makeSnapshot(path.join(volume, firstId), files);
	await linkSnapshot(path.join(volume, firstId), path.join(volume, secondId), files);
	await makeSnapshot(path.join(outside, 'volume1', secondId), 3);
	await writeFile(path.join(outside, 'precious'), 'do not lose me\n');
	return {root, store, volume, outside};
}

/** A snapshot of `files` small files in a few subdirectories. */
export async function makeSnapshot(directory: string, files: number): Promise<void> {
	for (let index = 0; index < files; index++) {
		const file = snapshotFile(directory, index);
		await mkdir(path.dirname(file), {recursive: true});
		await writeFile(file, `file ${index}\n`);
	}
}

/** A snapshot whose files are hard links to those of `from`, as rsync --link-dest makes. */
export async function linkSnapshot(from: string, to: string, files: number): Promise<void> {
	for (let index = 0; index < files; index++) {
		const file = snapshotFile(to, index);
		await mkdir(path.dirname(file), {recursive: true});
		await link(snapshotFile(from, index), file);
	}
}

const snapshotFile = (directory: string, index: number): string => path.join(directory, `d${index % 10}`, `f${index}`);

/** Every path under `directory` with its content (or link target): what must not change. */
export async function treeContents(directory: string): Promise<Record<string, string>> {
	const contents: Record<string, string> = {};
	for (const entry of await readdir(directory, {withFileTypes: true, recursive: true})) {
		const full = path.join(entry.parentPath, entry.name);
		const key = path.relative(directory, full);
		if (entry.isSymbolicLink()) {
			contents[key] = `-> ${await readlink(full)}`;
		} else if (entry.isDirectory()) {
			contents[key] = '<dir>';
		} else {
			contents[key] = await readFile(full, 'utf8');
		}
	}

	return contents;
}
