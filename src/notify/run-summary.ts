import type {ActionState, EngineEvent} from '../engine/types.js';

/** What a notification says about a finished run. */
export type RunSummary = {
	status: 'ok' | 'failed';
	exitStatus: number;
	/** Actions in each final state. */
	counts: Partial<Record<ActionState, number>>;
	/** The actions that failed, with their messages, in the order they failed. */
	failures: Array<{action: string; message?: string}>;
	/** The command that ran (`rsdeck --backup --prune`). */
	command: string;
};

/** States in the order the summary line lists them: what went wrong first, as the console's final line does. */
const summaryStates: readonly ActionState[] = ['failed', 'upstream_failed', 'cancelled', 'warned', 'succeeded', 'skipped'];

/** Collects failures from the engine's events as the run goes. */
export function failureRecorder(): {observe: (event: EngineEvent) => void; failures: RunSummary['failures']} {
	const failures: RunSummary['failures'] = [];
	return {
		failures,
		observe(event) {
			if (event.type === 'state' && event.state === 'failed') {
				failures.push({action: event.action, ...(event.message === undefined ? {} : {message: event.message})});
			}
		},
	};
}

/** The summary as text: the final line, then a line per failure. The body of a monitor's ping. */
export function summaryText(summary: RunSummary): string {
	const counts = summaryStates.filter(state => (summary.counts[state] ?? 0) > 0)
		.map(state => `${summary.counts[state] ?? 0} ${state.replace('_', ' ')}`);
	const head = `${summary.command}: ${summary.status === 'ok' ? 'ok' : `failed (exit status ${summary.exitStatus})`}${counts.length > 0 ? `, ${counts.join(', ')}` : ''}`;
	return [head, ...summary.failures.map(({action, message}) => `failed: ${action}${message === undefined ? '' : `: ${message}`}`)].join('\n') + '\n';
}
