/**
`--metrics`: a Prometheus text-format file for node_exporter's textfile
collector. Per volume and device: newest complete backup, last attempt's
duration and outcome, backups count, newest size; per volume: its state; per
report: warnings by kind; per run (when given): start, duration, failures.
*/
import type {ReportData, VolumeSummary} from './report-data.js';

/** The run the report follows, when there was one. */
export type RunMetrics = {
	/** Start and end, Unix seconds. */
	started: number;
	finished: number;
	/** Actions that failed. */
	failures: number;
};

/** A sample: its label set already rendered (`{host="h",volume="v"}`, or empty), and its value. */
type Sample = {labels: string; value: number};
type Family = {name: string; help: string; samples: Sample[]};

/** Render the metrics in Prometheus text exposition format 0.0.4. */
export function metricsText(data: ReportData, run?: RunMetrics): string {
	const families = [...backupFamilies(data), ...reportFamilies(data), ...(run === undefined ? [] : runFamilies(run))];
	return families.map(family => renderFamily(family)).join('');
}

/** A label set as the exposition format writes it: `{a="x",b="y"}`, nothing for none. */
function labels(pairs: ReadonlyArray<[name: string, value: string]>): string {
	return pairs.length === 0 ? '' : `{${pairs.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

function backupFamilies(data: ReportData): Family[] {
	// The devices each volume has metrics for, with their labels: rendered once for all five families.
	const targets = data.volumes.flatMap(volume => volume.devices
		.filter(device => device.expected || device.count > 0 || device.latest !== undefined)
		.map(device => ({device, labels: labels([['host', volume.host], ['volume', volume.volume], ['device', device.device]])})));
	const family = (name: string, help: string, value: (device: VolumeSummary['devices'][number]) => number | undefined): Family => ({
		name,
		help,
		samples: targets.flatMap(target => {
			const sample = value(target.device);
			return sample === undefined ? [] : [{labels: target.labels, value: sample}];
		}),
	});
	return [
		family('rsdeck_backup_last_success_timestamp_seconds', 'Start time of the newest complete backup of the volume on the device.', device => device.newest),
		family('rsdeck_backup_last_duration_seconds', 'How long the last finished backup attempt of the volume on the device took.', device =>
			device.latest === undefined || device.latest.finishTime === 0 ? undefined : device.latest.finishTime - device.latest.time),
		family('rsdeck_backup_last_status', 'Outcome of the last finished backup attempt of the volume on the device: 1 complete, 0 failed.', device =>
			device.latest === undefined ? undefined : (device.latest.status === 'complete' ? 1 : 0)),
		family('rsdeck_backup_count', 'Complete backups of the volume on the device.', device => device.count),
		family('rsdeck_backup_last_size_bytes', 'Total file size of the newest complete backup of the volume on the device, from rsync --stats.', device => device.size),
	];
}

function reportFamilies(data: ReportData): Family[] {
	const states = ['ok', 'missing', 'partial', 'stale'] as const;
	return [
		{
			name: 'rsdeck_volume_state',
			help: 'How the volume stands (1 for its state): ok, missing (no backups), partial (not on every device), stale (older than max-age).',
			samples: data.volumes.flatMap(volume => states.map(state => ({labels: labels([['host', volume.host], ['volume', volume.volume], ['state', state]]), value: volume.state === state ? 1 : 0}))),
		},
		{
			name: 'rsdeck_report_warnings',
			help: 'Warnings in the report by kind: missing, partial, stale, failed volumes and unknown names in the database.',
			samples: (['missing', 'partial', 'stale', 'failed', 'unknown'] as const).map(kind => ({labels: labels([['kind', kind]]), value: data.counts[kind]})),
		},
		{name: 'rsdeck_report_timestamp_seconds', help: 'When the report was generated.', samples: [{labels: '', value: data.now}]},
	];
}

function runFamilies(run: RunMetrics): Family[] {
	return [
		{name: 'rsdeck_run_start_timestamp_seconds', help: 'When the last run started.', samples: [{labels: '', value: run.started}]},
		{name: 'rsdeck_run_duration_seconds', help: 'How long the last run took.', samples: [{labels: '', value: run.finished - run.started}]},
		{name: 'rsdeck_run_failures', help: 'Actions that failed in the last run.', samples: [{labels: '', value: run.failures}]},
	];
}

function renderFamily(family: Family): string {
	let text = `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} gauge\n`;
	for (const sample of family.samples) {
		text += `${family.name}${sample.labels} ${sample.value}\n`;
	}

	return text;
}

const escapeHelp = (text: string): string => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const escapeLabel = (text: string): string => escapeHelp(text).replaceAll('"', '\\"');
