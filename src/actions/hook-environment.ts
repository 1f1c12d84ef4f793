import type {Config, Host, Volume} from '../config/types.js';
import {volumeGroup} from '../config/volume-devices.js';
import {sshTarget} from './remote.js';

/** `RSBACKUP_*` variables of a volume hook (SPEC §4.5); rsync gets the same set without `RSBACKUP_HOOK`. */
export function volumeEnvironment(host: Host, volume: Volume, act: boolean, hook?: 'pre-volume-hook' | 'post-volume-hook'): Record<string, string> {
	return {
		...(hook === undefined ? {} : {RSBACKUP_HOOK: hook}),
		RSBACKUP_ACT: act ? 'true' : 'false',
		RSBACKUP_HOST: host.name,
		RSBACKUP_GROUP: volumeGroup(host, volume),
		RSBACKUP_SSH_HOSTNAME: host.hostname,
		RSBACKUP_SSH_USERNAME: host.user ?? '',
		RSBACKUP_SSH_TARGET: sshTarget(host),
		RSBACKUP_VOLUME: volume.name,
		RSBACKUP_VOLUME_PATH: volume.path,
	};
}

/** `RSBACKUP_*` variables of a device hook. */
export function deviceEnvironment(config: Config, act: boolean, hook: 'pre-device-hook' | 'post-device-hook'): Record<string, string> {
	return {
		RSBACKUP_HOOK: hook,
		RSBACKUP_ACT: act ? 'true' : 'false',
		RSBACKUP_DEVICES: [...config.devices].sort().join(' '),
	};
}
