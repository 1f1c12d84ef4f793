import {picomatchModule} from '../matching/picomatch.js';
import type {Config, Host, Volume} from './types.js';

/** Compiled `devices` patterns: a configuration has few, and compiling one costs more than planning its volume. */
const devicePatterns = new Map<string, (device: string) => boolean>();

/** Per list of devices, as it was, the devices each pattern matches: 10,000 volumes share a handful of patterns. */
const matchedDevices = new WeakMap<readonly string[], {seen: string[]; byPattern: Map<string, readonly string[]>}>();

/** The devices a volume is backed up to: configured devices matching its `devices` pattern. */
export function volumeDevices(config: Config, volume: Volume): string[] {
	let known = matchedDevices.get(config.devices);
	// `device` adds to the list in place: what was matched against another list is forgotten.
	if (known === undefined || !sameList(known.seen, config.devices)) {
		known = {seen: [...config.devices], byPattern: new Map()};
		matchedDevices.set(config.devices, known);
	}

	let devices = known.byPattern.get(volume.devicePattern);
	if (devices === undefined) {
		devices = matching(config.devices, volume.devicePattern);
		known.byPattern.set(volume.devicePattern, devices);
	}

	// A copy: the caller may change it.
	return [...devices];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((item, index) => item === b[index]);
}

function matching(devices: readonly string[], pattern: string): string[] {
	let matches = devicePatterns.get(pattern);
	if (matches === undefined) {
		matches = picomatchModule()(pattern);
		devicePatterns.set(pattern, matches);
	}

	return devices.filter(device => matches(device));
}

/** The concurrency group of a volume: its `group`, else its host's name. */
export const volumeGroup = (host: Host, volume: Volume): string => volume.group ?? host.name;
