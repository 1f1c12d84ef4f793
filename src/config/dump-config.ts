import {defaultInheritable, defaultReport} from './defaults.js';
import type {Context} from './directive.js';
import {directiveHelp} from './directive-help.js';
import {graphDirectiveNames} from './global-directives.js';
import {formatInterval} from './intervals.js';
import type {Config, Host, Inheritable, ReportItem, Volume} from './types.js';
import {formatColor, formatTimeOfDay} from './values.js';
import {quoteWord} from './words.js';

/** Collects directive lines at one indentation, with comments when verbose. */
type Writer = {lines: string[]; indent: string; verbose: boolean};

function emit(writer: Writer, name: string, args: readonly string[] = []): void {
	if (writer.verbose) {
		writer.lines.push(`${writer.indent}# ${directiveHelp[name] ?? name}`);
	}

	let line = writer.indent + name;
	for (const word of args) {
		line += ` ${quoteWord(word)}`;
	}

	writer.lines.push(line);
}

/**
The effective configuration as config text (SPEC §1.5): every global value,
then each host by name with all its values, then its volumes by name,
indented 4 and 8, a blank line before each stanza. Read back, it dumps
identically; `verbose` adds a comment before each directive.
*/
export function dumpConfig(config: Config, options: {verbose?: boolean} = {}): string {
	const verbose = options.verbose ?? false;
	const global: Writer = {lines: [], indent: '', verbose};
	dumpGlobals(global, config);
	dumpInheritable(global, 'global', config, defaultInheritable());
	const lines = global.lines;
	for (const host of config.hosts.values()) {
		lines.push('');
		lines.push(...dumpHost(host, config, verbose));
	}

	return `${lines.join('\n')}\n`;
}

function dumpGlobals(writer: Writer, config: Config): void {
	for (const store of config.stores) {
		emit(writer, store.pattern ? 'store-pattern' : 'store', [store.mounted ? '--mounted' : '--no-mounted', store.path]);
	}

	for (const device of config.devices) {
		emit(writer, 'device', [device]);
	}

	emit(writer, 'public', [String(config.public)]);
	emit(writer, 'logs', [config.logs]);
	optional(writer, 'database', config.database);
	optional(writer, 'lock', config.lock);
	hook(writer, 'pre-device-hook', config.preDeviceHook, []);
	hook(writer, 'post-device-hook', config.postDeviceHook, []);
	emit(writer, 'keep-prune-logs', [formatInterval(config.keepPruneLogs)]);
	emit(writer, 'prune-timeout', [formatInterval(config.pruneTimeout)]);
	emit(writer, 'sendmail', [config.sendmail]);
	emit(writer, 'rm', [config.rm]);
	optional(writer, 'stylesheet', config.stylesheet);
	emit(writer, 'color-good', [formatColor(config.colorGood)]);
	emit(writer, 'color-bad', [formatColor(config.colorBad)]);
	emit(writer, 'report', (config.report.length > 0 ? config.report : defaultReport).map(item => formatReportItem(item)));
	for (const name of graphDirectiveNames) {
		const args = config.graph.get(name);
		if (args) {
			emit(writer, name, args);
		}
	}
}

function formatReportItem(item: ReportItem): string {
	return item.key + (item.value === undefined ? '' : `:${item.value}`) + (item.condition === undefined ? '' : `?${item.condition}`);
}

function optional(writer: Writer, name: string, value: string | undefined): void {
	if (value !== undefined) {
		emit(writer, name, [value]);
	}
}

/** A hook is printed when set, or when empty but the stanza would otherwise inherit one. */
function hook(writer: Writer, name: string, command: readonly string[], inherited: readonly string[]): void {
	if (command.length > 0 || inherited.length > 0) {
		emit(writer, name, command);
	}
}

/** Parameters the parent has but this stanza dropped are printed as `--remove`. */
function parameters(writer: Writer, name: string, values: ReadonlyMap<string, string>, inherited: ReadonlyMap<string, string>): void {
	for (const key of [...inherited.keys()].filter(key => !values.has(key)).sort()) {
		emit(writer, name, ['--remove', key]);
	}

	for (const key of [...values.keys()].sort()) {
		emit(writer, name, [key, values.get(key) ?? '']);
	}
}

function dumpInheritable(writer: Writer, context: Context, value: Inheritable, parent: Inheritable): void {
	emit(writer, 'max-age', [formatInterval(value.maxAge)]);
	emit(writer, 'backup-policy', [value.backupPolicy]);
	parameters(writer, 'backup-parameter', value.backupParameters, parent.backupParameters);
	emit(writer, 'prune-policy', [value.prunePolicy]);
	parameters(writer, 'prune-parameter', value.pruneParameters, parent.pruneParameters);
	hook(writer, 'pre-volume-hook', value.preVolumeHook, parent.preVolumeHook);
	hook(writer, 'post-volume-hook', value.postVolumeHook, parent.postVolumeHook);
	emit(writer, 'hook-timeout', [formatInterval(value.hookTimeout)]);
	emit(writer, 'backup-job-timeout', [formatInterval(value.backupJobTimeout)]);
	emit(writer, 'rsync-io-timeout', [formatInterval(value.rsyncIoTimeout)]);
	emit(writer, 'ssh-timeout', [formatInterval(value.sshTimeout)]);
	if (context !== 'volume') {
		const check = value.hostCheck;
		emit(writer, 'host-check', check.kind === 'command' ? ['command', ...check.command] : [check.kind]);
	}

	emit(writer, 'rsync-command', [value.rsyncCommand]);
	emit(writer, 'rsync-base-options', value.rsyncBaseOptions);
	emit(writer, 'rsync-extra-options', value.rsyncExtraOptions);
	optional(writer, 'rsync-remote', value.rsyncRemote);
	emit(writer, 'rsync-link-dest', [String(value.rsyncLinkDest)]);
	emit(writer, 'backup-time', [`${formatTimeOfDay(value.backupTime.earliest)}-${formatTimeOfDay(value.backupTime.latest)}`]);
	if (context !== 'global') {
		emit(writer, 'devices', [value.devicePattern]);
	}

	optional(writer, 'group', value.group);
	// An rsdeck addition: printed only where it changes something, so the
	// dump of a plain rsbackup configuration stays readable by rsbackup.
	if (value.sshCommand.join('\0') !== parent.sshCommand.join('\0')) {
		emit(writer, 'ssh-command', value.sshCommand);
	}
}

function dumpHost(host: Host, config: Config, verbose: boolean): string[] {
	const opener: Writer = {lines: [], indent: '', verbose};
	emit(opener, 'host', [host.name]);
	const body: Writer = {lines: opener.lines, indent: '    ', verbose};
	dumpInheritable(body, 'host', host, config);
	emit(body, 'hostname', [host.hostname]);
	optional(body, 'user', host.user);
	emit(body, 'priority', [String(host.priority)]);
	for (const volume of host.volumes.values()) {
		body.lines.push('');
		dumpVolume(body, volume, host);
	}

	return opener.lines;
}

function dumpVolume(hostBody: Writer, volume: Volume, host: Host): void {
	emit(hostBody, 'volume', [volume.name, volume.path]);
	const body: Writer = {lines: hostBody.lines, indent: '        ', verbose: hostBody.verbose};
	dumpInheritable(body, 'volume', volume, host);
	for (const pattern of volume.exclude) {
		emit(body, 'exclude', [pattern]);
	}

	emit(body, 'traverse', [String(volume.traverse)]);
	optional(body, 'check-file', volume.checkFile);
	emit(body, 'check-mounted', [String(volume.checkMounted)]);
}
