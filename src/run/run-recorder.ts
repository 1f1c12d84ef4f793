import type {BackupDatabase} from '../db/backup-database.js';
import type {Engine} from '../engine/engine.js';
import {terminalStates} from '../engine/types.js';

/**
Keeps rsdeck's own history of a run in the database: the run, and each action
as it ends (state, attempts, times, exit status, complete output).
*/
export class RunRecorder {
	readonly #db: BackupDatabase;
	readonly #runId: number;
	readonly #output = new Map<string, string[]>();

	constructor(db: BackupDatabase, engine: Engine, argv: string[]) {
		this.#db = db;
		this.#runId = db.startRun({started: Date.now(), argv});
		engine.subscribe(event => {
			if (event.type === 'output') {
				const chunks = this.#output.get(event.action) ?? [];
				chunks.push(event.text);
				this.#output.set(event.action, chunks);
			} else if (event.type === 'state' && terminalStates.has(event.state)) {
				const info = engine.info(event.action);
				const waitStatus = info?.detail['waitStatus'];
				db.recordAction(this.#runId, {
					name: event.action,
					state: event.state,
					attempt: event.attempt,
					...(info?.startedAt === undefined ? {} : {started: info.startedAt}),
					finished: event.time,
					...(typeof waitStatus === 'number' ? {waitStatus} : {}),
					...(event.message === undefined ? {} : {message: event.message}),
					output: (this.#output.get(event.action) ?? []).join(''),
				});
				this.#output.delete(event.action);
			}
		});
	}

	finish(exitStatus: number): void {
		this.#db.finishRun(this.#runId, {finished: Date.now(), exitStatus});
	}
}
