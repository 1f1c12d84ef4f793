/**
The HTML report: one self-contained page with inline CSS and an inline SVG
history graph, in rsbackup's structure (headings, warnings list, summary table
with rowspans and colspans, logs, pruning logs). Cells are coloured by the age
of the newest backup against `max-age`, from `color-good` to `color-bad`.
*/
import type {DeviceSummary, LogEntry, PruneLogEntry, ReportData, ReportSection, VolumeSummary} from './report-data.js';
import {historyGraph} from './history-graph.js';
import {cssColor, mixColors, textColorOn} from './colors.js';
import {escapeHtml} from './html-escape.js';
import {stylesheet} from './html-style.js';
import {localDate} from './report-format.js';
import {dateCell, describeWaitStatus, deviceCells, summaryColumns, timeCell, type SummaryColumns} from './summary-columns.js';

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
			return `<p>${escapeHtml(section.text)}</p>`;
		}

		case 'pre': {
			return `<pre>${escapeHtml(section.text)}</pre>`;
		}

		case 'generated': {
			return `<p class="generated">Generated ${escapeHtml(data.ctime)}</p>`;
		}

		case 'warnings': {
			return data.warnings.length === 0 ? '' : `<ul class="warnings">\n${data.warnings.map(warning => `<li>WARNING: ${escapeHtml(warning.text)}</li>`).join('\n')}\n</ul>`;
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
			return pruneLogTable(section.entries);
		}
	}
}

function summaryTable(data: ReportData): string {
	const columns = summaryColumns(data);
	const perDevice = columns.size ? 3 : 2;
	const deviceCount = data.devices.length;
	const timeHeader = columns.time ? ['<th rowspan="2">Time</th>'] : [];
	const rows = [
		row([
			...['Host', 'Volume', 'Oldest', 'Total'].map(name => `<th rowspan="3">${name}</th>`),
			...(deviceCount > 0 ? [`<th colspan="${perDevice * deviceCount}">Devices</th>`] : []),
			...timeHeader,
		]),
		row(data.devices.map(device => `<th colspan="${perDevice}"${availabilityTitle(data, device)}>${escapeHtml(device)}</th>`)),
		row([
			...data.devices.flatMap(() => ['<th>Newest</th>', '<th>Count</th>', ...(columns.size ? ['<th>Size</th>'] : [])]),
			...(columns.time ? ['<th>Med/Max</th>'] : []),
		]),
		...data.volumes.map((volume, index) => volumeRow(data, volume, index, columns)),
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

function volumeRow(data: ReportData, volume: VolumeSummary, index: number, columns: SummaryColumns): string {
	const cells: string[] = [];
	if (data.volumes[index - 1]?.host !== volume.host) {
		const span = data.volumes.filter(other => other.host === volume.host).length;
		cells.push(`<td class="host" rowspan="${span}">${escapeHtml(volume.host)}</td>`);
	}

	cells.push(
		`<td class="volume">${escapeHtml(volume.volume)}</td>`,
		`<td>${dateCell(volume.oldest)}</td>`,
		`<td class="${volume.state === 'ok' ? 'good' : 'bad'}">${volume.total}</td>`,
		...volume.devices.flatMap(device => deviceHtmlCells(data, volume, device, columns)),
		...(columns.time ? [`<td>${timeCell(volume)}</td>`] : []),
	);
	return row(cells);
}

function deviceHtmlCells(data: ReportData, volume: VolumeSummary, device: DeviceSummary, columns: SummaryColumns): string[] {
	const [newest = '', count = '', size] = deviceCells(device, columns);
	const failed = device.latest?.status === 'failed' ? `<span class="failed" title="${escapeHtml(`last attempt ${device.latest.id} failed`)}">failed</span>` : '';
	const neutral = device.expected ? 'bad' : 'unused';
	const cells = [
		device.newest === undefined ? `<td class="${neutral}">${newest}${failed}</td>` : `<td${ageStyle(data, volume, device.newest)}>${newest}${failed}</td>`,
		`<td class="${device.count > 0 ? 'good' : neutral}">${count}</td>`,
	];
	if (size !== undefined) {
		cells.push(`<td>${size}</td>`);
	}

	return cells;
}

/** Background from color-good (just made) to color-bad (max-age old or older). */
function ageStyle(data: ReportData, volume: VolumeSummary, newest: number): string {
	const fraction = volume.maxAge > 0 ? (data.now - newest) / volume.maxAge : 1;
	const background = mixColors(data.colors.good, data.colors.bad, fraction);
	return ` style="background-color: ${cssColor(background)}; color: ${cssColor(textColorOn(background))}"`;
}

function logBlock(entry: LogEntry): string {
	const how = [entry.status, describeWaitStatus(entry.rc)].filter(text => text !== '').join(', ');
	const heading = `<h3 class="log">${escapeHtml(`${entry.host}:${entry.volume}`)} on ${escapeHtml(entry.device)} at ${escapeHtml(entry.id)}: ${escapeHtml(how)}</h3>`;
	return `${heading}\n<pre class="log">${escapeHtml(entry.log)}</pre>`;
}

function pruneLogTable(entries: readonly PruneLogEntry[]): string {
	const header = row(['Created', 'Pruned', 'Host', 'Volume', 'Device', 'Reason'].map(name => `<th>${name}</th>`));
	const body = entries.map(entry => row([
		localDate(entry.created),
		localDate(entry.pruned),
		entry.host,
		entry.volume,
		entry.devices.join(','),
		entry.reason,
	].map(text => `<td>${escapeHtml(text)}</td>`)));
	return `<table class="prune-logs">\n${[header, ...body].join('\n')}\n</table>`;
}
