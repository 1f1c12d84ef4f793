/**
diff-100k: `rsdeck --diff` between two snapshots of 100,000 files, the second
made by rsync with `--link-dest` after 1% of the files changed, some were added
and some removed, against `rsync -an --delete --itemize-changes` between the
same two trees; both must report the same set of changed paths. Alternately,
median of a few rounds.
*/
import {mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {benchStore, rsdeck, run, timed} from './snapshot-store.js';
import {median} from './statistics.js';
import type {BenchResult} from './types.js';

const files = 100_000;
const directories = 100;
const rounds = 3;
const ids = ['2024-01-01T00:00:00', '2024-01-02T00:00:00'] as const;

export default async function bench(): Promise<BenchResult[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-bench-diff-'));
	try {
		const store = benchStore(root);
		const source = path.join(root, 'source');
		const older = path.join(store.volume, ids[0]);
		const newer = path.join(store.volume, ids[1]);
		makeTree(source);
		await run('rsync', ['-a', `${source}/`, `${older}/`]);
		changeTree(source);
		await run('rsync', ['-a', `--link-dest=${older}`, `${source}/`, `${newer}/`]);
		store.record(ids);

		let ours: string[] = [];
		let theirs: string[] = [];
		const rsdeckTimes: number[] = [];
		const rsyncTimes: number[] = [];
		for (let round = 0; round < rounds; round++) {
			rsdeckTimes.push(await timed(async () => {
				ours = parseOurs(await rsdeck(store.config, ['--diff', 'host1:data']));
			}));
			rsyncTimes.push(await timed(async () => {
				const {stdout} = await run('rsync', ['-an', '--delete', '--itemize-changes', `${newer}/`, `${older}/`], {maxBuffer: 256 * 1024 * 1024});
				theirs = parseRsync(stdout);
			}));
		}

		if (ours.join('\n') !== theirs.join('\n')) {
			throw new Error(`rsdeck --diff and rsync disagree: ${ours.length} and ${theirs.length} paths`);
		}

		const value = median(rsdeckTimes);
		const baseline = median(rsyncTimes);
		return [{
			name: 'diff-100k',
			value,
			unit: 'ms',
			baseline,
			ratio: value / baseline,
			note: `rsdeck --diff vs rsync -an --delete --itemize-changes, ${files.toLocaleString('en')} files hard-linked, ${ours.length} changed paths, the same set; median of ${rounds}; target ≤ 1.0`,
		}];
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}

function makeTree(source: string): void {
	for (let index = 0; index < files; index++) {
		const directory = path.join(source, `d${index % directories}`);
		if (index < directories) {
			mkdirSync(directory, {recursive: true});
		}

		writeFileSync(path.join(directory, `f${index}`), `file ${index}\n`);
	}
}

/** 1% changed (a longer content), 0.2% removed, 0.2% added; every 10th directory touched. */
function changeTree(source: string): void {
	for (let index = 0; index < files; index += 100) {
		writeFileSync(path.join(source, `d${index % directories}`, `f${index}`), `file ${index}, changed\n`);
	}

	for (let index = 7; index < files; index += 500) {
		unlinkSync(path.join(source, `d${index % directories}`, `f${index}`));
		writeFileSync(path.join(source, `d${(index + 1) % directories}`, `new${index}`), 'new\n');
	}
}

const parseOurs = (stdout: string): string[] => stdout.split('\n').filter(line => line !== '').map(line => line.slice(2).replace(/\/$/, '')).sort();

function parseRsync(stdout: string): string[] {
	return stdout.split('\n').filter(line => line !== '').map(line => {
		const deleting = /^\*deleting +(.*)$/.exec(line);
		return (deleting ? deleting[1]! : line.slice(12)).replace(/\/$/, '');
	}).filter(file => file !== '.').sort();
}
