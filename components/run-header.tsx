import {Box, Text} from 'ink';
import {OwnText, standIn} from './own-text.js';
import {formatDuration} from './format-duration.js';
import {allStates, stateStyles} from './state-style.js';
import type {RunStatus, StateCounts} from './tree-model.js';

/** Props of the run view's first two lines. */
export type RunHeaderProps = {
	/** What is running, such as `rsdeck --backup`. */
	title: string;
	/** The run's phase; `finished` wins over the engine's word when the caller says so. */
	phase: RunStatus['state'];
	counts: StateCounts;
	/** Milliseconds since the run started. */
	elapsed: number;
	/** Expected total duration in ms, from history; no ETA without it. */
	estimate?: number;
	/** Modes worth a reminder: following running work, a filter. */
	follow: boolean;
	filter: string;
	color: boolean;
	/** Terminal columns: the first line is laid out to exactly this width. */
	width: number;
};

/** Title, phase, elapsed time and ETA; then the number of actions in each state that has any. */
export function RunHeader(props: RunHeaderProps) {
	const modes = [props.follow ? 'following' : '', props.filter === '' ? '' : `filter: ${props.filter}`].filter(mode => mode !== '');
	const counts = allStates.filter(state => props.counts[state] > 0).map(state => ({state, text: `${stateStyles[state].symbol} ${props.counts[state]} ${stateStyles[state].label}  `}));
	const countsWidth = counts.reduce((sum, {text}) => sum + text.length, 0);
	const line = headerLine({
		title: `${props.title} `,
		phase: props.phase,
		modes: modes.length > 0 ? `  [${modes.join(', ')}]` : '',
		elapsed: `elapsed ${formatDuration(props.elapsed)}`,
		eta: etaText(props.phase, props.elapsed, props.estimate),
	}, props.width);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				<Text bold>{line.title}<Text color={props.color ? phaseColors[props.phase] : undefined}>{line.phase}</Text>{line.modes}</Text>
				{line.gap}{line.right}
			</Text>
			<OwnText width={countsWidth <= props.width ? countsWidth : undefined}>
				{counts.map(({state, text}) => <Text key={state} color={props.color ? stateStyles[state].color : undefined}>{standIn(text)}</Text>)}
			</OwnText>
		</Box>
	);
}

const phaseColors: Readonly<Record<RunStatus['state'], string>> = {
	waiting: 'gray',
	running: 'cyan',
	cancelling: 'yellow',
	finished: 'green',
};

type HeaderParts = {title: string; phase: string; modes: string; elapsed: string; eta: string};

/**
The first line cut to `width`, most important first: the title and phase stay
whole while anything else can go. The modes are cut first (with `…`), then
the ETA, then the elapsed time; only a terminal too narrow for the title
itself cuts the title.
*/
export function headerLine(parts: HeaderParts, width: number): {title: string; phase: string; modes: string; gap: string; right: string} {
	const essential = parts.title.length + parts.phase.length;
	const right = [`${parts.elapsed}${parts.eta}`, parts.elapsed, ''].find(text => text === '' || essential + 1 + text.length <= width) ?? '';
	const room = Math.max(0, width - (right === '' ? 0 : right.length + 1));
	const left = cut(parts.title + parts.phase + parts.modes, room);
	const title = left.slice(0, parts.title.length);
	const phase = left.slice(title.length, essential);
	const modes = left.slice(essential);
	return {title, phase, modes, gap: right === '' ? '' : ' '.repeat(Math.max(1, width - left.length - right.length)), right};
}

/** `text` in at most `width` columns, ending in `…` when cut. */
function cut(text: string, width: number): string {
	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`.slice(0, width);
}

function etaText(phase: RunStatus['state'], elapsed: number, estimate: number | undefined): string {
	if (estimate === undefined || phase === 'finished') {
		return '';
	}

	const remaining = estimate - elapsed;
	return remaining > 0 ? `  ETA ${formatDuration(remaining)}` : '  ETA any moment';
}
