import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {expect, test} from 'vitest';
import {optionTable, type OptionDefinition} from '../../src/options/option-table.js';

const root = path.resolve(import.meta.dirname, '../..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {man: [string]};

/** The build step, as `npm run build` runs it, then the page as man shows it (wide, so no option is hyphenated). */
async function renderedPage(): Promise<string> {
	await execa('node', [path.join(root, 'dist/src/man/write-man-page.js')], {env: {SOURCE_DATE_EPOCH: '0'}});
	const page = path.join(root, packageJson.man[0]);
	expect(existsSync(page)).toBe(true);
	const {stdout, stderr} = await execa('man', ['-l', page], {env: {MANWIDTH: '250', MANPAGER: 'cat', PAGER: 'cat', LC_ALL: 'C.UTF-8'}});
	expect(stderr).toBe('');
	return stdout;
}

test('the man page the build writes where package.json installs it from names every option the parser knows', async () => {
	const text = await renderedPage();
	const words = new Set(text.split(/[\s,[\]=]+/));
	for (const row of optionTable as readonly OptionDefinition[]) {
		expect(words, `--${row.name}`).toContain(`--${row.name}`);
		if (row.short !== undefined) {
			expect(words, `-${row.short}`).toContain(`-${row.short}`);
		}
	}

	for (const heading of ['SYNOPSIS', 'OPTIONS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'EXAMPLES']) {
		expect(text).toMatch(new RegExp(`^${heading}$`, 'm'));
	}

	for (const name of ['RSBACKUP_TIME', 'RSBACKUP_TIME_PRUNE', 'RSBACKUP_DBVERSION', 'NO_COLOR', 'notify-url', 'notify-command', 'rsdeck.conf']) {
		expect(text).toContain(name);
	}

	expect(text).toMatch(/^RSDECK\(1\) .* RSDECK\(1\)$/m);
	expect(text).toContain('1970-01-01');
});

test('the SYNOPSIS is the usage of --help, line for line', async () => {
	const text = await renderedPage();
	const synopsis = /^SYNOPSIS\n([\s\S]*?)\n\n/m.exec(text)?.[1]?.split('\n').map(line => line.trim().replaceAll(/\s+/g, ' '));
	const {stdout} = await execa('node', [path.join(root, 'dist/src/cli.js'), '--help']);
	const usage = /^Usage:\n([\s\S]*?)\n\n/.exec(stdout)?.[1]?.split('\n').map(line => line.trim());
	expect(usage).toContain('rsdeck --backups|--history|--diff|--restore [OPTIONS] HOST:VOLUME[:PATH]');
	expect(synopsis).toEqual(usage);
});
