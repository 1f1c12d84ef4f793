/**
The plain-text report, in rsbackup's layout: `==== h1 ====` headings,
` * WARNING: …` lines, `|`-tables, every block followed by a blank line.
*/
import {printableId} from '../store/layout.js';
import type {LogEntry, PruneLogEntry, ReportData, ReportSection} from './report-data.js';
import {localDate} from './report-format.js';
import {dateCell, describeWaitStatus, deviceCells, summaryColumns, timeCell} from './summary-columns.js';
import {renderTextTable, type HeaderCell} from './text-table.js';

/** Render the report as plain text. */
export function textReport(data: ReportData): string {
	return data.sections.map(section => renderSection(section, data)).join('');
}

const headingMarks = {h1: '====', h2: '===', h3: '=='} as const;

function renderSection(section: ReportSection, data: ReportData): string {
	switch (section.kind) {
		case 'title':
		case 'history-graph': {
			return '';
		}

		case 'h1':
		case 'h2':
		case 'h3': {
			const mark = headingMarks[section.kind];
			return `${mark} ${section.text} ${mark}\n\n`;
		}

		case 'p': {
			return `${section.text}\n\n`;
		}

		case 'pre': {
			return `${section.text.replace(/\n?$/, '\n')}\n`;
		}

		case 'generated': {
			return `Generated ${data.ctime}\n\n`;
		}

		case 'warnings': {
			return data.warnings.length === 0 ? '' : `${data.warnings.map(warning => ` * WARNING: ${warning.text}\n`).join('')}\n`;
		}

		case 'summary': {
			return `${summaryTable(data)}\n`;
		}

		case 'logs': {
			return data.logs.map(entry => logBlock(entry)).join('');
		}

		case 'prune-logs': {
			return `${pruneLogTable(section.entries)}\n`;
		}
	}
}

function summaryTable(data: ReportData): string {
	const columns = summaryColumns(data);
	const perDevice = columns.size ? 3 : 2;
	const blanks = (count: number): HeaderCell[] => Array.from({length: count}, () => ({text: ''}));
	const hasDevices = data.devices.length > 0;
	const header: HeaderCell[][] = [
		[{text: 'Host'}, {text: 'Volume'}, {text: 'Oldest'}, {text: 'Total'}, ...(hasDevices ? [{text: 'Devices', span: perDevice * data.devices.length}] : [])],
		[...blanks(4), ...data.devices.map(device => ({text: device, span: perDevice}))],
		[...blanks(4), ...data.devices.flatMap(() => [{text: 'Newest'}, {text: 'Count'}, ...(columns.size ? [{text: 'Size'}] : [])])],
	];
	if (columns.time) {
		header[0]?.push({text: 'Time'});
		header[1]?.push({text: ''});
		header[2]?.push({text: 'Med/Max'});
	}

	const body = data.volumes.map((volume, index) => [
		index > 0 && data.volumes[index - 1]?.host === volume.host ? '' : volume.host,
		volume.volume,
		dateCell(volume.oldest),
		String(volume.total),
		...volume.devices.flatMap(device => deviceCells(device, columns)),
		...(columns.time ? [timeCell(volume)] : []),
	]);
	return renderTextTable({header, body});
}

function logBlock(entry: LogEntry): string {
	const how = [entry.status, describeWaitStatus(entry.rc)].filter(text => text !== '').join(', ');
	const lines = entry.log.replace(/\n$/, '').split('\n').map(line => line === '' ? '' : `    ${line}`);
	return `${entry.host}:${entry.volume} on ${entry.device} at ${printableId(entry.id)}: ${how}\n\n${lines.join('\n')}\n\n`;
}

function pruneLogTable(entries: readonly PruneLogEntry[]): string {
	return renderTextTable({
		header: [['Created', 'Pruned', 'Host', 'Volume', 'Device', 'Reason'].map(text => ({text}))],
		body: entries.map(entry => [localDate(entry.created), localDate(entry.pruned), entry.host, entry.volume, entry.devices.join(','), entry.reason]),
	});
}
