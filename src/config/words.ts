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
	for (; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === space) {
			indent++;
		} else if (code === tab) {
			indent = (Math.floor(indent / 8) + 1) * 8;
		} else {
			break;
		}
	}

	const words: string[] = [];
	while (i < text.length) {
		const code = text.charCodeAt(i);
		if (code === space || code === tab || code === cr) {
			i++;
		} else if (code === hash) {
			break;
		} else {
			words.push(readWord(text, i));
			i = wordEnd;
		}
	}

	return {indent, words};
}

const space = 0x20;
const tab = 0x09;
const cr = 0x0D;
const hash = 0x23;
const quote = 0x22;
const backslash = 0x5C;

/** Where the word `readWord` or the part `readQuoted` last read ends. */
let wordEnd = 0;

/** Read one word starting at `start`; `wordEnd` is the index after it. A word without quotes is a slice of the line. */
function readWord(text: string, start: number): string {
	let word = '';
	let from = start;
	let i = start;
	while (i < text.length) {
		const code = text.charCodeAt(i);
		if (code === space || code === tab || code === cr) {
			break;
		}

		if (code === backslash) {
			throw new ValueError('unquoted backslash');
		}

		if (code === quote) {
			word += text.slice(from, i) + readQuoted(text, i + 1);
			i = wordEnd;
			from = i;
		} else {
			i++;
		}
	}

	wordEnd = i;
	return from === start ? text.slice(start, i) : word + text.slice(from, i);
}

/** Read a quoted part whose opening quote is just before `start`; `wordEnd` is the index after its closing quote. */
function readQuoted(text: string, start: number): string {
	let part = '';
	for (let i = start; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === quote) {
			wordEnd = i + 1;
			return part;
		}

		if (code === backslash) {
			i++;
			if (i >= text.length) {
				break;
			}
		}

		part += text[i];
	}

	throw new ValueError('unterminated string');
}

/** Whether `quoteWord` must quote `word`: empty, starting with `#`, or holding white space, a quote or a backslash. */
function needsQuotes(word: string): boolean {
	if (word === '' || word.charCodeAt(0) === hash) {
		return true;
	}

	for (let i = 0; i < word.length; i++) {
		const code = word.charCodeAt(i);
		if (code === quote || code === backslash) {
			return true;
		}

		// Printable ASCII is never white space; any other character asks the regular expression.
		if ((code <= space || code > 0x7E) && /\s/.test(word[i]!)) {
			return true;
		}
	}

	return false;
}

/** Quote a word if it needs it, so that `splitLine` reads it back unchanged. */
export function quoteWord(word: string): string {
	if (!needsQuotes(word)) {
		return word;
	}

	return `"${word.replaceAll(/["\\]/g, match => `\\${match}`)}"`;
}
