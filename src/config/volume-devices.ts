import picomatch from 'picomatch';
import type {Config, Host, Volume} from './types.js';

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
