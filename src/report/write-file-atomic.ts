/** Writing a report where the operator asked: `-` is stdout, a path is replaced atomically. */
import {randomBytes} from 'node:crypto';
import {open, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import {ReportError} from './report-error.js';
import {systemErrorText} from '../process/system-error.js';

/**
Write `text` to `file`: `-` writes to stdout; otherwise a temporary file in
the same directory is written, flushed to disk and renamed over `file`, so a
reader (node_exporter, a web server) never sees half a report.
*/
export async function writeFileAtomic(file: string, text: string): Promise<void> {
	if (file === '-') {
		await new Promise<void>((resolve, reject) => {
			process.stdout.write(text, error => {
				if (error) {
					reject(new ReportError(`cannot write to stdout: ${systemErrorText(error)}`, {cause: error}));
				} else {
					resolve();
				}
			});
		});
		return;
	}

	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		const handle = await open(temporary, 'wx', 0o644);
		try {
			await handle.writeFile(text, 'utf8');
			await handle.sync();
		} finally {
			await handle.close();
		}

		await rename(temporary, file);
	} catch (error) {
		await rm(temporary, {force: true});
		throw new ReportError(`cannot write ${file}: ${systemErrorText(error)}`, {cause: error});
	}
}
