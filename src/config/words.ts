import {ValueError} from './errors.js';

/** One configuration line, split. */
export type SplitLine = {
	/** Column of the first word; a tab advances to the next multiple of 8. */
	indent: number;
	/** The words, unquoted; empty for a blank or comment-only line. */
	words: string[];
};

/**
Split a line into words (SPEC §1.1). `"…"` quotes, with backslash escaping
the next character inside quotes; a quoted part may adjoin unquoted text in
the same word (`a"b c"` is `ab c`). A backslash outside quotes is an error. A
word that begins with `#` starts a comment.
*/
export function splitLine(text: string): SplitLine {
	let indent = 0;
	let i = 0;
	for (; i < text.length && (text[i] === ' ' || text[i] === '\t'); i++) {
		indent = text[i] === '\t' ? (Math.floor(indent / 8) + 1) * 8 : indent + 1;
	}

	const words: string[] = [];
	while (i < text.length) {
		const char = text[i];
		if (char === ' ' || char === '\t' || char === '\r') {
			i++;
		} else if (char === '#') {
			break;
		} else {
			const [word, next] = readWord(text, i);
			words.push(word);
			i = next;
		}
	}

	return {indent, words};
}

/** Read one word starting at `start`; return it and the index after it. */
function readWord(text: string, start: number): [string, number] {
	let word = '';
	let i = start;
	while (i < text.length) {
		const char = text[i];
		if (char === ' ' || char === '\t' || char === '\r') {
			break;
		}

		if (char === '\\') {
			throw new ValueError('unquoted backslash');
		}

		if (char === '"') {
			const [quoted, next] = readQuoted(text, i + 1);
			word += quoted;
			i = next;
		} else {
			word += char;
			i++;
		}
	}

	return [word, i];
}

/** Read a quoted part whose opening quote is just before `start`. */
function readQuoted(text: string, start: number): [string, number] {
	let part = '';
	for (let i = start; i < text.length; i++) {
		const char = text[i];
		if (char === '"') {
			return [part, i + 1];
		}

		if (char === '\\') {
			i++;
			if (i >= text.length) {
				break;
			}
		}

		part += text[i];
	}

	throw new ValueError('unterminated string');
}

/** Quote a word if it needs it, so that `splitLine` reads it back unchanged. */
export function quoteWord(word: string): string {
	if (word !== '' && !/[\s"\\]/.test(word) && !word.startsWith('#')) {
		return word;
	}

	return `"${word.replaceAll(/["\\]/g, match => `\\${match}`)}"`;
}
