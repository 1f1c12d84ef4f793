#!/usr/bin/env node
import {readFileSync} from 'node:fs';
import {soleCommand, soleCommandText} from './options/sole-command.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
const argv = process.argv.slice(2);
const sole = soleCommand(argv);
if (sole === undefined) {
	// Everything else loads main, and the console only when it may be used.
	const {mainOnTerminal} = await import('./run/main.js');
	process.exitCode = await mainOnTerminal(argv, packageJson.version);
} else {
	// `--help` and `--version` alone: no option parser, no main (see sole-command.ts). A closed pipe is ignored, as main's writer does.
	process.stdout.on('error', () => undefined);
	process.stdout.write(await soleCommandText(sole, packageJson.version));
}
