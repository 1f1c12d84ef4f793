import {memo, type JSX} from 'react';
import {Box, Text} from 'ink';
import {formatDuration} from './format-duration.js';
import {OwnText, standIn} from './own-text.js';
import {progressBar} from './progress-text.js';
import {stateStyles} from './state-style.js';
import {
	groupSize,
	groupState,
	type TreeAction,
	type GroupNode,
	type TreeRow,
} from './tree-model.js';
import type {ActionState} from '../src/engine/types.js';

/** A run of text in one style. */
export type Segment = {
	text: string;
	/** An Ink colour, only when colour is on. */
	color?: string;
	dim?: boolean;
	/** Blank space between the name and the details: drawn only where it shows (the selection bar), never as text to measure. */
	fill?: boolean;
	/** Text from outside rsdeck (a name, a message, rsync's words), drawn as it is; the rest is drawn with stand-ins (own-text.tsx). */
	foreign?: boolean;
};

/** How to lay out one line of the tree. */
export type RowLayout = {
	/** The cursor is on this row. */
	selected: boolean;
	/** For groups: whether the children are shown. */
	open: boolean;
	/** The engine clock now, for the elapsed time of running work. */
	now: number;
	color: boolean;
	/** Terminal columns: the details are right-aligned. */
	width: number;
};

/**
One line of the tree as styled text: cursor, indentation, fold marker, state
symbol, name (and message), then right-aligned details. Built as plain data
so that a row that did not change is not rendered again.
*/
export function rowSegments(row: TreeRow, layout: RowLayout): Segment[] {
	const {node, depth} = row;
	const state = node.type === 'group' ? groupState(node) : node.state;
	const left: Segment[] = [
		{text: `${layout.selected ? '›' : ' '}${'  '.repeat(depth)}${node.type === 'group' ? `${layout.open ? '▾' : '▸'} ` : '  '}`},
		symbol(state, layout.color),
		{text: ' '},
		{text: node.label, foreign: true},
	];
	if (node.type === 'action' && node.message !== undefined) {
		left.push({text: ` ${oneLine(node.message)}`, dim: true, foreign: true});
	}

	const right = node.type === 'group' ? groupDetails(node, layout) : actionDetails(node, layout.now);
	const fitted = fit(left, layout.width - length(right) - 1);
	return [...fitted, {text: ' '.repeat(Math.max(1, layout.width - length(fitted) - length(right))), fill: true}, ...right];
}

/** A message on one row: each line break (rsync's error after its exit status) shown as ⏎. */
function oneLine(message: string): string {
	return message.trim().replaceAll(/\s*\n\s*/g, ' ⏎ ');
}

/**
A tree line; rendered again only when its text or styles change. The name
and the details are texts of their own and the blank between them is layout:
Ink measures and draws every text's characters on every frame, and one
symbol makes it measure a whole text cluster by cluster, so a line padded to
the terminal's width as one text cost far more than what it shows.
*/
export const TreeRowLine = memo(
	({segments, selected, width}: {segments: Segment[]; selected: boolean; width: number}) => {
		// Own texts are given their width (and so never measured) when the line fits the terminal; when it cannot, Ink cuts them.
		const fits = length(segments) <= width;
		const fill = segments.findIndex(segment => segment.fill);
		const left = fill === -1 ? segments : segments.slice(0, fill);
		const right = fill === -1 ? [] : segments.slice(fill + 1);
		const blank = fill === -1 ? 0 : segments[fill]!.text.length;
		return (
			<Box>
				{styledText(left, selected, fits)}
				{selected ? <Text inverse>{' '.repeat(blank)}</Text> : <Box width={blank} flexShrink={0}/>}
				{right.length > 0 && styledText(right, selected, fits)}
			</Box>
		);
	},
	(before, after) => before.selected === after.selected && before.width === after.width && sameSegments(before.segments, after.segments),
);

/** The segments as texts: each run of rsdeck's own segments one text written with stand-ins, each foreign segment one of its own. */
function styledText(segments: readonly Segment[], selected: boolean, fixed: boolean): JSX.Element[] {
	const texts: JSX.Element[] = [];
	for (let start = 0; start < segments.length;) {
		const foreign = segments[start]!.foreign === true;
		let end = start + 1;
		while (end < segments.length && (segments[end]!.foreign === true) === foreign && !foreign) {
			end++;
		}

		const width = fixed && !foreign ? length(segments.slice(start, end)) : undefined;
		const run = segments.slice(start, end).map((segment, index) => {
			const shown = foreign ? segment.text : standIn(segment.text);
			return segment.color === undefined && !segment.dim ? shown : <Text key={index} color={segment.color} dimColor={segment.dim}>{shown}</Text>;
		});
		texts.push(foreign
			? <Text key={start} wrap="truncate" inverse={selected}>{run}</Text>
			: <OwnText key={start} width={width}><Text inverse={selected}>{run}</Text></OwnText>);
		start = end;
	}

	return texts;
}

function sameSegments(a: readonly Segment[], b: readonly Segment[]): boolean {
	return a.length === b.length && a.every((segment, index) => {
		const other = b[index]!;
		return segment.text === other.text && segment.color === other.color && segment.dim === other.dim && segment.fill === other.fill;
	});
}

function symbol(state: ActionState | undefined, color: boolean): Segment {
	return state === undefined ? {text: ' '} : {text: stateStyles[state].symbol, color: color ? stateStyles[state].color : undefined};
}

function actionDetails(action: TreeAction, now: number): Segment[] {
	const parts: Segment[][] = [];
	if (action.state === 'running') {
		parts.push(progressSegments(action.progress));
	}

	if (action.attempt > 1) {
		parts.push([{text: `attempt ${action.attempt}`}]);
	}

	if (action.startedAt !== undefined) {
		parts.push([{text: formatDuration((action.endedAt ?? now) - action.startedAt)}]);
	}

	return parts.filter(part => part.length > 0).flatMap((part, index) => index === 0 ? part : [{text: '  '}, ...part]);
}

/** What progressText shows, as segments: the bar and percentage are rsdeck's, the body's text is foreign. */
function progressSegments(progress: TreeAction['progress']): Segment[] {
	const bar = progressBar(progress);
	const segments: Segment[] = bar === '' ? [] : [{text: bar}];
	if (progress?.text !== undefined) {
		segments.push(...bar === '' ? [] : [{text: ' '}], {text: progress.text, foreign: true});
	}

	return segments;
}

/** A device shows each of its steps' symbols and the progress of its running step; other groups how many are done. */
function groupDetails(group: GroupNode, layout: RowLayout): Segment[] {
	const segments: Segment[] = [];
	if (group.level === 'device') {
		for (const action of group.actions) {
			segments.push(symbol(action.state, layout.color));
		}
	} else {
		const {pending, ready, running, retry_wait: waiting} = group.counts;
		const size = groupSize(group);
		segments.push({text: `${size - pending - ready - running - waiting}/${size}`});
	}

	const progress = progressSegments(group.actions.find(action => action.state === 'running')?.progress);
	if (progress.length > 0) {
		segments.push({text: '  '}, ...progress);
	}

	if (group.firstStart !== undefined) {
		const end = group.counts.running > 0 ? layout.now : group.lastEnd ?? layout.now;
		segments.push({text: `  ${formatDuration(end - group.firstStart)}`});
	}

	return segments;
}

function length(segments: readonly Segment[]): number {
	let total = 0;
	for (const segment of segments) {
		total += segment.text.length;
	}

	return total;
}

/** Cut segments to at most `width` characters (the tree's symbols and names are one cell each); a cut ends in `…`, rsdeck's own. */
function fit(segments: readonly Segment[], width: number): Segment[] {
	const fitted: Segment[] = [];
	let room = Math.max(0, width);
	for (const segment of segments) {
		if (segment.text.length <= room) {
			fitted.push(segment);
			room -= segment.text.length;
		} else {
			if (room > 1) {
				fitted.push({...segment, text: segment.text.slice(0, room - 1)});
			}

			if (room > 0) {
				fitted.push({text: '…', ...segment.color === undefined ? {} : {color: segment.color}, ...segment.dim ? {dim: true} : {}});
			}

			room = 0;
		}
	}

	return fitted.filter(segment => segment.text !== '');
}
