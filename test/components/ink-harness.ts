import {setTimeout as delay} from 'node:timers/promises';

/** Escape sequences a terminal sends for special keys. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	enter: '\r',
	escape: '\u001B',
	backspace: '\u007F',
} as const;

/** Remove colour and style codes so frames can be compared as text. */
export function plain(frame: string): string {
	return frame.replaceAll(/\u001B\[[\d;]*m/g, '');
}

/**
Wait until the newest frame satisfies `predicate` (checked on the text
without escape codes) and return that frame as written. Polls: Ink writes
frames from timers and React's scheduler, so there is no event to await.
*/
export async function waitForFrame(
	lastFrame: () => string | undefined,
	predicate: (frame: string) => boolean,
	timeout = 5000,
): Promise<string> {
	const deadline = Date.now() + timeout;
	for (;;) {
		const frame = lastFrame() ?? '';
		if (predicate(plain(frame))) {
			return frame;
		}

		if (Date.now() > deadline) {
			throw new Error(`No matching frame within ${timeout} ms; the last was:\n${plain(frame)}`);
		}

		await delay(10);
	}
}

/** Wait for a frame containing `text`. */
export async function waitForText(lastFrame: () => string | undefined, text: string): Promise<string> {
	return waitForFrame(lastFrame, frame => frame.includes(text));
}

/** The line the cursor is on (the one starting with `›`), as text. */
export function selectedLine(frame: string): string {
	return plain(frame).split('\n').find(line => line.startsWith('›')) ?? '';
}

type Driven = {lastFrame: () => string | undefined; stdin: {write: (data: string) => void}};

/** Press `key` and wait until the frame satisfies `predicate`. */
export async function press(view: Driven, key: string, predicate: (frame: string) => boolean): Promise<string> {
	view.stdin.write(key);
	return waitForFrame(view.lastFrame, predicate);
}

/** Move the cursor down (or up) one row at a time until the selected line matches. */
export async function selectRow(view: Driven, matches: (line: string) => boolean, direction: 'up' | 'down' = 'down'): Promise<void> {
	for (let step = 0; step < 200; step++) {
		const before = plain(view.lastFrame() ?? '');
		if (matches(selectedLine(before))) {
			return;
		}

		// eslint-disable-next-line no-await-in-loop
		await press(view, keys[direction], frame => frame !== before);
	}

	throw new Error('No row matched');
}
