/**
rsdeck's own history in the database: runs, the final state of each action
with its timings, and every attempt's complete output. It feeds
`--retry-failed`, the critical-path estimates and nothing of rsbackup's.
*/
import type Sqlite from 'better-sqlite3';

/** Prepares (or finds already prepared) a statement of the database's connection. */
export type Prepare = <BindParameters extends unknown[] | {} = unknown[], Result = unknown>(sql: string) => Sqlite.Statement<BindParameters, Result>;

/** A run as it starts. */
export type RunStart = {
	/** Milliseconds since the epoch. */
	started: number;
	/** The command line, without the node executable and script. */
	argv: string[];
};

/** A run as it ends. */
export type RunFinish = {
	/** Milliseconds since the epoch. */
	finished: number;
	/** The exit status the run reported. */
	exitStatus: number;
};

/** One action of a run, as last seen. */
export type ActionRecord = {
	/** The action's path name (`backup/h1/home/dev1`). */
	name: string;
	/** Its engine state (`succeeded`, `failed`, …). */
	state: string;
	/** 1 for the first attempt. */
	attempt: number;
	/** When its current attempt started, ms since the epoch. */
	started?: number;
	/** When it ended, ms since the epoch. */
	finished?: number;
	/** Raw wait status of its process (exit code × 256), when it ran one. */
	waitStatus?: number;
	/** The one-line outcome message. */
	message?: string;
};

/** A piece of one attempt's output (pieces are numbered from 0 in the order written). */
export type OutputPiece = {
	name: string;
	attempt: number;
	piece: number;
	text: string;
};

export function startRun(prepare: Prepare, run: RunStart): number {
	const result = prepare('INSERT INTO rsdeck_runs (started, argv) VALUES (?, ?)').run(run.started, JSON.stringify(run.argv));
	return Number(result.lastInsertRowid);
}

export function finishRun(prepare: Prepare, runId: number, run: RunFinish): void {
	const result = prepare('UPDATE rsdeck_runs SET finished = ?, exitStatus = ? WHERE id = ?').run(run.finished, run.exitStatus, runId);
	if (result.changes === 0) {
		throw new Error(`No rsdeck run ${runId} to finish`);
	}
}

export function recordAction(prepare: Prepare, runId: number, action: ActionRecord): void {
	prepare(`INSERT INTO rsdeck_actions (run, name, state, attempt, started, finished, waitStatus, message)
		VALUES (@run, @name, @state, @attempt, @started, @finished, @waitStatus, @message)
		ON CONFLICT (run, name) DO UPDATE SET state = excluded.state, attempt = excluded.attempt, started = excluded.started,
			finished = excluded.finished, waitStatus = excluded.waitStatus, message = excluded.message`).run({
		run: runId,
		name: action.name,
		state: action.state,
		attempt: action.attempt,
		started: action.started ?? null,
		finished: action.finished ?? null,
		waitStatus: action.waitStatus ?? null,
		message: action.message ?? null,
	});
}

export function recordOutput(prepare: Prepare, runId: number, piece: OutputPiece): void {
	prepare('INSERT INTO rsdeck_output (run, name, attempt, piece, text) VALUES (?, ?, ?, ?, ?)').run(runId, piece.name, piece.attempt, piece.piece, piece.text);
}

/** The actions of the most recent finished run, by name. */
export function lastRunActions(prepare: Prepare): Array<{name: string; state: string}> {
	return prepare<[], {name: string; state: string}>(`SELECT name, state FROM rsdeck_actions
		WHERE run = (SELECT max(id) FROM rsdeck_runs WHERE finished IS NOT NULL) ORDER BY name`).all();
}

/** Forget runs that started before `olderThan` (ms since the epoch) and their actions; returns how many runs. */
export function expireRuns(prepare: Prepare, olderThan: number): number {
	prepare('DELETE FROM rsdeck_output WHERE run IN (SELECT id FROM rsdeck_runs WHERE started < ?)').run(olderThan);
	prepare('DELETE FROM rsdeck_actions WHERE run IN (SELECT id FROM rsdeck_runs WHERE started < ?)').run(olderThan);
	return prepare('DELETE FROM rsdeck_runs WHERE started < ?').run(olderThan).changes;
}
