/**
rsbackup's word wrapping of paragraphs and list entries in text reports:
words are separated by single spaces whatever whitespace stood between them,
and a line breaks before a word that would take it past `width` columns. A
word longer than the line stands alone on its own line.
*/

/** The words of `text`: what C's isspace() does not call space, as rsbackup splits it. */
const words = (text: string): string[] => text.split(/[ \t\n\v\f\r]+/).filter(word => word !== '');

/** `text` with runs of whitespace made one space and none at the ends: a wrapped text without its line breaks. */
export const collapseWhitespace = (text: string): string => words(text).join(' ');

/** Wrap `text` to lines of at most `width` columns (plus `indent` before every line but the first), each ending in a newline. */
export function wordWrap(text: string, width: number, indent = ''): string {
	const lines: string[] = [];
	let line = '';
	for (const word of words(text)) {
		if (line === '') {
			line = word;
		} else if (line.length + 1 + word.length <= width) {
			line += ` ${word}`;
		} else {
			lines.push(line);
			line = word;
		}
	}

	if (line !== '') {
		lines.push(line);
	}

	return lines.map((text, index) => `${index === 0 ? '' : indent}${text}\n`).join('');
}
