import {bodyFor} from '../actions/bodies.js';
import type {RunControl} from '../actions/run-control.js';
import type {Runtime} from '../actions/runtime.js';
import {Engine} from '../engine/engine.js';
import {terminalStates, type ActionSpec, type EngineEvent, type EngineOptions} from '../engine/types.js';
import {actionName, anyOfActions, parseActionName} from '../plan/action-names.js';
import type {PlannedAction, StepKind} from '../plan/types.js';
import {RunOutcome} from './run-outcome.js';
import {RunRecorder} from './run-recorder.js';

/** A run being executed: the engine plus what the layers above need from it. */
export type Execution = {
	engine: Engine;
	outcome: RunOutcome;
	/** Start the run (subscribers given to executeRun see it from the first event). */
	start(): void;
	/** Starts the run if needed; resolves with the exit status once every action is terminal. */
	finished(): Promise<number>;
	/** Retry an action by hand; a backup's whole chain (underway, backup, record, volume hooks) goes again. */
	retry(nameOrGlob: string): void;
	/** Cancel actions by hand, by name or glob, many at once. Clean-up steps (records, post hooks: the engine's `cleanup`) are never cancelled this way, so they still run. */
	cancel(namesOrGlobs: string | readonly string[]): void;
	/**
	Stop the run (a signal, quitting the console): the first time, what has not
	finished is cancelled and clean-up still runs; again, clean-up is stopped too
	(a post hook that hangs). Nothing once every action has ended.
	*/
	stop(): void;
	/** Why rsdeck's own history of the run is incomplete (a database write failed), if it is. */
	historyProblem(): string | undefined;
};

/** Everything an action's subscribers need to know about it. */
export function specFor(action: PlannedAction, runtime: Runtime, control: RunControl): ActionSpec {
	const data: Record<string, unknown> = {kind: action.kind};
	for (const key of ['host', 'volume', 'device', 'id'] as const) {
		if (action[key] !== undefined) {
			data[key] = action[key];
		}
	}

	return {
		name: action.name,
		body: bodyFor(action, runtime, control),
		after: action.after,
		resources: action.resources,
		priority: action.priority,
		estimate: action.estimate,
		cleanup: action.cleanup,
		data,
	};
}

/**
Start the planned run on the engine. Subscribers given here see every event
from the first; the database history is recorded unless the run is a dry run.
*/
export function executeRun(plan: readonly PlannedAction[], runtime: Runtime, options: EngineOptions & {argv: string[]; subscribers?: Array<(event: EngineEvent) => void>}): Execution {
	const outcome = new RunOutcome();
	// Made before the engine, which needs the bodies; the bodies call it only once the run has started.
	const control = runControl(() => engine, runtime, outcome);
	const engine = new Engine(plan.map(action => specFor(action, runtime, control)), options);
	engine.subscribe(event => {
		outcome.observe(event);
	});
	for (const subscriber of options.subscribers ?? []) {
		engine.subscribe(subscriber);
	}

	const recorder = runtime.settings.dryRun || !runtime.db.writable ? undefined : new RunRecorder(runtime.db, engine, options.argv);
	let started: Promise<void> | undefined;
	const start = () => {
		started ??= engine.run();
		return started;
	};

	return {
		engine,
		outcome,
		start() {
			void start();
		},
		async finished() {
			await start();
			await engine.settled();
			const status = outcome.exitStatus(engine.cancelled);
			recorder?.finish(status);
			return status;
		},
		retry(nameOrGlob) {
			retryWithChain(engine, plan, nameOrGlob);
		},
		historyProblem() {
			return recorder?.problem;
		},
		stop() {
			if (engine.finished) {
				return;
			}

			if (engine.cancelled) {
				// Records not yet written leave their rows underway, for --prune-incomplete.
				engine.cancel('**');
			} else {
				engine.cancelAll();
			}
		},
		cancel(namesOrGlobs) {
			engine.cancel(namesOrGlobs, {spareCleanup: true});
		},
	};
}

/**
The run control the bodies get: actions added go to the engine, and the first
prune step arms prune-timeout over every removal, those added later too.
*/
function runControl(engine: () => Engine, runtime: Runtime, outcome: RunOutcome): RunControl {
	const pruneTimeout = runtime.config.pruneTimeout * 1000;
	let pruneDeadline: number | undefined;
	const control: RunControl = {
		addAction(action) {
			engine().add(specFor(action, runtime, control));
		},
		pruneStarted() {
			if (pruneDeadline === undefined && pruneTimeout > 0) {
				pruneDeadline = Date.now() + pruneTimeout;
				// Removals that prune-timeout cancels are no error: the next run finishes them.
				outcome.forgiveCancelled('remove/');
				engine().deadline(pruneTimeout, 'remove/**');
			}
		},
		pruneTimedOut() {
			return pruneDeadline !== undefined && Date.now() >= pruneDeadline;
		},
	};
	return control;
}

/** The steps of one (volume, device) backup, retried together. */
const chainKinds: readonly StepKind[] = ['underway', 'backup', 'record-backup'];

/**
Retry a request: a backup step brings its (volume, device) chain with it, so
a retried backup gets a fresh underway row and a record. The volume's hooks
come too only once its post hook has run: before, the snapshot the pre hook
made is still there (other devices may be reading it), so the retry reuses it
and the post hook waits for the retried backup too. A post hook running now
removes the snapshot: the retry, hooks and all, waits until it has ended.
*/
function retryWithChain(engine: Engine, plan: readonly PlannedAction[], nameOrGlob: string): void {
	const {kind, host, volume, device, parts} = parseActionName(nameOrGlob);
	const isChainStep = chainKinds.includes(kind as StepKind) && parts.length === 3 && parts.every(part => part !== '');
	if (!isChainStep || host === undefined || volume === undefined || device === undefined) {
		engine.retry(nameOrGlob);
		return;
	}

	const chain = chainKinds.map(step => actionName(step, {host, volume, device}));
	const postHook = actionName('post-volume-hook', {host, volume});
	const postState = plan.some(action => action.name === postHook) ? engine.info(postHook)?.state : undefined;
	if (postState === undefined || postState === 'pending' || postState === 'ready') {
		engine.retry(anyOfActions(chain));
		return;
	}

	const withHooks = anyOfActions([...chain, actionName('pre-volume-hook', {host, volume}), postHook]);
	if (terminalStates.has(postState)) {
		engine.retry(withHooks);
		return;
	}

	const unsubscribe = engine.subscribe(event => {
		if (event.type === 'state' && event.action === postHook && terminalStates.has(event.state)) {
			unsubscribe();
			if (!engine.cancelled) {
				engine.retry(withHooks);
			}
		}
	});
}
