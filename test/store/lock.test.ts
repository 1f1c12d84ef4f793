import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {LockError, acquireLock, type Lock} from '../../src/store/lock.js';

let root: string;
let lockFile: string;
const children: ChildProcess[] = [];
const locks: Lock[] = [];

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'rsdeck-lock-'));
	lockFile = path.join(root, 'lock');
});

afterEach(async () => {
	for (const lock of locks.splice(0)) {
		await lock.release();
	}

	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await once(child, 'exit');
		}
	}

	fs.rmSync(root, {recursive: true, force: true});
});

async function acquire(wait = false): Promise<Lock | undefined> {
	const lock = await acquireLock(lockFile, {wait});
	if (lock) {
		locks.push(lock);
	}

	return lock;
}

/** Start `command` and resolve once it has written `marker` on stdout. */
async function startHolder(command: string, args: string[], marker: string): Promise<ChildProcess> {
	const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'inherit']});
	children.push(child);
	let output = '';
	await new Promise<void>((resolve, reject) => {
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			if (output.includes(marker)) {
				resolve();
			}
		});
		child.on('exit', code => {
			reject(new Error(`${command} exited ${code} before printing ${marker}: ${output}`));
		});
	});
	return child;
}

/** rsbackup (or any flock user) holding the lock. */
const holdWithFlock = async () => startHolder('flock', ['--exclusive', lockFile, '-c', 'echo locked; exec cat'], 'locked');

/** Is someone else able to take the lock right now, the way rsbackup would try it? */
function othersCanLock(): boolean {
	try {
		execFileSync('flock', ['--nonblock', '--exclusive', lockFile, 'true']);
		return true;
	} catch {
		return false;
	}
}

/** The inode's entries in /proc/locks: `->` marks a process blocked waiting for the lock. */
function lockWaiters(): number {
	const inode = fs.statSync(lockFile).ino;
	return fs.readFileSync('/proc/locks', 'utf8').split('\n')
		.filter(line => line.includes('->') && line.split(/\s+/).some(field => field.endsWith(`:${inode}`))).length;
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

describe('acquireLock', () => {
	it('creates the lock file and holds an exclusive flock others see', async () => {
		const lock = await acquire();
		expect(lock).toBeDefined();
		expect(fs.existsSync(lockFile)).toBe(true);
		expect(othersCanLock()).toBe(false);
		await lock!.release();
		expect(othersCanLock()).toBe(true);
		await lock!.release();
	});

	it('gives undefined at once when this process already holds it', async () => {
		expect(await acquire()).toBeDefined();
		expect(await acquire()).toBeUndefined();
	});

	it('gives undefined when another program holds it, and succeeds once it lets go', async () => {
		const holder = await holdWithFlock();
		expect(await acquire()).toBeUndefined();
		holder.stdin!.end();
		await once(holder, 'exit');
		expect(await acquire()).toBeDefined();
	});

	it('waits for the lock with --wait', async () => {
		const holder = await holdWithFlock();
		let settled = false;
		const waiting = acquire(true).finally(() => {
			settled = true;
		});
		await until(() => lockWaiters() > 0);
		expect(settled).toBe(false);
		holder.stdin!.end();
		expect(await waiting).toBeDefined();
		expect(othersCanLock()).toBe(false);
	});

	it('is released when the holding rsdeck is killed with SIGKILL', async () => {
		// The real module in a separate node process: the build (`npm test` builds first), as the CLI runs it.
		const lockModule = new URL('../../dist/src/store/lock.js', import.meta.url).href;
		fs.writeFileSync(path.join(root, 'holder.mjs'), `import {acquireLock} from ${JSON.stringify(lockModule)};
const lock = await acquireLock(process.argv[2], {wait: false});
console.log(lock ? 'locked' : 'busy');
setInterval(() => {}, 60_000);
`);
		const holder = await startHolder(process.execPath, [path.join(root, 'holder.mjs'), lockFile], 'locked');
		expect(await acquire()).toBeUndefined();
		expect(othersCanLock()).toBe(false);
		holder.kill('SIGKILL');
		await once(holder, 'exit');
		expect(othersCanLock()).toBe(true);
		expect(await acquire()).toBeDefined();
	});

	it('explains a lock file that cannot be opened', async () => {
		const missing = path.join(root, 'no-such-directory', 'lock');
		await expect(acquireLock(missing, {wait: false})).rejects.toThrow(LockError);
		await expect(acquireLock(missing, {wait: false})).rejects.toThrow(`cannot open lock file '${missing}': no such file or directory`);
	});

	it('explains a missing flock command', async () => {
		const savedPath = process.env['PATH'];
		process.env['PATH'] = root;
		try {
			await expect(acquireLock(lockFile, {wait: false})).rejects.toThrow(`cannot lock '${lockFile}': the flock command (util-linux) is not installed`);
		} finally {
			process.env['PATH'] = savedPath;
		}

		expect(othersCanLock()).toBe(true);
	});
});
