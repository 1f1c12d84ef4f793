import {createElement, type JSX, type ReactNode} from 'react';

/**
The console's own symbols, laid out as ASCII stand-ins. Ink measures every
text of every frame, and a text with one character beyond ASCII is measured
grapheme by grapheme (string-width's slow path): on a big run that was most
of a frame's cost. So a text made only of rsdeck's own characters (tree
markers, state symbols, progress bars, counts, durations) is written with one
ASCII character for each symbol, all of width one as the symbols are, and
Ink puts the symbols back as it draws the line (a Transform is applied after
the layout). Text from elsewhere (names, messages, rsync's words) is never
written this way, so a `+` in a host name stays a `+`.
*/
const standIns: ReadonlyMap<string, string> = new Map([
	['·', '`'],
	['○', '~'],
	['▶', '>'],
	['↻', '@'],
	['✓', '+'],
	['✗', '*'],
	['⊘', '('],
	['⊗', ')'],
	['›', '^'],
	['▾', '}'],
	['▸', '{'],
	['█', '#'],
	['░', '='],
	['…', '|'],
	['⏎', '$'],
]);

const symbols: ReadonlyMap<string, string> = new Map([...standIns].map(([symbol, standIn]) => [standIn, symbol]));
const symbolPattern = new RegExp(`[${[...standIns.keys()].join('')}]`, 'g');
const standInPattern = new RegExp(`[${[...symbols.keys()].map(standIn => `\\${standIn}`).join('')}]`, 'g');

/** `text` (rsdeck's own characters only) with each symbol replaced by its stand-in. */
export function standIn(text: string): string {
	return text.replaceAll(symbolPattern, symbol => standIns.get(symbol)!);
}

/**
A line as Ink draws it (escape codes included: none of them uses a stand-in
character) with the symbols put back.
*/
export function restoreSymbols(line: string): string {
	return line.replaceAll(standInPattern, character => symbols.get(character)!);
}

/**
A text of rsdeck's own characters, cut to its width like `<Text wrap="truncate">`:
its strings (and those of the Texts in it) must have been passed through
standIn. It is Ink's own text element, as Ink's Transform makes it, with the
cut that a Transform cannot be given. Given its `width` (its length: every
character of it takes one cell), it is one line of that width and Ink never
measures it: Ink keeps every text it has measured for good, and a row's
elapsed time is a new text every second.
*/
export function OwnText({children, width}: {children: ReactNode; width?: number}): JSX.Element {
	return createElement('ink-text', {style: width === undefined ? ownTextStyle : {...ownTextStyle, width, height: 1, flexShrink: 0}, internal_transform: restoreSymbols}, children);
}

const ownTextStyle = {flexGrow: 0, flexShrink: 1, flexDirection: 'row', textWrap: 'truncate'};
