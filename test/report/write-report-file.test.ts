import {chmodSync, chownSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {once} from 'node:events';
import {createServer, Socket} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {ReportError} from '../../src/report/report-error.js';
import {writeReportFile} from '../../src/report/write-report-file.js';

const root = process.getuid?.() === 0;

let directory: string;
beforeEach(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'rsdeck-write-'));
});
afterEach(async () => {
	vi.restoreAllMocks();
	await rm(directory, {recursive: true, force: true});
});

test('replaces the file and leaves no temporary file behind', async () => {
	const file = path.join(directory, 'rsdeck.prom');
	await writeFile(file, 'old\n');
	await writeReportFile(file, 'new\n');
	expect(await readFile(file, 'utf8')).toBe('new\n');
	expect(await readdir(directory)).toEqual(['rsdeck.prom']);
});

test('a new report is created', async () => {
	const file = path.join(directory, 'report.txt');
	await writeReportFile(file, 'new\n');
	expect(readFileSync(file, 'utf8')).toBe('new\n');
	expect(lstatSync(file).isFile()).toBe(true);
});

test('an existing report keeps its mode', async () => {
	const file = path.join(directory, 'report.html');
	writeFileSync(file, 'old\n');
	chmodSync(file, 0o640);
	await writeReportFile(file, 'new\n');
	expect(readFileSync(file, 'utf8')).toBe('new\n');
	expect(statSync(file).mode & 0o7777).toBe(0o640);
});

test.runIf(root)('an existing report keeps its owner and group (as root)', async () => {
	const file = path.join(directory, 'report.html');
	writeFileSync(file, 'old\n');
	chmodSync(file, 0o640);
	chownSync(file, 1234, 5678);
	await writeReportFile(file, 'new\n');
	const stats = statSync(file);
	expect({uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777}).toEqual({uid: 1234, gid: 5678, mode: 0o640});
	expect(readFileSync(file, 'utf8')).toBe('new\n');
});

test('a symlinked report stays a link and its target gets the report, atomically, with its mode', async () => {
	const elsewhere = path.join(directory, 'www');
	mkdirSync(elsewhere);
	const target = path.join(elsewhere, 'backups.html');
	writeFileSync(target, 'old\n');
	chmodSync(target, 0o640);
	const link = path.join(directory, 'backups.html');
	symlinkSync(target, link);
	await writeReportFile(link, 'new\n');
	expect(lstatSync(link).isSymbolicLink()).toBe(true);
	expect(readlinkSync(link)).toBe(target);
	expect(readFileSync(target, 'utf8')).toBe('new\n');
	expect(statSync(target).mode & 0o7777).toBe(0o640);
	expect(readdirSync(elsewhere)).toEqual(['backups.html']);
});

test('a chain of links, the last one dangling, creates the file it names', async () => {
	const target = path.join(directory, 'real.txt');
	symlinkSync('real.txt', path.join(directory, 'second'));
	symlinkSync(path.join(directory, 'second'), path.join(directory, 'first'));
	await writeReportFile(path.join(directory, 'first'), 'new\n');
	expect(lstatSync(path.join(directory, 'first')).isSymbolicLink()).toBe(true);
	expect(lstatSync(path.join(directory, 'second')).isSymbolicLink()).toBe(true);
	expect(readFileSync(target, 'utf8')).toBe('new\n');
});

test.runIf(root)('a character device is written in place, never replaced (a private copy of /dev/null)', async () => {
	const device = path.join(directory, 'null');
	await execa('mknod', [device, 'c', '1', '3']);
	await writeReportFile(device, 'report\n');
	expect(lstatSync(device).isCharacterDevice()).toBe(true);
	expect(readdirSync(directory)).toEqual(['null']);
});

test('a FIFO with a reader receives the report and stays a FIFO', async () => {
	const fifo = path.join(directory, 'report.fifo');
	await execa('mkfifo', [fifo]);
	// The reader opens its end first, without waiting for a writer, as `cat FIFO` would have it open.
	const reader = new Socket({fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false});
	const chunks: Buffer[] = [];
	reader.on('data', (chunk: Buffer) => chunks.push(chunk));
	const ended = once(reader, 'end');
	const report = 'line\n'.repeat(50_000);
	await writeReportFile(fifo, report);
	await ended;
	expect(Buffer.concat(chunks).toString('utf8')).toBe(report);
	expect(lstatSync(fifo).isFIFO()).toBe(true);
});

test('a FIFO nobody reads is an error at once, not a hang', async () => {
	const fifo = path.join(directory, 'report.fifo');
	await execa('mkfifo', [fifo]);
	await expect(writeReportFile(fifo, 'x')).rejects.toThrow(`cannot write ${fifo}: no process is reading the FIFO`);
	expect(lstatSync(fifo).isFIFO()).toBe(true);
});

test('a listening Unix socket gets the report over one connection', async () => {
	const socket = path.join(directory, 'report.sock');
	const received: Buffer[] = [];
	const server = createServer(connection => {
		connection.on('data', (chunk: Buffer) => received.push(chunk));
	});
	server.listen(socket);
	await once(server, 'listening');
	const closed = new Promise<void>(resolve => {
		server.on('connection', connection => connection.on('close', () => {
			resolve();
		}));
	});
	await writeReportFile(socket, 'report\n');
	await closed;
	expect(Buffer.concat(received).toString('utf8')).toBe('report\n');
	expect(lstatSync(socket).isSocket()).toBe(true);
	server.close();
});

test('a directory is a ReportError, and stays as it was', async () => {
	await expect(writeReportFile(directory, 'x')).rejects.toThrow(`cannot write ${directory}: is a directory`);
	expect(readdirSync(directory)).toEqual([]);
});

test('a directory that does not exist is a ReportError naming the file', async () => {
	const file = path.join(directory, 'missing', 'report.html');
	await expect(writeReportFile(file, 'x')).rejects.toThrow(ReportError);
	await expect(writeReportFile(file, 'x')).rejects.toThrow(`cannot write ${file}: no such file or directory`);
});

test('- writes to stdout', async () => {
	const written: string[] = [];
	vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, callback?: (error?: Error | null) => void) => {
		written.push(chunk);
		callback?.();
		return true;
	}) as typeof process.stdout.write);
	await writeReportFile('-', 'report\n');
	expect(written).toEqual(['report\n']);
});
