/**
The public types of the action-graph engine. The engine knows nothing of
backups: an action is a named body with edges, resources and a priority.
*/

/** Where an action is in its life. */
export type ActionState =
	| 'pending' // waiting on its edges
	| 'ready' // edges satisfied, waiting for resources or a queue slot
	| 'running'
	| 'retry_wait' // failed transiently, waiting for its next attempt
	| 'succeeded'
	| 'warned' // done, with a warning (rsync exit 24)
	| 'failed' // ran and failed
	| 'skipped' // not needed (not due, host down, hook exit 75)
	| 'upstream_failed' // never ran: a required predecessor did not succeed
	| 'cancelled';

/** States an action never leaves (unless retried by hand). */
export const terminalStates: ReadonlySet<ActionState> = new Set<ActionState>([
	'succeeded',
	'warned',
	'failed',
	'skipped',
	'upstream_failed',
	'cancelled',
]);

/** Terminal states that count as success for `success` edges. */
export const successStates: ReadonlySet<ActionState> = new Set<ActionState>(['succeeded', 'warned']);

/** What a body returns. Returning nothing means `succeeded`. Throwing means `failed` with the error's message. */
export type Outcome = {
	state: 'succeeded' | 'warned' | 'failed' | 'skipped';
	/** One line for the operator: why it failed, was skipped, or warned. */
	message?: string;
	/** A failure worth retrying automatically (`--retries`). */
	transient?: boolean;
	/** Anything the body wants subscribers to see (exit status, paths…). */
	detail?: Record<string, unknown>;
};

/**
Where an output chunk came from: a child's stdout/stderr, or the body itself.
`warning` and `error` are operator messages (printed as `WARNING: …`/`ERROR: …`
by the headless log); `info` is progress shown with `--verbose`.
*/
export type OutputStream = 'stdout' | 'stderr' | 'info' | 'warning' | 'error';

/** Progress reported by a running body (rsync --info=progress2, say). */
export type Progress = {
	/** 0…1 when known. */
	fraction?: number;
	/** Free text such as `1.2GB 45% 12MB/s`. */
	text?: string;
};

/** What a body receives. */
export type ActionContext = {
	/** The action's name. */
	readonly name: string;
	/** 1 for the first attempt. */
	readonly attempt: number;
	/** Aborted when the action or the run is cancelled, or the deadline passes. */
	readonly signal: AbortSignal;
	/** Append output to the action's log (and the event stream). */
	log(text: string, stream?: OutputStream): void;
	/** Report progress. */
	progress(progress: Progress): void;
	/** Attach details to the action for subscribers (command line, environment…). */
	describe(detail: Record<string, unknown>): void;
};

export type ActionBody = (context: ActionContext) => Promise<Outcome | void>;

/** `success`: run only if the predecessor succeeded. `always`: run once it is terminal, whatever its state. */
export type EdgeKind = 'success' | 'always';

/** A predecessor: an action name, or a glob (`backup/h1/*`) that matches names. */
export type Edge = {
	from: string;
	kind: EdgeKind;
};

/** An action as given to the graph. */
export type ActionSpec = {
	/** Unique path name such as `backup/h1/home/dev1`. */
	name: string;
	body: ActionBody;
	/** Predecessors. A bare string is a `success` edge. */
	after?: ReadonlyArray<string | Edge>;
	/** Resource names held while running (`device:dev1`). Unknown resources have capacity 1. */
	resources?: readonly string[];
	/** Higher runs first among ready actions. Default 0. */
	priority?: number;
	/** Expected duration in milliseconds, for critical-path ordering. Default 0. */
	estimate?: number;
	/** Opaque data carried to subscribers (host, volume, device…). */
	data?: Record<string, unknown>;
	/**
	Clean-up: a run-wide cancel or deadline spares it, so it still runs once its
	predecessors end. Default: whether it has an `always` predecessor.
	*/
	cleanup?: boolean;
};

/** One event on the engine's single ordered stream. */
export type EngineEvent =
	| {type: 'run'; state: 'started' | 'finished' | 'cancelling'; time: number}
	| {
		type: 'state';
		action: string;
		state: ActionState;
		previous: ActionState;
		attempt: number;
		time: number;
		message?: string;
		detail?: Record<string, unknown>;
	}
	| {type: 'output'; action: string; stream: OutputStream; text: string; time: number}
	| {type: 'progress'; action: string; progress: Progress; time: number}
	| {type: 'describe'; action: string; detail: Record<string, unknown>; time: number};

/** Options of an engine run. */
export type EngineOptions = {
	/** Global concurrency (`--jobs`). Default: unlimited. */
	concurrency?: number;
	/** Resource capacities; resources not listed have capacity 1. */
	capacities?: Readonly<Record<string, number>>;
	/** Extra automatic attempts for transient failures. Default 0. */
	retries?: number;
	/** First backoff delay in ms (doubles each attempt, with jitter). Default 1000. */
	backoff?: number;
	/** The backoff jitter's random source, in [0, 1); a test gives a fixed one. Default Math.random. */
	random?: () => number;
	/** Milliseconds from start after which actions not yet finished are cancelled. */
	deadline?: number;
	/** Clock for event times. Default Date.now. */
	now?: () => number;
};

/** What subscribers can read about one action at any moment (`engine.snapshot()`). */
export type ActionInfo = {
	name: string;
	state: ActionState;
	/** Attempts started so far (0 before the first). */
	attempt: number;
	/** Clean-up: it has an `always` predecessor, so a run-wide cancel lets it run. */
	cleanup: boolean;
	/** The spec's data: by convention `kind`, and `host`, `volume`, `device` where they apply. */
	data: Record<string, unknown>;
	/** The last outcome's message. */
	message?: string;
	/** Last outcome's detail merged with `describe()` details. */
	detail: Record<string, unknown>;
	/** Event times (engine clock) of the current attempt. */
	startedAt?: number;
	endedAt?: number;
};
