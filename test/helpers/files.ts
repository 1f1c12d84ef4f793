import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const directories: string[] = [];

/** A temporary directory, removed by `removeTemporaryDirectories` (call it after each test or file). */
export function temporaryDirectory(prefix = 'rsdeck-test-'): string {
	const directory = mkdtempSync(path.join(tmpdir(), prefix));
	directories.push(directory);
	return directory;
}

export function removeTemporaryDirectories(): void {
	for (const directory of directories.splice(0)) {
		rmSync(directory, {recursive: true, force: true});
	}
}

/** An executable shell script. */
export function writeScript(file: string, body: string): string {
	writeFileSync(file, `#!/bin/sh\n${body}\n`, {mode: 0o755});
	return file;
}
