/**
`--report-json`: the report's facts as one JSON document, for scripts and
dashboards. Times are Unix seconds; `generated` is also given as ISO 8601.
`pruneLogs` holds the rows of the report's widest `prune-logs` window (none
when the layout has no `prune-logs`).
*/
import type {ReportData} from './report-data.js';

/** The `format` and `version` fields; the version changes when a field changes meaning or goes away. */
export const jsonReportFormat = {format: 'rsdeck-report', version: 1} as const;

/** Render the report's facts as pretty-printed JSON, ending in a newline. */
export function jsonReport(data: ReportData): string {
	const pruneSections = data.sections.flatMap(section => section.kind === 'prune-logs' ? [section] : []);
	const widest = pruneSections.sort((a, b) => b.window - a.window)[0];
	const document = {
		...jsonReportFormat,
		title: data.title,
		now: data.now,
		generated: new Date(data.now * 1000).toISOString(),
		date: data.date,
		logsLevel: data.logsLevel,
		devices: data.devices,
		...(data.availableDevices === undefined ? {} : {availableDevices: data.availableDevices}),
		counts: data.counts,
		warnings: data.warnings,
		volumes: data.volumes.map(({backups: _history, ...volume}) => volume),
		logs: data.logs,
		pruneLogs: widest?.entries ?? [],
		...(widest === undefined ? {} : {pruneLogWindow: widest.window}),
	};
	return `${JSON.stringify(document, undefined, 2)}\n`;
}
