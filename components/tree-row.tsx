import {Box, Text} from 'ink';
import {formatDuration} from './format-duration.js';
import {progressText} from './progress-text.js';
import {StateSymbol} from './state-symbol.js';
import {stateStyles} from './state-style.js';
import {
	groupSize,
	groupState,
	type ActionNode,
	type GroupNode,
	type TreeRow,
} from './tree-model.js';

/** Props of one line of the tree. */
export type TreeRowProps = {
	row: TreeRow;
	/** The cursor is on this row. */
	selected: boolean;
	/** For groups: whether the children are shown. */
	open: boolean;
	/** The engine clock now, for the elapsed time of running work. */
	now: number;
	color: boolean;
};

/** One line of the tree: cursor, indentation, fold marker, state symbol, name, then right-aligned details. */
export function TreeRowLine({row, selected, open, now, color}: TreeRowProps) {
	const {node, depth} = row;
	const lead = `${selected ? '›' : ' '}${'  '.repeat(depth)}`;
	const state = node.type === 'group' ? groupState(node) : node.state;
	return (
		<Box>
			<Box flexGrow={1} flexShrink={1} overflow="hidden">
				<Text wrap="truncate" inverse={selected} bold={node.type === 'group' && node.level === 'host'}>
					{lead}
					{node.type === 'group' ? `${open ? '▾' : '▸'} ` : '  '}
					<StateSymbol state={state} color={color}/>
					{' '}
					{node.label}
					{node.type === 'action' && node.message !== undefined && <Text dimColor> {node.message}</Text>}
				</Text>
			</Box>
			<Box flexShrink={0} marginLeft={1}>
				{node.type === 'group' ? <GroupDetails group={node} now={now} color={color}/> : <ActionDetails action={node} now={now}/>}
			</Box>
		</Box>
	);
}

function ActionDetails({action, now}: {action: ActionNode; now: number}) {
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

	return <Text>{parts.filter(part => part !== '').join('  ')}</Text>;
}

/** A device shows each of its steps' symbols and the progress of its running step; other groups how many are done. */
function GroupDetails({group, now, color}: {group: GroupNode; now: number; color: boolean}) {
	const running = group.actions.find(action => action.state === 'running');
	const done = groupSize(group) - group.counts.pending - group.counts.ready - group.counts.running - group.counts.retry_wait;
	const elapsed = group.firstStart === undefined
		? ''
		: formatDuration((group.counts.running > 0 ? now : group.lastEnd ?? now) - group.firstStart);
	return (
		<Text>
			{group.level === 'device'
				? group.actions.map(action => (
					<Text key={action.name} color={color ? stateStyles[action.state].color : undefined}>{stateStyles[action.state].symbol}</Text>
				))
				: `${done}/${groupSize(group)}`}
			{running?.progress === undefined ? '' : `  ${progressText(running.progress)}`}
			{elapsed === '' ? '' : `  ${elapsed}`}
		</Text>
	);
}
