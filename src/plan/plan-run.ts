import picomatch from 'picomatch';
import type {Config, Host, Volume} from '../config/types.js';
import type {Edge} from '../engine/types.js';
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

/** Compiled `devices` patterns: a configuration has few, and compiling one costs more than planning its volume. */
const devicePatterns = new Map<string, (device: string) => boolean>();

/** The devices a volume is backed up to: configured devices matching its `devices` pattern. */
export function volumeDevices(config: Config, volume: Volume): string[] {
	let matches = devicePatterns.get(volume.devicePattern);
	if (matches === undefined) {
		matches = picomatch(volume.devicePattern);
		devicePatterns.set(volume.devicePattern, matches);
	}

	return config.devices.filter(device => matches(device));
}

/** The concurrency group of a volume: its `group`, else its host's name. */
export const volumeGroup = (host: Host, volume: Volume): string => volume.group ?? host.name;

/**
The rsbackup action graph of SPEC §3 for one run, as plain data: names, edges,
resources, priorities and estimates. Bodies are attached later (src/actions).
*/
export function planRun(config: Config, request: PlanRequest): PlannedAction[] {
	const plan: PlannedAction[] = [];
	// Every action built with the same fields in the same order: 100,000 of them plan in a fraction of the time spreads took.
	const add = (kind: StepKind, name: string, fields: Partial<PlannedAction> = {}): void => {
		const action: PlannedAction = {
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
		};
		plan.push(action);
	};

	const volumes = selectedVolumes(config, request);
	const pruning = request.prune || request.pruneIncomplete;
	const needDevices = pruning || (request.retire !== undefined && !request.retire.forgetOnly) || (request.backup && volumes.length > 0);
	// Retiring counts as device access even when only records go (--forget-only).
	const deviceHooks = needDevices || request.retire !== undefined;
	if (!deviceHooks) {
		return plan;
	}

	// A prune alone decides from the database first, so a prune with nothing to remove needs no device (SPEC §3).
	const pruneFirst = pruning && !request.backup;
	const decided: Edge[] = [...(request.backup ? [always('identify/**')] : []), ...(pruneFirst ? [always('find-prunable/**')] : [])];
	const preDeviceHook = config.preDeviceHook.length > 0 && deviceHooks;
	if (preDeviceHook) {
		add('pre-device-hook', 'pre-device-hook', {after: decided});
	}

	if (needDevices) {
		add('check-stores', 'check-stores', {after: [...decided, ...(preDeviceHook ? [success('pre-device-hook')] : [])]});
	}

	if (request.backup) {
		for (const host of new Set(volumes.map(({host}) => host))) {
			add('live', `live/${host.name}`, {host: host.name, priority: host.priority * 4});
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
				...['backup/**', 'record-backup/**', 'post-volume-hook/**', 'remove/**', 'forget/**'].map(name => always(name)),
				...['log-prunable', 'expire-prune-logs'].filter(name => plan.some(action => action.name === name)).map(name => always(name)),
			],
		});
	}

	return plan;
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
	const priority = host.priority * 4;
	let check = `live/${h}`;
	if (volume.checkMounted) {
		add('mounted', `mounted/${h}/${v}`, {host: h, volume: v, after: [success(check)], priority});
		check = `mounted/${h}/${v}`;
	}

	if (volume.checkFile !== undefined) {
		add('flag', `flag/${h}/${v}`, {host: h, volume: v, after: [success(check)], priority});
		check = `flag/${h}/${v}`;
	}

	const hooks = volume.preVolumeHook.length > 0 || volume.postVolumeHook.length > 0;
	const preHook = `pre-volume-hook/${h}/${v}`;
	if (hooks) {
		add('pre-volume-hook', preHook, {host: h, volume: v, after: [always(`identify/${h}/${v}/*`), success('check-stores')], priority});
	}

	const group = volumeGroup(host, volume);
	for (const device of volumeDevices(config, volume)) {
		const at = `${h}/${v}/${device}`;
		const resources = [`device:${device}`, `group:${group}`];
		const underwayAfter = [success(`identify/${at}`), success('check-stores')];
		if (hooks) {
			underwayAfter.push(success(preHook));
		}

		add('identify', `identify/${at}`, {host: h, volume: v, device, after: [success(check)], priority});
		add('underway', `underway/${at}`, {host: h, volume: v, device, after: underwayAfter, resources, priority});
		// One step above its underway row, so a freed device goes to the backup whose row was just written.
		add('backup', `backup/${at}`, {
			host: h,
			volume: v,
			device,
			after: [success(`underway/${at}`)],
			resources,
			priority: priority + 1,
			estimate: request.estimates.get(at) ?? defaultBackupEstimate,
		});
		add('record-backup', `record-backup/${at}`, {host: h, volume: v, device, after: [always(`underway/${at}`), always(`backup/${at}`)], priority: priority + 2});
	}

	if (hooks) {
		add('post-volume-hook', `post-volume-hook/${h}/${v}`, {host: h, volume: v, after: [success(preHook), always(`record-backup/${h}/${v}/*`)], priority});
	}
}

function planPrune(request: PlanRequest, volumes: Array<{host: Host; volume: Volume}>, add: Add): void {
	for (const {host, volume} of volumes) {
		const at = `${host.name}/${volume.name}`;
		add('find-prunable', `find-prunable/${at}`, {
			host: host.name,
			volume: volume.name,
			// After a backup the new one counts; alone, the database is all it needs (removals wait for the stores).
			after: request.backup ? [success('check-stores'), always(`record-backup/${at}/*`)] : [],
		});
	}

	add('log-prunable', 'log-prunable', {after: [always('find-prunable/**'), always('remove/**')]});
	if (request.prune) {
		add('expire-prune-logs', 'expire-prune-logs', {after: [always('log-prunable')]});
	}
}

function planRetire(retire: NonNullable<PlanRequest['retire']>, preDeviceHook: boolean, add: Add): void {
	for (const {host, volume} of retire.targets) {
		const at = volume === undefined ? host : `${host}/${volume}`;
		const where = {host, ...(volume === undefined ? {} : {volume})};
		if (retire.forgetOnly) {
			add('forget', `forget/${at}`, {...where, after: preDeviceHook ? [success('pre-device-hook')] : []});
			continue;
		}

		add('retire', `retire/${at}`, {...where, after: [success('check-stores')]});
		// Removals are named remove/H/V/D/ID and only appear once retire/… runs: `**` reaches them, `*` would not.
		add('forget', `forget/${at}`, {...where, after: [success(`retire/${at}`), success(`remove/${at}/**`)]});
	}
}
