import type {EngineEvent} from '../engine/types.js';

/** How much the headless log says. */
export type HeadlessOptions = {
	/** `-v`: progress lines (`INFO: …`) and each action's end. */
	verbose: boolean;
	/** `-d`: also every child's output. */
	debug: boolean;
	/** Where lines go (stderr). */
	write: (text: string) => void;
};

/** A message as a line with its prefix; multi-line messages (hook output under an error) keep their lines. */
const asLine = (prefix: string, message: string): string => `${prefix}${message.endsWith('\n') ? message : `${message}\n`}`;

/**
A subscriber that prints the run the way rsbackup does under cron: quiet on
success, `ERROR: …` and `WARNING: …` on stderr, more with `-v` and `-d`.
*/
export function headlessLog(options: HeadlessOptions): (event: EngineEvent) => void {
	const {verbose, debug, write} = options;
	return event => {
		switch (event.type) {
			case 'output': {
				if (event.stream === 'error') {
					write(asLine('ERROR: ', event.text));
				} else if (event.stream === 'warning') {
					write(asLine('WARNING: ', event.text));
				} else if ((event.stream === 'info' && verbose) || debug) {
					write(event.stream === 'info' ? asLine('INFO: ', event.text) : event.text);
				}

				break;
			}

			case 'state': {
				if (event.state === 'failed') {
					write(asLine('ERROR: ', event.message ?? `${event.action} failed`));
				} else if (event.state === 'warned') {
					write(asLine('WARNING: ', event.message ?? `${event.action} warned`));
				} else if ((verbose && (event.state === 'succeeded' || event.state === 'skipped' || event.state === 'cancelled')) || (debug && event.state === 'running')) {
					const detail = event.message === undefined ? '' : `: ${event.message}`;
					write(`INFO: ${event.action} ${event.state}${detail}\n`);
				}

				break;
			}

			case 'run': {
				if (event.state === 'cancelling') {
					write('WARNING: cancelling the run\n');
				}

				break;
			}

			default: {
				break;
			}
		}
	};
}

/** A subscriber for `--json`: one event per line. */
export function jsonLog(write: (text: string) => void): (event: EngineEvent) => void {
	return event => {
		write(`${JSON.stringify(event)}\n`);
	};
}
