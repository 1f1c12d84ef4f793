/** Headless Chromium for rendering tests: take a screenshot of a local HTML file. */
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {runProcess, type CommandResult} from '../../src/process/run-process.js';

export const chromiumPath = '/usr/bin/chromium';

/** Chromium is installed (CI installs it; a bare machine may not have it). */
export const hasChromium = (): boolean => existsSync(chromiumPath);

/** Render `htmlFile` at `width`×`height` into the PNG `output`. */
export async function screenshot(htmlFile: string, output: string, width: number, height: number): Promise<CommandResult> {
	const profile = await mkdtemp(path.join(tmpdir(), 'rsdeck-chromium-'));
	try {
		return await runProcess([
			chromiumPath,
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--hide-scrollbars',
			`--user-data-dir=${profile}`,
			`--screenshot=${output}`,
			`--window-size=${width},${height}`,
			`file://${htmlFile}`,
		], {timeout: 60_000});
	} finally {
		await rm(profile, {recursive: true, force: true});
	}
}
