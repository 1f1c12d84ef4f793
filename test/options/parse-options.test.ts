import {describe, expect, test} from 'vitest';
import {helpText, parseOptions, UsageError} from '../../src/options/parse-options.js';

function usageError(argv: string[]): string {
	try {
		parseOptions(argv);
	} catch (error) {
		expect(error).toBeInstanceOf(UsageError);
		return (error as UsageError).message;
	}

	throw new Error(`no error for ${argv.join(' ')}`);
}

describe('defaults', () => {
	test('no arguments', () => {
		expect(parseOptions([])).toEqual({
			backup: false, prune: false, pruneIncomplete: false, retire: false, retireDevice: false, forgetOnly: false,
			checkUnexpected: false, null: false, latest: false, dumpConfig: false, config: '/etc/rsbackup/config',
			stores: [], verbose: false, debug: false, dryRun: false, force: false, wait: false, logs: 'failed',
			warnUnknown: false, warnStore: false, warnUnreachable: false, warnPartial: true, errors: true,
			headless: false, json: false, retries: 0, retryFailed: false, selectors: [], help: false, version: false,
			listSelectors: false, printSystemdUnits: false, backups: false, history: false, diff: false, restore: false, checksum: false,
		});
	});
});

describe('every rsbackup option, long and short', () => {
	const flags: Array<[string[], Partial<ReturnType<typeof parseOptions>>]> = [
		[['--backup'], {backup: true}], [['-b'], {backup: true}],
		[['--prune'], {prune: true}], [['-p'], {prune: true}],
		[['--prune-incomplete'], {pruneIncomplete: true}], [['-P'], {pruneIncomplete: true}],
		[['--retire', 'h'], {retire: true, selectors: ['h']}],
		[['--retire', '--forget-only', 'h:v'], {retire: true, forgetOnly: true}],
		[['--retire-device', 'd1', 'd2'], {retireDevice: true, selectors: ['d1', 'd2']}],
		[['--html', 'r.html'], {html: 'r.html'}], [['-H', '-'], {html: '-'}],
		[['--text', 't.txt'], {text: 't.txt'}], [['-T-'], {text: '-'}],
		[['--email', 'root@x'], {email: 'root@x'}], [['-e', 'root@x'], {email: 'root@x'}],
		[['--report-json', 'r.json'], {reportJson: 'r.json'}], [['--metrics', 'm.prom'], {metrics: 'm.prom'}],
		[['--check-unexpected', '--null'], {checkUnexpected: true, null: true}], [['--check-unexpected', '-0'], {null: true}],
		[['--latest', 'h:v'], {latest: true, selectors: ['h:v']}],
		[['--dump-config'], {dumpConfig: true}],
		[['--config', '/c'], {config: '/c'}], [['-c', '/c'], {config: '/c'}], [['--config=/c'], {config: '/c'}],
		[['--store', '/s1', '-s', '/s2', '--unmounted-store', '/u'], {
			stores: [{path: '/s1', mounted: true}, {path: '/s2', mounted: true}, {path: '/u', mounted: false}], warnStore: true,
		}],
		[['--verbose'], {verbose: true}], [['-v'], {verbose: true}],
		[['--debug'], {debug: true}], [['-d'], {debug: true}],
		[['--dry-run'], {dryRun: true, verbose: true}], [['-n'], {dryRun: true, verbose: true}],
		[['--force'], {force: true}], [['-f'], {force: true}],
		[['--wait'], {wait: true}], [['-w'], {wait: true}],
		[['--database', '/db'], {database: '/db'}], [['-D', '/db'], {database: '/db'}],
		[['--logs', 'all'], {logs: 'all'}], [['--logs=recent'], {logs: 'recent'}],
		[['--warn-unknown'], {warnUnknown: true}], [['--warn-store'], {warnStore: true}],
		[['--warn-unreachable'], {warnUnreachable: true}], [['--no-warn-partial'], {warnPartial: false}],
		[['--no-warn-partial', '--warn-partial'], {warnPartial: true}],
		[['--warn-all'], {warnUnknown: true, warnStore: true, warnUnreachable: true, warnPartial: true}],
		[['--no-warn-partial', '-W'], {warnPartial: true}], [['-W', '--no-warn-partial'], {warnUnknown: true, warnPartial: false}],
		[['--no-errors'], {errors: false}], [['--no-errors', '--errors'], {errors: true}],
		[['--help'], {help: true}], [['-h'], {help: true}], [['--version'], {version: true}], [['-V'], {version: true}],
		[['-bpPnv'], {backup: true, prune: true, pruneIncomplete: true, dryRun: true}],
		[['-bc/etc/x'], {backup: true, config: '/etc/x'}],
	];

	test.each(flags)('%j', (argv, expected) => {
		expect(parseOptions(argv)).toMatchObject(expected);
	});
});

describe('rsdeck additions', () => {
	test.each<[string[], Partial<ReturnType<typeof parseOptions>>]>([
		[['--headless'], {headless: true}],
		[['--json'], {json: true, headless: true}],
		[['--jobs', '4'], {jobs: 4}],
		[['--retries', '0'], {retries: 0}], [['--retries=3'], {retries: 3}],
		[['--retry-failed'], {retryFailed: true}],
		[['--plan'], {plan: 'text'}], [['--plan=dot'], {plan: 'dot'}], [['--plan=text', '-b'], {plan: 'text', backup: true}],
		[['--plan', 'h1'], {plan: 'text', selectors: ['h1']}],
		[['--rsdeck-config', '/r'], {rsdeckConfig: '/r'}],
		[['--list-selectors'], {listSelectors: true}], [['--print-systemd-units'], {printSystemdUnits: true}],
		[['--completion', 'bash'], {completion: 'bash'}], [['--completion=fish'], {completion: 'fish'}],
	])('%j', (argv, expected) => {
		expect(parseOptions(argv)).toMatchObject(expected);
	});

	test.each([
		[['--jobs', '0'], 'invalid --jobs value \'0\' (expected an integer of at least 1)'],
		[['--jobs', 'many'], 'invalid --jobs value \'many\' (expected an integer of at least 1)'],
		[['--retries=-1'], 'invalid --retries value \'-1\' (expected an integer of at least 0)'],
		[['--plan=svg'], 'invalid --plan value \'svg\' (expected --plan or --plan=dot)'],
		[['--logs', 'some'], 'invalid --logs value \'some\' (expected all, errors, recent, latest, failed)'],
	])('%j is refused', (argv, message) => {
		expect(usageError(argv)).toBe(message);
	});
});

describe('selectors', () => {
	test('positional words are kept in order; -HOST after --', () => {
		expect(parseOptions(['-b', 'h1', '!h2', '--', '-h3', '-h4:v']).selectors).toEqual(['h1', '!h2', '-h3', '-h4:v']);
		expect(parseOptions(['--config=-odd']).config).toBe('-odd');
		expect(parseOptions(['-c', '-odd']).config).toBe('-odd');
		expect(parseOptions(['-b', '--', '*', '-h1:v']).plan).toBeUndefined();
	});

	test('a -HOST before -- is an unknown option, named whole', () => {
		expect(usageError(['-b', '-host1'])).toBe('unknown option \'-host1\' (a selector starting with \'-\' must come after \'--\')');
		expect(usageError(['--bogus'])).toBe('unknown option \'--bogus\' (see --help)');
		expect(usageError(['--bogus=1'])).toBe('unknown option \'--bogus\' (see --help)');
	});

	test('a malformed selector is refused', () => {
		expect(usageError(['-b', 'h1:'])).toBe('invalid selector \'h1:\'');
	});

	test('a value starting with - is taken as the value, as rsbackup\'s getopt does; a bad one is refused in one line', () => {
		expect(parseOptions(['--email', '-x', '--text', '-', '--config', '-c.conf', '-bD', '-db']).email).toBe('-x');
		expect(parseOptions(['--email', '-x', '--text', '-', '--config', '-c.conf', '-bD', '-db'])).toMatchObject({text: '-', config: '-c.conf', database: '-db', backup: true});
		expect(parseOptions(['-b', '-H', '-h.html', '--store', '--s', '--', '-h1']).html).toBe('-h.html');
		expect(parseOptions(['-b', '--store', '-s', '--', '-h1'])).toMatchObject({stores: [{path: '-s', mounted: true}], selectors: ['-h1']});
		expect(usageError(['-b', '--retries', '-3'])).toBe('invalid --retries value \'-3\' (expected an integer of at least 0)');
		expect(usageError(['-b', '--jobs', '-1'])).toBe('invalid --jobs value \'-1\' (expected an integer of at least 1)');
		expect(usageError(['--text', '-', '--logs', '-all'])).toBe('invalid --logs value \'-all\' (expected all, errors, recent, latest, failed)');
		expect(usageError(['--text', '--backup'])).toBe('option --text needs a value, not the option --backup');
		expect(usageError(['-T', '--dry-run=x'])).toBe('option -T needs a value, not the option --dry-run=x');
	});

	test('a missing option value is refused', () => {
		expect(usageError(['--config'])).toBe('option --config needs a value');
		expect(usageError(['--backup=yes'])).toBe('option --backup takes no value');
		expect(usageError(['--jobs'])).toBe('option --jobs needs a value');
	});
});

describe('combinations', () => {
	test.each([
		[['--dump-config', '--backup'], '--dump-config cannot be combined with other actions'],
		[['--dump-config', '--text', '-'], '--dump-config cannot be combined with other actions'],
		[['--check-unexpected', '--prune'], '--check-unexpected cannot be combined with other actions'],
		[['--latest', '--html', 'x', 'h:v'], '--latest cannot be combined with other actions'],
		[['--backup', '--retire', 'h'], '--backup cannot be combined with --retire'],
		[['--backup', '--retire-device', 'd'], '--backup cannot be combined with --retire-device'],
		[['--retire', '--retire-device', 'd'], '--retire cannot be combined with --retire-device'],
		[['--forget-only', '--prune'], '--forget-only requires --retire'],
		[['--retire'], '--retire requires at least one HOST or HOST:VOLUME'],
		[['--retire', '*'], '--retire needs explicit HOST or HOST:VOLUME names, not \'*\''],
		[['--retire', 'web*'], '--retire needs explicit HOST or HOST:VOLUME names, not \'web*\''],
		[['--retire', '!h'], '--retire needs explicit HOST or HOST:VOLUME names, not \'!h\''],
		[['--retire-device'], '--retire-device requires at least one DEVICE'],
		[['--retire-device', 'a/b'], 'invalid device name \'a/b\''],
		[['--latest'], '--latest requires at least one HOST:VOLUME'],
		[['--latest', 'h'], '--latest needs explicit HOST:VOLUME names, not \'h\''],
		[['--latest', 'h:*'], '--latest needs explicit HOST:VOLUME names, not \'h:*\''],
	])('%j is refused', (argv, message) => {
		expect(usageError(argv)).toBe(message);
	});

	test('allowed combinations', () => {
		expect(parseOptions(['-b', '-p', '-P', '--text', '-', '--html', 'r.html'])).toMatchObject({backup: true, prune: true, text: '-'});
		expect(parseOptions(['--retire', '--retire', '-f', 'h1', 'h2:v'])).toMatchObject({retire: true, force: true});
		expect(parseOptions(['--prune', '--retire', 'h'])).toMatchObject({prune: true, retire: true});
		expect(parseOptions(['--dump-config', '--verbose'])).toMatchObject({dumpConfig: true, verbose: true});
		expect(parseOptions(['-v'])).toMatchObject({backup: false, verbose: true});
	});

	test('--help and --version skip the combination checks', () => {
		expect(parseOptions(['--help', '--dump-config', '--backup']).help).toBe(true);
		expect(parseOptions(['--version', '--retire']).version).toBe(true);
	});
});

test('the help text lists every option', () => {
	for (const option of ['--backup', '-b', '--prune-incomplete', '-P', '--retire-device', '--forget-only', '--check-unexpected', '--null', '-0', '--latest', '--dump-config', '--unmounted-store', '-D', '--logs', '--warn-all', '-W', '--no-errors', '--headless', '--json', '--jobs', '--retries', '--retry-failed', '--plan=dot', '--report-json', '--metrics', '-V']) {
		expect(helpText).toContain(option);
	}
});

describe('finding and restoring files', () => {
	test('each command takes one HOST:VOLUME[:PATH] and its own options', () => {
		expect(parseOptions(['--backups', 'h:v'])).toMatchObject({browse: 'backups', selectors: ['h:v']});
		expect(parseOptions(['--history', 'h:v:etc/a b:c'])).toMatchObject({browse: 'history'});
		expect(parseOptions(['--diff', 'h:v', '--from', 'X', '--to', 'Y', '--checksum'])).toMatchObject({browse: 'diff', from: 'X', to: 'Y', checksum: true});
		expect(parseOptions(['--restore', 'h:v:etc', '--target', '/tmp/r', '--force'])).toMatchObject({browse: 'restore', target: '/tmp/r', force: true});
	});

	test('refusals', () => {
		expect(usageError(['--history', 'h:v'])).toBe("--history needs HOST:VOLUME:PATH, not 'h:v'");
		expect(usageError(['--backups', 'h:v:p'])).toBe("--backups needs HOST:VOLUME, not 'h:v:p'");
		expect(usageError(['--diff', 'h'])).toBe("--diff needs HOST:VOLUME[:PATH], not 'h'");
		// The form named is the one the option takes, whatever is wrong with the word.
		expect(usageError(['--backups', 'web'])).toBe("--backups needs HOST:VOLUME, not 'web'");
		expect(usageError(['--history', 'web'])).toBe("--history needs HOST:VOLUME:PATH, not 'web'");
		expect(usageError(['--diff', 'h:v', 'h:w'])).toBe('--diff needs exactly one HOST:VOLUME[:PATH]');
		expect(usageError(['--restore', 'h:v'])).toBe('--restore requires --target DEST');
		expect(usageError(['--diff', 'h:v', '--target', 'x'])).toBe('--target requires --restore');
		expect(usageError(['--restore', 'h:v', '--target', 'x', '--to', 'y'])).toBe('--to requires --diff');
		expect(usageError(['--checksum'])).toBe('--checksum requires --diff');
		expect(usageError(['--diff', '--restore', 'h:v'])).toBe('--diff cannot be combined with other actions');
		expect(usageError(['--diff', '--backup', 'h:v'])).toBe('--diff cannot be combined with other actions');
	});
});
