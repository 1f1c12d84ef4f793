/**
rsbackup's plain-text tables: `| a | b |` with column widths computed from the
contents, header cells centred (and able to span columns), body cells
left-aligned, and no space before the closing `|` of the last column.
*/

/** A header cell covering `span` columns (default 1). */
export type HeaderCell = {text: string; span?: number};

/** A table: header rows of (possibly spanning) cells, then body rows with one string per column. */
export type TextTableSpec = {
	header: HeaderCell[][];
	body: string[][];
};

/** Render a table as lines, each ending in a newline. */
export function renderTextTable(table: TextTableSpec): string {
	const widths = columnWidths(table);
	let text = '';
	for (const row of table.header) {
		text += `${renderRow(row.map(cell => ({...cell, align: 'centre' as const})), widths)}\n`;
	}

	for (const row of table.body) {
		text += `${renderBodyRow(row, widths)}\n`;
	}

	return text;
}

type PlacedCell = HeaderCell & {align: 'left' | 'centre'};

function columnWidths(table: TextTableSpec): number[] {
	const count = Math.max(0, ...table.body.map(row => row.length), ...table.header.map(row => row.reduce((sum, cell) => sum + (cell.span ?? 1), 0)));
	const widths = Array.from({length: count}, () => 0);
	for (const row of table.body) {
		for (const [index, text] of row.entries()) {
			widths[index] = Math.max(widths[index] ?? 0, text.length);
		}
	}

	const spanning: Array<{start: number; span: number; text: string}> = [];
	for (const row of table.header) {
		let start = 0;
		for (const cell of row) {
			const span = cell.span ?? 1;
			if (span === 1) {
				widths[start] = Math.max(widths[start] ?? 0, cell.text.length);
			} else {
				spanning.push({start, span, text: cell.text});
			}

			start += span;
		}
	}

	// Widen the last column of a span whose title does not fit, narrowest spans first.
	for (const {start, span, text} of spanning.sort((a, b) => a.span - b.span)) {
		const deficit = text.length - spannedWidth(widths, start, span);
		const last = start + span - 1;
		if (deficit > 0) {
			widths[last] = (widths[last] ?? 0) + deficit;
		}
	}

	return widths;
}

/** The text width of `span` columns from `start`, counting the ` | ` between them. */
function spannedWidth(widths: readonly number[], start: number, span: number): number {
	if (span === 1) {
		return widths[start] ?? 0;
	}

	return widths.slice(start, start + span).reduce((sum, width) => sum + width, 0) + (3 * (span - 1));
}

function renderRow(cells: readonly PlacedCell[], widths: readonly number[]): string {
	let line = '';
	let start = 0;
	for (const cell of cells) {
		const span = cell.span ?? 1;
		const width = spannedWidth(widths, start, span);
		const isLast = start + span >= widths.length;
		line += `| ${align(cell.text, width, cell.align)}${isLast ? '' : ' '}`;
		start += span;
	}

	return `${line}|`;
}

/** `renderRow` for a body row: one left-aligned cell per column. */
function renderBodyRow(cells: readonly string[], widths: readonly number[]): string {
	let line = '';
	for (const [index, text] of cells.entries()) {
		line += `| ${text}${' '.repeat(Math.max(0, (widths[index] ?? 0) - text.length))}${index + 1 >= widths.length ? '' : ' '}`;
	}

	return `${line}|`;
}

function align(text: string, width: number, how: 'left' | 'centre'): string {
	const extra = Math.max(0, width - text.length);
	const left = how === 'centre' ? Math.floor(extra / 2) : 0;
	return ' '.repeat(left) + text + ' '.repeat(extra - left);
}
