import type {ActionContext, Outcome} from '../engine/types.js';
import {volumeDevices} from '../config/volume-devices.js';
import {volumeEnvironment} from './hook-environment.js';
import {hookFailure, runForAction} from './run-hook.js';
import type {Runtime} from './runtime.js';

/** EX_TEMPFAIL: the pre-volume-hook asks to skip the volume quietly. */
const temporaryFailure = 75;

/**
`pre-volume-hook/H/V`: runs before the first backup of the volume, only when
some due device is available. Non-empty stdout becomes this run's source path.
*/
export async function runPreVolumeHook(context: ActionContext, runtime: Runtime, hostName: string, volumeName: string): Promise<Outcome> {
	const host = runtime.host(hostName);
	const volume = runtime.volume(hostName, volumeName);
	if (!runtime.volumeNeeded(hostName, volumeName, volumeDevices(runtime.config, volume))) {
		return {state: 'skipped', message: `${hostName}:${volumeName} is not due on any available device`};
	}

	if (volume.preVolumeHook.length === 0) {
		return {state: 'succeeded', message: 'no pre-volume-hook configured'};
	}

	const env = volumeEnvironment(host, volume, !runtime.settings.dryRun, 'pre-volume-hook');
	const result = await runForAction(context, runtime, volume.preVolumeHook, {env, timeout: volume.hookTimeout});
	if (result.exitCode === temporaryFailure) {
		return {state: 'skipped', message: `${hostName}:${volumeName} pre-volume-hook asked to skip (exit 75)`};
	}

	if (result.exitCode !== 0) {
		return hookFailure(`${hostName}:${volumeName} pre-volume-hook`, result, false);
	}

	const source = result.stdout.replace(/\n$/, '');
	if (source !== '') {
		runtime.sourcePaths.set(`${hostName}/${volumeName}`, source);
		context.describe({sourcePath: source});
	}

	return {state: 'succeeded', message: source === '' ? undefined : `source path ${source}`};
}

/** `post-volume-hook/H/V`: after every backup of the volume, whatever their results. Sees the original path. */
export async function runPostVolumeHook(context: ActionContext, runtime: Runtime, hostName: string, volumeName: string): Promise<Outcome> {
	const host = runtime.host(hostName);
	const volume = runtime.volume(hostName, volumeName);
	if (volume.postVolumeHook.length === 0) {
		return {state: 'succeeded', message: 'no post-volume-hook configured'};
	}

	const env = volumeEnvironment(host, volume, !runtime.settings.dryRun, 'post-volume-hook');
	const result = await runForAction(context, runtime, volume.postVolumeHook, {env, timeout: volume.hookTimeout});
	if (result.exitCode !== 0) {
		return hookFailure(`${hostName}:${volumeName} post-volume-hook`, result, false);
	}

	return {state: 'succeeded'};
}
