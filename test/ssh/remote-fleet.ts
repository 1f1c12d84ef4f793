import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {makeStore} from '../helpers/fleet.js';
import {temporaryDirectory} from '../helpers/files.js';
import type {TestSshd} from '../helpers/sshd.js';
import {terminalStates, type EngineEvent} from '../../src/engine/types.js';

/** One word of an rsdeck config line, quoted when it has to be (§1.1). */
export function configWord(word: string): string {
	return /^[^\s"'\\#]+$/.test(word) ? word : `"${word.replaceAll(/["\\]/g, '\\$&')}"`;
}

export const configLine = (words: readonly string[]): string => words.map(word => configWord(word)).join(' ');

export type RemoteSetup = {root: string; store: string; database: string; config: string};

export type RemoteOptions = {
	/** Global lines after the ssh settings. */
	global?: string[];
	/** Whole host stanzas (`host` line and indented body), after the store settings. */
	hosts: string[];
};

/** A config with one store (device1), the test sshd's `ssh-command`, `ssh-timeout 2s`, and `hosts`. */
export function remoteConfig(sshd: TestSshd, options: RemoteOptions): RemoteSetup {
	const root = temporaryDirectory('rsdeck-ssh-');
	const store = makeStore(root, 'store', 'device1');
	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, [
		`store --no-mounted ${store}`,
		'device device1',
		`database ${database}`,
		`logs ${root}`,
		'rsync-extra-options',
		'ssh-timeout 2s',
		configLine(['ssh-command', ...sshd.sshCommand]),
		...(options.global ?? []),
		...options.hosts,
		'',
	].join('\n'));
	return {root, store, database, config};
}

/** A `host` stanza reaching the test sshd as its user, with `lines` indented under it. */
export function remoteHost(sshd: TestSshd, name: string, lines: string[]): string {
	return [`host ${name}`, `  hostname ${sshd.hostname}`, `  user ${sshd.user}`, ...lines.map(line => `  ${line}`)].join('\n');
}

export {treeOf} from '../helpers/fleet.js';

/** The events of a `--json` run, one per line. */
export const parseEvents = (stdout: string): EngineEvent[] => stdout.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as EngineEvent);

/** Index of the event that put `action` into `state` (any terminal state for `end`), or -1. */
export function indexOfState(events: readonly EngineEvent[], action: string, state: string): number {
	return events.findIndex(event => event.type === 'state' && event.action === action && (state === 'end' ? terminalStates.has(event.state) : event.state === state));
}

/** The state `action` ended in, if it did. */
export function finalState(events: readonly EngineEvent[], action: string): string | undefined {
	const event = events[indexOfState(events, action, 'end')];
	return event?.type === 'state' ? event.state : undefined;
}

/** Every `describe` detail of `action`, merged. */
export function describedAs(events: readonly EngineEvent[], action: string): Record<string, unknown> {
	return Object.assign({}, ...events.flatMap(event => (event.type === 'describe' && event.action === action ? [event.detail] : []))) as Record<string, unknown>;
}
