import {expect, test} from 'vitest';
import {parseConfigText} from '../../src/config/read-config.js';
import {volumeDevices} from '../../src/config/volume-devices.js';

test('a volume\'s devices are those its pattern matches, in the configured order, even after the list changes', () => {
	const config = parseConfigText('device d1\ndevice e1\ndevice d2\nhost h\n  volume v /v\n    devices d*\n  volume u /u\n', 'x.config');
	const v = config.hosts.get('h')!.volumes.get('v')!;
	const u = config.hosts.get('h')!.volumes.get('u')!;
	expect(volumeDevices(config, v)).toEqual(['d1', 'd2']);
	expect(volumeDevices(config, u)).toEqual(['d1', 'e1', 'd2']);
	const mine = volumeDevices(config, v);
	mine.push('x');
	expect(volumeDevices(config, v)).toEqual(['d1', 'd2']);
	config.devices.push('d3');
	expect(volumeDevices(config, v)).toEqual(['d1', 'd2', 'd3']);
	config.devices = ['e1'];
	expect(volumeDevices(config, v)).toEqual([]);
	expect(volumeDevices(config, u)).toEqual(['e1']);
});
