import type {Config, Host, Volume} from '../config/types.js';
import {volumeDevices, volumeGroup} from '../config/volume-devices.js';
import type {Edge} from '../engine/types.js';
import {actionName, actionsUnder, deviceResource, groupResource, backupKey} from './action-names.js';
import type {PlannedAction, PlanRequest, StepKind} from './types.js';

/** Unknown backups are expected to take a minute, so work still counts when history is empty. */
const defaultBackupEstimate = 60_000;

/**
Steps that keep the database and the hosts consistent after what came before
them: a cancelled run still runs them. Other steps with an `always`
predecessor (a pre hook waits for identification whatever its outcome) are
not clean-up, and a cancel stops them.
*/
export const cleanupKinds: ReadonlySet<StepKind> = new Set<StepKind>(['record-backup', 'post-volume-hook', 'post-device-hook', 'log-prunable', 'expire-prune-logs']);

const success = (from: string): Edge => ({from, kind: 'success'});
const always = (from: string): Edge => ({from, kind: 'always'});

/**
The rsbackup action graph of SPEC §3 for one run, as plain data: names, edges,
resources, priorities and estimates. Bodies are attached later (src/actions).
*/
export function planRun(config: Config, request: PlanRequest): PlannedAction[] {
	const plan: PlannedAction[] = [];
	planEach(config, request, action => plan.push(action));
	return plan;
}

/**
The actions of `planRun`, in the same order, each given to `visit` as it is
planned: `--plan` prints them without keeping 100,000 of them.
*/
export function planEach(config: Config, request: PlanRequest, visit: (action: PlannedAction) => void): void {
	// Every action built with the same fields in the same order: 100,000 of them plan in a fraction of the time spreads took.
	const add = (kind: StepKind, name: string, fields: Partial<PlannedAction> = {}): void => {
		visit({
			name,
			kind,
			host: fields.host,
			volume: fields.volume,
			device: fields.device,
			id: fields.id,
			after: fields.after ?? [],
			resources: fields.resources ?? [],
			priority: fields.priority ?? 0,
			estimate: fields.estimate ?? 0,
			cleanup: cleanupKinds.has(kind),
			forgetOnly: fields.forgetOnly,
		});
	};

	const volumes = selectedVolumes(config, request);
	const pruning = request.prune || request.pruneIncomplete;
	const needDevices = pruning || (request.retire !== undefined && !request.retire.forgetOnly) || (request.backup && volumes.length > 0);
	// Retiring counts as device access even when only records go (--forget-only).
	const deviceHooks = needDevices || request.retire !== undefined;
	if (!deviceHooks) {
		return;
	}

	// A prune alone decides from the database first, so a prune with nothing to remove needs no device (SPEC §3).
	const pruneFirst = pruning && !request.backup;
	const decided: Edge[] = [...(request.backup ? [always(actionsUnder('identify'))] : []), ...(pruneFirst ? [always(actionsUnder('find-prunable'))] : [])];
	const preDeviceHook = config.preDeviceHook.length > 0 && deviceHooks;
	if (preDeviceHook) {
		add('pre-device-hook', 'pre-device-hook', {after: decided});
	}

	if (needDevices) {
		add('check-stores', 'check-stores', {after: [...decided, ...(preDeviceHook ? [success('pre-device-hook')] : [])]});
	}

	if (request.backup) {
		for (const host of new Set(volumes.map(({host}) => host))) {
			add('live', actionName('live', {host: host.name}), {host: host.name, priority: host.priority * 4});
		}

		for (const {host, volume} of volumes) {
			planVolumeBackup(config, request, host, volume, add);
		}
	}

	if (pruning) {
		planPrune(request, volumes, add);
	}

	if (request.retire) {
		planRetire(request.retire, preDeviceHook, add);
	}

	if (config.postDeviceHook.length > 0) {
		const start = preDeviceHook ? 'pre-device-hook' : (needDevices ? 'check-stores' : undefined);
		add('post-device-hook', 'post-device-hook', {
			after: [
				...(start === undefined ? [] : [success(start)]),
				...(['backup', 'record-backup', 'post-volume-hook', 'remove', 'forget'] as const).map(kind => always(actionsUnder(kind))),
				// planPrune's single actions, where it planned them.
				...(pruning ? [always('log-prunable')] : []),
				...(request.prune ? [always('expire-prune-logs')] : []),
			],
		});
	}
}

type Add = (kind: StepKind, name: string, fields?: Partial<PlannedAction>) => void;

function selectedVolumes(config: Config, request: PlanRequest): Array<{host: Host; volume: Volume}> {
	const result: Array<{host: Host; volume: Volume}> = [];
	for (const host of config.hosts.values()) {
		for (const volume of host.volumes.values()) {
			if (request.selected(host.name, volume.name)) {
				result.push({host, volume});
			}
		}
	}

	return result;
}

function planVolumeBackup(config: Config, request: PlanRequest, host: Host, volume: Volume, add: Add): void {
	const h = host.name;
	const v = volume.name;
	const where = {host: h, volume: v};
	const priority = host.priority * 4;
	let check = actionName('live', {host: h});
	if (volume.checkMounted) {
		add('mounted', actionName('mounted', where), {host: h, volume: v, after: [success(check)], priority});
		check = actionName('mounted', where);
	}

	if (volume.checkFile !== undefined) {
		add('flag', actionName('flag', where), {host: h, volume: v, after: [success(check)], priority});
		check = actionName('flag', where);
	}

	const hooks = volume.preVolumeHook.length > 0 || volume.postVolumeHook.length > 0;
	const preHook = actionName('pre-volume-hook', where);
	if (hooks) {
		add('pre-volume-hook', preHook, {host: h, volume: v, after: [always(actionsUnder('identify', where)), success('check-stores')], priority});
	}

	const group = volumeGroup(host, volume);
	for (const device of volumeDevices(config, volume)) {
		const at = {host: h, volume: v, device};
		const underway = actionName('underway', at);
		const backup = actionName('backup', at);
		const identify = actionName('identify', at);
		const resources = [deviceResource(device), groupResource(group)];
		const underwayAfter = [success(identify), success('check-stores')];
		if (hooks) {
			underwayAfter.push(success(preHook));
		}

		add('identify', identify, {host: h, volume: v, device, after: [success(check)], priority});
		add('underway', underway, {host: h, volume: v, device, after: underwayAfter, resources, priority});
		// One step above its underway row, so a freed device goes to the backup whose row was just written.
		add('backup', backup, {
			host: h,
			volume: v,
			device,
			after: [success(underway)],
			resources,
			priority: priority + 1,
			// No history (a new installation, a --plan of a fresh configuration): no key to build.
			estimate: (request.estimates.size === 0 ? undefined : request.estimates.get(backupKey(at))) ?? defaultBackupEstimate,
		});
		add('record-backup', actionName('record-backup', at), {host: h, volume: v, device, after: [always(underway), always(backup)], priority: priority + 2});
	}

	if (hooks) {
		add('post-volume-hook', actionName('post-volume-hook', where), {host: h, volume: v, after: [success(preHook), always(actionsUnder('record-backup', where))], priority});
	}
}

function planPrune(request: PlanRequest, volumes: Array<{host: Host; volume: Volume}>, add: Add): void {
	for (const {host, volume} of volumes) {
		const where = {host: host.name, volume: volume.name};
		add('find-prunable', actionName('find-prunable', where), {
			...where,
			// After a backup the new one counts; alone, the database is all it needs (removals wait for the stores).
			after: request.backup ? [success('check-stores'), always(actionsUnder('record-backup', where))] : [],
		});
	}

	add('log-prunable', 'log-prunable', {after: [always(actionsUnder('find-prunable')), always(actionsUnder('remove'))]});
	if (request.prune) {
		add('expire-prune-logs', 'expire-prune-logs', {after: [always('log-prunable')]});
	}
}

function planRetire(retire: NonNullable<PlanRequest['retire']>, preDeviceHook: boolean, add: Add): void {
	for (const {host, volume} of retire.targets) {
		const where = {host, ...(volume === undefined ? {} : {volume})};
		if (retire.forgetOnly) {
			add('forget', actionName('forget', where), {...where, forgetOnly: true, after: preDeviceHook ? [success('pre-device-hook')] : []});
			continue;
		}

		add('retire', actionName('retire', where), {...where, after: [success('check-stores')]});
		// Removals are named remove/H/V/D/ID and only appear once retire/… runs: `**` reaches them, `*` would not.
		add('forget', actionName('forget', where), {...where, forgetOnly: false, after: [success(actionName('retire', where)), success(actionsUnder('remove', where, true))]});
	}
}
