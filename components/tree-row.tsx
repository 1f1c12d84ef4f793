import {memo, type JSX} from 'react';
import {Box, Text} from 'ink';
import {formatDuration} from './format-duration.js';
import {progressText} from './progress-text.js';
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
		{text: ` ${node.label}`},
	];
	if (node.type === 'action' && node.message !== undefined) {
		left.push({text: ` ${oneLine(node.message)}`, dim: true});
	}

	const right = node.type === 'group' ? groupDetails(node, layout) : [{text: actionDetails(node, layout.now)}];
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
	({segments, selected}: {segments: Segment[]; selected: boolean}) => {
		const fill = segments.findIndex(segment => segment.fill);
		const left = fill === -1 ? segments : segments.slice(0, fill);
		const right = fill === -1 ? [] : segments.slice(fill + 1);
		const blank = fill === -1 ? 0 : segments[fill]!.text.length;
		return (
			<Box>
				{styledText(left, selected)}
				{selected ? <Text inverse>{' '.repeat(blank)}</Text> : <Box width={blank} flexShrink={0}/>}
				{right.length > 0 && styledText(right, selected)}
			</Box>
		);
	},
	(before, after) => before.selected === after.selected && sameSegments(before.segments, after.segments),
);

function styledText(segments: readonly Segment[], selected: boolean): JSX.Element {
	return (
		<Text wrap="truncate" inverse={selected}>
			{segments.map((segment, index) => (segment.color === undefined && !segment.dim
				? segment.text
				: <Text key={index} color={segment.color} dimColor={segment.dim}>{segment.text}</Text>))}
		</Text>
	);
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

function actionDetails(action: TreeAction, now: number): string {
	const parts: string[] = [];
	if (action.state === 'running') {
		parts.push(progressText(action.progress));
	}

	if (action.attempt > 1) {
		parts.push(`attempt ${action.attempt}`);
	}

	if (action.startedAt !== undefined) {
		parts.push(formatDuration((action.endedAt ?? now) - action.startedAt));
	}

	return parts.filter(part => part !== '').join('  ');
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

	const progress = group.actions.find(action => action.state === 'running')?.progress;
	if (progress !== undefined) {
		segments.push({text: `  ${progressText(progress)}`});
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

/** Cut segments to at most `width` characters (the tree's symbols and names are one cell each). */
function fit(segments: readonly Segment[], width: number): Segment[] {
	const fitted: Segment[] = [];
	let room = Math.max(0, width);
	for (const segment of segments) {
		const text = segment.text.length > room ? `${segment.text.slice(0, Math.max(0, room - 1))}…` : segment.text;
		fitted.push({...segment, text: text.slice(0, room)});
		room -= fitted.at(-1)!.text.length;
	}

	return fitted;
}
