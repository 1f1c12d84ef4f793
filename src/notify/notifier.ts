import type {Config} from '../config/types.js';
import {runProcess} from '../process/run-process.js';
import {describeEnd, outputTail} from '../actions/run-hook.js';
import {pingUrl, sendPing, type Ping} from './notify-url.js';
import {summaryText, type RunSummary} from './run-summary.js';

/** How long the end of a run waits for its notifications: every try of the slowest ping, and its waits. */
export const notifyDeadline = 40_000;

export type NotifierOptions = {
	dryRun: boolean;
	/** Where WARNING and (dry run) INFO lines go, at the end: a console may be showing the run until then. */
	write: (text: string) => void;
	/** Milliseconds between SIGTERM and SIGKILL for notify-command. */
	killGrace: number;
	/** How long the end waits for pings; default `notifyDeadline`. */
	deadline?: number;
};

/**
Tells the configuration's monitors (`notify-url`) and `notify-command` about
a run. Pings go out concurrently with the run, and the run's end waits for
them only up to its own deadline: a monitor that is down makes a WARNING,
never a failed run or a late backup.
*/
export class Notifier {
	readonly #config: Config;
	readonly #options: NotifierOptions;
	readonly #pending: Array<Promise<void>> = [];
	readonly #abandon = new AbortController();
	readonly #messages: string[] = [];

	constructor(config: Config, options: NotifierOptions) {
		this.#config = config;
		this.#options = options;
	}

	/** `GET URL/start` to each monitor, not waited for. */
	start(): void {
		for (const url of this.#config.notifyUrls) {
			this.#send({method: 'GET', url: pingUrl(url, '/start')});
		}
	}

	/**
	`POST URL` (or `URL/fail`) with the summary, then notify-command with the
	JSON document on stdin; waits for every ping, the start ones too, up to
	the deadline.
	*/
	async finish(summary: RunSummary, json: () => string): Promise<void> {
		for (const url of this.#config.notifyUrls) {
			this.#send({method: 'POST', url: pingUrl(url, summary.status === 'ok' ? '' : '/fail'), body: summaryText(summary)});
		}

		const command = this.#config.notifyCommand.length > 0 ? this.#runProcess(summary, json()) : Promise.resolve();
		await Promise.all([this.#settle(), command]);
		this.#options.write(this.#messages.join(''));
	}

	#send(ping: Ping): void {
		if (this.#options.dryRun) {
			this.#messages.push(`INFO: would ${ping.method} ${ping.url}${ping.body === undefined ? '' : ` with:\n${ping.body}`}\n`);
			return;
		}

		this.#pending.push(sendPing(ping, this.#abandon.signal).then(reason => {
			if (reason !== undefined) {
				this.#messages.push(`WARNING: notify-url: ${ping.method} ${ping.url} failed: ${reason}\n`);
			}
		}));
	}

	async #settle(): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		const limit = this.#options.deadline ?? notifyDeadline;
		const deadline = new Promise<'late'>(resolve => {
			timer = setTimeout(() => {
				resolve('late');
			}, limit);
		});
		const outcome = await Promise.race([Promise.all(this.#pending), deadline]);
		clearTimeout(timer);
		if (outcome === 'late') {
			this.#abandon.abort();
			this.#messages.push(`WARNING: notify-url: monitors gave no answer in ${limit / 1000} s; giving up\n`);
			await Promise.all(this.#pending);
		}
	}

	async #runProcess(summary: RunSummary, input: string): Promise<void> {
		const argv = this.#config.notifyCommand;
		const env = {
			RSDECK_STATUS: summary.status,
			RSDECK_SUCCEEDED: String(summary.counts.succeeded ?? 0),
			RSDECK_FAILED: String(summary.counts.failed ?? 0),
			RSDECK_SKIPPED: String(summary.counts.skipped ?? 0),
		};
		if (this.#options.dryRun) {
			const variables = Object.entries(env).map(([name, value]) => `${name}=${value}`).join(' ');
			this.#messages.push(`INFO: would run notify-command ${argv.join(' ')} with ${variables} and the run's JSON summary on stdin\n`);
			return;
		}

		// hook-timeout limits it as it limits hooks (0 = none).
		const result = await runProcess(argv, {env, input, timeout: this.#config.hookTimeout * 1000, killGrace: this.#options.killGrace});
		if (result.exitCode !== 0) {
			const output = outputTail(result);
			this.#messages.push(`WARNING: notify-command ${argv.join(' ')} failed: ${describeEnd(result)}${output === '' ? '' : `:\n${output}`}\n`);
		}
	}
}
