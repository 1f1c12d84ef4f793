import type {BackupDatabase} from '../db/backup-database.js';
import type {Engine} from '../engine/engine.js';
import {terminalStates} from '../engine/types.js';

/** Output is written to the database in pieces of about this many characters. */
const pieceSize = 64 * 1024;

/** The running attempt of one action: its output not yet written. */
type Attempt = {attempt: number; piece: number; chunks: string[]; length: number};

/**
Keeps rsdeck's own history of a run in the database: the run, each action as
it ends (state, attempt, times, exit status), and every attempt's complete
output, written as it comes in pieces, so that a long rsync log is never held
whole for the history. Its writes are deferred (`BackupDatabase.defer`): they
are committed with the database's next write (the next backup's underway
row), or within a quarter second: in the shared file's rollback journal every
commit waits for the disk (several syncs), and a commit per action cost a big
fleet more than its backups' own rows. A write that fails (a full disk) stops
the history, never the run: `problem` says why, for the caller to report.
*/
export class RunRecorder {
	readonly #db: BackupDatabase;
	readonly #runId: number;
	readonly #attempts = new Map<string, Attempt>();
	#pending: Array<() => void> = [];
	#problem: string | undefined;

	constructor(db: BackupDatabase, engine: Engine, argv: string[]) {
		this.#db = db;
		this.#runId = db.startRun({started: Date.now(), argv});
		engine.subscribe(event => {
			if (event.type === 'output') {
				this.#append(event.action, event.text);
			} else if (event.type === 'state' && event.state === 'running') {
				// A new attempt (after an automatic or manual retry): the last one's output is written first.
				this.#flush(event.action);
				this.#attempts.set(event.action, {attempt: event.attempt, piece: 0, chunks: [], length: 0});
			} else if (event.type === 'state' && terminalStates.has(event.state)) {
				this.#flush(event.action);
				this.#attempts.delete(event.action);
				const info = engine.info(event.action);
				const waitStatus = info?.detail['waitStatus'];
				this.#write(() => db.recordAction(this.#runId, {
					name: event.action,
					state: event.state,
					attempt: event.attempt,
					...(info?.startedAt === undefined ? {} : {started: info.startedAt}),
					finished: event.time,
					...(typeof waitStatus === 'number' ? {waitStatus} : {}),
					...(event.message === undefined ? {} : {message: event.message}),
				}));
			}
		});
	}

	/** Why the history of this run is incomplete, if it is. */
	get problem(): string | undefined {
		return this.#problem;
	}

	finish(exitStatus: number): void {
		this.#write(() => {
			this.#db.finishRun(this.#runId, {finished: Date.now(), exitStatus});
		});
		this.flush();
	}

	/** Write what is waiting now, with whatever else the database has waiting, in one transaction. */
	flush(): void {
		if (this.#problem !== undefined) {
			return;
		}

		try {
			this.#db.flush();
		} catch (error) {
			this.#stop(error);
		}
	}

	#write(write: () => void): void {
		if (this.#problem !== undefined) {
			return;
		}

		this.#pending.push(write);
		if (this.#pending.length === 1) {
			// One deferred write for all that comes until it is committed.
			this.#db.defer(() => {
				const writes = this.#pending;
				this.#pending = [];
				for (const pending of writes) {
					pending();
				}
			}, error => {
				this.#stop(error);
			});
		}
	}

	#stop(error: unknown): void {
		this.#problem ??= error instanceof Error ? error.message : String(error);
		this.#pending = [];
	}

	#append(name: string, text: string): void {
		const attempt = this.#attempts.get(name);
		if (attempt === undefined) {
			return;
		}

		attempt.chunks.push(text);
		attempt.length += text.length;
		if (attempt.length >= pieceSize) {
			this.#flush(name);
		}
	}

	#flush(name: string): void {
		const attempt = this.#attempts.get(name);
		if (attempt === undefined || attempt.length === 0) {
			return;
		}

		const piece = {name, attempt: attempt.attempt, piece: attempt.piece++, text: attempt.chunks.join('')};
		this.#write(() => {
			this.#db.recordOutput(this.#runId, piece);
		});
		attempt.chunks = [];
		attempt.length = 0;
	}
}
