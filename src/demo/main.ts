#!/usr/bin/env node
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {mainOnTerminal} from '../run/main.js';
import {makeFleet} from './make-fleet.js';

/**
`npm run demo`: build a sample fleet in a temporary directory and back it up
for real, in the console at a terminal, as a verbose headless run otherwise.
*/
const root = mkdtempSync(path.join(tmpdir(), 'rsdeck-demo-'));
const fleet = makeFleet(root, {bandwidth: 1000});
const interactive = Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);
const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {version: string};
process.stderr.write(`rsdeck demo: fleet in ${root}\n`);
const argv = ['--backup', '--config', fleet.config, ...(interactive ? [] : ['--verbose'])];
const status = await mainOnTerminal(argv, packageJson.version);
process.stderr.write([
	'',
	`The demo run ended with exit status ${status} (delta:data fails on purpose; gamma:www is skipped by its hook).`,
	'Try next:',
	`  node dist/src/cli.js --config ${fleet.config}            # status view`,
	`  node dist/src/cli.js --config ${fleet.config} --text -  # text report`,
	`  node dist/src/cli.js --config ${fleet.config} --backup --headless -v`,
	'',
].join('\n'));
