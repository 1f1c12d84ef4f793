/**
The benchmark harness: `npm run bench` runs every `*.bench.js` beside this
file (compiled into dist/test/bench/) one after the other, each in a process
of its own so that none runs in a heap another has grown, and prints a table;
`-- --json` prints the results as one JSON array; `-- NAME…` runs only the
benchmarks whose file name contains one of the NAMEs.
*/
import {execFile} from 'node:child_process';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {Bench, BenchResult} from './types.js';

const suffix = '.bench.js';
const childFlag = '--run-one';

/** In a child: run one benchmark file and print its results as JSON. */
async function runOne(file: string): Promise<void> {
	const module = await import(pathToFileURL(file).href) as {default: Bench};
	process.stdout.write(JSON.stringify(await module.default()));
}

/** One benchmark file in a fresh node process. */
async function runIsolated(file: string): Promise<BenchResult[]> {
	const {stdout} = await promisify(execFile)(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), childFlag, file], {maxBuffer: 16 * 1024 * 1024});
	return JSON.parse(stdout) as BenchResult[];
}

async function main(arguments_: readonly string[]): Promise<void> {
	if (arguments_[0] === childFlag) {
		await runOne(arguments_[1]!);
		return;
	}

	const json = arguments_.includes('--json');
	const filters = arguments_.filter(argument => !argument.startsWith('--'));
	const directory = path.dirname(fileURLToPath(import.meta.url));
	const files = (await readdir(directory))
		.filter(file => file.endsWith(suffix))
		.filter(file => filters.length === 0 || filters.some(filter => file.includes(filter)))
		.sort();
	if (files.length === 0) {
		throw new Error(`no benchmark matches ${filters.join(', ')} in ${directory}`);
	}

	const results: BenchResult[] = [];
	for (const file of files) {
		if (!json) {
			process.stderr.write(`running ${file.slice(0, -suffix.length)}…\n`);
		}

		// One at a time: they measure time.
		results.push(...await runIsolated(path.join(directory, file)));
	}

	process.stdout.write(json ? `${JSON.stringify(results, undefined, '\t')}\n` : formatTable(results));
}

/** Right-aligned numbers, left-aligned text, one row per result. */
function formatTable(results: readonly BenchResult[]): string {
	const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'note'];
	const rows = results.map(result => [
		result.name,
		formatNumber(result.value),
		result.unit,
		result.baseline === null ? '-' : formatNumber(result.baseline),
		result.ratio === null ? '-' : result.ratio.toFixed(2),
		result.note ?? '',
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const numeric = new Set([1, 3, 4]);
	const line = (cells: readonly string[]) => cells
		.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
		.join('  ')
		.trimEnd();
	return [line(header), ...rows.map(row => line(row))].join('\n') + '\n';
}

function formatNumber(value: number): string {
	if (Number.isInteger(value) || Math.abs(value) >= 100) {
		return Math.round(value).toLocaleString('en-US');
	}

	return value.toPrecision(3);
}

try {
	await main(process.argv.slice(2));
} catch (error) {
	process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exitCode = 1;
}
