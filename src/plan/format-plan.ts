import {picomatchModule} from '../matching/picomatch.js';
import type {PlannedAction} from './types.js';

/**
`--plan` (one action a line, with its edges, resources, priority and whether
it is clean-up, which runs even when the run is cancelled) or `--plan=dot`
(Graphviz; clean-up steps drawn with a double border).
*/
export function formatPlan(plan: readonly PlannedAction[], format: 'text' | 'dot'): string {
	return format === 'dot' ? planDot(plan) : planText(plan);
}

function planText(plan: readonly PlannedAction[]): string {
	// One string grown line by line: a plan can have 100,000 actions.
	let text = '';
	for (const action of plan) {
		text += planLine(action);
	}

	return text;
}

/** One action's line of `--plan`, with its newline. */
export function planLine(action: PlannedAction): string {
	let line = action.name;
	const {after} = action;
	if (after.length > 0) {
		line += '  after ';
		for (let index = 0; index < after.length; index++) {
			const edge = after[index]!;
			line += index === 0 ? edge.from : `, ${edge.from}`;
			if (edge.kind === 'always') {
				line += ' (always)';
			}
		}
	}

	if (action.resources.length > 0) {
		line += `  holds ${action.resources.join(', ')}`;
	}

	if (action.priority !== 0) {
		line += `  priority ${action.priority}`;
	}

	if (action.cleanup) {
		line += '  clean-up';
	}

	return `${line}\n`;
}

const quote = (text: string) => JSON.stringify(text);

function planDot(plan: readonly PlannedAction[]): string {
	const lines = ['digraph rsdeck {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
	const names = plan.map(action => action.name);
	for (const action of plan) {
		lines.push(`  ${quote(action.name)}${action.cleanup ? ' [peripheries=2]' : ''};`);
	}

	for (const action of plan) {
		for (const edge of action.after) {
			// Glob edges are drawn to every action they match at plan time.
			const matches = picomatchModule()(edge.from);
			const sources = names.filter(name => matches(name));
			for (const source of sources) {
				lines.push(`  ${quote(source)} -> ${quote(action.name)}${edge.kind === 'always' ? ' [style=dashed]' : ''};`);
			}
		}
	}

	lines.push('}');
	return `${lines.join('\n')}\n`;
}
