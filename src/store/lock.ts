/**
The `lock` directive: an exclusive flock(2) on the lock file, held by
read-write runs, compatible with rsbackup's (and `flock(1)`'s) locks.

Node cannot call flock(2), and a native addon is not worth it for one call.
Instead we open the lock file ourselves and hand that very file description
to `flock(1)` as its fd 3: flock locks belong to the open file description,
so the lock stays after flock exits, held by our descriptor alone. It is
released when we close the descriptor, or by the kernel when we die in any
way (SIGKILL included), so no stale lock can outlive us. Node opens files
close-on-exec, so rsync and hooks do not inherit (and prolong) it.
*/
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {errorCode, systemErrorText} from '../process/system-error.js';
import {LockError} from './lock-error.js';

export {LockError} from './lock-error.js';

/** A held lock. */
export type Lock = {
	/** Give the lock back. Calling it again does nothing. */
	release(): Promise<void>;
};

/** flock(1)'s exit status when the lock is busy (`--conflict-exit-code`), chosen not to clash with its other failures. */
const busyExit = 75;

/** Run `flock` on `fd`; resolves true when locked, false when busy (only without `wait`). */
async function runFlock(file: string, fd: number, wait: boolean): Promise<boolean> {
	const child = spawn('flock', ['--exclusive', ...(wait ? [] : ['--nonblock']), '--conflict-exit-code', String(busyExit), '3'], {
		stdio: ['ignore', 'ignore', 'pipe', fd],
	});
	let stderr = '';
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	return new Promise((resolve, reject) => {
		child.on('error', error => {
			const missing = errorCode(error) === 'ENOENT';
			reject(new LockError(`cannot lock '${file}': ${missing ? 'the flock command (util-linux) is not installed' : systemErrorText(error)}`));
		});
		child.on('close', (code, signal) => {
			if (code === 0 || code === busyExit) {
				resolve(code === 0);
			} else {
				reject(new LockError(`cannot lock '${file}': flock ${signal ? `killed by ${signal}` : `exited ${code}`}${stderr === '' ? '' : `: ${stderr.trim()}`}`));
			}
		});
	});
}

/**
Take the exclusive lock on `file` (creating the file if needed). Without
`wait`, a lock held by someone else gives undefined at once (the caller exits
0, as rsbackup does); with it, this waits until the lock is free.
*/
export async function acquireLock(file: string, options: {wait: boolean}): Promise<Lock | undefined> {
	let fd: number;
	try {
		fd = fs.openSync(file, 'a', 0o666);
	} catch (error) {
		throw new LockError(`cannot open lock file '${file}': ${systemErrorText(error)}`);
	}

	let locked: boolean;
	try {
		locked = await runFlock(file, fd, options.wait);
	} catch (error) {
		fs.closeSync(fd);
		throw error;
	}

	if (!locked) {
		fs.closeSync(fd);
		return undefined;
	}

	let held = true;
	return {
		async release() {
			if (held) {
				held = false;
				fs.closeSync(fd);
			}
		},
	};
}
