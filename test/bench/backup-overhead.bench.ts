/**
backup-overhead: a whole `rsdeck --backup --headless` run (node starting,
configuration, lock, database, host checks, hooks' and records' steps, one
engine action per step) against the rsync commands it runs, run one after
the other from a shell, into a fresh store each. Both copy the same trees
to one device, so rsdeck runs its backups one at a time too; the argument
vectors are the ones rsdeck prints with --dry-run. Measured in one run,
alternately.
*/
import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {BenchResult} from './types.js';
import {median} from './statistics.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const hosts = 8;
const filesPerVolume = 1500;
const rounds = 5;
const time = '2024-01-01T00:00:00';
const wouldRun = 'INFO: would run: ';

/** Source trees, and a configuration backing up each host's one volume to `store`. */
function makeFleet(root: string): {config: (store: string) => string} {
	const lines: string[] = [];
	const block = 'x'.repeat(4096);
	for (let index = 0; index < hosts; index++) {
		const source = path.join(root, 'source', `host${index}`);
		for (let file = 0; file < filesPerVolume; file++) {
			const directory = path.join(source, `d${file % 20}`);
			mkdirSync(directory, {recursive: true});
			writeFileSync(path.join(directory, `f${file}`), `${index}:${file}\n${block}`);
		}

		lines.push(`host host${index}`, '  hostname localhost', `  volume data ${source}`);
	}

	return {
		config(store: string) {
			const name = path.basename(store);
			mkdirSync(store, {recursive: true});
			chmodSync(store, 0o700);
			writeFileSync(path.join(store, 'device-id'), 'device1\n');
			const file = path.join(root, `${name}.config`);
			writeFileSync(file, [`store --no-mounted ${store}`, 'device device1', `database ${path.join(root, `${name}.db`)}`, `lock ${path.join(root, 'lock')}`, ...lines, ''].join('\n'));
			return file;
		},
	};
}

async function rsdeck(config: string, ...options: string[]): Promise<string> {
	const {stderr} = await run(process.execPath, [cli, '--backup', '--headless', '--config', config, ...options], {env: {...process.env, RSBACKUP_TIME: time}, maxBuffer: 64 * 1024 * 1024});
	return stderr;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await work();
	return performance.now() - started;
}


export default async function bench(): Promise<BenchResult[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-bench-backup-'));
	try {
		const fleet = makeFleet(root);
		// The commands rsdeck runs, as its dry run prints them (plain paths: words split on spaces).
		const commands = (await rsdeck(fleet.config(path.join(root, 'dry')), '--dry-run'))
			.split('\n').filter(line => line.startsWith(wouldRun)).map(line => line.slice(wouldRun.length).split(' '));
		if (commands.length !== hosts) {
			throw new Error(`backup-overhead: expected ${hosts} rsync commands from the dry run, got ${commands.length}`);
		}

		const withRsdeck: number[] = [];
		const bare: number[] = [];
		const idle: number[] = [];
		for (let round = 0; round < rounds; round++) {
			const measure = {
				async rsdeck() {
					const config = fleet.config(path.join(root, `rsdeck${round}`));
					withRsdeck.push(await timed(async () => rsdeck(config)));
					// The same again: every volume was backed up today, so nothing is due.
					idle.push(await timed(async () => rsdeck(config)));
				},
				bare: async () => {
					const store = path.join(root, `bare${round}`);
					fleet.config(store);
					const script = commands.map(argv => argv.map(word => word.replace(path.join(root, 'dry'), store)).join(' ')).join(' && ');
					bare.push(await timed(async () => run('/bin/sh', ['-c', `mkdir -p ${commands.map(argv => path.dirname(argv.at(-1)!.replace(path.join(root, 'dry'), store))).join(' ')} && ${script}`])));
				},
			};
			// Alternate which goes first, so neither always meets a warmer cache.
			for (const which of round % 2 === 0 ? ['rsdeck', 'bare'] as const : ['bare', 'rsdeck'] as const) {
				await measure[which]();
			}

			// Each round writes into stores of its own; dropping them keeps the disk and its cache alike from round to round.
			for (const store of [`rsdeck${round}`, `bare${round}`]) {
				rmSync(path.join(root, store), {recursive: true, force: true});
			}
		}

		const value = median(withRsdeck);
		const baseline = median(bare);
		const startUp = median(idle);
		return [
			{
				name: 'backup-overhead',
				value,
				unit: 'ms',
				baseline,
				ratio: value / baseline,
				note: `rsdeck --backup of ${hosts} volumes (${filesPerVolume.toLocaleString('en')} files each) to one device vs its rsync commands from a shell; median of ${rounds}`,
			},
			{
				name: 'backup-overhead, a run with nothing due',
				value: startUp,
				unit: 'ms',
				baseline: null,
				ratio: null,
				note: 'node starting, configuration, lock, database, checks: the fixed cost of a run',
			},
		];
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}
