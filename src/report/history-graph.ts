/**
The history graph as inline SVG (rsbackup draws a PNG with rsbackup-graph):
one row per volume, grouped by host, one column per day from the oldest
backup to the report date, and one mark per complete backup per device, each
device in its own lane and colour, with month guides and a device legend.
*/
import type {ReportData, VolumeSummary} from './report-data.js';
import {escapeHtml} from './html-escape.js';
import {localDate} from './report-format.js';

/** Colours for devices, in order (Okabe–Ito, distinguishable with colour-blindness). */
const palette = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#7f7f7f', '#f0e442'];
const secondsPerDay = 86_400;
const minimumDays = 14;
const targetWidth = 760;
const charWidth = 6.6; // 11px monospace
const laneHeight = 5;
const pad = 8;

/** The colour the graph gives to the device at `index` of the report's devices. */
export const deviceColor = (index: number): string => palette[index % palette.length] ?? '#000000';

/** Render the history graph as an `<svg>` element. */
export function historyGraph(data: ReportData): string {
	const dates = localDates();
	const geometry = layout(data, dates);
	const {width, height} = geometry;
	const parts = [
		`<svg class="history" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Backup history" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">`,
		`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
		...monthGuides(geometry),
		...rows(data, geometry, dates),
		...legend(data, geometry),
		'</svg>',
	];
	return `${parts.join('\n')}\n`;
}

type Geometry = {
	firstDay: number;
	days: number;
	dayWidth: number;
	hostX: number;
	volumeX: number;
	contentX: number;
	contentY: number;
	rowHeight: number;
	contentHeight: number;
	width: number;
	height: number;
};

/** Whole pixels for `characters` characters of label text. */
const textWidth = (characters: number): number => Math.ceil(characters * charWidth);

/** The local date of a time, and its day number (days since 1970-01-01 of that date), each worked out once per time. */
type LocalDates = {date: (unixSeconds: number) => string; day: (unixSeconds: number) => number};

function localDates(): LocalDates {
	const known = new Map<number, {date: string; day: number}>();
	const of = (unixSeconds: number) => {
		let entry = known.get(unixSeconds);
		if (entry === undefined) {
			const date = localDate(unixSeconds);
			entry = {date, day: Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000 / secondsPerDay)};
			known.set(unixSeconds, entry);
		}

		return entry;
	};

	return {date: unixSeconds => of(unixSeconds).date, day: unixSeconds => of(unixSeconds).day};
}

function layout(data: ReportData, dates: LocalDates): Geometry {
	const today = dates.day(data.now);
	let earliest = today;
	for (const volume of data.volumes) {
		for (const backup of volume.backups) {
			earliest = Math.min(earliest, dates.day(backup.time));
		}
	}

	const days = Math.max(minimumDays, today - earliest + 1);
	const dayWidth = Math.max(1, Math.min(16, Math.floor(targetWidth / days)));
	const hostWidth = textWidth(Math.max(4, ...data.volumes.map(volume => volume.host.length)));
	const volumeWidth = textWidth(Math.max(6, ...data.volumes.map(volume => volume.volume.length)));
	const rowHeight = Math.max(16, (Math.max(1, data.devices.length) * laneHeight) + 4);
	const contentX = pad + hostWidth + pad + volumeWidth + pad;
	const contentY = pad;
	const contentHeight = Math.max(1, data.volumes.length) * rowHeight;
	const legendWidth = data.devices.reduce((sum, device) => sum + 24 + textWidth(device.length), 0);
	return {
		firstDay: today - days + 1,
		days,
		dayWidth,
		hostX: pad,
		volumeX: pad + hostWidth + pad,
		contentX,
		contentY,
		rowHeight,
		contentHeight,
		width: Math.ceil(Math.max(contentX + (days * dayWidth), contentX + legendWidth) + pad),
		height: contentY + contentHeight + 20 + 22 + pad,
	};
}

function monthGuides(g: Geometry): string[] {
	const parts: string[] = [];
	const axisY = g.contentY + g.contentHeight;
	let lastLabelX = -Infinity;
	for (let index = 0; index < g.days; index++) {
		const date = new Date((g.firstDay + index) * secondsPerDay * 1000);
		if (date.getUTCDate() !== 1 && index !== 0) {
			continue;
		}

		const x = g.contentX + (index * g.dayWidth);
		parts.push(`<line x1="${x}" y1="${g.contentY}" x2="${x}" y2="${axisY + 4}" stroke="#c8c8c8"/>`);
		if (x - lastLabelX >= 60) {
			const label = date.toISOString().slice(0, 7);
			parts.push(`<text x="${x}" y="${axisY + 16}" fill="#404040">${label}</text>`);
			lastLabelX = x;
		}
	}

	parts.push(`<line x1="${g.contentX}" y1="${axisY}" x2="${g.contentX + (g.days * g.dayWidth)}" y2="${axisY}" stroke="#808080"/>`);
	return parts;
}

function rows(data: ReportData, g: Geometry, dates: LocalDates): string[] {
	const parts: string[] = [];
	for (const [index, volume] of data.volumes.entries()) {
		const top = g.contentY + (index * g.rowHeight);
		const firstOfHost = data.volumes[index - 1]?.host !== volume.host;
		const right = g.contentX + (g.days * g.dayWidth);
		if (firstOfHost) {
			parts.push(
				`<line x1="${g.hostX}" y1="${top}" x2="${right}" y2="${top}" stroke="#808080"/>`,
				`<text x="${g.hostX}" y="${top + 12}" font-weight="bold" fill="#202020">${escapeHtml(volume.host)}</text>`,
			);
		} else {
			parts.push(`<line x1="${g.volumeX}" y1="${top}" x2="${right}" y2="${top}" stroke="#e4e4e4"/>`);
		}

		parts.push(`<text x="${g.volumeX}" y="${top + 12}" fill="#202020">${escapeHtml(volume.volume)}</text>`, ...marks(data, volume, top, g, dates));
	}

	return parts;
}

function marks(data: ReportData, volume: VolumeSummary, top: number, g: Geometry, dates: LocalDates): string[] {
	// The tip escaped in parts (escaping is per character): the volume's name once, not once per backup.
	const name = escapeHtml(`${volume.host}:${volume.volume}`);
	const parts: string[] = [];
	for (const backup of volume.backups) {
		const lane = data.devices.indexOf(backup.device);
		const day = dates.day(backup.time) - g.firstDay;
		if (lane < 0 || day < 0) {
			continue;
		}

		const x = g.contentX + (day * g.dayWidth);
		const y = top + 2 + (lane * laneHeight);
		parts.push(`<rect x="${x}" y="${y}" width="${Math.max(1, g.dayWidth - 1)}" height="${laneHeight - 1}" fill="${deviceColor(lane)}"><title>${name} on ${escapeHtml(backup.device)}, ${dates.date(backup.time)}</title></rect>`);
	}

	return parts;
}

function legend(data: ReportData, g: Geometry): string[] {
	const y = g.contentY + g.contentHeight + 34;
	let x = g.contentX;
	return data.devices.flatMap((device, index) => {
		const item = [
			`<rect x="${x}" y="${y - 9}" width="12" height="10" fill="${deviceColor(index)}"/>`,
			`<text x="${x + 16}" y="${y}" fill="#202020">${escapeHtml(device)}</text>`,
		];
		x += 24 + textWidth(device.length);
		return item;
	});
}
