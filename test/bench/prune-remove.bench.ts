/**
prune-remove: removing a large hard-linked snapshot through removeBackup
(checks, ID.incomplete, `rm -rf`) against a bare `rm -rf` of an identical
one, measured in the same run.
*/
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {runProcess} from '../../src/process/run-process.js';
import {removeBackup} from '../../src/prune/remove-backup.js';
import type {BenchResult} from './types.js';
import {median} from './statistics.js';

const files = 20_000;
const rounds = 3;
const previousId = '2024-01-01T00:00:00';
const ids = ['2024-01-02T00:00:00', '2024-01-03T00:00:00'] as const;

export default async function bench(): Promise<BenchResult[]> {
	const root = await mkdtemp(path.join(tmpdir(), 'rsdeck-bench-prune-'));
	try {
		const volume = path.join(root, 'store', 'host1', 'volume1');
		await makeSnapshot(path.join(volume, previousId));
		const rsdeck: number[] = [];
		const bare: number[] = [];
		for (let round = 0; round < rounds; round++) {
			await copyLinked(volume, ids[0]);
			await copyLinked(volume, ids[1]);
			// Alternate which goes first, so neither always meets a warmer cache.
			const [first, second] = round % 2 === 0 ? ids : [ids[1], ids[0]];
			rsdeck.push(await timed(async () => {
				await removeBackup({store: path.join(root, 'store'), host: 'host1', volume: 'volume1', id: first}, {rm: 'rm'});
			}));
			bare.push(await timed(async () => {
				await mustSucceed(['rm', '-rf', path.join(volume, second)]);
			}));
		}

		const value = median(rsdeck);
		const baseline = median(bare);
		return [{
			name: 'prune-remove',
			value,
			unit: 'ms',
			baseline,
			ratio: value / baseline,
			note: `removeBackup vs rm -rf of a ${files.toLocaleString('en')}-file snapshot hard-linked to a previous one; median of ${rounds}`,
		}];
	} finally {
		await rm(root, {recursive: true, force: true});
	}
}

async function makeSnapshot(directory: string): Promise<void> {
	for (let index = 0; index < files; index++) {
		const subdirectory = path.join(directory, `d${index % 100}`);
		if (index < 100) {
			await mkdir(subdirectory, {recursive: true});
		}

		await writeFile(path.join(subdirectory, `f${index}`), `file ${index}\n`);
	}
}

/** A snapshot of the previous one made of hard links, as rsync --link-dest leaves it. */
async function copyLinked(volume: string, id: string): Promise<void> {
	await mustSucceed(['cp', '-al', path.join(volume, previousId), path.join(volume, id)]);
}

async function mustSucceed(argv: string[]): Promise<void> {
	const result = await runProcess(argv);
	if (result.exitCode !== 0) {
		throw new Error(`${argv.join(' ')} failed: ${result.output}`);
	}
}

async function timed(work: () => Promise<void>): Promise<number> {
	const start = performance.now();
	await work();
	return performance.now() - start;
}

