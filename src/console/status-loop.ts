import {existsSync} from 'node:fs';
import {now as clockNow} from '../config/clock.js';
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import type {Options} from '../options/parse-options.js';
import {statusRows} from '../report/status-rows.js';
import {type Io, withLockedDatabase} from '../run/main.js';
import {startRun, whileStoppable} from '../run/run-backups.js';
import type {StatusReading} from '../../components/status-view.js';
import {loadConsole} from './load-console.js';
import {showRun} from './show-run.js';

/**
`rsdeck` with no action at a terminal: the status screen. A backup or prune
started from it runs in the run view; quitting that comes back here.
*/
export async function status(config: Config, db: BackupDatabase, options: Options, argv: string[], io: Io): Promise<number> {
	// The snapshot browser's reading is loaded with the status screen, not with every run view.
	const [{createElement, render, StatusView}, {BackupDatabase: Database}, {browseSource}] = await Promise.all([loadConsole(), import('../db/backup-database.js'), import('./browse-source.js')]);
	// A writer's lock (rsbackup in rollback-journal mode) fails a reading after a second, shown as a notice, instead of freezing the screen.
	const openReadOnly = (file: string) => Database.open(file, {write: false, busyTimeout: 1000});
	const load = statusLoader(config, db.path, openReadOnly);
	const browse = browseSource(config, options, db.path, openReadOnly);
	let exitStatus = 0;
	let reading: StatusReading | undefined;
	for (;;) {
		// Read afresh each time: the run just shown may have created or changed the database.
		// After a run, a failed read shows the rows from before it until the view's next reading.
		try {
			reading = load();
		} catch (error) {
			if (reading === undefined) {
				throw error;
			}
		}

		const first = reading;
		const request = await new Promise<{action: 'backup' | 'prune'; selector: string} | undefined>(resolve => {
			const view = createElement(StatusView, {
				rows: first.rows,
				now: first.now,
				load,
				browse,
				devices: config.devices,
				onStart(start) {
					app.unmount();
					resolve(start);
				},
				onExit() {
					app.unmount();
					resolve(undefined);
				},
			});
			const app = render(view, {exitOnCtrlC: true});
		});
		if (!request) {
			return exitStatus;
		}

		const runOptions: Options = {...options, backup: request.action === 'backup', prune: request.action === 'prune', selectors: [request.selector]};
		const flag = request.action === 'backup' ? '--backup' : '--prune';
		let signalled = false;
		// A run started here is a command that writes: the same lock and database handling as on the command line, without waiting.
		const ended = await withLockedDatabase(config, db.path, {write: true, wait: false, verbose: true}, io, async writable => {
			const started = startRun(config, runOptions, writable, [...argv, flag, request.selector], [], true);
			const result = await whileStoppable(started, async stop => showRun(started, runOptions, stop));
			signalled = result.signalled;
			return result.status;
		});
		if (ended === undefined) {
			return 1;
		}

		exitStatus = ended;
		if (signalled) {
			// Stopped by a signal, not by quitting the run view: the program ends rather than going back.
			return exitStatus;
		}
	}
}

/**
Read the status rows and the report clock, opening `file` afresh (read-only)
on each call: a cron run may write it while the screen is shown. Once the file
has been seen, its absence is a failed read, not an empty history.
*/
function statusLoader(config: Config, file: string, open: (file: string) => BackupDatabase): () => StatusReading {
	let seen = false;
	return () => {
		const existed = existsSync(file);
		const current = open(file);
		try {
			// Records without their logs, grouped in one pass: read every ten seconds while the screen is open.
			const rows = statusRows(config, current.records());
			if (seen && !(existed && existsSync(file))) {
				throw new Error(`database '${file}' is missing`);
			}

			seen ||= existed;
			return {rows, now: clockNow('report')};
		} finally {
			current.close();
		}
	};
}
