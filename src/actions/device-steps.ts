import type {ActionContext, Outcome} from '../engine/types.js';
import {identifyStores, type StoreCheck} from '../store/identify-stores.js';
import {parseBackupKey} from '../plan/action-names.js';
import {deviceEnvironment} from './hook-environment.js';
import {hookFailure, runForAction} from './run-hook.js';
import type {Runtime} from './runtime.js';

const nothingNeeded: Outcome = {state: 'skipped', message: 'no device is needed'};

/** `pre-device-hook` / `post-device-hook`: once per run, only when devices are needed. */
export async function runDeviceHook(context: ActionContext, runtime: Runtime, hook: 'pre-device-hook' | 'post-device-hook'): Promise<Outcome> {
	if (hook === 'pre-device-hook' && !runtime.devicesNeeded()) {
		return nothingNeeded;
	}

	const {config, settings} = runtime;
	const argv = hook === 'pre-device-hook' ? config.preDeviceHook : config.postDeviceHook;
	const result = await runForAction(context, runtime, argv, {env: deviceEnvironment(config, !settings.dryRun, hook)});
	if (result.exitCode === 0) {
		return {state: 'succeeded'};
	}

	return hookFailure(hook, result, true);
}

/** `check-stores`: find which devices are in which stores (SPEC §4.1). */
export function checkStores(context: ActionContext, runtime: Runtime): Outcome {
	if (!runtime.devicesNeeded()) {
		return nothingNeeded;
	}

	const check = identifyStores(runtime.config, runtime.settings.storeOverride);
	runtime.stores = check;
	if (check.fatal === undefined && check.devices.size === 0) {
		return noDevices(context, runtime, check);
	}

	let errors = 0;
	for (const problem of check.problems) {
		if (problem.level === 'error') {
			errors++;
			context.log(problem.message, 'error');
		} else if (problem.level === 'warning' && runtime.settings.warnStore) {
			context.log(problem.message, 'warning');
		} else {
			context.log(`${problem.message}\n`, 'info');
		}
	}

	if (check.fatal !== undefined) {
		return {state: 'failed', message: check.fatal};
	}

	const found = [...check.devices.values()].map(device => `${device.name} in ${device.store}`).join(', ');
	context.describe({devices: Object.fromEntries([...check.devices.values()].map(device => [device.name, device.store]))});
	return errors > 0 ? {state: 'warned', message: `found ${found}; ${errors} bad store(s)`} : {state: 'succeeded', message: `found ${found}`};
}

/**
No usable store at all, said in rsbackup's order: bad stores, `no backup
devices found` (with the unavailable stores listed under it unless
--warn-store), then with --warn-store (which --store implies) one warning per
backup that was due and the unavailable stores. An error, so the run exits 1;
the step itself ends skipped so nothing waits on devices, and says nothing more.
*/
function noDevices(context: ActionContext, runtime: Runtime, check: StoreCheck): Outcome {
	const {warnStore} = runtime.settings;
	const unavailable = check.problems.filter(problem => problem.level === 'warning');
	for (const problem of check.problems.filter(problem => problem.level === 'error')) {
		context.log(problem.message, 'error');
	}

	context.log(`no backup devices found${warnStore ? '' : unavailable.map(problem => `\n  ${problem.message}`).join('')}`, 'error');
	if (warnStore) {
		for (const {host, volume, device} of dueBackups(runtime)) {
			const reason = check.suppressed.has(device) ? 'device suppressed due to --store' : 'device not available';
			context.log(`cannot backup ${host}:${volume} to ${device} - ${reason}`, 'warning');
		}

		for (const problem of unavailable) {
			context.log(problem.message, 'warning');
		}
	}

	for (const problem of check.problems.filter(problem => problem.level === 'info')) {
		context.log(`${problem.message}\n`, 'info');
	}

	return {state: 'skipped', message: 'no backup devices found'};
}

/** The (volume, device) backups found due, in rsbackup's order: hosts by priority then name, volumes, devices by name. */
function dueBackups(runtime: Runtime): Array<{host: string; volume: string; device: string}> {
	const due = [...runtime.due].filter(([, isDue]) => isDue).map(([key]) => {
		const target = parseBackupKey(key);
		return {...target, priority: runtime.host(target.host).priority};
	});
	const byName = (a: string, b: string) => (a < b ? -1 : (a > b ? 1 : 0));
	return due.sort((a, b) => b.priority - a.priority || byName(a.host, b.host) || byName(a.volume, b.volume) || byName(a.device, b.device));
}
