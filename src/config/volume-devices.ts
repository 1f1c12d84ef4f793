import {globMatcher} from '../matching/picomatch.js';
import type {Config, Host, Volume} from './types.js';

/**
The devices a volume is backed up to: configured devices matching its
`devices` pattern. Each pattern is compiled once (`globMatcher`), and the
default `*` needs no picomatch at all.
*/
export function volumeDevices(config: Config, volume: Volume): string[] {
	const matches = globMatcher(volume.devicePattern);
	// Not `filter(matches)`: picomatch's matcher takes a second argument, and filter would pass the index.
	return config.devices.filter(device => matches(device));
}

/** The concurrency group of a volume: its `group`, else its host's name. */
export const volumeGroup = (host: Host, volume: Volume): string => volume.group ?? host.name;
