import {readFileSync} from 'node:fs';
import path from 'node:path';
import {systemErrorText} from '../process/system-error.js';
import {ConfigError, ValueError} from './errors.js';
import {globalDirectives} from './global-directives.js';
import {inheritableDirectives} from './inheritable-directives.js';
import type {Config, Location} from './types.js';
import {splitLine} from './words.js';

/**
rsdeck's own directives. rsbackup refuses a directive it does not know, so
these live in rsdeck.conf, which rsbackup never reads; the configuration
file still accepts them, for a machine where rsbackup no longer runs.
*/
const rsdeckDirectiveNames: ReadonlySet<string> = new Set(['notify-url', 'notify-command', 'ssh-command']);

/** Remember where one of rsdeck's own global directives was read. */
export function recordOrigin(config: Config, name: string, place: Location): void {
	if (rsdeckDirectiveNames.has(name)) {
		config.origins.set(name, [...(config.origins.get(name) ?? []), {file: place.file, line: place.line}]);
	}
}

/** `rsdeck.conf` beside the configuration file. */
function defaultRsdeckConfigPath(configPath: string): string {
	return path.join(path.dirname(configPath), 'rsdeck.conf');
}

/**
Read rsdeck.conf after the configuration: `file` when given (it must exist),
else rsdeck.conf beside the configuration, if there is one. It holds rsdeck's
own directives at the global level, in the configuration's syntax.
*/
export function readRsdeckConfig(config: Config, file?: string): void {
	const target = file ?? defaultRsdeckConfigPath(config.path);
	let text: string;
	try {
		text = readFileSync(target, 'utf8');
	} catch (error) {
		if (file === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') {
			return;
		}

		throw new ConfigError(`cannot read ${target}: ${systemErrorText(error)}`);
	}

	for (const [index, line] of text.split('\n').entries()) {
		try {
			readLine(config, line, {file: target, line: index + 1});
		} catch (error) {
			if (error instanceof ValueError) {
				throw new ConfigError(`${target}:${index + 1}: ${error.message}`);
			}

			throw error;
		}
	}
}

function readLine(config: Config, line: string, place: Location): void {
	const {indent, words} = splitLine(line);
	const [name, ...args] = words;
	if (name === undefined) {
		return;
	}

	if (!rsdeckDirectiveNames.has(name)) {
		throw new ValueError(`'${name}' belongs in the configuration file: rsdeck.conf holds only ${[...rsdeckDirectiveNames].join(', ')}`);
	}

	if (indent > 0) {
		throw new ValueError(`'${name}' must be at the global level in rsdeck.conf`);
	}

	const directive = globalDirectives.get(name) ?? inheritableDirectives.get(name);
	if (directive === undefined || (directive.scope !== 'global' && directive.scope !== 'inheritable')) {
		throw new Error(`rsdeck directive '${name}' has no global form`);
	}

	if (args.length < directive.min) {
		throw new ValueError(`missing argument to '${name}'`);
	}

	if (args.length > directive.max) {
		throw new ValueError(`too many arguments to '${name}'`);
	}

	const before = config.sshCommand.join('\0');
	directive.apply(config, args, place);
	inheritSshCommand(config, before);
	recordOrigin(config, name, place);
}

/**
Hosts and volumes copied the global ssh-command when the configuration was
read; those that kept it (set none of their own) take rsdeck.conf's.
*/
function inheritSshCommand(config: Config, before: string): void {
	if (config.sshCommand.join('\0') === before) {
		return;
	}

	for (const host of config.hosts.values()) {
		const hostInherited = host.sshCommand.join('\0') === before;
		if (hostInherited) {
			host.sshCommand = [...config.sshCommand];
		}

		for (const volume of host.volumes.values()) {
			if (volume.sshCommand.join('\0') === before) {
				volume.sshCommand = [...host.sshCommand];
			}
		}
	}
}
