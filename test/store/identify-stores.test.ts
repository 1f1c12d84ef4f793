import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {parseConfigText} from '../../src/config/read-config.js';
import type {Config} from '../../src/config/types.js';
import {identifyStores, releaseDevices, type StoreCheck} from '../../src/store/identify-stores.js';
import {expandGlob} from '../../src/store/expand-store-patterns.js';

let root: string;
const checks: StoreCheck[] = [];

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'rsdeck-stores-'));
});

afterEach(() => {
	for (const check of checks.splice(0)) {
		releaseDevices(check);
	}

	fs.rmSync(root, {recursive: true, force: true});
});

/** A private store directory holding `device-id` (unless `device` is undefined). */
function makeStore(name: string, device: string | undefined, content = `${device}\n`): string {
	const store = path.join(root, name);
	fs.mkdirSync(store, {recursive: true, mode: 0o700});
	fs.chmodSync(store, 0o700);
	if (device !== undefined) {
		fs.writeFileSync(path.join(store, 'device-id'), content);
	}

	return store;
}

function config(lines: string[]): Config {
	return parseConfigText(`${['device dev1', 'device dev2', 'device dev3', ...lines].join('\n')}\n`, 'test.config');
}

function identify(configuration: Config, override?: Array<{path: string; mounted: boolean}>): StoreCheck {
	const check = identifyStores(configuration, override);
	checks.push(check);
	return check;
}

const found = (check: StoreCheck) => Object.fromEntries([...check.devices.values()].map(device => [device.name, device.store]));
const openFds = () => new Set(fs.readdirSync('/proc/self/fd'));

describe('identifyStores', () => {
	it('finds each device in its store and keeps device-id open', () => {
		const store1 = makeStore('s1', 'dev1');
		const store2 = makeStore('s2', 'dev2', 'dev2\nsecond line ignored\n');
		const check = identify(config([`store --no-mounted ${store1}`, `store --no-mounted ${store2}`]));
		expect(found(check)).toEqual({dev1: store1, dev2: store2});
		expect(check.problems).toEqual([]);
		expect(check.fatal).toBeUndefined();
		const device = check.devices.get('dev1')!;
		expect(fs.readlinkSync(`/proc/self/fd/${device.fd}`)).toBe(path.join(store1, 'device-id'));
	});

	it('closes the device-id files on release', () => {
		const before = openFds();
		const check = identifyStores(config([`store --no-mounted ${makeStore('s1', 'dev1')}`]), undefined);
		const {fd} = check.devices.get('dev1')!;
		expect(openFds().has(String(fd))).toBe(true);
		releaseDevices(check);
		expect(check.devices.size).toBe(0);
		expect(openFds()).toEqual(before);
	});

	it('reports a missing store as bad', () => {
		const missing = path.join(root, 'nowhere');
		const check = identify(config([`store --no-mounted ${missing}`]));
		expect(check.devices.size).toBe(0);
		expect(check.problems).toEqual([{level: 'error', store: missing, message: `store '${missing}' does not exist`}]);
	});

	it('reports a --mounted store that is not a mount point as unavailable', () => {
		const store = makeStore('s1', 'dev1');
		const check = identify(config([`store ${store}`]));
		expect(check.devices.size).toBe(0);
		expect(check.problems).toEqual([{level: 'warning', store, message: `store '${store}' is not mounted`}]);
	});

	it('accepts a --mounted store that is a mount point', () => {
		// /proc is a mount point on any Linux machine; it has no device-id, so it gets past the mount check only.
		const check = identify(config(['store /proc']));
		expect(check.problems).toEqual([{level: 'warning', store: '/proc', message: 'store \'/proc\' has no device-id file'}]);
	});

	it('reports a store without device-id as unavailable', () => {
		const store = makeStore('s1', undefined);
		const check = identify(config([`store --no-mounted ${store}`]));
		expect(check.problems).toEqual([{level: 'warning', store, message: `store '${store}' has no device-id file`}]);
	});

	it('reports an empty, unreadable or unknown device-id as bad', () => {
		const empty = makeStore('empty', 'dev1', '');
		const unknown = makeStore('unknown', 'spong');
		const directory = makeStore('directory', undefined);
		fs.mkdirSync(path.join(directory, 'device-id'));
		const before = openFds();
		const check = identify(config([`store --no-mounted ${empty}`, `store --no-mounted ${unknown}`, `store --no-mounted ${directory}`]));
		expect(check.devices.size).toBe(0);
		expect(check.problems).toEqual([
			{level: 'error', store: directory, message: `store '${directory}': cannot read ${directory}/device-id: illegal operation on a directory`},
			{level: 'error', store: empty, message: `store '${empty}' has a malformed device-id`},
			{level: 'error', store: unknown, message: `store '${unknown}' has unknown device-id 'spong'`},
		]);
		expect(openFds()).toEqual(before);
	});

	it('makes a duplicate device-id fatal, naming the first store', () => {
		const store1 = makeStore('a', 'dev1');
		const store2 = makeStore('b', 'dev1');
		const check = identify(config([`store --no-mounted ${store2}`, `store --no-mounted ${store1}`]));
		expect(check.fatal).toBe(`store '${store2}' has duplicate device-id 'dev1', also found on store '${store1}'`);
		expect(found(check)).toEqual({dev1: store1});
	});

	describe('permissions', () => {
		it('refuses a store with group or other permissions unless public', () => {
			const store = makeStore('s1', 'dev1');
			fs.chmodSync(store, 0o750);
			expect(identify(config([`store --no-mounted ${store}`])).problems).toEqual([{level: 'error', store, message: `store '${store}' is not private`}]);
			expect(found(identify(config(['public true', `store --no-mounted ${store}`])))).toEqual({dev1: store});
		});

		it('refuses a store not owned by root unless public', () => {
			const store = makeStore('s1', 'dev1');
			fs.chownSync(store, 1000, 0);
			expect(identify(config([`store --no-mounted ${store}`])).problems).toEqual([{level: 'error', store, message: `store '${store}' not owned by root`}]);
			expect(found(identify(config(['public true', `store --no-mounted ${store}`])))).toEqual({dev1: store});
		});

		it('does not hold device-id open for a refused store', () => {
			const store = makeStore('s1', 'dev1');
			fs.chmodSync(store, 0o755);
			const before = openFds();
			identify(config([`store --no-mounted ${store}`]));
			expect(openFds()).toEqual(before);
		});
	});

	it('expands store patterns, in order of path', () => {
		const store1 = makeStore('pool/b', 'dev2');
		const store2 = makeStore('pool/a', 'dev1');
		makeStore('pool/.hidden', 'dev3');
		const check = identify(config([`store-pattern --no-mounted ${root}/pool/*`]));
		expect(found(check)).toEqual({dev1: store2, dev2: store1});
		expect(check.problems).toEqual([]);
	});

	describe('--store and --unmounted-store', () => {
		it('use only the given stores, and name the devices they leave out', () => {
			const store1 = makeStore('s1', 'dev1');
			const store2 = makeStore('s2', 'dev2');
			const check = identify(config([`store --no-mounted ${store1}`, `store --no-mounted ${store2}`]), [{path: store2, mounted: false}]);
			expect(found(check)).toEqual({dev2: store2});
			expect(check.suppressed).toEqual(new Map([['dev1', store1]]));
			expect(check.problems).toEqual([{level: 'info', store: store1, message: `device 'dev1' on store '${store1}' suppressed due to --store`}]);
		});

		it('take the mount requirement from the option', () => {
			const store = makeStore('s1', 'dev1');
			const configuration = config([`store --no-mounted ${store}`]);
			expect(identify(configuration, [{path: store, mounted: true}]).problems).toEqual([{level: 'warning', store, message: `store '${store}' is not mounted`}]);
			expect(found(identify(configuration, [{path: store, mounted: false}]))).toEqual({dev1: store});
		});

		it('accept stores the configuration does not name', () => {
			const store = makeStore('elsewhere', 'dev3');
			expect(found(identify(config([]), [{path: store, mounted: false}]))).toEqual({dev3: store});
		});

		it('only warn about a duplicate on a left-out store', () => {
			const store1 = makeStore('s1', 'dev1');
			const store2 = makeStore('s2', 'dev1');
			const unavailable = makeStore('s3', undefined);
			const check = identify(config([`store --no-mounted ${store1}`, `store --no-mounted ${store2}`, `store --no-mounted ${unavailable}`]), [{path: store1, mounted: false}]);
			expect(check.fatal).toBeUndefined();
			expect(found(check)).toEqual({dev1: store1});
			expect(check.problems).toEqual([{level: 'warning', store: store2, message: `store '${store2}' has duplicate device-id 'dev1', also found on store '${store1}'`}]);
		});
	});
});

describe('expandGlob', () => {
	it('matches each segment, skipping dot files unless asked', () => {
		for (const name of ['x/one/store', 'x/two/store', 'x/.dot/store', 'y/one/store']) {
			fs.mkdirSync(path.join(root, name), {recursive: true});
		}

		expect(expandGlob(`${root}/*/one/store`)).toEqual([`${root}/x/one/store`, `${root}/y/one/store`]);
		expect(expandGlob(`${root}/x/*/store`)).toEqual([`${root}/x/one/store`, `${root}/x/two/store`]);
		expect(expandGlob(`${root}/x/.*/store`)).toEqual([`${root}/x/.dot/store`]);
		expect(expandGlob(`${root}/x/t?o`)).toEqual([`${root}/x/two`]);
		expect(expandGlob(`${root}/nothing/*`)).toEqual([]);
	});
});
