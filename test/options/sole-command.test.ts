import {readFileSync} from 'node:fs';
import {expect, test} from 'vitest';
import {soleCommand, soleCommandText} from '../../src/options/sole-command.js';
import {helpText, parseOptions} from '../../src/options/parse-options.js';
import {rsdeck} from '../helpers/fleet.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;

test('only a sole --help, -h, --version or -V is a sole command', () => {
	expect(soleCommand(['--help'])).toBe('help');
	expect(soleCommand(['-h'])).toBe('help');
	expect(soleCommand(['--version'])).toBe('version');
	expect(soleCommand(['-V'])).toBe('version');
	for (const argv of [[], ['--help', '--help'], ['--help', '--backup'], ['-hV'], ['--help=x'], ['--'], ['help'], ['--version', 'host']]) {
		expect(soleCommand(argv)).toBeUndefined();
	}
});

test('a sole command means what the option parser makes of it', () => {
	for (const word of ['--help', '-h', '--version', '-V']) {
		const options = parseOptions([word]);
		expect(soleCommand([word])).toBe(options.help ? 'help' : (options.version ? 'version' : undefined));
	}
});

test('the fast path prints the text main prints', async () => {
	expect(await soleCommandText('help', version)).toBe(helpText);
	expect(await soleCommandText('version', version)).toBe(`rsdeck ${version}\n`);
});

test('the binary answers --help and --version alone as with other options', async () => {
	for (const [sole, long] of [[['--help'], ['--help', '--verbose']], [['-V'], ['--version', '--verbose']]]) {
		const fast = await rsdeck(sole!);
		const slow = await rsdeck(long!);
		expect(fast).toEqual({exitCode: 0, stdout: slow.stdout, stderr: ''});
		expect(slow.exitCode).toBe(0);
	}

	expect((await rsdeck(['--help'])).stdout).toBe(helpText);
	expect((await rsdeck(['--version'])).stdout).toBe(`rsdeck ${version}\n`);
});
