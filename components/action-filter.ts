import picomatch from 'picomatch';
import type {ActionState} from '../src/engine/types.js';
import {isGlob} from '../src/options/is-glob.js';
import {stateStyles} from './state-style.js';
import type {TreeAction} from './tree-model.js';

/**
The `/` filter: a state (`failed`, `running`, `upstream failed`…) keeps
actions in that state; a glob (`backup/h1/*`) keeps matching names; any
other text keeps names that contain it, ignoring case. Empty text: no filter.
*/
export function makeFilter(text: string): ((action: TreeAction) => boolean) | undefined {
	const query = text.trim();
	if (query === '') {
		return undefined;
	}

	const state = stateNamed(query.toLowerCase());
	if (state !== undefined) {
		return action => action.state === state;
	}

	if (isGlob(query)) {
		const matches = picomatch(query);
		return action => matches(action.name);
	}

	const needle = query.toLowerCase();
	return action => action.name.toLowerCase().includes(needle);
}

/** Whether the filter text selects by state, so the rows change as states do. */
export function filtersByState(text: string): boolean {
	return stateNamed(text.trim().toLowerCase()) !== undefined;
}

function stateNamed(word: string): ActionState | undefined {
	for (const [state, style] of Object.entries(stateStyles) as Array<[ActionState, {label: string}]>) {
		if (word === state || word === style.label) {
			return state;
		}
	}

	return undefined;
}
