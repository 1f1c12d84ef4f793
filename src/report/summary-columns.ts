/**
What goes in the summary table's cells, shared by the text and HTML reports.
Size and Time are always there, as in rsbackup, even before any backup.
*/
import type {DeviceSummary, VolumeSummary} from './report-data.js';
import {formatDuration, formatSize, localDate} from './report-format.js';

/** A date cell: the local date, or `none`. */
export const dateCell = (time: number | undefined): string => time === undefined ? 'none' : localDate(time);

/** A device's Newest, Count and Size cells. */
export function deviceCells(device: DeviceSummary): [newest: string, count: string, size: string] {
	return [dateCell(device.newest), String(device.count), device.size === undefined ? '' : formatSize(device.size)];
}

/** The Time cell: `median/max`, or empty. */
export function timeCell(volume: VolumeSummary): string {
	return volume.durationMedian === undefined || volume.durationMax === undefined ? '' : `${formatDuration(volume.durationMedian)}/${formatDuration(volume.durationMax)}`;
}

/** What a log's wait status means: `rsync exit status 23`, `killed by signal 9`, `rsync never ran`; empty for 0. */
export function describeWaitStatus(rc: number): string {
	if (rc === -1) {
		return 'rsync never ran';
	}

	if (rc >= 256) {
		return `exit status ${Math.floor(rc / 256)}`;
	}

	return rc === 0 ? '' : `killed by signal ${rc & 0x7F}`;
}
