import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, expect, test} from 'vitest';
import {cli, rsdeck} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

/** The printed units, split at the comments naming their files. */
function splitUnits(text: string): Map<string, string> {
	const units = new Map<string, string>();
	for (const part of text.split(/^# \/etc\/systemd\/system\//m).slice(1)) {
		const newline = part.indexOf('\n');
		units.set(part.slice(0, newline), part.slice(newline + 1));
	}

	return units;
}

/** `[Section]` → key → values, as systemd reads a unit file. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
	const sections = new Map<string, Map<string, string[]>>();
	let section: Map<string, string[]> | undefined;
	for (const line of text.split('\n')) {
		const heading = /^\[(\w+)]$/.exec(line);
		if (heading) {
			section = new Map();
			sections.set(heading[1]!, section);
		} else if (line !== '' && !line.startsWith('#')) {
			const match = /^(\w+)=(.*)$/.exec(line);
			expect(match, line).not.toBeNull();
			expect(section, line).toBeDefined();
			section!.set(match![1]!, [...(section!.get(match![1]!) ?? []), match![2]!]);
		}
	}

	return sections;
}

test('--print-systemd-units prints a oneshot headless service and an hourly timer that systemd accepts', async () => {
	const directory = temporaryDirectory();
	const config = path.join(directory, 'config');
	const result = await rsdeck(['--print-systemd-units', '--config', config]);
	expect(result).toMatchObject({exitCode: 0, stderr: ''});
	const units = splitUnits(result.stdout);
	expect([...units.keys()]).toEqual(['rsdeck-backup.service', 'rsdeck-backup.timer']);

	const service = parseUnit(units.get('rsdeck-backup.service')!).get('Service')!;
	expect(service.get('Type')).toEqual(['oneshot']);
	expect(service.get('ExecStart')).toEqual([`${process.execPath} ${cli} --headless --config ${config} --backup --prune`]);
	expect(service.get('IOSchedulingClass')).toEqual(['idle']);
	expect(Number(service.get('Nice')?.[0])).toBeGreaterThan(0);
	expect(service.get('MemoryDenyWriteExecute')).toBeUndefined();
	expect(service.get('PrivateDevices')).toBeUndefined();
	const timer = parseUnit(units.get('rsdeck-backup.timer')!);
	expect(timer.get('Timer')).toEqual(new Map([['OnCalendar', ['hourly']], ['Persistent', ['true']], ['RandomizedDelaySec', ['10min']]]));
	expect(timer.get('Install')?.get('WantedBy')).toEqual(['timers.target']);

	for (const [name, text] of units) {
		writeFileSync(path.join(directory, name), text);
	}

	// verify checks every key and value, and that ExecStart's program exists; it warns and still exits 0 on an unknown key.
	// --man=no: rsdeck(1) is installed by npm install -g, not here.
	const verify = await execa('systemd-analyze', ['verify', '--man=no', ...[...units.keys()].map(name => path.join(directory, name))], {reject: false});
	expect(verify.stderr).toBe('');
	expect(verify.exitCode).toBe(0);
});
