/** The most recent output of one action, at most `limit` characters; the oldest is dropped first. */
export class OutputBuffer {
	readonly #limit: number;
	#chunks: string[] = [];
	#head = 0;
	#length = 0;

	constructor(limit: number) {
		this.#limit = limit;
	}

	append(text: string): void {
		this.#chunks.push(text);
		this.#length += text.length;
		while (this.#length > this.#limit) {
			const oldest = this.#chunks[this.#head]!;
			const excess = this.#length - this.#limit;
			if (oldest.length > excess) {
				this.#chunks[this.#head] = oldest.slice(excess);
				this.#length -= excess;
				break;
			}

			this.#head++;
			this.#length -= oldest.length;
		}

		if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
			this.#chunks = this.#chunks.slice(this.#head);
			this.#head = 0;
		}
	}

	toString(): string {
		return this.#chunks.slice(this.#head).join('');
	}
}
