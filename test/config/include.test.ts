import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {ConfigError} from '../../src/config/errors.js';
import {readConfig} from '../../src/config/read-config.js';

let dir: string;
const cwd = process.cwd();

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'rsdeck-include-'));
});

afterEach(() => {
	process.chdir(cwd);
	rmSync(dir, {recursive: true, force: true});
});

function write(name: string, text: string): string {
	const file = path.join(dir, name);
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, text);
	return file;
}

test('a file is read in place', () => {
	const part = write('part.conf', 'max-age 5d\nhost inc\n  volume v /v\n');
	const main = write('config', `max-age 1d\ninclude ${part}\nhost after\n`);
	const config = readConfig(main);
	expect(config.hosts.get('inc')?.maxAge).toBe(5 * 86_400);
	expect(config.hosts.get('after')?.maxAge).toBe(5 * 86_400);
	expect(config.hosts.get('inc')?.location).toEqual({file: part, line: 2});
});

test('an included file has its own indentation; the includer carries on at global level', () => {
	const part = write('part.conf', 'host inc\n\tvolume v /v\n');
	const main = write('config', `host first\n  volume a /a\ninclude ${part}\nlogs /l\n`);
	const config = readConfig(main);
	expect([...config.hosts.keys()]).toEqual(['first', 'inc']);
	expect(config.logs).toBe('/l');
});

test('a directory has its regular files read in sorted order, skipping . # and ~ names', () => {
	write('config.d/b', 'logs /from-b\nhost b\n');
	write('config.d/a', 'logs /from-a\nhost a\n');
	write('config.d/.dotfile', 'host dot\n');
	write('config.d/#recovery#', 'host recovery\n');
	write('config.d/backup~', 'host backup\n');
	write('config.d/c~old', 'host tilde\n');
	mkdirSync(path.join(dir, 'config.d/subdir'));
	const main = write('config', `include ${path.join(dir, 'config.d')}\n`);
	const config = readConfig(main);
	expect([...config.hosts.keys()]).toEqual(['a', 'b']);
	expect(config.logs).toBe('/from-b');
});

test('relative include paths are taken from the current directory, as rsbackup does', () => {
	write('config.d/a', 'host a\n');
	write('config', 'include config.d\n');
	process.chdir(dir);
	expect([...readConfig('config').hosts.keys()]).toEqual(['a']);
});

test('an error in an included file names that file and line', () => {
	const part = write('part.conf', '\nhost ok\n   spong\n');
	const main = write('config', `include ${part}\n`);
	expect(() => readConfig(main)).toThrow(new ConfigError(`${part}:3: unknown command 'spong'`));
});

test('a missing include names the including line', () => {
	const main = write('config', '\ninclude /nonexistent/part\n');
	expect(() => readConfig(main)).toThrow(new ConfigError(`${main}:2: cannot include '/nonexistent/part': no such file or directory`));
});

test('an include loop is refused', () => {
	const main = path.join(dir, 'config');
	write('config', `include ${main}\n`);
	expect(() => readConfig(main)).toThrow(new ConfigError(`${main}:1: include loop: '${main}' is already being read`));
});

test('a host defined twice across files is a duplicate', () => {
	const part = write('part.conf', 'host a\n');
	const main = write('config', `host a\ninclude ${part}\n`);
	expect(() => readConfig(main)).toThrow(new ConfigError(`${part}:1: duplicate host 'a'`));
});
