import type {Config} from '../config/types.js';
import {volumeDevices} from '../config/volume-devices.js';
import {groupRows} from '../db/group-rows.js';
import type {BackupRecord} from '../db/types.js';
import {summarizeVolume} from './report-data.js';

/** One volume's line on the status screen (the console's `StatusRow`): per device it is backed up to, its newest complete backup and whether its latest attempt failed. */
export type VolumeStatus = {
	host: string;
	volume: string;
	devices: Array<{device: string; newest?: number; count: number; latestFailed: boolean}>;
	/** `max-age`, seconds. */
	maxAge: number;
};

/**
The status screen's rows: every configured volume, in configuration order,
with per device it is backed up to its newest complete backup and whether its
latest attempt failed, as the report's summary decides them (newest by time,
then id). Records without their logs: the screen reads them every ten seconds.
*/
export function statusRows(config: Config, records: readonly BackupRecord[]): VolumeStatus[] {
	const devices = [...config.devices].sort();
	const byVolume = groupRows(records, row => `${row.host}\u0000${row.volume}`);
	const result: VolumeStatus[] = [];
	for (const host of config.hosts.values()) {
		for (const volume of host.volumes.values()) {
			const rows = (byVolume.get(`${host.name}\u0000${volume.name}`) ?? []).map(row => ({...row, log: ''}));
			const summary = new Map(summarizeVolume(host.name, volume, devices, rows, 0).devices.map(device => [device.device, device]));
			result.push({
				host: host.name,
				volume: volume.name,
				devices: volumeDevices(config, volume).map(device => {
					const {count = 0, newest, latest} = summary.get(device) ?? {};
					return {device, ...(newest === undefined ? {} : {newest}), count, latestFailed: latest?.status === 'failed'};
				}),
				maxAge: volume.maxAge,
			});
		}
	}

	return result;
}
