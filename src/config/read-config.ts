import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {defaultConfig, share} from './defaults.js';
import type {Context, Directive} from './directive.js';
import {ConfigError, ValueError} from './errors.js';
import {globalDirectives} from './global-directives.js';
import {inheritableDirectives} from './inheritable-directives.js';
import {hostDirectives, volumeDirectives} from './stanza-directives.js';
import type {Config, Host, Location, Volume} from './types.js';
import {recordOrigin} from './rsdeck-config.js';
import {validateConfig} from './validate.js';
import {checkHostName, checkVolumeName} from './values.js';
import {splitLine} from './words.js';
import {systemErrorText} from '../process/system-error.js';

/** An open stanza: the column of its opener and of its body (once seen). */
type Frame = {opener: number; body: number | undefined} & (
	| {kind: 'global'}
	| {kind: 'host'; host: Host}
	| {kind: 'volume'; volume: Volume}
);

/** Reading state shared by a file and everything it includes. */
type Reader = {
	config: Config;
	/** Files being read, resolved, to refuse include loops. */
	active: Set<string>;
};

/**
Read, parse and validate a configuration file. `include` paths are taken
relative to the current directory, as rsbackup does.
*/
export function readConfig(file: string): Config {
	let text: string;
	try {
		text = readText(file);
	} catch (error) {
		throw error instanceof ValueError ? new ConfigError(error.message) : error;
	}

	return parseConfigText(text, file);
}

/** Parse and validate configuration text as if read from `file` (used in messages). */
export function parseConfigText(text: string, file: string): Config {
	const reader: Reader = {config: defaultConfig(file), active: new Set([path.resolve(file)])};
	parseText(reader, text, file);
	sortByName(reader.config);
	validateConfig(reader.config);
	return reader.config;
}

function parseText(reader: Reader, text: string, file: string): void {
	const stack: Frame[] = [{kind: 'global', opener: -1, body: 0}];
	// Line by line, without splitting the text into an array first: a large configuration has 100,000 lines.
	let start = 0;
	for (let number = 1; start <= text.length; number++) {
		let end = text.indexOf('\n', start);
		if (end === -1) {
			end = text.length;
		}

		const line = text.slice(start, end);
		start = end + 1;
		try {
			const {indent, words} = splitLine(line);
			// The words are this line's own: the name is taken off them, and the rest are its arguments.
			const name = words.shift();
			if (name !== undefined) {
				const frame = enterIndent(stack, indent);
				runDirective(reader, stack, frame, name, words, {file, line: number}, indent);
			}
		} catch (error) {
			if (error instanceof ValueError) {
				throw new ConfigError(`${file}:${number}: ${error.message}`);
			}

			throw error;
		}
	}
}

/** Close the stanzas this indent leaves; check it matches the innermost one's body. */
function enterIndent(stack: Frame[], indent: number): Frame {
	let frame = stack.at(-1);
	while (frame && frame.kind !== 'global' && indent <= frame.opener) {
		stack.pop();
		frame = stack.at(-1);
	}

	if (!frame) {
		throw new Error('configuration stack lost its global frame');
	}

	frame.body ??= indent;
	if (indent !== frame.body) {
		throw new ValueError('inconsistent indentation');
	}

	return frame;
}

/** `place`: where the line is, one object per line, kept by whatever remembers it (a host, a volume, a policy's source). */
function runDirective(reader: Reader, stack: Frame[], frame: Frame, name: string, args: string[], place: Location, indent: number): void {
	if (name === 'host') {
		requireContext(name, frame, ['global']);
		checkArity(name, args, 1, 1);
		stack.push({kind: 'host', opener: indent, body: undefined, host: openHost(reader.config, args[0] ?? '', place)});
	} else if (name === 'volume') {
		if (frame.kind !== 'host') {
			throw new ValueError(frame.kind === 'global' ? '\'volume\' must be inside a host stanza' : '\'volume\' is not allowed in a volume stanza');
		}

		checkArity(name, args, 2, 2);
		stack.push({kind: 'volume', opener: indent, body: undefined, volume: openVolume(frame.host, args, place)});
	} else if (name === 'include') {
		requireContext(name, frame, ['global']);
		checkArity(name, args, 1, 1);
		include(reader, args[0] ?? '');
	} else {
		applyDirective(lookup(name), frame, reader.config, name, args, place);
		if (frame.kind === 'global') {
			recordOrigin(reader.config, name, place);
		}
	}
}

/** Every directive but `host`, `volume` and `include`, in one table (a name is in one of them only). */
const directives: ReadonlyMap<string, Directive> = new Map<string, Directive>([...volumeDirectives, ...hostDirectives, ...inheritableDirectives, ...globalDirectives]);

function lookup(name: string): Directive {
	const directive = directives.get(name);
	if (!directive) {
		throw new ValueError(`unknown command '${name}'`);
	}

	return directive;
}

function applyDirective(directive: Directive, frame: Frame, config: Config, name: string, args: string[], place: Location): void {
	requireContext(name, frame, directive.scope === 'inheritable' ? directive.contexts ?? allContexts : [directive.scope]);
	checkArity(name, args, directive.min, directive.max);
	switch (directive.scope) {
		case 'global': {
			directive.apply(config, args, place);
			break;
		}

		case 'host': {
			if (frame.kind === 'host') {
				directive.apply(frame.host, args);
			}

			break;
		}

		case 'volume': {
			if (frame.kind === 'volume') {
				directive.apply(frame.volume, args);
			}

			break;
		}

		case 'inheritable': {
			directive.apply(frame.kind === 'global' ? config : (frame.kind === 'host' ? frame.host : frame.volume), args, place);
			break;
		}
	}
}

const allContexts: readonly Context[] = ['global', 'host', 'volume'];
const contextNames: Record<Context, string> = {global: 'at the global level', host: 'in a host stanza', volume: 'in a volume stanza'};

function requireContext(name: string, frame: Frame, allowed: readonly Context[]): void {
	if (!allowed.includes(frame.kind)) {
		throw new ValueError(`'${name}' is not allowed ${contextNames[frame.kind]}`);
	}
}

function checkArity(name: string, args: string[], min: number, max: number): void {
	if (args.length < min) {
		throw new ValueError(`missing argument to '${name}'`);
	}

	if (args.length > max) {
		throw new ValueError(`too many arguments to '${name}'`);
	}
}

function openHost(config: Config, name: string, place: Location): Host {
	checkHostName(name);
	if (config.hosts.has(name)) {
		throw new ValueError(`duplicate host '${name}'`);
	}

	// The inherited values, shared with the parent (defaults.ts, `share`), in one literal with the host's own: one shape for every host.
	const parent = config;
	const host: Host = {
		maxAge: parent.maxAge,
		backupPolicy: parent.backupPolicy,
		backupParameters: share(parent.backupParameters),
		prunePolicy: parent.prunePolicy,
		pruneParameters: share(parent.pruneParameters),
		policySources: share(parent.policySources),
		preVolumeHook: parent.preVolumeHook,
		postVolumeHook: parent.postVolumeHook,
		hookTimeout: parent.hookTimeout,
		backupJobTimeout: parent.backupJobTimeout,
		rsyncIoTimeout: parent.rsyncIoTimeout,
		sshTimeout: parent.sshTimeout,
		hostCheck: parent.hostCheck,
		rsyncCommand: parent.rsyncCommand,
		rsyncBaseOptions: parent.rsyncBaseOptions,
		rsyncExtraOptions: parent.rsyncExtraOptions,
		rsyncRemote: parent.rsyncRemote,
		rsyncLinkDest: parent.rsyncLinkDest,
		backupTime: parent.backupTime,
		devicePattern: parent.devicePattern,
		group: parent.group,
		sshCommand: parent.sshCommand,
		name,
		hostname: name,
		user: undefined,
		priority: 0,
		volumes: new Map<string, Volume>(),
		location: place,
	};
	config.hosts.set(name, host);
	return host;
}

function openVolume(host: Host, [name = '', volumePath = '']: string[], place: Location): Volume {
	checkVolumeName(name);
	if (host.volumes.has(name)) {
		throw new ValueError(`duplicate volume '${name}' in host '${host.name}'`);
	}

	const parent = host;
	const volume: Volume = {
		maxAge: parent.maxAge,
		backupPolicy: parent.backupPolicy,
		backupParameters: share(parent.backupParameters),
		prunePolicy: parent.prunePolicy,
		pruneParameters: share(parent.pruneParameters),
		policySources: share(parent.policySources),
		preVolumeHook: parent.preVolumeHook,
		postVolumeHook: parent.postVolumeHook,
		hookTimeout: parent.hookTimeout,
		backupJobTimeout: parent.backupJobTimeout,
		rsyncIoTimeout: parent.rsyncIoTimeout,
		sshTimeout: parent.sshTimeout,
		hostCheck: parent.hostCheck,
		rsyncCommand: parent.rsyncCommand,
		rsyncBaseOptions: parent.rsyncBaseOptions,
		rsyncExtraOptions: parent.rsyncExtraOptions,
		rsyncRemote: parent.rsyncRemote,
		rsyncLinkDest: parent.rsyncLinkDest,
		backupTime: parent.backupTime,
		devicePattern: parent.devicePattern,
		group: parent.group,
		sshCommand: parent.sshCommand,
		name,
		path: volumePath,
		exclude: [],
		traverse: false,
		checkFile: undefined,
		checkMounted: false,
		location: place,
	};
	host.volumes.set(name, volume);
	return volume;
}

/** A file is read in place; a directory has its regular files read in sorted order. */
function include(reader: Reader, target: string): void {
	let isDirectory: boolean;
	try {
		isDirectory = statSync(target).isDirectory();
	} catch (error) {
		throw new ValueError(`cannot include '${target}': ${systemErrorText(error)}`);
	}

	const files = isDirectory
		? readdirSync(target).filter(name => !/^[.#]|~/.test(name)).sort().map(name => path.join(target, name))
			.filter(file => statSync(file).isFile())
		: [target];
	for (const file of files) {
		const resolved = path.resolve(file);
		if (reader.active.has(resolved)) {
			throw new ValueError(`include loop: '${file}' is already being read`);
		}

		reader.active.add(resolved);
		parseText(reader, readText(file), file);
		reader.active.delete(resolved);
	}
}

function readText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		throw new ValueError(`cannot read ${file}: ${systemErrorText(error)}`);
	}
}

/** Hosts and volumes are kept sorted by name (`Config.hosts`, `Host.volumes`); a map already in order is kept. */
function sortByName(config: Config): void {
	config.hosts = byName(config.hosts);
	for (const host of config.hosts.values()) {
		host.volumes = byName(host.volumes);
	}
}

function byName<T>(map: Map<string, T>): Map<string, T> {
	let previous: string | undefined;
	for (const name of map.keys()) {
		if (previous !== undefined && previous > name) {
			return new Map([...map].sort(([a], [b]) => (a < b ? -1 : (a > b ? 1 : 0))));
		}

		previous = name;
	}

	return map;
}
