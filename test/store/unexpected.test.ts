import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {parseConfigText} from '../../src/config/read-config.js';
import type {Config} from '../../src/config/types.js';
import {BackupStatus, type BackupRow, type BackupStatusCode} from '../../src/db/types.js';
import {identifyStores, releaseDevices, type StoreCheck} from '../../src/store/identify-stores.js';
import {findUnexpected, latestBackup} from '../../src/store/unexpected.js';

let root: string;
let store1: string;
let store2: string;
let config: Config;
let check: StoreCheck;

function makeStore(name: string, device: string): string {
	const store = path.join(root, name);
	fs.mkdirSync(store, {mode: 0o700});
	fs.writeFileSync(path.join(store, 'device-id'), `${device}\n`);
	return store;
}

function make(...paths: string[]): void {
	for (const each of paths) {
		fs.mkdirSync(each, {recursive: true});
	}
}

function row(device: string, id: string, status: BackupStatusCode, fields: Partial<BackupRow> = {}): BackupRow {
	return {host: 'h1', volume: 'v1', device, id, time: Date.parse(`${id}Z`) / 1000, pruned: 0, rc: 0, status, log: '', finishTime: 0, ...fields};
}

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'rsdeck-unexpected-'));
	store1 = makeStore('store1', 'dev1');
	store2 = makeStore('store2', 'dev2');
	config = parseConfigText([
		'device dev1', 'device dev2', 'device dev3',
		`store --no-mounted ${store1}`, `store --no-mounted ${store2}`,
		'host h1', '  volume v1 /v1', '  volume v2 /v2',
		'host h2', '  volume v1 /v1', '',
	].join('\n'), 'test.config');
	check = identifyStores(config);
	expect([...check.devices.keys()].sort()).toEqual(['dev1', 'dev2']);
});

afterEach(() => {
	releaseDevices(check);
	fs.rmSync(root, {recursive: true, force: true});
});

describe('findUnexpected', () => {
	it('finds nothing in empty stores', () => {
		expect(findUnexpected(config, check.devices, [])).toEqual([]);
	});

	it('accepts everything the configuration and database explain', () => {
		make(
			`${store1}/lost+found`,
			`${store1}/h1/v1/1980-01-01T00:00:00`,
			`${store1}/h1/v1/1980-01-02T00:00:00`, `${store1}/h1/v1/1980-01-02T00:00:00.incomplete`,
			`${store1}/h1/v1/1980-01-03T00:00:00`, `${store1}/h1/v1/1980-01-03T00:00:00.incomplete`,
			`${store1}/h1/v2`, `${store1}/h2/v1`,
		);
		fs.writeFileSync(`${store1}/h1/v1.nolink`, '');
		const rows = [
			row('dev1', '1980-01-01T00:00:00', BackupStatus.complete),
			row('dev1', '1980-01-02T00:00:00', BackupStatus.failed),
			row('dev1', '1980-01-03T00:00:00', BackupStatus.pruning),
		];
		expect(findUnexpected(config, check.devices, rows)).toEqual([]);
	});

	it('lists what nothing explains, at its highest level, sorted, device by device', () => {
		make(
			`${store2}/h1/v1/1980-01-01T00:00:00`,
			`${store1}/unknown-host/v1/1980-01-01T00:00:00`,
			`${store1}/h1/unknown-volume`,
			`${store1}/h1/v1/1980-01-01T00:00:00`, `${store1}/h1/v1/1980-01-01T00:00:00.incomplete`,
			`${store1}/h1/v1/1980-01-02T00:00:00`,
			`${store1}/h2/v1/1980-01-04T00:00:00`,
			`${store1}/h2/v1/not-a-backup`,
		);
		fs.writeFileSync(`${store1}/stray-file`, '');
		fs.writeFileSync(`${store1}/h1/v2.nolink`, '');
		fs.writeFileSync(`${store1}/h1/v3.nolink`, '');
		const rows = [
			// Complete: its .incomplete is a leftover.
			row('dev1', '1980-01-01T00:00:00', BackupStatus.complete),
			// Pruned: the directory should be gone.
			row('dev1', '1980-01-02T00:00:00', BackupStatus.pruned),
			// Its directory is missing: not this check's business.
			row('dev1', '1980-01-03T00:00:00', BackupStatus.complete),
			// Another volume's backup explains nothing in h2/v1.
			row('dev1', '1980-01-04T00:00:00', BackupStatus.complete),
		];
		// store2's copy of h1/v1/1980-01-01 is unexpected: the database knows it on dev1 only.
		expect(findUnexpected(config, check.devices, rows)).toEqual([
			`${store1}/stray-file`,
			`${store1}/unknown-host`,
			`${store1}/h1/unknown-volume`,
			`${store1}/h1/v3.nolink`,
			`${store1}/h1/v1/1980-01-01T00:00:00.incomplete`,
			`${store1}/h1/v1/1980-01-02T00:00:00`,
			`${store1}/h2/v1/1980-01-04T00:00:00`,
			`${store1}/h2/v1/not-a-backup`,
			`${store2}/h1/v1/1980-01-01T00:00:00`,
		]);
	});

	it('looks only at available devices', () => {
		make(`${store2}/stray`);
		const [only] = [...check.devices.values()].filter(device => device.name === 'dev1');
		expect(findUnexpected(config, new Map([['dev1', only!]]), [])).toEqual([]);
		expect(findUnexpected(config, check.devices, [])).toEqual([`${store2}/stray`]);
	});
});

describe('latestBackup', () => {
	const rows = [
		row('dev1', '1980-01-01T00:00:00', BackupStatus.complete),
		row('dev1', '1980-01-05T00:00:00', BackupStatus.failed),
		row('dev2', '1980-01-03T00:00:00', BackupStatus.complete),
		row('dev3', '1980-01-04T00:00:00', BackupStatus.complete),
		row('dev1', '1980-01-06T00:00:00', BackupStatus.complete, {volume: 'v2'}),
		row('dev1', '1980-01-07T00:00:00', BackupStatus.complete, {host: 'h2'}),
		row('dev2', '1980-01-02T00:00:00', BackupStatus.pruned),
	];

	it('gives the newest complete backup of the volume on an available device', () => {
		// dev3's newer backup is not available, the failed one is not complete.
		expect(latestBackup(rows, check.devices, 'h1', 'v1')).toBe(`${store2}/h1/v1/1980-01-03T00:00:00`);
		expect(latestBackup(rows, check.devices, 'h1', 'v2')).toBe(`${store1}/h1/v2/1980-01-06T00:00:00`);
		expect(latestBackup(rows, check.devices, 'h2', 'v1')).toBe(`${store1}/h2/v1/1980-01-07T00:00:00`);
	});

	it('gives undefined when there is none', () => {
		expect(latestBackup(rows, new Map(), 'h1', 'v1')).toBeUndefined();
		expect(latestBackup(rows, check.devices, 'h3', 'v1')).toBeUndefined();
		expect(latestBackup([row('dev1', '1980-01-01T00:00:00', BackupStatus.underway)], check.devices, 'h1', 'v1')).toBeUndefined();
	});
});
