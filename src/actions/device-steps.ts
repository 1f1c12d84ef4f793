import type {ActionContext, Outcome} from '../engine/types.js';
import {identifyStores} from '../store/identify-stores.js';
import {deviceEnvironment} from './hook-environment.js';
import {describeEnd, outputTail, runForAction} from './run-hook.js';
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

	const tail = outputTail(result);
	return {state: 'failed', message: `${hook} failed: ${describeEnd(result)}${tail === '' ? '' : `\n${tail}`}`};
}

/** `check-stores`: find which devices are in which stores (SPEC §4.1). */
export function checkStores(context: ActionContext, runtime: Runtime): Outcome {
	if (!runtime.devicesNeeded()) {
		return nothingNeeded;
	}

	const check = identifyStores(runtime.config, runtime.settings.storeOverride);
	runtime.stores = check;
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

	if (check.devices.size === 0) {
		return {state: 'failed', message: 'no backup devices found'};
	}

	const found = [...check.devices.values()].map(device => `${device.name} in ${device.store}`).join(', ');
	context.describe({devices: Object.fromEntries([...check.devices.values()].map(device => [device.name, device.store]))});
	return errors > 0 ? {state: 'warned', message: `found ${found}; ${errors} bad store(s)`} : {state: 'succeeded', message: `found ${found}`};
}
