import process from 'node:process';
import type {ActionState} from '../src/engine/types.js';

/** How a state looks: a symbol that carries the meaning, and a colour that only helps. */
export type StateStyle = {
	/** One terminal cell, readable without colour. */
	symbol: string;
	/** An Ink colour name. */
	color: string;
	/** The operator's word for it. */
	label: string;
};

export const stateStyles: Readonly<Record<ActionState, StateStyle>> = {
	pending: {symbol: '·', color: 'gray', label: 'pending'},
	ready: {symbol: '○', color: 'blue', label: 'ready'},
	running: {symbol: '▶', color: 'cyan', label: 'running'},
	retry_wait: {symbol: '↻', color: 'yellow', label: 'retry wait'},
	succeeded: {symbol: '✓', color: 'green', label: 'succeeded'},
	warned: {symbol: '!', color: 'yellow', label: 'warned'},
	failed: {symbol: '✗', color: 'red', label: 'failed'},
	skipped: {symbol: '-', color: 'gray', label: 'skipped'},
	upstream_failed: {symbol: '⊘', color: 'magenta', label: 'upstream failed'},
	cancelled: {symbol: '⊗', color: 'yellow', label: 'cancelled'},
};

/** Every state, in the order the header lists their counts. */
export const allStates: readonly ActionState[] = [
	'running',
	'retry_wait',
	'ready',
	'pending',
	'succeeded',
	'warned',
	'skipped',
	'failed',
	'upstream_failed',
	'cancelled',
];

/**
Which state a group shows when its actions differ: the most urgent one
first, so a failure is never hidden by work that is still going on.
*/
export const stateUrgency: readonly ActionState[] = [
	'failed',
	'cancelled',
	'upstream_failed',
	'running',
	'retry_wait',
	'ready',
	'pending',
	'warned',
	'succeeded',
	'skipped',
];

/** Whether colour is wanted: `NO_COLOR` set to anything non-empty turns it off (no-color.org). */
export function colorEnabled(environment: NodeJS.ProcessEnv = process.env): boolean {
	const value = environment['NO_COLOR'];
	return value === undefined || value === '';
}
