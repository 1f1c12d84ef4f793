/**
`check-stores` (SPEC §4.1): which device is in which store.

For each enabled store, in order of path: `stat` fails → bad ("does not
exist"); a `--mounted` store on the same file system as its parent →
unavailable ("not mounted"); no `device-id` file → unavailable; a
`device-id` that cannot be read, is empty or names an unknown device → bad;
a device already found on another store → fatal; unless `public true`, a
store not owned by root or with group/other permission bits → bad.

Bad stores are errors, unavailable ones warnings (rsbackup shows them with
`--warn-store`). Stores suppressed by `--store` are identified too, so the
caller can say a device was "suppressed due to --store"; problems with them
are not reported, except a duplicate device, which is then only a warning.
*/
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/types.js';
import {expandStorePatterns, type StoreCandidate} from './expand-store-patterns.js';
import {systemErrorText} from '../process/system-error.js';

/** A device found in a store. */
export type Device = {
	/** The device's name, from the first line of `STORE/device-id`. */
	name: string;
	/** The store it is in. */
	store: string;
	/** `STORE/device-id`, kept open while the device is in use so the store cannot be unmounted under the run. */
	fd: number;
};

/** Something wrong or noteworthy about one store. */
export type StoreProblem = {
	/** `error`: a bad store; `warning`: an unavailable store; `info`: a device left out by `--store`. */
	level: 'error' | 'warning' | 'info';
	store: string;
	/** The operator message, rsbackup's wording where it has one. */
	message: string;
};

/** What `identifyStores` found. */
export type StoreCheck = {
	/** Device name → where it is, for the enabled stores. */
	devices: Map<string, Device>;
	problems: StoreProblem[];
	/** Device name → store, for devices on stores left out by `--store`/`--unmounted-store`. */
	suppressed: Map<string, string>;
	/** A duplicate device-id among the enabled stores: nothing may use the stores. "no backup devices found" is the caller's to decide. */
	fatal?: string;
};

/** Why a store cannot be used. */
type Verdict = {kind: 'bad' | 'unavailable' | 'duplicate'; message: string};

const quote = (store: string): string => `store '${store}'`;

function checkMounted(store: StoreCandidate, stats: fs.Stats): Verdict | undefined {
	if (!store.mounted) {
		return undefined;
	}

	// `STORE/..` as the kernel resolves it, not path.dirname: the store may be a symlink.
	const parent = fs.statSync(`${store.path}/..`, {throwIfNoEntry: false});
	return parent?.dev === stats.dev ? {kind: 'unavailable', message: `${quote(store.path)} is not mounted`} : undefined;
}

function checkPermissions(store: string, stats: fs.Stats): Verdict | undefined {
	if (stats.uid !== 0) {
		return {kind: 'bad', message: `${quote(store)} not owned by root`};
	}

	if ((stats.mode & 0o077) !== 0) {
		return {kind: 'bad', message: `${quote(store)} is not private`};
	}

	return undefined;
}

/** Open `STORE/device-id` and read its first line. */
function readDeviceId(store: string): {fd: number; name: string} | Verdict {
	const file = path.join(store, 'device-id');
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (error) {
		const {code, message} = error as NodeJS.ErrnoException;
		return code === 'ENOENT'
			? {kind: 'unavailable', message: `${quote(store)} has no device-id file`}
			: {kind: 'bad', message: `${quote(store)}: cannot open ${file}: ${message}`};
	}

	try {
		const buffer = Buffer.alloc(4096);
		const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
		if (length === 0) {
			fs.closeSync(fd);
			return {kind: 'bad', message: `${quote(store)} has a malformed device-id`};
		}

		return {fd, name: buffer.subarray(0, length).toString('utf8').split('\n', 1)[0]!};
	} catch (error) {
		fs.closeSync(fd);
		return {kind: 'bad', message: `${quote(store)}: cannot read ${file}: ${systemErrorText(error)}`};
	}
}

/** Identify the device in one store, or say why it cannot be used. `found` holds the devices found so far. */
function identifyStore(config: Config, store: StoreCandidate, found: ReadonlyMap<string, {store: string}>): Device | Verdict {
	let stats: fs.Stats;
	try {
		stats = fs.statSync(store.path);
	} catch {
		return {kind: 'bad', message: `${quote(store.path)} does not exist`};
	}

	const notMounted = checkMounted(store, stats);
	if (notMounted) {
		return notMounted;
	}

	const deviceId = readDeviceId(store.path);
	if ('kind' in deviceId) {
		return deviceId;
	}

	const {fd, name} = deviceId;
	const verdict = checkDevice(config, store.path, name, found) ?? (config.public ? undefined : checkPermissions(store.path, stats));
	if (verdict) {
		fs.closeSync(fd);
		return verdict;
	}

	return {name, store: store.path, fd};
}

function checkDevice(config: Config, store: string, name: string, found: ReadonlyMap<string, {store: string}>): Verdict | undefined {
	if (!config.devices.includes(name)) {
		return {kind: 'bad', message: `${quote(store)} has unknown device-id '${name}'`};
	}

	const other = found.get(name);
	return other ? {kind: 'duplicate', message: `${quote(store)} has duplicate device-id '${name}', also found on store '${other.store}'`} : undefined;
}

/**
Identify the devices in the configured stores (store patterns expanded), or
only in `override` (`--store`, `--unmounted-store`) when it is given: then
those are the enabled stores, with the mount requirement the option gave,
and the configured stores are checked only to name suppressed devices.
*/
export function identifyStores(config: Config, override?: Array<{path: string; mounted: boolean}>): StoreCheck {
	const configured = expandStorePatterns(config.stores);
	const enabled = override ? expandStorePatterns(override.map(store => ({...store, pattern: false}))) : configured;
	const check: StoreCheck = {devices: new Map(), problems: [], suppressed: new Map()};
	for (const store of enabled) {
		const result = identifyStore(config, store, check.devices);
		if ('fd' in result) {
			check.devices.set(result.name, result);
		} else if (result.kind === 'duplicate') {
			check.fatal ??= result.message;
		} else {
			check.problems.push({level: result.kind === 'bad' ? 'error' : 'warning', store: store.path, message: result.message});
		}
	}

	const enabledPaths = new Set(enabled.map(store => store.path));
	for (const store of configured.filter(store => !enabledPaths.has(store.path))) {
		identifySuppressed(config, store, check);
	}

	return check;
}

function identifySuppressed(config: Config, store: StoreCandidate, check: StoreCheck): void {
	const seen = new Map([...check.devices.values(), ...[...check.suppressed].map(([name, store]) => ({name, store}))].map(device => [device.name, device]));
	const result = identifyStore(config, store, seen);
	if ('fd' in result) {
		fs.closeSync(result.fd);
		check.suppressed.set(result.name, store.path);
		check.problems.push({level: 'info', store: store.path, message: `device '${result.name}' on ${quote(store.path)} suppressed due to --store`});
	} else if (result.kind === 'duplicate') {
		check.problems.push({level: 'warning', store: store.path, message: result.message});
	}
}

/** Close the `device-id` files, letting the stores be unmounted. */
export function releaseDevices(check: StoreCheck): void {
	for (const device of check.devices.values()) {
		fs.closeSync(device.fd);
	}

	check.devices.clear();
}
