import {readFileSync} from 'node:fs';

/** Poll until `condition` holds (never a fixed sleep); fail naming `what` after `timeout` ms. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what = 'a condition', timeout = 20_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!(await condition())) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}
}

/** The process has exited: no such pid, or a zombie its parent has not reaped yet (it runs nothing any more). */
export function processGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return true;
	}

	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
	} catch {
		return true;
	}
}

/**
The file holds a whole line: a shell's `echo … > FILE` creates the file
before it writes, so the file being there is not enough (an empty pid read
as 0 would signal our own process group).
*/
export function lineWritten(file: string): boolean {
	try {
		return readFileSync(file, 'utf8').endsWith('\n');
	} catch {
		return false;
	}
}
