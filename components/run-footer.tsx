import {Box, Text} from 'ink';
import type {Confirmation} from './run-commands.js';
import type {RunSummary} from './run-summary.js';
import {stateStyles} from './state-style.js';

/** Props of the run view's last lines. */
export type RunFooterProps = {
	/** The run is over: show the summary line above the prompt. */
	summary?: RunSummary;
	confirm?: Confirmation;
	/** The filter text while it is being typed. */
	editingFilter?: string;
	notice?: string;
	color: boolean;
};

const hints = '↑↓ move  ←→ fold  ⏎ detail  c cancel  r retry  / filter  f follow  ? help  q quit';

/** The summary when finished; then the question asked, the filter being typed, the last notice, or the key hints. */
export function RunFooter({summary, confirm, editingFilter, notice, color}: RunFooterProps) {
	return (
		<Box flexDirection="column">
			{summary && <SummaryLine summary={summary} color={color}/>}
			{confirm
				? <Text wrap="truncate" bold color={color ? 'yellow' : undefined}>{confirm.question}</Text>
				: editingFilter === undefined
					? <Text wrap="truncate" dimColor={notice === undefined}>{notice ?? hints}</Text>
					: <Text wrap="truncate">/{editingFilter}█  (Enter keeps, Esc clears)</Text>}
		</Box>
	);
}

function SummaryLine({summary, color}: {summary: RunSummary; color: boolean}) {
	return (
		<Text wrap="truncate">
			<Text bold>finished: </Text>
			{summary.counts.length === 0 ? 'nothing to do (nothing selected, or nothing needed)' : ''}
			{summary.counts.map(({state, count}) => (
				<Text key={state} color={color ? stateStyles[state].color : undefined}>
					{stateStyles[state].symbol} {count} {stateStyles[state].label}
					{state === 'failed' ? ` (${summary.failed.join(', ')})` : ''}
					{'  '}
				</Text>
			))}
		</Text>
	);
}
