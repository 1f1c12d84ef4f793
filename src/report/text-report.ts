/**
The plain-text report, in rsbackup's layout: `==== h1 ====` headings,
paragraphs and ` * ` list entries word-wrapped to 80 columns, `|`-tables,
every block followed by a blank line.
*/
import {printableId} from '../store/layout.js';
import type {LogEntry, PruneLogRow, ReportData, ReportSection} from './report-data.js';
import {dateCell, describeWaitStatus, deviceCells, timeCell} from './summary-columns.js';
import {renderTextTable, type HeaderCell} from './text-table.js';
import {wordWrap} from './word-wrap.js';

/** Render the report as plain text. */
export function textReport(data: ReportData): string {
	return data.sections.map(section => renderSection(section, data)).join('');
}

const headingMarks = {h1: '====', h2: '===', h3: '=='} as const;
const width = 80;
const bullet = ' * ';

/** A paragraph: wrapped, then a blank line (just the blank line when it has no words). */
const paragraph = (text: string): string => `${wordWrap(text, width)}\n`;

/** A list: each entry wrapped behind its bullet, continuation lines indented to match; then a blank line, also for no entries. */
const list = (entries: readonly string[]): string =>
	`${entries.map(entry => bullet + wordWrap(entry, width - bullet.length, ' '.repeat(bullet.length))).join('')}\n`;

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
			return paragraph(section.text);
		}

		case 'pre': {
			return `${section.text.replace(/\n?$/, '\n')}\n`;
		}

		case 'generated': {
			return paragraph(`Generated ${data.ctime}`);
		}

		case 'warnings': {
			return list(data.warnings.map(warning => warning.text));
		}

		case 'summary': {
			return `${summaryTable(data)}\n`;
		}

		case 'logs': {
			return data.logs.map(entry => logBlock(entry)).join('');
		}

		case 'prune-logs': {
			return `${pruneLogTable(section.table)}\n`;
		}
	}
}

function summaryTable(data: ReportData): string {
	const blanks = (count: number): HeaderCell[] => Array.from({length: count}, () => ({text: ''}));
	const devices = data.devices.length > 0 ? [{text: 'Devices', span: 3 * data.devices.length}] : [];
	const header: HeaderCell[][] = [
		[{text: 'Host'}, {text: 'Volume'}, {text: 'Oldest'}, {text: 'Total'}, ...devices, {text: 'Time'}],
		[...blanks(4), ...data.devices.map(device => ({text: device, span: 3})), {text: ''}],
		[...blanks(4), ...data.devices.flatMap(() => [{text: 'Newest'}, {text: 'Count'}, {text: 'Size'}]), {text: 'Med/Max'}],
	];
	const body = data.volumes.map((volume, index) => [
		index > 0 && data.volumes[index - 1]?.host === volume.host ? '' : volume.host,
		volume.volume,
		dateCell(volume.oldest),
		String(volume.total),
		...volume.devices.flatMap(device => deviceCells(device)),
		timeCell(volume),
	]);
	return renderTextTable({header, body});
}

function logBlock(entry: LogEntry): string {
	const how = [entry.status, describeWaitStatus(entry.rc)].filter(text => text !== '').join(', ');
	const lines = entry.log.replace(/\n$/, '').split('\n').map(line => line === '' ? '' : `    ${line}`);
	return `${entry.host}:${entry.volume} on ${entry.device} at ${printableId(entry.id)}: ${how}\n\n${lines.join('\n')}\n\n`;
}

function pruneLogTable(rows: readonly PruneLogRow[]): string {
	return renderTextTable({
		header: [['Created', 'Pruned', 'Host', 'Volume', 'Device', 'Reason'].map(text => ({text}))],
		body: rows.map(cells => [...cells]),
	});
}
