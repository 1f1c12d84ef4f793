import type {ActionInfo} from '../src/engine/types.js';
import {parseActionName} from '../src/plan/action-names.js';

/** Where an action belongs in the hosts ▸ volumes ▸ devices tree. */
export type ActionPlace = {
	/** The step kind: the first segment of the name. */
	kind: string;
	/** Absent for run-level actions (device hooks, check-stores, prune logs). */
	host?: string;
	volume?: string;
	device?: string;
	/** What the row shows: the kind, plus any name segments below the group (a backup ID for `remove/…`). */
	label: string;
};

/**
Steps in the order an operator reads them: a run's pipeline from host check
to post hook. Kinds not listed go after, by name.
*/
const kindOrder: readonly string[] = [
	'pre-device-hook',
	'check-stores',
	'live',
	'mounted',
	'flag',
	'identify',
	'pre-volume-hook',
	'underway',
	'backup',
	'record-backup',
	'post-volume-hook',
	'find-prunable',
	'remove',
	'retire',
	'forget',
	'log-prunable',
	'expire-prune-logs',
	'post-device-hook',
];

/** Steps that only check whether work may go on: their success is not work done. */
const checkKinds: ReadonlySet<string> = new Set(['check-stores', 'live', 'mounted', 'flag', 'identify']);

/** Whether a step only checks (host up, volume mounted, backup due) rather than doing work. */
export function isCheck(kind: string): boolean {
	return checkKinds.has(kind);
}

/** Place an action from its data (`kind`, `host`, `volume`, `device`), falling back to its name's segments. */
export function placeAction(info: Pick<ActionInfo, 'name' | 'data'>): ActionPlace {
	const named = parseActionName(info.name);
	const kind = text(info.data['kind']) ?? named.kind;
	const host = text(info.data['host']) ?? named.host;
	const volume = host === undefined ? undefined : text(info.data['volume']) ?? named.volume;
	const device = volume === undefined ? undefined : text(info.data['device']) ?? named.device;
	const depth = [host, volume, device].filter(part => part !== undefined).length;
	const rest = named.parts.slice(depth).join('/');
	return {kind, host, volume, device, label: rest === '' ? kind : `${kind} ${rest}`};
}

/** Compare two actions of one group for display. */
export function compareActions(a: {kind: string; name: string}, b: {kind: string; name: string}): number {
	return rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name);
}

/** Whether a step comes after the sub-groups of its group (a volume's post hook after its devices). */
export function followsSubgroups(kind: string): boolean {
	return rank(kind) >= rank('post-volume-hook');
}

function rank(kind: string): number {
	const index = kindOrder.indexOf(kind);
	return index === -1 ? kindOrder.length : index;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
