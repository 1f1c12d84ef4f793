import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {ReportError} from '../../src/report/report-error.js';
import {writeFileAtomic} from '../../src/report/write-file-atomic.js';

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
	await writeFileAtomic(file, 'new\n');
	expect(await readFile(file, 'utf8')).toBe('new\n');
	expect(await readdir(directory)).toEqual(['rsdeck.prom']);
});

test('a directory that does not exist is a ReportError naming the file', async () => {
	const file = path.join(directory, 'missing', 'report.html');
	await expect(writeFileAtomic(file, 'x')).rejects.toThrow(ReportError);
	await expect(writeFileAtomic(file, 'x')).rejects.toThrow(`cannot write ${file}: no such file or directory`);
});

test('- writes to stdout', async () => {
	const written: string[] = [];
	vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, callback?: (error?: Error | null) => void) => {
		written.push(chunk);
		callback?.();
		return true;
	}) as typeof process.stdout.write);
	await writeFileAtomic('-', 'report\n');
	expect(written).toEqual(['report\n']);
});
