import type {StepKind} from './types.js';

/**
The one home of action names (`backup/H/V/D`, `remove/H/V/D/ID`, `retire/H`…)
and of the resources actions hold. A name is its kind followed by the parts
of its place that it has, in this order: host, volume, device, backup id.
*/
export type ActionWhere = {host?: string; volume?: string; device?: string; id?: string};

const partKeys = ['host', 'volume', 'device', 'id'] as const;

/** The name of the `kind` action at `where`: `backup/h1/home/d1`, `check-stores`. */
export function actionName(kind: StepKind, where: ActionWhere = {}): string {
	// Joined by hand: a large plan names 100,000 actions.
	let name: string = kind;
	if (where.host !== undefined) {
		name += `/${where.host}`;
	}

	if (where.volume !== undefined) {
		name += `/${where.volume}`;
	}

	if (where.device !== undefined) {
		name += `/${where.device}`;
	}

	if (where.id !== undefined) {
		name += `/${where.id}`;
	}

	return name;
}

/**
A glob for the `kind` actions below `where`: one level (`identify/H/V/*`, each
device of a volume) or, `deep`, any number (`remove/H/**`, every removal of a
host); with no `where`, every action of the kind (`backup/**`).
*/
export function actionsUnder(kind: StepKind, where: ActionWhere = {}, deep = false): string {
	const name = actionName(kind, where);
	return `${name}/${deep || name === kind ? '**' : '*'}`;
}

/** A glob for exactly these actions: `{underway/h1/v1/d1,backup/h1/v1/d1}`, for one engine call over several names. */
export const anyOfActions = (names: readonly string[]): string => `{${names.join(',')}}`;

/** A name taken apart: its kind (first segment), the host, volume, device and id that follow where present, and all segments after the kind. */
export function parseActionName(name: string): {kind: string} & ActionWhere & {parts: string[]} {
	const [kind = name, ...parts] = name.split('/');
	const where: ActionWhere = {};
	for (const [index, key] of partKeys.entries()) {
		if (parts[index] !== undefined) {
			where[key] = parts[index];
		}
	}

	return {kind, ...where, parts};
}

/** The resource a backup or removal holds on its device: one at a time per device (SPEC §3). */
export const deviceResource = (device: string): string => `device:${device}`;

/** The resource a backup holds on its concurrency group. */
export const groupResource = (group: string): string => `group:${group}`;

/** The key of a volume's backup to one device in history and the due map: `H/V/D`. */
export const backupKey = (where: {host: string; volume: string; device: string}): string => `${where.host}/${where.volume}/${where.device}`;


/** A `backupKey` taken apart. */
export function parseBackupKey(key: string): {host: string; volume: string; device: string} {
	const [host = '', volume = '', device = ''] = key.split('/');
	return {host, volume, device};
}
