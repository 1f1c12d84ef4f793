import type {ActionNode} from './node.js';
import type {ActionContext, OutputStream, Progress} from './types.js';

/** Where a body's output, progress and details go: the engine. */
export type ContextSink = {
	log(node: ActionNode, text: string, stream: OutputStream): void;
	progress(node: ActionNode, progress: Progress): void;
	describe(node: ActionNode, detail: Record<string, unknown>): void;
};

/** The `ctx` one attempt of an action's body receives. */
export class BodyContext implements ActionContext {
	readonly name: string;
	readonly attempt: number;
	readonly signal: AbortSignal;
	readonly #sink: ContextSink;
	readonly #node: ActionNode;

	constructor(sink: ContextSink, node: ActionNode, signal: AbortSignal) {
		this.name = node.name;
		this.attempt = node.attempt;
		this.signal = signal;
		this.#sink = sink;
		this.#node = node;
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
