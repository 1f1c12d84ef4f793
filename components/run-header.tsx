import {Box, Text} from 'ink';
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
};

/** Title, phase, elapsed time and ETA; then the number of actions in each state that has any. */
export function RunHeader(props: RunHeaderProps) {
	const modes = [props.follow ? 'following' : '', props.filter === '' ? '' : `filter: ${props.filter}`].filter(mode => mode !== '');
	return (
		<Box flexDirection="column">
			<Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="truncate" bold>{props.title} <Text color={props.color ? phaseColors[props.phase] : undefined}>{props.phase}</Text>{modes.length > 0 ? `  [${modes.join(', ')}]` : ''}</Text>
				</Box>
				<Box flexShrink={0} marginLeft={1}>
					<Text>elapsed {formatDuration(props.elapsed)}{etaText(props.phase, props.elapsed, props.estimate)}</Text>
				</Box>
			</Box>
			<Text wrap="truncate">
				{allStates.filter(state => props.counts[state] > 0).map(state => (
					<Text key={state} color={props.color ? stateStyles[state].color : undefined}>
						{stateStyles[state].symbol} {props.counts[state]} {stateStyles[state].label}{'  '}
					</Text>
				))}
			</Text>
		</Box>
	);
}

const phaseColors: Readonly<Record<RunStatus['state'], string>> = {
	waiting: 'gray',
	running: 'cyan',
	cancelling: 'yellow',
	finished: 'green',
};

function etaText(phase: RunStatus['state'], elapsed: number, estimate: number | undefined): string {
	if (estimate === undefined || phase === 'finished') {
		return '';
	}

	const remaining = estimate - elapsed;
	return remaining > 0 ? `  ETA ${formatDuration(remaining)}` : '  ETA any moment';
}
