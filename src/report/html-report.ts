/**
The HTML report: one self-contained page with inline CSS and an inline SVG
history graph, in rsbackup's structure (headings, warnings list, summary table
with rowspans and colspans, logs, pruning logs). Cells are coloured by the age
of the newest backup against `max-age`, from `color-good` to `color-bad`.
The visible text (headings, paragraphs, list entries, table cells, logs) is
the text report's, in the same order; only markup and style are HTML's own.
*/
import type {DeviceSummary, LogEntry, PruneLogRow, ReportData, ReportSection, VolumeSummary} from './report-data.js';
import {historyGraph} from './history-graph.js';
import {colorMixer, cssColor, textColorOn} from './colors.js';
import {escapeHtml} from './html-escape.js';
import {stylesheet} from './html-style.js';
import {dateCell, describeWaitStatus, deviceCells, timeCell} from './summary-columns.js';
import {collapseWhitespace} from './word-wrap.js';

/** Render the report as a self-contained HTML document. */
export function htmlReport(data: ReportData): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		`<title>${escapeHtml(data.title)}</title>`,
		'<style>',
		stylesheet(data.stylesheet, data.colors).trimEnd(),
		'</style>',
		'</head>',
		'<body>',
		...data.sections.map(section => renderSection(section, data)).filter(html => html !== ''),
		'</body>',
		'</html>',
		'',
	].join('\n');
}

function renderSection(section: ReportSection, data: ReportData): string {
	switch (section.kind) {
		case 'title': {
			return '';
		}

		case 'h1':
		case 'h2':
		case 'h3': {
			return `<${section.kind}>${escapeHtml(section.text)}</${section.kind}>`;
		}

		case 'p': {
			return `<p>${escapeHtml(collapseWhitespace(section.text))}</p>`;
		}

		case 'pre': {
			return `<pre>${escapeHtml(section.text)}</pre>`;
		}

		case 'generated': {
			return `<p class="generated">${escapeHtml(collapseWhitespace(`Generated ${data.ctime}`))}</p>`;
		}

		case 'warnings': {
			return data.warnings.length === 0 ? '' : `<ul class="warnings">\n${data.warnings.map(warning => `<li>${escapeHtml(collapseWhitespace(warning.text))}</li>`).join('\n')}\n</ul>`;
		}

		case 'summary': {
			return summaryTable(data);
		}

		case 'history-graph': {
			return historyGraph(data).trimEnd();
		}

		case 'logs': {
			return data.logs.map(entry => logBlock(entry)).join('\n');
		}

		case 'prune-logs': {
			return pruneLogTable(section.table);
		}
	}
}

function summaryTable(data: ReportData): string {
	const deviceCount = data.devices.length;
	const rows = [
		row([
			...['Host', 'Volume', 'Oldest', 'Total'].map(name => `<th rowspan="3">${name}</th>`),
			...(deviceCount > 0 ? [`<th colspan="${3 * deviceCount}">Devices</th>`] : []),
			'<th rowspan="2">Time</th>',
		]),
		row(data.devices.map(device => `<th colspan="3"${availabilityTitle(data, device)}>${escapeHtml(device)}</th>`)),
		row([...data.devices.flatMap(() => ['<th>Newest</th>', '<th>Count</th>', '<th>Size</th>']), '<th>Med/Max</th>']),
		...volumeRows(data),
	];
	return `<table class="summary">\n${rows.join('\n')}\n</table>`;
}

const row = (cells: readonly string[]): string => `<tr>${cells.join('')}</tr>`;

function availabilityTitle(data: ReportData, device: string): string {
	if (data.availableDevices === undefined) {
		return '';
	}

	return data.availableDevices.includes(device) ? ' title="available in this run"' : ' class="unused" title="not available in this run"';
}

/** The body rows; a host's cell spans as many rows as the host has volumes (counted once, not per row). */
function volumeRows(data: ReportData): string[] {
	const spans = new Map<string, number>();
	for (const volume of data.volumes) {
		spans.set(volume.host, (spans.get(volume.host) ?? 0) + 1);
	}

	const shading = ageShading(data);
	return data.volumes.map((volume, index) => volumeRow(data, volume, index, spans, shading));
}

type Shading = (volume: VolumeSummary, newest: number) => string;

function volumeRow(data: ReportData, volume: VolumeSummary, index: number, spans: ReadonlyMap<string, number>, shading: Shading): string {
	const cells: string[] = [];
	if (data.volumes[index - 1]?.host !== volume.host) {
		cells.push(`<td class="host" rowspan="${spans.get(volume.host) ?? 0}">${escapeHtml(volume.host)}</td>`);
	}

	cells.push(
		`<td class="volume">${escapeHtml(volume.volume)}</td>`,
		`<td>${dateCell(volume.oldest)}</td>`,
		`<td class="${volume.state === 'ok' ? 'good' : 'bad'}">${volume.total}</td>`,
		...volume.devices.flatMap(device => deviceHtmlCells(volume, device, shading)),
		`<td>${timeCell(volume)}</td>`,
	);
	return row(cells);
}

/** A device's cells; a failed last attempt marks the Newest cell (class and title) and leaves its text the text report's. */
function deviceHtmlCells(volume: VolumeSummary, device: DeviceSummary, shading: Shading): string[] {
	const [newest, count, size] = deviceCells(device);
	const neutral = device.expected ? 'bad' : 'unused';
	const failed = device.latest?.status === 'failed' ? device.latest : undefined;
	const classes = [...(device.newest === undefined ? [neutral] : []), ...(failed === undefined ? [] : ['failed'])];
	const attributes = (classes.length === 0 ? '' : ` class="${classes.join(' ')}"`)
		+ (failed === undefined ? '' : ` title="${escapeHtml(`last attempt ${failed.id} failed`)}"`)
		+ (device.newest === undefined ? '' : shading(volume, device.newest));
	return [
		`<td${attributes}>${newest}</td>`,
		`<td class="${device.count > 0 ? 'good' : neutral}">${count}</td>`,
		`<td>${size}</td>`,
	];
}

/** Background from color-good (just made) to color-bad (max-age old or older); the style of each background made once. */
function ageShading(data: ReportData): Shading {
	const mix = colorMixer(data.colors.good, data.colors.bad);
	const styles = new Map<number, string>();
	return (volume, newest) => {
		const background = mix(volume.maxAge > 0 ? (data.now - newest) / volume.maxAge : 1);
		let style = styles.get(background);
		if (style === undefined) {
			style = ` style="background-color: ${cssColor(background)}; color: ${cssColor(textColorOn(background))}"`;
			styles.set(background, style);
		}

		return style;
	};
}

function logBlock(entry: LogEntry): string {
	const how = [entry.status, describeWaitStatus(entry.rc)].filter(text => text !== '').join(', ');
	const heading = `<h3 class="log">${escapeHtml(`${entry.host}:${entry.volume}`)} on ${escapeHtml(entry.device)} at ${escapeHtml(entry.id)}: ${escapeHtml(how)}</h3>`;
	return `${heading}\n<pre class="log">${escapeHtml(entry.log)}</pre>`;
}

function pruneLogTable(rows: readonly PruneLogRow[]): string {
	const header = row(['Created', 'Pruned', 'Host', 'Volume', 'Device', 'Reason'].map(name => `<th>${name}</th>`));
	const body = rows.map(cells => row(cells.map(text => `<td>${escapeHtml(text)}</td>`)));
	return `<table class="prune-logs">\n${[header, ...body].join('\n')}\n</table>`;
}
