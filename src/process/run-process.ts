import {type ChildProcess, spawn} from 'node:child_process';
import {constants} from 'node:os';
import {StringDecoder} from 'node:string_decoder';
import {type LongTimer, setLongTimeout} from '../timers/long-timer.js';
import {systemErrorText} from './system-error.js';

/** How a program ended. `runProcess` never throws for a failing or missing program: it reports it here. */
export type CommandResult = {
	/** The exit code, or undefined when killed by a signal or never started. */
	exitCode: number | undefined;
	/** The signal that killed it (`SIGTERM`), if any. */
	signal: string | undefined;
	/** rsbackup's wait status: exitCode*256, or the signal number, -1 when it never started. */
	waitStatus: number;
	/** It was killed because `timeout` passed. */
	timedOut: boolean;
	/** It was killed (or never started) because `signal` was aborted. */
	cancelled: boolean;
	/** Everything written on stdout. */
	stdout: string;
	/** stdout and stderr interleaved in arrival order. */
	output: string;
	/** Why the program could not be started, in the system's words (`no such file or directory`). */
	spawnError?: string;
};

/** Options of `runProcess`. */
export type RunProcessOptions = {
	/** Aborting it kills the program's whole process group. */
	signal?: AbortSignal;
	/** Variables added to `process.env`; `undefined` removes one. */
	env?: Record<string, string | undefined>;
	/** Milliseconds before the group is killed; 0 or absent = no limit. */
	timeout?: number;
	/** Milliseconds between SIGTERM and SIGKILL. Default 5000. */
	killGrace?: number;
	/** Called with each chunk of output as it arrives. */
	onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
	/** Working directory. */
	cwd?: string;
	/** Written to stdin; without it stdin is closed. */
	input?: string;
};

const defaultKillGrace = 5000;

/**
Run a program (an argument vector, never a shell) as the leader of its own
process group, so that cancelling it also kills whatever it started (rsync's
ssh, a hook's children): SIGTERM to the group, then SIGKILL after the grace.
Node's own child_process: a library over it cost a big fleet more CPU and
memory per program than the spawn itself.
*/
export async function runProcess(argv: readonly string[], options: RunProcessOptions = {}): Promise<CommandResult> {
	const [file, ...arguments_] = argv;
	if (file === undefined) {
		throw new TypeError('runProcess needs a program to run');
	}

	if (options.signal?.aborted) {
		return {...notStarted(), cancelled: true};
	}

	let child: ChildProcess;
	try {
		child = spawn(file, arguments_, {
			detached: true,
			env: mergeEnvironment(options.env),
			...(options.cwd === undefined ? {} : {cwd: options.cwd}),
			stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
	} catch (error) {
		return {...notStarted(), spawnError: systemErrorText(error)};
	}

	if (options.input !== undefined && child.stdin) {
		// A program that exits without reading its input closes the pipe: that is no error of ours.
		child.stdin.on('error', () => undefined);
		child.stdin.end(options.input);
	}

	const collected = collectOutput(child, options.onOutput);
	const killer = groupKiller(child.pid, options.killGrace ?? defaultKillGrace);
	child.on('exit', () => {
		killer.leaderExited();
	});

	let cancelled = false;
	let timedOut = false;
	const onAbort = () => {
		cancelled = true;
		killer.kill();
	};

	options.signal?.addEventListener('abort', onAbort, {once: true});
	// Like any Node timer, a plain setTimeout would fire at once beyond 2³¹−1 ms (backup-job-timeout 30d).
	const timer = options.timeout ? setLongTimeout(() => {
		timedOut = true;
		killer.kill();
	}, options.timeout) : undefined;

	try {
		// 'close' comes once the program has ended and its output is all read.
		const ended = await new Promise<{exitCode: number | undefined; signal: string | undefined} | {spawnError: string}>(resolve => {
			// `on`, not `once`: a later 'error' with no listener would be thrown.
			child.on('error', error => {
				if (child.pid === undefined) {
					resolve({spawnError: systemErrorText(error)});
				}
			});
			child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
				resolve({exitCode: code ?? undefined, signal: signal ?? undefined});
			});
		});
		const {stdout, output} = collected.finish();
		if ('spawnError' in ended) {
			return {...notStarted(), cancelled, timedOut, stdout, output, spawnError: ended.spawnError};
		}

		return {
			exitCode: ended.exitCode,
			signal: ended.signal,
			waitStatus: waitStatus(ended.exitCode, ended.signal),
			timedOut,
			cancelled,
			stdout,
			output,
		};
	} finally {
		timer?.clear();
		killer.dispose();
		options.signal?.removeEventListener('abort', onAbort);
	}
}

function notStarted(): CommandResult {
	return {exitCode: undefined, signal: undefined, waitStatus: -1, timedOut: false, cancelled: false, stdout: '', output: ''};
}

function mergeEnvironment(extra: Record<string, string | undefined> | undefined): Record<string, string> {
	const merged: Record<string, string> = {};
	for (const [key, value] of Object.entries({...process.env, ...extra})) {
		if (value !== undefined) {
			merged[key] = value;
		}
	}

	return merged;
}

function waitStatus(exitCode: number | undefined, signal: string | undefined): number {
	if (exitCode !== undefined) {
		return exitCode * 256;
	}

	const signals: Record<string, number | undefined> = constants.signals;
	return signal === undefined ? -1 : signals[signal] ?? -1;
}

type Streams = {
	stdout: NodeJS.ReadableStream | null;
	stderr: NodeJS.ReadableStream | null;
};

/** Gather stdout, and stdout+stderr interleaved, decoding UTF-8 across chunk boundaries. */
function collectOutput(subprocess: Streams, onOutput: RunProcessOptions['onOutput']) {
	let stdout = '';
	let output = '';
	const decoders = {stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8')};
	const append = (text: string, stream: 'stdout' | 'stderr') => {
		if (text === '') {
			return;
		}

		if (stream === 'stdout') {
			stdout += text;
		}

		output += text;
		onOutput?.(text, stream);
	};

	for (const stream of ['stdout', 'stderr'] as const) {
		subprocess[stream]?.on('data', (chunk: Buffer) => {
			append(decoders[stream].write(chunk), stream);
		});
	}

	return {
		finish() {
			append(decoders.stdout.end(), 'stdout');
			append(decoders.stderr.end(), 'stderr');
			return {stdout, output};
		},
	};
}

/**
Kills a process group: SIGTERM, then SIGKILL after the grace. Once the leader
has gone after a kill, the rest of the group gets SIGKILL at once, so no
grandchild that ignored SIGTERM outlives it (or holds its pipes open).
*/
function groupKiller(pid: number | undefined, grace: number) {
	let killing = false;
	let leaderGone = false;
	let forceTimer: LongTimer | undefined;
	const signalGroup = (signal: NodeJS.Signals) => {
		if (pid === undefined) {
			return;
		}

		try {
			process.kill(-pid, signal);
		} catch {
			// The group is already empty.
		}
	};

	return {
		kill() {
			if (killing) {
				return;
			}

			killing = true;
			if (leaderGone) {
				signalGroup('SIGKILL');
				return;
			}

			signalGroup('SIGTERM');
			forceTimer = setLongTimeout(() => {
				signalGroup('SIGKILL');
			}, grace);
		},
		leaderExited() {
			leaderGone = true;
			if (killing) {
				signalGroup('SIGKILL');
			}
		},
		dispose() {
			forceTimer?.clear();
		},
	};
}
