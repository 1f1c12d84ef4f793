import {execFileSync} from 'node:child_process';
import {waitFor} from './wait.js';

/**
The environment an operator's shell would give: the test runner's own
variables left out. `NODE_ENV=test`, which vitest sets, would pick React's
development build and hide a console that draws nothing in production.
*/
function operatorEnvironment(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
}

/**
A real terminal for end-to-end tests: a private tmux server (its own socket,
an operator's environment) running one command in a window of a fixed size.
*/
export class TmuxTerminal {
	readonly #socket: string;
	readonly #session = 'rsdeck';

	constructor(command: string, options: {columns?: number; rows?: number; socket: string}) {
		this.#socket = options.socket;
		this.#tmux('new-session', '-d', '-s', this.#session, '-x', String(options.columns ?? 150), '-y', String(options.rows ?? 45), command);
	}

	/** The screen as text. */
	screen(): string {
		return this.#tmux('capture-pane', '-p', '-t', this.#session);
	}

	/** The screen with its colours, as escape sequences. */
	screenWithColours(): string {
		return this.#tmux('capture-pane', '-p', '-e', '-t', this.#session);
	}

	/** Type keys, one at a time, as a person would (tmux key names: Enter, Escape, Up…). */
	async press(...keys: string[]): Promise<void> {
		for (const key of keys) {
			const before = this.screen();
			this.#tmux('send-keys', '-t', this.#session, key);
			// Each key is a separate read for the program; give it the chance to redraw before the next.
			await waitFor(() => this.screen() !== before, `the screen to change after ${key}`, 5000).catch(() => undefined);
		}
	}

	/** Type text literally. */
	type(text: string): void {
		this.#tmux('send-keys', '-t', this.#session, '-l', text);
	}

	async waitForScreen(predicate: (screen: string) => boolean, what: string, timeout = 30_000): Promise<string> {
		let last = '';
		await waitFor(() => {
			last = this.screen();
			return predicate(last);
		}, what, timeout).catch((error: unknown) => {
			throw new Error(`${(error as Error).message}; screen was:\n${last}`);
		});
		return last;
	}

	kill(): void {
		try {
			this.#tmux('kill-server');
		} catch {
			// Already gone with its last window.
		}
	}

	#tmux(...args: string[]): string {
		// tmux's complaints go into the error thrown, not onto the test log.
		return execFileSync('tmux', ['-L', this.#socket, ...args], {encoding: 'utf8', env: operatorEnvironment(), stdio: ['ignore', 'pipe', 'pipe']});
	}
}
