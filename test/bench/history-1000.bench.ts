/**
history-1000: one file's history across 1,000 snapshots (hard-linked from one
to the next, changed every 100th) against `stat` of the same 1,000 paths from
one process. Two figures: the whole `rsdeck --history` command (node starting,
configuration, database, stores), and the reading itself (pathHistory in this
process) against the same `stat`. Alternately, median of a few rounds.
*/
import {linkSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathHistory} from '../../src/browse/path-history.js';
import {backupId} from '../../src/store/layout.js';
import {benchStore, rsdeck, run, timed} from './snapshot-store.js';
import {median} from './statistics.js';
import type {BenchResult} from './types.js';

const snapshots = 1000;
const rounds = 5;
const file = 'etc/app.conf';

export default async function bench(): Promise<BenchResult[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-bench-history-'));
	try {
		const store = benchStore(root);
		const ids = Array.from({length: snapshots}, (_, index) => backupId(Date.UTC(2024, 0, 1) / 1000 + (index * 86_400)));
		for (const [index, id] of ids.entries()) {
			const target = path.join(store.volume, id, file);
			mkdirSync(path.dirname(target), {recursive: true});
			if (index % 100 === 0) {
				writeFileSync(target, `version ${index}\n`);
				// As rsync would have left it: a changed file with its own mtime (same size and mtime would have been linked).
				utimesSync(target, new Date(Date.UTC(2024, 0, 1 + index)), new Date(Date.UTC(2024, 0, 1 + index)));
			} else {
				linkSync(path.join(store.volume, ids[index - 1]!, file), target);
			}
		}

		store.record(ids);
		const paths = ids.map(id => path.join(store.volume, id, file));
		const readable = ids.map(id => ({id, device: 'device1', time: 0, status: 'complete', path: path.join(store.volume, id)}));
		const command: number[] = [];
		const reading: number[] = [];
		const stat: number[] = [];
		let versions = 0;
		for (let round = 0; round < rounds; round++) {
			command.push(await timed(async () => {
				versions = (await rsdeck(store.config, ['--history', `host1:data:${file}`])).split('\n').length - 2;
			}));
			reading.push(await timed(async () => pathHistory(readable, file)));
			stat.push(await timed(async () => run('stat', ['-c', '%i %s %Y', ...paths])));
		}

		if (versions !== snapshots / 100) {
			throw new Error(`rsdeck --history found ${versions} versions, not ${snapshots / 100}`);
		}

		const baseline = median(stat);
		return [
			{name: 'history-1000 command', value: median(command), unit: 'ms', baseline, ratio: median(command) / baseline, note: `rsdeck --history (whole command) vs one stat process over the ${snapshots.toLocaleString('en')} paths; median of ${rounds}; target: well under a second`},
			{name: 'history-1000 reading', value: median(reading), unit: 'ms', baseline, ratio: median(reading) / baseline, note: 'pathHistory in process vs the same stat process; target ratio ≤ 2'},
		];
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}
