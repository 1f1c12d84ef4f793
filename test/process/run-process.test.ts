import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runProcess} from '../../src/process/run-process.js';
import {processGone, waitFor} from '../helpers/wait.js';

let directory: string;

beforeEach(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'rsdeck-run-'));
});

afterEach(async () => {
	await rm(directory, {recursive: true, force: true});
});

/** Start a shell that writes the pid of a `sleep` grandchild to a file, then waits for it. */
function sleeperScript(pidFile: string, trapTerm = false): string[] {
	const trap = trapTerm ? 'trap "" TERM; ' : '';
	return ['sh', '-c', `${trap}sleep 100 & echo $! > "$0"; wait`, pidFile];
}

async function readPid(pidFile: string): Promise<number> {
	let pid = 0;
	await waitFor(async () => {
		pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
		return pid > 0;
	});
	return pid;
}

describe('runProcess', () => {
	test('reports exit code, stdout and interleaved output', async () => {
		const chunks: Array<[string, string]> = [];
		const result = await runProcess(['sh', '-c', 'echo out; echo err >&2; exit 3'], {
			onOutput(text, stream) {
				chunks.push([stream, text]);
			},
		});
		expect(result.exitCode).toBe(3);
		expect(result.waitStatus).toBe(3 * 256);
		expect(result.signal).toBeUndefined();
		expect(result.stdout).toBe('out\n');
		expect(result.output).toContain('out\n');
		expect(result.output).toContain('err\n');
		expect(chunks).toContainEqual(['stderr', 'err\n']);
		expect(result.cancelled).toBe(false);
		expect(result.timedOut).toBe(false);
	});

	test('passes an argument vector without a shell', async () => {
		const result = await runProcess(['printf', '%s|', 'a b', '$HOME', '*']);
		expect(result.stdout).toBe('a b|$HOME|*|');
		expect(result.exitCode).toBe(0);
		expect(result.waitStatus).toBe(0);
	});

	test('adds and removes environment variables, honours cwd and input', async () => {
		process.env['RSDECK_TEST_REMOVED'] = 'present';
		const result = await runProcess(['sh', '-c', 'echo "$RSDECK_TEST_ADDED:${RSDECK_TEST_REMOVED-unset}:$(pwd)"; cat'], {
			env: {RSDECK_TEST_ADDED: 'added', RSDECK_TEST_REMOVED: undefined},
			cwd: directory,
			input: 'from stdin',
		});
		delete process.env['RSDECK_TEST_REMOVED'];
		expect(result.stdout).toBe(`added:unset:${directory}\nfrom stdin`);
	});

	test('reports a missing program instead of throwing', async () => {
		const result = await runProcess(['/nonexistent/rsdeck-no-such-program', 'x']);
		expect(result.exitCode).toBeUndefined();
		expect(result.waitStatus).toBe(-1);
		expect(result.spawnError).toBe('no such file or directory');
	});

	test('cancelling kills the whole process group, grandchildren included', async () => {
		const pidFile = path.join(directory, 'pid');
		const controller = new AbortController();
		const running = runProcess(sleeperScript(pidFile), {signal: controller.signal});
		const grandchild = await readPid(pidFile);
		controller.abort();
		const result = await running;
		expect(result.cancelled).toBe(true);
		expect(result.signal).toBe('SIGTERM');
		expect(result.waitStatus).toBe(15);
		await waitFor(() => processGone(grandchild));
	});

	test('SIGKILL follows SIGTERM after the grace period', async () => {
		const pidFile = path.join(directory, 'pid');
		const started = Date.now();
		const result = await runProcess(sleeperScript(pidFile, true), {timeout: 100, killGrace: 300});
		const grandchildPid = await readPid(pidFile);
		expect(result.timedOut).toBe(true);
		expect(result.signal).toBe('SIGKILL');
		expect(result.waitStatus).toBe(9);
		expect(Date.now() - started).toBeGreaterThanOrEqual(400);
		await waitFor(() => processGone(grandchildPid));
	});

	test('a timeout of 30 days, beyond Node\'s timer limit, does not kill the program', async () => {
		const result = await runProcess(['sh', '-c', 'sleep 0.2; echo done'], {timeout: 30 * 86_400_000});
		expect(result).toMatchObject({timedOut: false, exitCode: 0, stdout: 'done\n'});
	});

	test('an already aborted signal starts nothing', async () => {
		const controller = new AbortController();
		controller.abort();
		const result = await runProcess(['sh', '-c', 'echo ran'], {signal: controller.signal});
		expect(result).toMatchObject({cancelled: true, waitStatus: -1, output: ''});
	});
});
