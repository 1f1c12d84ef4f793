/**
config-parse: parsing (and validating) a generated configuration of 1,000
hosts × 10 volumes with parseConfigText, against a baseline that only splits
the same text into lines and whitespace-separated words, measured in the same
run.
*/
import {performance} from 'node:perf_hooks';
import {parseConfigText} from '../../src/config/read-config.js';
import {generateConfig} from '../config/generate-config.js';
import type {BenchResult} from './types.js';
import {median} from './statistics.js';

const hosts = 1000;
const volumesPerHost = 10;
const rounds = 7;

export default async function bench(): Promise<BenchResult[]> {
	const text = generateConfig(hosts, volumesPerHost);
	const parse: number[] = [];
	const split: number[] = [];
	let volumes = 0;
	let words = 0;
	for (let round = 0; round < rounds; round++) {
		parse.push(timed(() => {
			const config = parseConfigText(text, 'bench.config');
			volumes = [...config.hosts.values()].reduce((sum, host) => sum + host.volumes.size, 0);
		}));
		split.push(timed(() => {
			words = splitWords(text);
		}));
	}

	if (volumes !== hosts * volumesPerHost || words === 0) {
		throw new Error(`config-parse: parsed ${volumes} volumes, expected ${hosts * volumesPerHost}; split ${words} words`);
	}

	const value = median(parse);
	const baseline = median(split);
	return [{
		name: 'config-parse',
		value: round2(value),
		unit: 'ms',
		baseline: round2(baseline),
		ratio: round2(value / baseline),
		note: `${hosts} hosts × ${volumesPerHost} volumes (${text.split('\n').length} lines), median of ${rounds}; baseline splits the text into words`,
	}];
}

/** The least work any parser must do: lines, then words. */
function splitWords(text: string): number {
	let words = 0;
	for (const line of text.split('\n')) {
		words += line.trim().split(/\s+/).length;
	}

	return words;
}

function timed(work: () => void): number {
	const start = performance.now();
	work();
	return performance.now() - start;
}


function round2(value: number): number {
	return Math.round(value * 100) / 100;
}
