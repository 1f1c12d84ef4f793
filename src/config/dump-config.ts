import {defaultConfig, defaultInheritable, defaultReport} from './defaults.js';
import type {Context} from './directive.js';
import {directiveHelp} from './directive-help.js';
import {defaultGraphLayout, graphDefaults, graphDirectiveNames, isGraphColor} from './global-directives.js';
import {formatInterval} from './intervals.js';
import type {Config, Host, Inheritable, Location, ReportItem, Volume} from './types.js';
import {unusedPruneParameter} from './validate.js';
import {formatColor, formatTimeOfDay, parseColor} from './values.js';
import {quoteWord} from './words.js';

/**
The lines so far and their length, and where they go when long enough
(`writeDumpConfig`): lines joined once per chunk make one flat string, where
a string grown with += is a tree of every line, kept while the stream has yet
to write it.
*/
type Output = {lines: string[]; length: number; write: ((text: string) => void) | undefined};

/** Writes directive lines at one indentation, with comments when verbose. */
type Writer = {out: Output; indent: string; verbose: boolean};

/** Characters of text written at a time: enough for V8 to keep each chunk in its large-object space, never copied. */
const chunk = 1 << 18;

function addLine(writer: Writer, line: string): void {
	writer.out.lines.push(line);
	writer.out.length += line.length + 1;
}

/** The lines so far as text, and none kept. */
function take(out: Output): string {
	const text = out.lines.length === 0 ? '' : `${out.lines.join('\n')}\n`;
	out.lines = [];
	out.length = 0;
	return text;
}

function comment(writer: Writer, text: string): void {
	if (writer.verbose) {
		addLine(writer, `${writer.indent}# ${text}`);
	}
}

/** `origin`: where the directive was read, said under verbose for those that may come from either file. */
function emit(writer: Writer, name: string, args: readonly string[] = [], origin?: Location): void {
	if (writer.verbose) {
		comment(writer, `${directiveHelp[name] ?? name}${origin === undefined ? '' : ` (from ${origin.file}:${origin.line})`}`);
	}

	let line = writer.indent + name;
	for (const word of args) {
		line += ` ${quoteWord(word)}`;
	}

	addLine(writer, line);
}

/**
A list directive (`report`, `graph-layout`) as rsbackup writes it: a new
`NAME +` line starts before an item when the column reached so far plus the
item's length would reach 80.
*/
function emitList(writer: Writer, name: string, items: readonly string[]): void {
	comment(writer, directiveHelp[name] ?? name);
	let line = `${writer.indent}${name}`;
	for (const item of items) {
		if (line.length + item.length >= 80) {
			addLine(writer, line);
			line = `${writer.indent}${name} +`;
		}

		line += ` ${quoteWord(item)}`;
	}

	addLine(writer, line);
}

/**
The effective configuration as config text, line for line as rsbackup
writes it (SPEC §1.5): the global values in rsbackup's order, those that
rsbackup leaves out at their defaults left out; then the stores and devices;
then each host by name with all its values, then its volumes by name,
indented 4 and 8, a blank line before each stanza. Read back, it dumps
identically; `verbose` adds a comment before each directive.
*/
export function dumpConfig(config: Config, options: {verbose?: boolean} = {}): string {
	const out: Output = {lines: [], length: 0, write: undefined};
	dumpTo(out, config, options.verbose ?? false);
	return take(out);
}

/**
`dumpConfig`'s text given to `write` in chunks of 256 KiB as it is made: a configuration
of 10,000 volumes dumps 250,000 lines, which need not all be kept.
*/
export function writeDumpConfig(config: Config, options: {verbose?: boolean}, write: (text: string) => void): void {
	const out: Output = {lines: [], length: 0, write};
	dumpTo(out, config, options.verbose ?? false);
	if (out.lines.length > 0) {
		write(take(out));
	}
}

function dumpTo(out: Output, config: Config, verbose: boolean): void {
	const global: Writer = {out, indent: '', verbose};
	dumpInheritable(global, 'global', config, defaultInheritable(), config.origins.get('ssh-command')?.at(-1));
	dumpGlobals(global, config);
	for (const store of config.stores) {
		emit(global, store.pattern ? 'store-pattern' : 'store', [store.mounted ? '--mounted' : '--no-mounted', store.path]);
	}

	for (const device of config.devices) {
		emit(global, 'device', [device]);
	}

	for (const host of config.hosts.values()) {
		addLine(global, '');
		dumpHost(host, config, global);
		if (out.write !== undefined && out.length >= chunk) {
			out.write(take(out));
		}
	}
}

function dumpGlobals(writer: Writer, config: Config): void {
	const defaults = defaultConfig(config.path);
	emit(writer, 'public', [String(config.public)]);
	emit(writer, 'logs', [config.logs]);
	optional(writer, 'database', config.database);
	optional(writer, 'lock', config.lock);
	hook(writer, 'pre-device-hook', config.preDeviceHook, []);
	hook(writer, 'post-device-hook', config.postDeviceHook, []);
	emit(writer, 'keep-prune-logs', [formatInterval(config.keepPruneLogs)]);
	emit(writer, 'prune-timeout', [formatInterval(config.pruneTimeout)]);
	optional(writer, 'rm', config.rm === defaults.rm ? undefined : config.rm);
	emit(writer, 'color-good', [formatColor(config.colorGood)]);
	emit(writer, 'color-bad', [formatColor(config.colorBad)]);
	emit(writer, 'sendmail', [config.sendmail]);
	optional(writer, 'stylesheet', config.stylesheet);
	emitList(writer, 'report', (config.report.length > 0 ? config.report : defaultReport).map(item => formatReportItem(item)));
	for (const name of graphDirectiveNames) {
		const args = config.graph.get(name) ?? graphDefaults[name] ?? [];
		emit(writer, name, isGraphColor(name) ? [formatColor(parseColor(args))] : args);
	}

	emitList(writer, 'graph-layout', config.graphLayout?.map(({part}) => part) ?? defaultGraphLayout);

	for (const [index, url] of config.notifyUrls.entries()) {
		emit(writer, 'notify-url', [url], config.origins.get('notify-url')?.[index]);
	}

	if (config.notifyCommand.length > 0) {
		emit(writer, 'notify-command', config.notifyCommand, config.origins.get('notify-command')?.at(-1));
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

/**
Parameters in name order, then those the parent has but this stanza dropped
as `--remove`, as rsbackup writes them. At volume level, `verbose` notes a
prune parameter the volume's policy does not use (accepted and ignored).
*/
function parameters(writer: Writer, name: string, values: ReadonlyMap<string, string>, inherited: ReadonlyMap<string, string>, unused?: (key: string) => boolean): void {
	for (const key of [...values.keys()].sort()) {
		if (unused?.(key)) {
			comment(writer, `${key} is not used by this volume's prune-policy`);
		}

		emit(writer, name, [key, values.get(key) ?? '']);
	}

	for (const key of [...inherited.keys()].filter(key => !values.has(key)).sort()) {
		emit(writer, name, ['--remove', key]);
	}
}

/**
The inheritable values in rsbackup's order. At the global level the values
rsbackup leaves out at their defaults (zero timeouts, `rsync-link-dest
true`, no hooks, no `rsync-remote`) are left out; hosts and volumes print
every value, so a stanza reads complete on its own.
*/
function dumpInheritable(writer: Writer, context: Context, value: Inheritable, parent: Inheritable, sshOrigin?: Location): void {
	const all = context !== 'global';
	const interval = (name: string, seconds: number) => {
		if (all || seconds !== 0) {
			emit(writer, name, [formatInterval(seconds)]);
		}
	};

	emit(writer, 'max-age', [formatInterval(value.maxAge)]);
	emit(writer, 'backup-policy', [value.backupPolicy]);
	parameters(writer, 'backup-parameter', value.backupParameters, parent.backupParameters);
	emit(writer, 'prune-policy', [value.prunePolicy]);
	const volume = context === 'volume' ? value as Volume : undefined;
	parameters(writer, 'prune-parameter', value.pruneParameters, parent.pruneParameters, volume && (key => unusedPruneParameter(volume, key)));
	hook(writer, 'pre-volume-hook', value.preVolumeHook, parent.preVolumeHook);
	hook(writer, 'post-volume-hook', value.postVolumeHook, parent.postVolumeHook);
	interval('backup-job-timeout', value.backupJobTimeout);
	interval('rsync-io-timeout', value.rsyncIoTimeout);
	emit(writer, 'ssh-timeout', [formatInterval(value.sshTimeout)]);
	interval('hook-timeout', value.hookTimeout);
	emit(writer, 'rsync-command', [value.rsyncCommand]);
	if (all || !value.rsyncLinkDest) {
		emit(writer, 'rsync-link-dest', [String(value.rsyncLinkDest)]);
	}

	emit(writer, 'rsync-base-options', value.rsyncBaseOptions);
	emit(writer, 'rsync-extra-options', value.rsyncExtraOptions);
	optional(writer, 'rsync-remote', value.rsyncRemote);
	emit(writer, 'backup-time', [`${formatTimeOfDay(value.backupTime.earliest)}-${formatTimeOfDay(value.backupTime.latest)}`]);
	if (context !== 'volume') {
		const check = value.hostCheck;
		emit(writer, 'host-check', check.kind === 'command' ? ['command', ...check.command] : [check.kind]);
	}

	if (context !== 'global') {
		emit(writer, 'devices', [value.devicePattern]);
	}

	optional(writer, 'group', value.group);
	// An rsdeck addition: printed only where it changes something, so the
	// dump of a plain rsbackup configuration stays readable by rsbackup.
	if (value.sshCommand !== parent.sshCommand && value.sshCommand.join('\0') !== parent.sshCommand.join('\0')) {
		emit(writer, 'ssh-command', value.sshCommand, sshOrigin);
	}
}

function dumpHost(host: Host, config: Config, global: Writer): void {
	emit(global, 'host', [host.name]);
	const body: Writer = {out: global.out, indent: '    ', verbose: global.verbose};
	dumpInheritable(body, 'host', host, config);
	emit(body, 'hostname', [host.hostname]);
	optional(body, 'user', host.user);
	emit(body, 'priority', [String(host.priority)]);
	for (const volume of host.volumes.values()) {
		addLine(body, '');
		dumpVolume(body, volume, host);
	}
}

function dumpVolume(hostBody: Writer, volume: Volume, host: Host): void {
	emit(hostBody, 'volume', [volume.name, volume.path]);
	const body: Writer = {out: hostBody.out, indent: '        ', verbose: hostBody.verbose};
	dumpInheritable(body, 'volume', volume, host);
	for (const pattern of volume.exclude) {
		emit(body, 'exclude', [pattern]);
	}

	emit(body, 'traverse', [String(volume.traverse)]);
	optional(body, 'check-file', volume.checkFile);
	emit(body, 'check-mounted', [String(volume.checkMounted)]);
}
