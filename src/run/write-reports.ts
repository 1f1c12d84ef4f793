import {readFile} from 'node:fs/promises';
import {now as clockNow} from '../config/clock.js';
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import type {Options} from '../options/parse-options.js';
import {systemErrorText} from '../process/system-error.js';
import {reportData} from '../report/report-data.js';
import {ReportError} from '../report/report-error.js';
import {writeReportFile} from '../report/write-report-file.js';
import type {Io} from './main.js';

/** Write the reports the options ask for, from the database as it is after the run; each renderer is loaded only when asked for. */
export async function writeReports(config: Config, options: Options, db: BackupDatabase, run: {started: number; finished: number; failures: number}, io: Io): Promise<void> {
	const stylesheet = config.stylesheet === undefined ? {} : {stylesheet: await readStylesheet(config.stylesheet)};
	const data = reportData({config, rows: db.backups(), pruneLog: db.pruneLog(), now: clockNow('report'), logs: options.logs, ...stylesheet});
	const write = async (target: string, text: string) => {
		if (target === '-') {
			io.stdout(text);
		} else {
			await writeReportFile(target, text);
		}
	};

	if (options.text !== undefined) {
		const {textReport} = await import('../report/text-report.js');
		await write(options.text, textReport(data));
	}

	if (options.html !== undefined) {
		const {htmlReport} = await import('../report/html-report.js');
		await write(options.html, htmlReport(data));
	}

	if (options.reportJson !== undefined) {
		const {jsonReport} = await import('../report/json-report.js');
		await write(options.reportJson, jsonReport(data));
	}

	if (options.metrics !== undefined) {
		const {metricsText} = await import('../report/metrics.js');
		await write(options.metrics, metricsText(data, {started: run.started / 1000, finished: run.finished / 1000, failures: run.failures}));
	}

	if (options.email !== undefined) {
		const {emailMessage, sendEmail} = await import('../report/email.js');
		await sendEmail(emailMessage(data, options.email), config.sendmail);
	}
}

/** The `stylesheet` file's contents; an operator's mistake (`ReportError`) when it cannot be read. */
async function readStylesheet(path: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch (error) {
		throw new ReportError(`cannot read stylesheet ${path}: ${systemErrorText(error)}`, {cause: error});
	}
}
