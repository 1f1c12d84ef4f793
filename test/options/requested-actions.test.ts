import {expect, test} from 'vitest';
import {optionTable, type OptionDefinition} from '../../src/options/option-table.js';
import {parseOptions} from '../../src/options/parse-options.js';
import {requestedActions} from '../../src/options/requested-actions.js';

test.each<[string[], Partial<ReturnType<typeof requestedActions>>]>([
	[[], {given: [], steps: [], backup: false, runs: false, reports: false, writes: false}],
	[['-b', '--text', '-'], {given: ['--backup', '--text'], steps: ['backup'], backup: true, deviceSteps: false, runs: true, reports: true, writes: true}],
	[['--retry-failed'], {given: [], steps: [], backup: true, runs: true, writes: true}],
	[['-p', '-P', '--retire', 'h'], {steps: ['prune', 'prune-incomplete', 'retire'], backup: false, deviceSteps: true, runs: true}],
	[['--retire-device', 'd'], {given: ['--retire-device'], runs: false, writes: true}],
	[['--metrics', 'm'], {reports: true, runs: false, writes: false}],
	[['--dump-config'], {given: ['--dump-config'], alone: ['--dump-config'], writes: false}],
])('%j', (argv, expected) => {
	expect(requestedActions(parseOptions(argv))).toMatchObject(expected);
});

test('every option another sets is a flag of the table', () => {
	const rows: readonly OptionDefinition[] = optionTable;
	const flags = new Set(rows.filter(row => row.kind === 'flag').map(row => row.name));
	for (const row of rows) {
		for (const name of Object.keys(row.sets ?? {})) {
			expect(flags, `--${row.name} sets --${name}`).toContain(name);
		}
	}
});
