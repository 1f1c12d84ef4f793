import type {EngineEvent} from './types.js';

type Listener = (event: EngineEvent) => void;

/**
The engine's one ordered stream. An event raised by a listener waits until
every listener has seen the current one, so all see the same order.
*/
export class EventStream {
	readonly #listeners = new Set<Listener>();
	readonly #outbox: EngineEvent[] = [];
	#delivering = false;

	/** Whether anyone listens: callers check, so that no event is built for nobody. */
	get active(): boolean {
		return this.#listeners.size > 0;
	}

	subscribe(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	emit(event: EngineEvent): void {
		this.#outbox.push(event);
		if (this.#delivering) {
			return;
		}

		this.#delivering = true;
		try {
			for (let index = 0; index < this.#outbox.length; index++) {
				const queued = this.#outbox[index]!;
				for (const listener of this.#listeners) {
					deliver(listener, queued);
				}
			}
		} finally {
			this.#outbox.length = 0;
			this.#delivering = false;
		}
	}
}

/** A listener's error must not break the run; it is rethrown outside the engine's own code. */
function deliver(listener: Listener, event: EngineEvent): void {
	try {
		listener(event);
	} catch (error) {
		queueMicrotask(() => {
			throw error;
		});
	}
}
