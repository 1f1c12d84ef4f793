/**
What goes in the summary table's cells, shared by the text and HTML reports:
which optional columns appear and how each value is written.
*/
import type {DeviceSummary, ReportData, VolumeSummary} from './report-data.js';
import {formatDuration, formatSize, localDate} from './report-format.js';

/** Which optional columns the summary has: Size when some log has `--stats`, Time when some backup has a finish time. */
export type SummaryColumns = {size: boolean; time: boolean};

export function summaryColumns(data: ReportData): SummaryColumns {
	return {
		size: data.volumes.some(volume => volume.devices.some(device => device.size !== undefined)),
		time: data.volumes.some(volume => volume.durationMax !== undefined),
	};
}

/** A date cell: the local date, or `none`. */
export const dateCell = (time: number | undefined): string => time === undefined ? 'none' : localDate(time);

/** A device's Newest, Count and (when shown) Size cells. */
export function deviceCells(device: DeviceSummary, columns: SummaryColumns): string[] {
	const cells = [dateCell(device.newest), String(device.count)];
	if (columns.size) {
		cells.push(device.size === undefined ? '' : formatSize(device.size));
	}

	return cells;
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
