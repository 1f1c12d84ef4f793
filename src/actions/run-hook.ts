import type {ActionContext, Outcome} from '../engine/types.js';
import {runProcess, type CommandResult} from '../process/run-process.js';
import type {Runtime} from './runtime.js';

/**
Run a hook or check program for an action: describe it, stream its output to
the action's log, and stop it on cancel or after `timeout` seconds (0 = none).
*/
export async function runForAction(context: ActionContext, runtime: Runtime, argv: readonly string[], options: {env?: Record<string, string>; timeout?: number} = {}): Promise<CommandResult> {
	context.describe({command: [...argv], ...(options.env === undefined ? {} : {env: options.env})});
	const result = await runProcess(argv, {
		signal: context.signal,
		env: options.env,
		timeout: (options.timeout ?? 0) * 1000,
		killGrace: runtime.settings.killGrace,
		onOutput(text, stream) {
			context.log(text, stream);
		},
	});
	context.describe({waitStatus: result.waitStatus, ...(result.exitCode === undefined ? {} : {exitStatus: result.exitCode})});
	return result;
}

/** How a program ended, in an operator's words. */
export function describeEnd(result: CommandResult): string {
	if (result.spawnError !== undefined) {
		return `could not be run: ${result.spawnError}`;
	}

	if (result.timedOut) {
		return 'timed out';
	}

	if (result.signal !== undefined) {
		return `killed by ${result.signal}`;
	}

	return `exit status ${result.exitCode ?? -1}`;
}

/**
A failed hook's outcome: `WHAT failed:` and how it ended, with its output on
the lines below. Volume hooks (`endWithOutput` false) name the end only when
the hook printed nothing, their output saying why; device hooks always do.
*/
export function hookFailure(what: string, result: CommandResult, endWithOutput: boolean): Outcome {
	const tail = outputTail(result);
	const end = tail === '' || endWithOutput ? ` ${describeEnd(result)}` : '';
	return {state: 'failed', message: `${what} failed:${end}${tail === '' ? '' : `\n${tail}`}`};
}

/** The stderr-ish text to follow an `ERROR: … failed:` line: the program's output, without a trailing newline. */
export const outputTail = (result: CommandResult): string => result.output.replace(/\n$/, '');
