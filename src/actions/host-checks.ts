import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {Host, Volume} from '../config/types.js';
import type {ActionContext, Outcome} from '../engine/types.js';
import {describeEnd, outputTail, runForAction} from './run-hook.js';
import {isLocal, onHost, sshDeadline} from './remote.js';
import type {Runtime} from './runtime.js';

/** `live/H`: is the host up (SPEC §4.4)? Down is `skipped`, not failed. */
export async function checkHostUp(context: ActionContext, runtime: Runtime, host: Host): Promise<Outcome> {
	const check = host.hostCheck;
	if (isLocal(host) || check.kind === 'always-up') {
		return {state: 'succeeded', message: `${host.name} is up (${isLocal(host) ? 'localhost' : 'always-up'})`};
	}

	// `ssh … true`, through `onHost` so it is the same command the other checks use.
	const argv = check.kind === 'command' ? [...check.command, host.hostname] : onHost(host, ['true']);
	const result = await runForAction(context, runtime, argv, {timeout: check.kind === 'ssh' ? sshDeadline(host) : 0});
	if (result.exitCode === 0) {
		return {state: 'succeeded', message: `${host.name} is up`};
	}

	const message = `cannot backup ${host.name} - host is not reachable (${describeEnd(result)})`;
	if (runtime.settings.warnUnreachable) {
		context.log(message, 'warning');
	}

	return {state: 'skipped', message};
}

/**
`mounted/H/V`: the volume path is a mount point, as rsbackup decides it:
`stat -c %d PATH PATH/..` (the `stat` found on PATH, over ssh for a remote
host) prints two different device numbers. A failing `stat` is this volume's
error.
*/
export async function checkMounted(context: ActionContext, runtime: Runtime, host: Host, volume: Volume): Promise<Outcome> {
	const argv = onHost(host, ['stat', '-c', '%d', volume.path, `${volume.path}/..`], volume);
	const result = await runForAction(context, runtime, argv, {timeout: isLocal(host) ? 0 : sshDeadline(volume)});
	const devices = result.stdout.trim().split('\n');
	if (result.exitCode !== 0 || devices.length !== 2 || !devices.every(device => /^\d+$/.test(device))) {
		const tail = outputTail(result);
		const why = result.exitCode === 0 ? `unexpected output from stat: '${result.stdout.trim()}'` : `${describeEnd(result)}${tail === '' ? '' : `\n${tail}`}`;
		return {state: 'failed', message: `${host.name}:${volume.name} cannot check mount point ${volume.path}: ${why}`};
	}

	if (devices[0] === devices[1]) {
		return {state: 'skipped', message: `${host.name}:${volume.name} is not mounted`};
	}

	return {state: 'succeeded', message: `${volume.path} is a mount point`};
}

/** `flag/H/V`: the volume's check file exists. */
export async function checkFlag(context: ActionContext, runtime: Runtime, host: Host, volume: Volume): Promise<Outcome> {
	const file = path.posix.resolve(volume.path, volume.checkFile ?? '');
	let present: boolean;
	if (isLocal(host)) {
		present = await stat(file).then(() => true, () => false);
	} else {
		const result = await runForAction(context, runtime, onHost(host, ['test', '-e', file], volume), {timeout: sshDeadline(volume)});
		if (result.exitCode !== 0 && result.exitCode !== 1) {
			return {state: 'failed', message: `${host.name}:${volume.name} cannot check ${file}: ${describeEnd(result)}`};
		}

		present = result.exitCode === 0;
	}

	return present
		? {state: 'succeeded', message: `${file} exists`}
		: {state: 'skipped', message: `${host.name}:${volume.name} check-file ${file} is missing`};
}
