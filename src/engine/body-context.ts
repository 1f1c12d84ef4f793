import type {ActionNode} from './node.js';
import type {ActionContext, OutputStream, Progress} from './types.js';

/** Where a body's output, progress and details go: the engine. */
export type ContextSink = {
	log(node: ActionNode, text: string, stream: OutputStream): void;
	progress(node: ActionNode, progress: Progress): void;
	describe(node: ActionNode, detail: Record<string, unknown>): void;
};

/**
The `ctx` one attempt of an action's body receives. Its AbortController is
made only when the body first reads `signal`: most bodies in a large run
never do, and creating signals is a large share of the engine's cost.
*/
export class BodyContext implements ActionContext {
	readonly name: string;
	readonly attempt: number;
	readonly #sink: ContextSink;
	readonly #node: ActionNode;
	#controller: AbortController | undefined;
	#abortReason: Error | undefined;

	constructor(sink: ContextSink, node: ActionNode) {
		this.name = node.name;
		this.attempt = node.attempt;
		this.#sink = sink;
		this.#node = node;
	}

	get signal(): AbortSignal {
		if (this.#controller === undefined) {
			this.#controller = new AbortController();
			if (this.#abortReason !== undefined) {
				this.#controller.abort(this.#abortReason);
			}
		}

		return this.#controller.signal;
	}

	/** Why the attempt was aborted, if it was. */
	get abortReason(): Error | undefined {
		return this.#abortReason;
	}

	/** Abort the attempt (once): the body's signal fires, and its end counts as `cancelled`. */
	abort(reason: Error): void {
		if (this.#abortReason === undefined) {
			this.#abortReason = reason;
			this.#controller?.abort(reason);
		}
	}

	log(text: string, stream: OutputStream = 'info'): void {
		this.#sink.log(this.#node, text, stream);
	}

	progress(progress: Progress): void {
		this.#sink.progress(this.#node, progress);
	}

	describe(detail: Record<string, unknown>): void {
		this.#sink.describe(this.#node, detail);
	}
}
