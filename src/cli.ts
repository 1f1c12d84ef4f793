#!/usr/bin/env node
import {readFileSync} from 'node:fs';
import {askYesNo, main, writerTo} from './run/main.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
const interactive = Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);

const status = await main(process.argv.slice(2), {
	stdout: writerTo(process.stdout),
	stderr: writerTo(process.stderr),
	confirm: askYesNo,
	interactive,
	version: packageJson.version,
}, interactive ? await import('./console/console-runners.js') : undefined);
process.exitCode = status;
