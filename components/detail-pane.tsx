import {Box, Text} from 'ink';
import type {OutputStream} from '../src/engine/types.js';
import {formatDuration} from './format-duration.js';
import {StateSymbol} from './state-symbol.js';
import {stateStyles} from './state-style.js';
import type {TreeAction} from './tree-model.js';

/** Props of the pane that shows one action in full. */
export type DetailPaneProps = {
	action: TreeAction;
	/** Rows the pane may use. */
	height: number;
	/** Columns, for wrapping the command line and environment. */
	width: number;
	/** Output lines scrolled up from the newest; 0 follows new output. Limited to `maxScroll`. */
	scroll: number;
	now: number;
	color: boolean;
};

/** Keys of `detail` shown in their own way; every other key gets a `key: value` line. */
const specialKeys = new Set(['command', 'env', 'exitStatus', 'waitStatus']);

/** Name, state, attempts, exit status, command line, environment, other details, then as much output as fits. */
export function DetailPane({action, height, width, scroll, now, color}: DetailPaneProps) {
	const facts = factLines(action, width).slice(0, Math.max(0, height - 4));
	const lines = action.output.lines;
	const outputRows = Math.max(1, height - facts.length - 3);
	const end = lines.length - Math.min(scroll, maxScroll(action, height, width));
	const visible = lines.slice(Math.max(0, end - outputRows), end);
	const hidden = action.output.dropped + end - visible.length;
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">{`── ${action.name} `.padEnd(width, '─')}</Text>
			<Text wrap="truncate">
				<StateSymbol state={action.state} color={color}/> {summary(action, now)}
				{action.message === undefined ? '' : <Text color={color ? stateStyles[action.state].color : undefined}>  {action.message}</Text>}
			</Text>
			{facts.map((line, index) => <Text key={index} wrap="truncate">{line}</Text>)}
			<Text dimColor wrap="truncate">
				{`── output: ${lines.length + action.output.dropped} lines${hidden > 0 ? `, ${hidden} above` : ''}${scroll > 0 ? `, ${scroll} below (G: newest)` : ''} `.padEnd(width, '─')}
			</Text>
			{visible.map((line, index) => (
				<Text key={index} wrap="truncate" color={color ? streamColors[line.stream] : undefined}>{line.text === '' ? ' ' : line.text}</Text>
			))}
		</Box>
	);
}

/** How far up the output can scroll: until its first line is at the top of the pane. */
export function maxScroll(action: TreeAction, height: number, width: number): number {
	const facts = Math.min(factLines(action, width).length, Math.max(0, height - 4));
	return Math.max(0, action.output.lines.length - Math.max(1, height - facts - 3));
}

const streamColors: Readonly<Record<OutputStream, string | undefined>> = {
	stdout: undefined,
	stderr: 'yellow',
	info: 'gray',
	warning: 'yellow',
	error: 'red',
};

function summary(action: TreeAction, now: number): string {
	const parts = [stateStyles[action.state].label, `attempt ${action.attempt}`];
	if (action.startedAt !== undefined) {
		parts.push(formatDuration((action.endedAt ?? now) - action.startedAt));
	}

	const {exitStatus, waitStatus} = action.detail;
	if (exitStatus !== undefined) {
		parts.push(`exit status ${String(exitStatus)}`);
	}

	if (waitStatus !== undefined) {
		parts.push(`wait status ${String(waitStatus)}`);
	}

	return parts.join(' · ');
}

/** The command line and environment wrapped to the width, then one line per other detail. */
function factLines(action: TreeAction, width: number): string[] {
	const lines: string[] = [];
	const {command, env} = action.detail;
	if (Array.isArray(command)) {
		lines.push(...wrap(`$ ${command.map(word => quote(String(word))).join(' ')}`, width));
	}

	if (typeof env === 'object' && env !== null) {
		const pairs = Object.entries(env).map(([name, value]) => `${name}=${quote(String(value))}`);
		lines.push(...wrap(`env ${pairs.join(' ')}`, width));
	}

	for (const [key, value] of Object.entries(action.detail)) {
		if (!specialKeys.has(key)) {
			lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
		}
	}

	return lines;
}

/** Quote a word the way a shell would need it, so a command line can be copied. */
function quote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll('\'', '\'\\\'\'')}'`;
}

function wrap(text: string, width: number): string[] {
	const size = Math.max(10, width);
	const lines: string[] = [];
	for (let start = 0; start < text.length; start += size) {
		lines.push(text.slice(start, start + size));
	}

	return lines;
}
