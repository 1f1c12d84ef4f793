import type {Progress} from '../engine/types.js';

/** One `--info=progress2` record: `  1,234,567  45%   12.34MB/s    0:00:03 (xfr#3, to-chk=5/9)`. */
const progressRecord = /^\s*([\d,]+)\s+(\d{1,3})%\s+(\S+\/s)\s+(\d+:\d{2}:\d{2})/;

/**
Separates rsync's `--info=progress2` records (rewritten in place with `\r`)
from the rest of its output: records become progress reports, everything
else is the backup's log, unchanged.
*/
export class RsyncProgressFilter {
	#pending = '';
	readonly #onProgress: (progress: Progress) => void;

	constructor(onProgress: (progress: Progress) => void) {
		this.#onProgress = onProgress;
	}

	/** Feed a chunk of stdout; returns the part that belongs in the log. */
	feed(text: string): string {
		this.#pending += text;
		let log = '';
		let start = 0;
		for (let index = 0; index < this.#pending.length; index++) {
			const character = this.#pending[index];
			if (character === '\r' || character === '\n') {
				log += this.#segment(this.#pending.slice(start, index), character);
				start = index + 1;
			}
		}

		this.#pending = this.#pending.slice(start);
		return log;
	}

	/** What is left once rsync has ended. */
	flush(): string {
		const rest = this.#pending;
		this.#pending = '';
		return progressRecord.test(rest) ? '' : rest;
	}

	#segment(segment: string, end: string): string {
		const match = progressRecord.exec(segment);
		if (match) {
			const [, bytes, percent, rate, eta] = match;
			this.#onProgress({fraction: Number(percent) / 100, text: `${bytes} bytes ${percent}% ${rate} ${eta}`});
			return '';
		}

		return end === '\r' && segment === '' ? '' : `${segment}\n`;
	}
}
