import {existsSync} from 'node:fs';
import {now as clockNow} from '../config/clock.js';
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import {BackupStatus} from '../db/types.js';
import type {EngineEvent} from '../engine/types.js';
import type {Options} from '../options/parse-options.js';
import {requestedActions} from '../options/requested-actions.js';
import {volumeDevices} from '../config/volume-devices.js';
import {finishRun, startRun, type StartedRun, whileStoppable} from '../run/run-backups.js';
import type {RunSource} from '../../components/run-source.js';
import type {StatusReading, StatusRow} from '../../components/status-view.js';
import {groupRows, targetKey} from '../db/group-rows.js';

/**
Mounting the console: only this module loads Ink and the components, and only
when a run is shown at a terminal. It wires the view to the engine and nothing
else: the view renders events and asks for cancels and retries.
*/

/**
The engine of a run, as the view sees it. The run starts before the view has
subscribed, so output and run events until then are kept and handed to the
first subscriber (states need no replay: the snapshot has them).
*/
function sourceOf(run: StartedRun): RunSource {
	const {engine} = run.execution;
	const early: EngineEvent[] = [];
	const stopKeeping = engine.subscribe(event => {
		if (event.type !== 'state') {
			early.push(event);
		}
	});
	return {
		snapshot: () => engine.snapshot(),
		subscribe(listener) {
			stopKeeping();
			for (const event of early.splice(0)) {
				listener(event);
			}

			return engine.subscribe(listener);
		},
		cancel(name) {
			run.execution.cancel(name);
		},
		retry(name) {
			run.execution.retry(name);
		},
		cancelAll() {
			engine.cancelAll();
		},
	};
}

/**
Ink and React, loaded for a terminal that a person watches: Ink would draw only
the last frame if `CI` is set in the environment, and React's development build
costs twice the CPU. Both read the environment once, when loaded; it is put
back afterwards so hooks and rsync see the operator's environment unchanged.
This module has no JSX and no static import of React for that reason: React
loaded before (as development) with Ink's reconciler after (as production)
draws nothing at all.
*/
export async function loadConsole() {
	const saved = {CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'], NODE_ENV: process.env['NODE_ENV']};
	process.env['CI'] = '0';
	process.env['CONTINUOUS_INTEGRATION'] = '0';
	process.env['NODE_ENV'] ??= 'production';
	try {
		const [react, ink, runView, statusView] = await Promise.all([import('react'), import('ink'), import('../../components/run-view.js'), import('../../components/status-view.js')]);
		return {createElement: react.createElement, render: ink.render, RunView: runView.RunView, StatusView: statusView.StatusView};
	} finally {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = value;
			}
		}
	}
}

/**
Show a started run until the operator quits. The run may end and be retried
any number of times before that; its exit status is taken at the end, as headless.
*/
export async function run(started: StartedRun, _config: Config, options: Options, signalled?: AbortSignal): Promise<number> {
	const {createElement, render, RunView} = await loadConsole();
	const {engine} = started.execution;
	const source = sourceOf(started);
	started.execution.start();
	await new Promise<void>(resolve => {
		// The console ends once every action has: quitting stops the run first (clean-up still runs;
		// quitting again stops it too). A signal has stopped the run already.
		let closing = false;
		const close = () => {
			if (closing) {
				return;
			}

			closing = true;
			void engine.settled().then(() => {
				app.unmount();
				resolve();
			});
		};

		const view = createElement(RunView, {source, title: runTitle(options), ...(started.estimate === undefined ? {} : {estimate: started.estimate}), onExit() {
			started.execution.stop();
			close();
		}});
		const app = render(view, {exitOnCtrlC: false});
		// A signal (the run is already being cancelled) ends the console once clean-up is done.
		signalled?.addEventListener('abort', close, {once: true});
	});
	return finishRun(started);
}

/**
`rsdeck` with no action at a terminal: the status screen. A backup or prune
started from it runs in the run view; quitting that comes back here.
*/
export async function status(config: Config, db: BackupDatabase, options: Options, argv: string[]): Promise<number> {
	const [{createElement, render, StatusView}, {BackupDatabase: Database}, {acquireLock}] = await Promise.all([
		loadConsole(),
		import('../db/backup-database.js'),
		import('../store/lock.js'),
	]);
	// A writer's lock (rsbackup in rollback-journal mode) fails a reading after a second, shown as a notice, instead of freezing the screen.
	const load = statusLoader(config, db.path, file => Database.open(file, {write: false, busyTimeout: 1000}));
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

		const lock = config.lock === undefined ? undefined : await acquireLock(config.lock, {wait: false});
		if (config.lock !== undefined && !lock) {
			process.stderr.write(`rsdeck: ${config.lock} is held by another run\n`);
			return 1;
		}

		const runOptions: Options = {...options, backup: request.action === 'backup', prune: request.action === 'prune', selectors: [request.selector]};
		const writable = Database.open(db.path, {write: true});
		try {
			const flag = request.action === 'backup' ? '--backup' : '--prune';
			const started = startRun(config, runOptions, writable, [...argv, flag, request.selector], [], true);
			const ended = await whileStoppable(started, async signalled => run(started, config, runOptions, signalled));
			exitStatus = ended.status;
			if (ended.signalled) {
				// Stopped by a signal, not by quitting the run view: the program ends rather than going back.
				return exitStatus;
			}
		} finally {
			writable.close();
			await lock?.release();
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
			const rows = statusRows(config, current);
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

/** Every configured volume with, per device, its newest complete backup and whether its latest failed. */
export function statusRows(config: Config, db: BackupDatabase): StatusRow[] {
	// Read every ten seconds while the screen is open: records without their logs, grouped in one pass.
	const byTarget = groupRows(db.records(), targetKey);

	const result: StatusRow[] = [];
	for (const host of config.hosts.values()) {
		for (const volume of host.volumes.values()) {
			const devices = volumeDevices(config, volume).map(device => {
				const mine = byTarget.get(targetKey({host: host.name, volume: volume.name, device})) ?? [];
				const complete = mine.filter(row => row.status === BackupStatus.complete);
				const attempts = mine.filter(row => row.status === BackupStatus.complete || row.status === BackupStatus.failed);
				const latest = attempts.at(-1);
				return {
					device,
					...(complete.length > 0 ? {newest: Math.max(...complete.map(row => row.time))} : {}),
					count: complete.length,
					latestFailed: latest?.status === BackupStatus.failed,
				};
			});
			result.push({host: host.name, volume: volume.name, devices, maxAge: volume.maxAge});
		}
	}

	return result;
}

function runTitle(options: Options): string {
	const what = requestedActions(options).steps.join(' + ');
	const selection = options.selectors.length > 0 ? ` ${options.selectors.join(' ')}` : '';
	return `rsdeck ${what}${selection}${options.dryRun ? ' (dry run)' : ''}`;
}
