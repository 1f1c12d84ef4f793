import {describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {statusRows} from '../../src/report/status-rows.js';
import {at, makeConfig, row} from './fixtures.js';

describe('statusRows', () => {
	test('every configured volume in configuration order, only its devices, with the newest complete backup and the count', () => {
		const config = makeConfig(['d2', 'd1'], {h2: ['v'], h1: [{name: 'usb', devicePattern: 'd2'}]});
		const rows = statusRows(config, [
			row('h2', 'v', 'd1', '1980-01-02T00:00:00'),
			row('h2', 'v', 'd1', '1980-01-01T00:00:00'),
			row('h1', 'usb', 'd2', '1980-01-01T00:00:00', {status: BackupStatus.pruned}),
		]);
		expect(rows.map(({host, volume, devices}) => ({host, volume, devices}))).toEqual([
			{host: 'h2', volume: 'v', devices: [{device: 'd2', count: 0, latestFailed: false}, {device: 'd1', newest: at('1980-01-02T00:00:00'), count: 2, latestFailed: false}]},
			{host: 'h1', volume: 'usb', devices: [{device: 'd2', count: 0, latestFailed: false}]},
		]);
	});

	test('the latest attempt is the newest by time, then id, as in the report: not the last row read', () => {
		const config = makeConfig(['d1'], {h: ['v']});
		const [line] = statusRows(config, [
			row('h', 'v', 'd1', '1980-01-02T00:00:00'),
			row('h', 'v', 'd1', '1980-01-01T00:00:00', {status: BackupStatus.failed}),
		]);
		expect(line!.devices[0]!.latestFailed).toBe(false);
	});
});
