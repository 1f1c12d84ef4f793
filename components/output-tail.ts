import type {OutputStream} from '../src/engine/types.js';

/** One line of an action's output. */
export type OutputLine = {
	/** Where it came from. */
	stream: OutputStream;
	/** The line, without its newline. */
	text: string;
};

/**
The newest lines of one action's output, bounded so a chatty rsync cannot
fill memory; the complete output lives in the database. Chunks need not end
on a line boundary: an unfinished line is continued by the next chunk of the
same stream.
*/
export class OutputTail {
	readonly #limit: number;
	#lines: OutputLine[] = [];
	#open = false;
	#dropped = 0;

	constructor(limit = 2000) {
		if (!Number.isInteger(limit) || limit < 1) {
			throw new TypeError(`Expected a positive integer line limit, got ${limit}`);
		}

		this.#limit = limit;
	}

	/** Lines kept, oldest first. */
	get lines(): readonly OutputLine[] {
		return this.#lines;
	}

	/** Lines dropped from the front to stay within the limit. */
	get dropped(): number {
		return this.#dropped;
	}

	append(stream: OutputStream, chunk: string): void {
		if (chunk === '') {
			return;
		}

		const parts = chunk.replaceAll('\r\n', '\n').split('\n');
		const complete = chunk.endsWith('\n');
		if (complete) {
			parts.pop();
		}

		const last = this.#lines.at(-1);
		if (this.#open && last?.stream === stream) {
			const first = parts.shift() ?? '';
			last.text = first.includes('\r') ? printable(first) : last.text + printable(first);
		}

		for (const part of parts) {
			this.#lines.push({stream, text: printable(part)});
		}

		this.#open = !complete;
		this.#trim();
	}

	/** A line of the console's own, such as the start of a new attempt. */
	mark(text: string): void {
		this.#lines.push({stream: 'info', text});
		this.#open = false;
		this.#trim();
	}

	/** Amortised O(1): drop the oldest lines in batches, not one shift per line. */
	#trim(): void {
		if (this.#lines.length > this.#limit * 2) {
			const excess = this.#lines.length - this.#limit;
			this.#lines.splice(0, excess);
			this.#dropped += excess;
		}
	}
}

/**
What a terminal line can show: the text after the last carriage return (a
progress meter redraws itself that way), without escape sequences or other
control characters that would break the layout, tabs expanded.
*/
export function printable(line: string): string {
	const redrawn = line.slice(line.lastIndexOf('\r') + 1);
	return redrawn
		.replaceAll(/\u001B\[[\d;?]*[ -/]*[@-~]/g, '')
		.replaceAll('\t', '    ')
		.replaceAll(/[\u0000-\u001F\u007F]/g, '');
}
