/**
Writing a report where the operator asked (`--text`, `--html`, `--report-json`,
`--metrics`): `-` is stdout; a regular file is replaced atomically; anything
else that can be written to (a device, a FIFO, a socket) is written through.
rsdeck runs as root, so it never replaces what it did not make: `/dev/null`
stays a device, a symlink stays a link, a report keeps its owner and mode.
*/
import {closeSync, constants, fstatSync, openSync, type Stats} from 'node:fs';
import {lstat, open, readlink, rename, rm, type FileHandle} from 'node:fs/promises';
import type {Socket} from 'node:net';
import path from 'node:path';
import {ReportError} from './report-error.js';
import {errorCode, systemErrorText} from '../process/system-error.js';

/** As many links as the kernel follows before it gives up (Linux's MAXSYMLINKS). */
const maxLinks = 40;

/** Write `text` to `file` (see the module comment); any failure is a ReportError naming `file`. */
export async function writeReportFile(file: string, text: string): Promise<void> {
	if (file === '-') {
		await toStdout(text);
		return;
	}

	try {
		const {target, stats} = await followLinks(file);
		await writeTo(target, stats, text);
	} catch (error) {
		throw new ReportError(`cannot write ${file}: ${systemErrorText(error)}`, {cause: error});
	}
}

async function writeTo(target: string, stats: Stats | undefined, text: string): Promise<void> {
	if (stats === undefined || stats.isFile()) {
		await replaceAtomically(target, stats, text);
	} else if (stats.isCharacterDevice()) {
		await writeToDevice(target, text);
	} else if (stats.isFIFO()) {
		await writeToFifo(target, text);
	} else if (stats.isSocket()) {
		await writeToSocket(target, text);
	} else {
		throw new Error(stats.isDirectory() ? 'is a directory' : 'not a regular file, character device, FIFO or socket');
	}
}

/**
The path a chain of symlinks ends at, which may not exist yet (a dangling
link names the report to create: no stats), and what is there. Relative links
resolve against the directory of the link that holds them.
*/
async function followLinks(file: string): Promise<{target: string; stats: Stats | undefined}> {
	let current = file;
	for (let hops = 0; hops <= maxLinks; hops++) {
		const stats = await lstat(current).catch((error: unknown) => {
			if (errorCode(error) === 'ENOENT') {
				return undefined;
			}

			throw error;
		});
		if (!stats?.isSymbolicLink()) {
			return {target: current, stats};
		}

		current = path.resolve(path.dirname(current), await readlink(current));
	}

	throw new Error('too many levels of symbolic links');
}

/**
Write a temporary file beside `target`, flush it to disk and rename it over
`target`, so a reader (node_exporter, a web server) never sees half a report.
An existing report's mode, owner and group are kept (the owner only where we
may set it: as root).
*/
async function replaceAtomically(target: string, stats: Stats | undefined, text: string): Promise<void> {
	const {temporary, handle} = await createTemporary(target);
	try {
		try {
			if (stats !== undefined) {
				await keepOwnerAndMode(handle, stats);
			}

			await handle.writeFile(text, 'utf8');
			await handle.sync();
		} finally {
			await handle.close();
		}

		await rename(temporary, target);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}

/** A new file beside `target` (O_EXCL: never one that exists), named by our pid and a random number; another name if that one is taken. */
async function createTemporary(target: string): Promise<{temporary: string; handle: FileHandle}> {
	for (let attempt = 1; ; attempt++) {
		const random = Math.floor(Math.random() * 0x1_00_00_00_00).toString(16).padStart(8, '0');
		const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${random}.tmp`);
		try {
			return {temporary, handle: await open(temporary, 'wx', 0o644)};
		} catch (error) {
			if (errorCode(error) !== 'EEXIST' || attempt === 10) {
				throw error;
			}
		}
	}
}

async function keepOwnerAndMode(handle: FileHandle, stats: Stats): Promise<void> {
	await handle.chown(stats.uid, stats.gid).catch((error: unknown) => {
		// Only root may give a file away; anyone else's report becomes theirs, as any editor would make it.
		if (errorCode(error) !== 'EPERM') {
			throw error;
		}
	});
	// After chown, which clears set-id bits.
	await handle.chmod(stats.mode & 0o7777);
}

/** Write an existing character device in place: no creating, no truncating, no link swapped in since we looked. */
async function writeToDevice(target: string, text: string): Promise<void> {
	const handle = await open(target, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NOCTTY);
	try {
		if (!(await handle.stat()).isCharacterDevice()) {
			throw new Error('it changed while being opened');
		}

		await handle.writeFile(text, 'utf8');
	} finally {
		await handle.close();
	}
}

/**
Write an existing FIFO. It is opened non-blocking: with no reader, open fails
at once (ENXIO) instead of waiting forever for one; with a reader, the socket
layer writes as the reader drains it.
*/
async function writeToFifo(target: string, text: string): Promise<void> {
	let fd: number;
	try {
		fd = openSync(target, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	} catch (error) {
		throw errorCode(error) === 'ENXIO' ? new Error('no process is reading the FIFO') : error;
	}

	if (!fstatSync(fd).isFIFO()) {
		closeSync(fd);
		throw new Error('it changed while being opened');
	}

	const {Socket} = await import('node:net');
	await endStream(new Socket({fd, readable: false, writable: true}), text);
}

/** A listening Unix socket (a log collector) gets the report as one stream connection. */
async function writeToSocket(target: string, text: string): Promise<void> {
	const {createConnection} = await import('node:net');
	const socket = createConnection({path: target});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	await endStream(socket, text);
}

async function endStream(socket: Socket, text: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		socket.once('error', error => {
			socket.destroy();
			reject(error);
		});
		socket.end(text, 'utf8', () => {
			// Also closes the FIFO's descriptor, which the socket owns.
			socket.destroy();
			resolve();
		});
	});
}

async function toStdout(text: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		process.stdout.write(text, error => {
			if (error) {
				reject(new ReportError(`cannot write to stdout: ${systemErrorText(error)}`, {cause: error}));
			} else {
				resolve();
			}
		});
	});
}
