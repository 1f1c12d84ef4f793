/** One request to a monitor: what and where. */
export type Ping = {method: 'GET' | 'POST'; url: string; body?: string};

/** Each try's limit, the tries, and the waits between them. */
export const pingTimeout = 10_000;
const backoff = [1000, 3000];

/** `URL/start`, `URL/fail`: Healthchecks' paths, kept before any query string. */
export function pingUrl(base: string, suffix: '' | '/start' | '/fail'): string {
	const url = new URL(base);
	url.pathname = url.pathname.replace(/\/$/, '') + suffix;
	return url.toString();
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener('abort', () => {
			clearTimeout(timer);
			resolve();
		}, {once: true});
	});
}

/**
Send a ping: up to three tries of 10 s each, with waits between. Never
throws: gives the reason it failed, or undefined when the monitor took it.
`signal` gives up at once (the end-of-run deadline).
*/
export async function sendPing(ping: Ping, signal: AbortSignal): Promise<string | undefined> {
	let reason = 'not sent';
	for (let attempt = 0; attempt <= backoff.length && !signal.aborted; attempt++) {
		try {
			const response = await fetch(ping.url, {
				method: ping.method,
				...(ping.body === undefined ? {} : {body: ping.body, headers: {'content-type': 'text/plain; charset=utf-8'}}),
				signal: AbortSignal.any([signal, AbortSignal.timeout(pingTimeout)]),
			});
			await response.arrayBuffer();
			if (response.ok) {
				return undefined;
			}

			reason = `HTTP ${response.status}`;
		} catch (error) {
			reason = signal.aborted ? 'given up at the end of the run' : errorReason(error);
		}

		if (attempt < backoff.length) {
			await pause(backoff[attempt]!, signal);
		}
	}

	return reason;
}

function errorReason(error: unknown): string {
	if (error instanceof Error && error.name === 'TimeoutError') {
		return `no answer in ${pingTimeout / 1000} s`;
	}

	const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
	return cause ?? (error instanceof Error ? error.message : String(error));
}
