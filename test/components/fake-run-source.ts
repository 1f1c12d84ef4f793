import type {ActionInfo, ActionState, EngineEvent, OutputStream, Progress} from '../../src/engine/types.js';
import type {RunSource} from '../../components/run-source.js';

/**
A test double for the engine: an in-memory list of actions and an event
stream the test scripts by hand. It records what the console asked of it.
*/
export class FakeRunSource implements RunSource {
	readonly cancelled: string[] = [];
	readonly retried: string[] = [];
	time = 1_000_000;
	readonly #actions = new Map<string, ActionInfo>();
	readonly #listeners = new Set<(event: EngineEvent) => void>();

	constructor(names: readonly string[]) {
		for (const name of names) {
			this.#actions.set(name, {name, state: 'pending', attempt: 0, cleanup: false, data: dataOf(name), detail: {}});
		}
	}

	get listeners(): number {
		return this.#listeners.size;
	}

	snapshot(): ActionInfo[] {
		return [...this.#actions.values()].map(info => ({...info, detail: {...info.detail}}));
	}

	subscribe(listener: (event: EngineEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	cancel(names: readonly string[]): void {
		this.cancelled.push(...names);
	}

	retry(name: string): void {
		this.retried.push(name);
	}

	/** An action the engine adds while the run goes on: no event, the next one names it. */
	add(name: string): void {
		this.#actions.set(name, {name, state: 'pending', attempt: 0, cleanup: false, data: dataOf(name), detail: {}});
	}

	/** Move an action to a state, as the engine would announce it. */
	state(name: string, state: ActionState, extra: {message?: string; detail?: Record<string, unknown>} = {}): void {
		const info = this.#info(name);
		const previous = info.state;
		info.state = state;
		if (state === 'running') {
			info.attempt++;
			info.startedAt = this.time;
		} else {
			info.endedAt = this.time;
		}

		info.message = extra.message ?? info.message;
		Object.assign(info.detail, extra.detail);

		this.#emit({type: 'state', action: name, state, previous, attempt: info.attempt, time: this.time, ...extra});
	}

	output(name: string, text: string, stream: OutputStream = 'stdout'): void {
		this.#emit({type: 'output', action: name, stream, text, time: this.time});
	}

	progress(name: string, progress: Progress): void {
		this.#emit({type: 'progress', action: name, progress, time: this.time});
	}

	describe(name: string, detail: Record<string, unknown>): void {
		Object.assign(this.#info(name).detail, detail);
		this.#emit({type: 'describe', action: name, detail, time: this.time});
	}

	run(state: 'started' | 'finished' | 'cancelling'): void {
		this.#emit({type: 'run', state, time: this.time});
	}

	#info(name: string): ActionInfo {
		const info = this.#actions.get(name);
		if (info === undefined) {
			throw new Error(`No action ${name} in the fake run`);
		}

		return info;
	}

	#emit(event: EngineEvent): void {
		for (const listener of this.#listeners) {
			listener(event);
		}
	}
}

/** The data the plan gives an action: its kind, and host, volume and device where the name has them. */
export function dataOf(name: string): Record<string, unknown> {
	const [kind, host, volume, device] = name.split('/');
	return Object.fromEntries(Object.entries({kind, host, volume, device}).filter(([, value]) => value !== undefined));
}

/** The actions of a backup run of `hosts` (each `host/volume` list) to `devices`, as SPEC §3 names them. */
export function backupRun(volumes: readonly string[], devices: readonly string[]): string[] {
	const names = ['pre-device-hook', 'check-stores'];
	const hosts = new Set<string>();
	for (const path of volumes) {
		const host = path.split('/')[0]!;
		if (!hosts.has(host)) {
			hosts.add(host);
			names.push(`live/${host}`);
		}

		names.push(`pre-volume-hook/${path}`, `post-volume-hook/${path}`);
		for (const device of devices) {
			names.push(`identify/${path}/${device}`, `underway/${path}/${device}`, `backup/${path}/${device}`, `record-backup/${path}/${device}`);
		}
	}

	names.push('post-device-hook');
	return names;
}
