import {Text} from 'ink';
import type {ActionState} from '../src/engine/types.js';
import {stateStyles} from './state-style.js';

/** A state's symbol, coloured unless `color` is off. */
export function StateSymbol({state, color}: {state: ActionState | undefined; color: boolean}) {
	if (state === undefined) {
		return <Text> </Text>;
	}

	const style = stateStyles[state];
	return <Text color={color ? style.color : undefined}>{style.symbol}</Text>;
}
