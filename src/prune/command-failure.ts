import type {CommandResult} from '../process/run-process.js';

/**
Why a program's run does not count as success, as a predicate to follow its
name (`failed with exit status 2: last line of output`), or undefined when
it exited 0.
*/
export function describeCommandFailure(result: CommandResult): string | undefined {
	if (result.cancelled) {
		return 'was cancelled';
	}

	if (result.spawnError !== undefined) {
		return `could not be run: ${result.spawnError}`;
	}

	if (result.exitCode === 0) {
		return undefined;
	}

	const status = result.exitCode === undefined ? `was killed by ${result.signal ?? 'a signal'}` : `failed with exit status ${result.exitCode}`;
	const lastLine = result.output.trim().split('\n').at(-1);
	return lastLine ? `${status}: ${lastLine}` : status;
}
