import {ownMap} from './defaults.js';
import type {Context, Directive} from './directive.js';
import {many} from './directive.js';
import {ValueError} from './errors.js';
import {parseInterval} from './intervals.js';
import type {HostCheck, Inheritable, Location} from './types.js';
import {parseBoolean, parseInteger, parseTimeOfDay} from './values.js';

type InheritableDirective = Extract<Directive, {scope: 'inheritable'}>;

function inheritable(
	min: number,
	max: number,
	apply: InheritableDirective['apply'],
	contexts?: readonly Context[],
): InheritableDirective {
	return contexts ? {scope: 'inheritable', min, max, apply, contexts} : {scope: 'inheritable', min, max, apply};
}

type Key<T> = {[K in keyof Inheritable]: Inheritable[K] extends T ? K : never}[keyof Inheritable];

function interval(key: Key<number>): InheritableDirective {
	return inheritable(1, 1, (into, [value = '']) => {
		into[key] = parseInterval(value);
	});
}

function words(key: Key<string[]>, min = 0): InheritableDirective {
	return inheritable(min, many, (into, args) => {
		into[key] = args;
	});
}

/** `backup-parameter`/`prune-parameter NAME VALUE` or `--remove NAME`. */
function parameter(key: 'backupParameters' | 'pruneParameters', directive: string): InheritableDirective {
	return inheritable(2, 2, (into, [first = '', second = ''], place) => {
		const remove = first === '--remove';
		const name = remove ? second : first;
		if (!/^[\w-]+$/.test(name)) {
			throw new ValueError(`invalid ${directive} name '${name}'`);
		}

		if (remove) {
			ownMap(into, key).delete(name);
			ownMap(into, 'policySources').delete(`${directive} ${name}`);
		} else {
			setParameter(into, key, name, second, place);
		}
	});
}

function setParameter(into: Inheritable, key: 'backupParameters' | 'pruneParameters', name: string, value: string, place: Location): void {
	ownMap(into, key).set(name, value);
	ownMap(into, 'policySources').set(`${key === 'backupParameters' ? 'backup' : 'prune'}-parameter ${name}`, place);
}

function policy(key: 'backupPolicy' | 'prunePolicy', directive: string): InheritableDirective {
	return inheritable(1, 1, (into, [value = ''], place) => {
		if (key === 'prunePolicy' && value.startsWith('/')) {
			into.prunePolicy = 'exec';
			setParameter(into, 'pruneParameters', 'path', value, place);
		} else {
			into[key] = value;
		}

		ownMap(into, 'policySources').set(directive, place);
	});
}

function hostCheck(into: Inheritable, [kind, ...command]: string[]): void {
	let check: HostCheck;
	if (kind === 'command' && command.length > 0) {
		check = {kind, command};
	} else if ((kind === 'ssh' || kind === 'always-up') && command.length === 0) {
		check = {kind};
	} else {
		throw new ValueError(kind === 'command' ? 'missing command for \'host-check command\'' : `invalid host-check '${[kind, ...command].join(' ')}'`);
	}

	into.hostCheck = check;
}

function backupTime(into: Inheritable, [value = '']: string[]): void {
	const [earliest, latest, extra] = value.split('-');
	if (earliest === undefined || latest === undefined || extra !== undefined) {
		throw new ValueError(`invalid backup-time '${value}' (expected EARLIEST-LATEST)`);
	}

	into.backupTime = {earliest: parseTimeOfDay(earliest), latest: parseTimeOfDay(latest)};
}

/** A legacy directive that sets a prune parameter (`prune-age 30d`). */
function legacyPruneParameter(name: string, check: (value: string) => void): InheritableDirective {
	return inheritable(1, 1, (into, [value = ''], place) => {
		check(value);
		setParameter(into, 'pruneParameters', name, value, place);
	});
}

/** Directives inherited global → host → volume (SPEC §1.4), with legacy aliases. */
export const inheritableDirectives: ReadonlyMap<string, InheritableDirective> = new Map<string, InheritableDirective>([
	['max-age', interval('maxAge')],
	['backup-policy', policy('backupPolicy', 'backup-policy')],
	['backup-parameter', parameter('backupParameters', 'backup-parameter')],
	['prune-policy', policy('prunePolicy', 'prune-policy')],
	['prune-parameter', parameter('pruneParameters', 'prune-parameter')],
	['pre-volume-hook', words('preVolumeHook')],
	['post-volume-hook', words('postVolumeHook')],
	['pre-backup-hook', words('preVolumeHook')],
	['post-backup-hook', words('postVolumeHook')],
	['hook-timeout', interval('hookTimeout')],
	['backup-job-timeout', interval('backupJobTimeout')],
	['rsync-timeout', interval('backupJobTimeout')],
	['rsync-io-timeout', interval('rsyncIoTimeout')],
	['ssh-timeout', interval('sshTimeout')],
	['host-check', inheritable(1, many, hostCheck, ['global', 'host'])],
	['rsync-command', inheritable(1, 1, (into, [value = '']) => {
		into.rsyncCommand = value;
	})],
	['rsync-base-options', words('rsyncBaseOptions')],
	['rsync-extra-options', words('rsyncExtraOptions')],
	['rsync-remote', inheritable(1, 1, (into, [value = '']) => {
		into.rsyncRemote = value;
	})],
	['rsync-link-dest', inheritable(1, 1, (into, [value = '']) => {
		into.rsyncLinkDest = parseBoolean(value);
	})],
	['backup-time', inheritable(1, 1, backupTime)],
	['devices', inheritable(1, 1, (into, [value = '']) => {
		into.devicePattern = value;
	}, ['host', 'volume'])],
	['group', inheritable(1, 1, (into, [value = '']) => {
		into.group = value;
	})],
	['ssh-command', words('sshCommand', 1)],
	['prune-age', legacyPruneParameter('prune-age', parseInterval)],
	['min-backups', legacyPruneParameter('min-backups', parseInteger)],
]);
