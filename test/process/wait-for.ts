import {setTimeout as delay} from 'node:timers/promises';

/** Poll a condition until it holds; fail with `message` after `timeout` ms. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeout = 10_000, message = 'condition not met'): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!(await condition())) {
		if (Date.now() > deadline) {
			throw new Error(`waitFor timed out: ${message}`);
		}

		await delay(10);
	}
}

/** True once no process has this pid (`kill(pid, 0)` fails with ESRCH). */
export function processGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}
