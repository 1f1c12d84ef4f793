/**
restore: `rsdeck --restore` of a 1 GiB tree out of a snapshot against a plain
`rsync -a` of the same tree, each into a fresh directory. Alternately (which
goes first changes each round), median of a few rounds.
*/
import {randomFillSync} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {benchStore, rsdeck, run, timed} from './snapshot-store.js';
import {median} from './statistics.js';
import type {BenchResult} from './types.js';

const mebibytes = 1024;
const rounds = 3;
const id = '2024-01-01T00:00:00';

export default async function bench(): Promise<BenchResult[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-bench-restore-'));
	try {
		const store = benchStore(root);
		const snapshot = path.join(store.volume, id);
		const block = Buffer.alloc(1024 * 1024);
		for (let index = 0; index < mebibytes; index++) {
			const directory = path.join(snapshot, 'tree', `d${index % 16}`);
			mkdirSync(directory, {recursive: true});
			writeFileSync(path.join(directory, `f${index}`), randomFillSync(block));
		}

		store.record([id]);
		const ours: number[] = [];
		const plain: number[] = [];
		for (let round = 0; round < rounds; round++) {
			const restore = async () => {
				const target = path.join(root, 'restored');
				ours.push(await timed(async () => rsdeck(store.config, ['--restore', 'host1:data:tree', '--target', target])));
				rmSync(target, {recursive: true, force: true});
			};

			const copy = async () => {
				const target = path.join(root, 'copied');
				plain.push(await timed(async () => run('rsync', ['-a', path.join(snapshot, 'tree'), `${target}/`])));
				rmSync(target, {recursive: true, force: true});
			};

			for (const step of round % 2 === 0 ? [restore, copy] : [copy, restore]) {
				await step();
			}
		}

		const value = median(ours);
		const baseline = median(plain);
		return [{name: 'restore', value, unit: 'ms', baseline, ratio: value / baseline, note: `rsdeck --restore vs rsync -a of a ${mebibytes} MiB tree (${mebibytes} files); median of ${rounds}; target ≤ 1.05`}];
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}
