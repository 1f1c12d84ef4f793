/**
start-up: how soon the real binary is ready on a big configuration, 2,500
hosts × 4 volumes (10,000 volumes) to 2 devices: `--backup --plan` (read and
validate the configuration, open the database, plan: everything before the
first action starts; target ≤ 0.35 s), `--dump-config` (≤ 0.35 s), and
`--help` and `--version` (≤ 0.12 s), each against `node -e 0` measured in
the same run, alternately, median of several.
*/
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {BenchResult} from './types.js';
import {median, spread} from './statistics.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const hosts = 2500;
const volumesPerHost = 4;
const rounds = Number(process.env['RSDECK_BENCH_ROUNDS'] ?? 7);

function writeConfig(root: string): string {
	const lines: string[] = [];
	for (const device of ['dev1', 'dev2']) {
		const store = path.join(root, device);
		mkdirSync(store, {mode: 0o700});
		writeFileSync(path.join(store, 'device-id'), `${device}\n`);
		lines.push(`store --no-mounted ${store}`, `device ${device}`);
	}

	lines.push(`database ${path.join(root, 'backups.db')}`, `lock ${path.join(root, 'lock')}`, 'pre-volume-hook /bin/true', 'rsync-io-timeout 1h');
	for (let host = 0; host < hosts; host++) {
		lines.push(`host host${host}`, '  hostname localhost', `  priority ${host % 5}`);
		for (let volume = 0; volume < volumesPerHost; volume++) {
			lines.push(`  volume vol${volume} /srv/data${volume}`, '    exclude /tmp', '    exclude "*.cache"');
			if (volume % 2 === 1) {
				lines.push('    prune-policy decay', '    prune-parameter decay-limit 400d');
			}
		}
	}

	const file = path.join(root, 'config');
	writeFileSync(file, `${lines.join('\n')}\n`);
	return file;
}

async function timed(argv: readonly string[]): Promise<number> {
	const started = performance.now();
	await run(process.execPath, argv, {maxBuffer: 256 * 1024 * 1024, env: {...process.env, RSBACKUP_TIME: '2024-01-01T00:00:00'}});
	return performance.now() - started;
}



export default async function bench(): Promise<BenchResult[]> {
	const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-bench-start-'));
	try {
		const config = writeConfig(root);
		const commands = [
			{name: '--backup --plan', argv: [cli, '--config', config, '--backup', '--plan'], target: 350},
			{name: '--dump-config', argv: [cli, '--config', config, '--dump-config'], target: 350},
			{name: '--help', argv: [cli, '--help'], target: 120},
			{name: '--version', argv: [cli, '--version'], target: 120},
		];
		const times = new Map<string, number[]>(commands.map(({name}) => [name, []]));
		const bare: number[] = [];
		// Warm the file cache once, untimed.
		await timed(commands[0]!.argv);
		for (let round = 0; round < rounds; round++) {
			bare.push(await timed(['-e', '0']));
			for (const {name, argv} of commands) {
				times.get(name)!.push(await timed(argv));
			}
		}

		const baseline = median(bare);
		return commands.map(({name, target}) => {
			const value = median(times.get(name)!);
			return {
				name: `start-up ${name}${name.startsWith('--help') || name.startsWith('--version') ? '' : `, ${(hosts * volumesPerHost).toLocaleString('en')} volumes`}`,
				value,
				unit: 'ms',
				baseline,
				ratio: value / baseline,
				note: `vs node -e 0 (${spread(bare)}); ${spread(times.get(name)!)}; target ≤ ${target} ms`,
			};
		});
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}
