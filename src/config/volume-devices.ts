import picomatch from 'picomatch';
import type {Config, Host, Volume} from './types.js';

/** The devices a volume is backed up to: configured devices matching its `devices` pattern. */
export function volumeDevices(config: Config, volume: Volume): string[] {
	const matches = picomatch(volume.devicePattern);
	return config.devices.filter(device => matches(device));
}

/** The concurrency group of a volume: its `group`, else its host's name. */
export const volumeGroup = (host: Host, volume: Volume): string => volume.group ?? host.name;
