import {now as clockNow} from '../config/clock.js';
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import type {ActionState, EngineEvent} from '../engine/types.js';
import type {Options} from '../options/option-table.js';
import {jsonReport} from '../report/json-report.js';
import {reportData} from '../report/report-data.js';
import {Notifier} from './notifier.js';
import {failureRecorder} from './run-summary.js';

/** A run's notifications: started once the run is planned, finished with its exit status. */
export type RunNotifications = {
	/** Subscribe to the run's events (failures and their messages). */
	observe: (event: EngineEvent) => void;
	start: () => void;
	finish: (exitStatus: number, counts: ReadonlyMap<ActionState, number>) => Promise<void>;
};

/** Notifications about a run that does something; undefined when none are configured. */
export function runNotifications(config: Config, options: Options, db: BackupDatabase, argv: readonly string[], write: (text: string) => void): RunNotifications | undefined {
	if (config.notifyUrls.length === 0 && config.notifyCommand.length === 0) {
		return undefined;
	}

	const notifier = new Notifier(config, {dryRun: options.dryRun, write, killGrace: 5000});
	const recorder = failureRecorder();
	return {
		observe: recorder.observe,
		start() {
			notifier.start();
		},
		async finish(exitStatus, counts) {
			const summary = {
				status: exitStatus === 0 ? 'ok' as const : 'failed' as const,
				exitStatus,
				counts: Object.fromEntries(counts),
				failures: recorder.failures,
				command: ['rsdeck', ...argv].join(' '),
			};
			// The --report-json document as the database is after the run, with the run itself beside it.
			const json = () => `${JSON.stringify({
				...JSON.parse(jsonReport(reportData({config, rows: db.backups(), now: clockNow('report'), logs: options.logs}))) as object,
				run: summary,
			}, undefined, 2)}\n`;
			await notifier.finish(summary, json);
		},
	};
}
