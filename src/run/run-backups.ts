import {Runtime, type RunSettings} from '../actions/runtime.js';
import {now as clockNow} from '../config/clock.js';
import type {Config} from '../config/types.js';
import type {BackupDatabase} from '../db/backup-database.js';
import type {EngineEvent} from '../engine/types.js';
import type {Options} from '../options/parse-options.js';
import {requestedActions} from '../options/requested-actions.js';
import {planRun} from '../plan/plan-run.js';
import type {PlannedAction} from '../plan/types.js';
import {releaseDevices} from '../store/identify-stores.js';
import {executeRun, type Execution} from './execute-run.js';
import {planRequest} from './plan-request.js';

/** Run settings from the options and the environment. */
export function runSettings(options: Options, env: NodeJS.ProcessEnv = process.env, progress = false): RunSettings {
	return {
		dryRun: options.dryRun,
		force: options.force,
		verbose: options.verbose,
		warnStore: options.warnStore,
		warnUnreachable: options.warnUnreachable,
		warnPartial: options.warnPartial,
		errors: options.errors,
		honourBackupTime: options.selectors.length === 0,
		...(options.stores.length > 0 ? {storeOverride: options.stores} : {}),
		prune: options.prune,
		pruneIncomplete: options.pruneIncomplete,
		alwaysNeedDevices: needsDevicesAnyway(requestedActions(options)),
		now: purpose => clockNow(purpose, env),
		killGrace: 5000,
		progress,
	};
}

/** A planned and started run. */
export type StartedRun = {
	plan: PlannedAction[];
	runtime: Runtime;
	execution: Execution;
	/** Expected duration in ms when every backup has a history (for an ETA), else undefined. */
	estimate: number | undefined;
};

/**
The run's expected length: the busiest device's backups one after another.
Only when history knows every backup's duration; a guess would mislead.
*/
function expectedDuration(plan: readonly PlannedAction[], known: ReadonlyMap<string, number>): number | undefined {
	const perDevice = new Map<string, number>();
	for (const action of plan) {
		if (action.kind === 'backup') {
			const duration = known.get(`${action.host}/${action.volume}/${action.device}`);
			if (duration === undefined) {
				return undefined;
			}

			perDevice.set(action.device ?? '', (perDevice.get(action.device ?? '') ?? 0) + duration);
		}
	}

	return perDevice.size === 0 ? undefined : Math.max(...perDevice.values());
}

/** Plan the run the options ask for and start it on the engine. */
export function startRun(config: Config, options: Options, db: BackupDatabase, argv: string[], subscribers: Array<(event: EngineEvent) => void>, watched = false): StartedRun {
	const runtime = new Runtime(config, runSettings(options, process.env, watched), db);
	const request = planRequest(config, options, db);
	const plan = planRun(config, request);
	const execution = executeRun(plan, runtime, {
		argv,
		subscribers,
		...(options.jobs === undefined ? {} : {concurrency: options.jobs}),
		retries: options.retries,
	});
	return {plan, runtime, execution, estimate: expectedDuration(plan, request.estimates)};
}

/** The signals that stop a run: Ctrl-C, `kill`, and the terminal or ssh session going away. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
Show a started run with `show` (the console, or waiting for it headless) while
the stop signals stop it cleanly: the first cancels what has not finished and
aborts the signal `show` gets; a second stops clean-up too (Execution.stop).
Gives `show`'s exit status, and whether a signal came (the program should end).
*/
export async function whileStoppable(run: StartedRun, show: (signalled: AbortSignal) => Promise<number>): Promise<{status: number; signalled: boolean}> {
	const signalled = new AbortController();
	const stop = () => {
		run.execution.stop();
		signalled.abort();
	};

	for (const signal of stopSignals) {
		process.on(signal, stop);
	}

	try {
		const status = await show(signalled.signal);
		return {status, signalled: signalled.signal.aborted};
	} finally {
		for (const signal of stopSignals) {
			process.off(signal, stop);
		}
	}
}

/** Wait for a started run to end, release its devices, and give its exit status. */
export async function finishRun(run: StartedRun): Promise<number> {
	try {
		return await run.execution.finished();
	} finally {
		if (run.runtime.stores) {
			releaseDevices(run.runtime.stores);
		}
	}
}

/**
Whether the devices are needed whatever the database says: a retire always
counts as device access, and a backup run that also prunes mounts them
anyway. A prune alone decides from the database first (SPEC §3).
*/
function needsDevicesAnyway(requested: ReturnType<typeof requestedActions>): boolean {
	return requested.steps.includes('retire') || (requested.backup && requested.deviceSteps);
}
