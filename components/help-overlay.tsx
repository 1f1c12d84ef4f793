import {Box, Text} from 'ink';
import type {KeyHelp} from './keys.js';
import {allStates, stateStyles} from './state-style.js';

/** The `?` overlay: every key, then what each state symbol means. */
export function HelpOverlay({keys, color}: {keys: readonly KeyHelp[]; color: boolean}) {
	const width = Math.max(...keys.map(help => help.keys.length)) + 2;
	return (
		<Box flexDirection="column">
			<Text bold>Keys (? or Esc closes this help)</Text>
			{keys.map(help => (
				<Text key={help.keys} wrap="truncate">  <Text bold>{help.keys.padEnd(width)}</Text>{help.does}</Text>
			))}
			<Text bold>States</Text>
			<Box flexWrap="wrap">
				{allStates.map(state => (
					<Box key={state} marginLeft={2}>
						<Text><Text color={color ? stateStyles[state].color : undefined}>{stateStyles[state].symbol}</Text> {stateStyles[state].label}</Text>
					</Box>
				))}
			</Box>
		</Box>
	);
}
