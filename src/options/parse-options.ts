import {parseArgs, type ParseArgsConfig} from 'node:util';
import {checkCombinations} from './check-combinations.js';
import {UsageError} from './usage-error.js';

export {UsageError} from './usage-error.js';
export {helpText} from './help-text.js';

/** Which logs the report shows (`--logs`). */
export type LogsVerbosity = 'all' | 'errors' | 'recent' | 'latest' | 'failed';

/** The parsed command line (SPEC §2). */
export type Options = {
	/** `--backup`, `-b`. */
	backup: boolean;
	/** `--prune`, `-p`. */
	prune: boolean;
	/** `--prune-incomplete`, `-P`. */
	pruneIncomplete: boolean;
	/** `--retire`: the selectors name what to retire. */
	retire: boolean;
	/** `--retire-device`: the positional words are device names. */
	retireDevice: boolean;
	/** `--forget-only` (with `--retire`). */
	forgetOnly: boolean;
	/** `--check-unexpected`. */
	checkUnexpected: boolean;
	/** `--null`, `-0`: NUL-separated `--check-unexpected` output. */
	null: boolean;
	/** `--latest`: the positional words are HOST:VOLUME. */
	latest: boolean;
	/** `--dump-config`. */
	dumpConfig: boolean;
	/** `--html PATH`, `-H`; `-` = stdout. */
	html?: string;
	/** `--text PATH`, `-T`; `-` = stdout. */
	text?: string;
	/** `--email ADDRESS`, `-e`. */
	email?: string;
	/** `--report-json PATH`. */
	reportJson?: string;
	/** `--metrics PATH`. */
	metrics?: string;
	/** `--config PATH`, `-c`. */
	config: string;
	/** `--store PATH` (mounted) and `--unmounted-store PATH`, in order; empty = the configuration's stores. */
	stores: Array<{path: string; mounted: boolean}>;
	/** `--verbose`, `-v`; also set by `--dry-run`. */
	verbose: boolean;
	/** `--debug`, `-d`. */
	debug: boolean;
	/** `--dry-run`, `-n`. */
	dryRun: boolean;
	/** `--force`, `-f`. */
	force: boolean;
	/** `--wait`, `-w`. */
	wait: boolean;
	/** `--database PATH`, `-D`. */
	database?: string;
	/** `--logs`. */
	logs: LogsVerbosity;
	/** `--warn-unknown`. */
	warnUnknown: boolean;
	/** `--warn-store`; also set by `--store`/`--unmounted-store`, as rsbackup does. */
	warnStore: boolean;
	/** `--warn-unreachable`. */
	warnUnreachable: boolean;
	/** `--warn-partial` (default on) / `--no-warn-partial`. */
	warnPartial: boolean;
	/** `--errors` (default on) / `--no-errors`. */
	errors: boolean;
	/** `--headless`; also set by `--json`. */
	headless: boolean;
	/** `--json`. */
	json: boolean;
	/** `--jobs N`; undefined = the default concurrency. */
	jobs?: number;
	/** `--retries N`, default 0. */
	retries: number;
	/** `--retry-failed`. */
	retryFailed: boolean;
	/** `--plan` (`text`) or `--plan=dot`; undefined = run. */
	plan?: 'text' | 'dot';
	/** The positional words: selectors, or device names for `--retire-device`, or HOST:VOLUME for `--latest`. */
	selectors: string[];
	/** `--help`, `-h`. */
	help: boolean;
	/** `--version`, `-V`. */
	version: boolean;
};

const optionSpecs = {
	backup: {type: 'boolean', short: 'b'},
	prune: {type: 'boolean', short: 'p'},
	'prune-incomplete': {type: 'boolean', short: 'P'},
	retire: {type: 'boolean'},
	'retire-device': {type: 'boolean'},
	'forget-only': {type: 'boolean'},
	'check-unexpected': {type: 'boolean'},
	null: {type: 'boolean', short: '0'},
	latest: {type: 'boolean'},
	'dump-config': {type: 'boolean'},
	html: {type: 'string', short: 'H'},
	text: {type: 'string', short: 'T'},
	email: {type: 'string', short: 'e'},
	'report-json': {type: 'string'},
	metrics: {type: 'string'},
	config: {type: 'string', short: 'c'},
	store: {type: 'string', short: 's'},
	'unmounted-store': {type: 'string'},
	verbose: {type: 'boolean', short: 'v'},
	debug: {type: 'boolean', short: 'd'},
	'dry-run': {type: 'boolean', short: 'n'},
	force: {type: 'boolean', short: 'f'},
	wait: {type: 'boolean', short: 'w'},
	database: {type: 'string', short: 'D'},
	logs: {type: 'string'},
	'warn-unknown': {type: 'boolean'},
	'warn-store': {type: 'boolean'},
	'warn-unreachable': {type: 'boolean'},
	'warn-partial': {type: 'boolean'},
	'no-warn-partial': {type: 'boolean'},
	'warn-all': {type: 'boolean', short: 'W'},
	errors: {type: 'boolean'},
	'no-errors': {type: 'boolean'},
	headless: {type: 'boolean'},
	json: {type: 'boolean'},
	jobs: {type: 'string'},
	retries: {type: 'string'},
	'retry-failed': {type: 'boolean'},
	plan: {type: 'string'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'V'},
} as const satisfies ParseArgsConfig['options'];

type OptionName = keyof typeof optionSpecs;
type BooleanKey = {[K in keyof Options]-?: Options[K] extends boolean ? K : never}[keyof Options];
type StringKey = 'html' | 'text' | 'email' | 'reportJson' | 'metrics' | 'config' | 'database';

const booleanOptions: Partial<Record<OptionName, BooleanKey>> = {
	backup: 'backup', prune: 'prune', 'prune-incomplete': 'pruneIncomplete', retire: 'retire',
	'retire-device': 'retireDevice', 'forget-only': 'forgetOnly', 'check-unexpected': 'checkUnexpected',
	null: 'null', latest: 'latest', 'dump-config': 'dumpConfig', verbose: 'verbose', debug: 'debug',
	'dry-run': 'dryRun', force: 'force', wait: 'wait', 'warn-unknown': 'warnUnknown',
	'warn-store': 'warnStore', 'warn-unreachable': 'warnUnreachable', 'warn-partial': 'warnPartial',
	errors: 'errors', headless: 'headless', json: 'json', 'retry-failed': 'retryFailed', help: 'help', version: 'version',
};

const stringOptions: Partial<Record<OptionName, StringKey>> = {
	html: 'html', text: 'text', email: 'email', 'report-json': 'reportJson', metrics: 'metrics', config: 'config', database: 'database',
};

function defaults(): Options {
	return {
		backup: false, prune: false, pruneIncomplete: false, retire: false, retireDevice: false, forgetOnly: false,
		checkUnexpected: false, null: false, latest: false, dumpConfig: false, config: '/etc/rsbackup/config',
		stores: [], verbose: false, debug: false, dryRun: false, force: false, wait: false, logs: 'failed',
		warnUnknown: false, warnStore: false, warnUnreachable: false, warnPartial: true, errors: true,
		headless: false, json: false, retries: 0, retryFailed: false, selectors: [], help: false, version: false,
	};
}

/**
Parse the command line (without the node and script words). Options are
applied in order, so `-W --no-warn-partial` leaves partial warnings off.

node's `util.parseArgs` is used rather than meow: meow exits the process on
an unknown option instead of throwing, and cannot express `--plan` with an
optional `=dot`. As with rsbackup's getopt, a word starting with `-` before
`--` is an option (an unknown one is an error), so `-HOST` selectors must
follow `--`; `!HOST` works anywhere.
*/
export function parseOptions(argv: string[]): Options {
	const options = defaults();
	for (const token of tokenize(argv)) {
		if (token.kind === 'positional') {
			options.selectors.push(token.value);
		} else if (token.kind === 'option') {
			applyOption(options, token.name as OptionName, token.value);
		}
	}

	options.verbose ||= options.dryRun;
	options.headless ||= options.json;
	if (!options.help && !options.version) {
		checkCombinations(options);
	}

	return options;
}

function tokenize(argv: string[]) {
	const end = argv.indexOf('--');
	const options = attachValues(end === -1 ? argv : argv.slice(0, end));
	const args = [...options.map(word => (word === '--plan' ? '--plan=text' : word)), ...(end === -1 ? [] : argv.slice(end))];
	try {
		return parseArgs({args, options: optionSpecs, strict: true, allowPositionals: true, tokens: true}).tokens;
	} catch (error) {
		if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
			throw new UsageError(usageMessage(error.message));
		}

		throw error;
	}
}

/** node's parse errors in the words of a command-line tool; others (an ambiguous value) as node says them. */
function usageMessage(message: string): string {
	const unknown = /^Unknown option '([^']+)'/.exec(message);
	if (unknown) {
		return `unknown option '${unknown[1]!}' (see --help)`;
	}

	const option = /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' (argument missing|does not take an argument)/.exec(message);
	if (option) {
		return option[2] === 'argument missing' ? `option ${option[1]!} needs a value` : `option ${option[1]!} takes no value`;
	}

	return message;
}

/** Short option letters → whether the option takes a value. */
const shortOptions = new Map<string, boolean>(Object.values(optionSpecs).flatMap(spec => ('short' in spec ? [[spec.short, spec.type === 'string'] as const] : [])));

/**
As rsbackup's getopt does, the word after an option that needs a value is
that value even when it starts with `-` (`--email -x`; `--retries -3`, which
its own check then refuses in one line): it is joined to its option, since
node's parser calls such a value ambiguous. Only a word that is itself one
of the long options is refused (`--text --backup`), where getopt would write
a report named `--backup`. Also names the whole word when a `-word` is not a
cluster of short options: it is most likely a `-HOST` selector written
before `--`.
*/
function attachValues(words: string[]): string[] {
	const joined: string[] = [];
	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		const value = words[index + 1];
		const needsValue = word.startsWith('--') ? longOptionNeedsValue(word.slice(2)) : (word.startsWith('-') && word.length > 1 && shortClusterNeedsValue(word));
		if (needsValue && value !== undefined) {
			joined.push(...withValue(word, value));
			index++;
		} else {
			joined.push(word);
		}
	}

	return joined;
}

/** An option and its value as node's parser takes them: joined when the value starts with `-`. */
function withValue(option: string, value: string): string[] {
	if (!value.startsWith('-') || value === '-') {
		return [option, value];
	}

	if (value.startsWith('--') && Object.hasOwn(optionSpecs, value.slice(2).split('=')[0]!)) {
		throw new UsageError(`option ${option} needs a value, not the option ${value}`);
	}

	return [option.startsWith('--') ? `${option}=${value}` : `${option}${value}`];
}

/** `--plan` takes its value only as `--plan=dot`. */
function longOptionNeedsValue(name: string): boolean {
	return name !== 'plan' && Object.hasOwn(optionSpecs, name) && optionSpecs[name as OptionName].type === 'string';
}

/** Whether a short cluster (`-bc`) ends with an option whose value is the next word. */
function shortClusterNeedsValue(word: string): boolean {
	for (const [index, letter] of [...word.slice(1)].entries()) {
		const takesValue = shortOptions.get(letter);
		if (takesValue === undefined) {
			throw new UsageError(`unknown option '${word}' (a selector starting with '-' must come after '--')`);
		}

		if (takesValue) {
			return index === word.length - 2;
		}
	}

	return false;
}

function applyOption(options: Options, name: OptionName, value: string | undefined): void {
	const flag = booleanOptions[name];
	const text = stringOptions[name];
	if (flag) {
		options[flag] = true;
	} else if (text) {
		options[text] = value ?? '';
	} else {
		applySpecial(options, name, value ?? '');
	}
}

function applySpecial(options: Options, name: OptionName, value: string): void {
	switch (name) {
		case 'store':
		case 'unmounted-store': {
			options.stores.push({path: value, mounted: name === 'store'});
			options.warnStore = true;
			break;
		}

		case 'logs': {
			options.logs = parseLogs(value);
			break;
		}

		case 'no-warn-partial': {
			options.warnPartial = false;
			break;
		}

		case 'no-errors': {
			options.errors = false;
			break;
		}

		case 'warn-all': {
			options.warnUnknown = true;
			options.warnStore = true;
			options.warnUnreachable = true;
			options.warnPartial = true;
			break;
		}

		case 'jobs': {
			options.jobs = parseCount('--jobs', value, 1);
			break;
		}

		case 'retries': {
			options.retries = parseCount('--retries', value, 0);
			break;
		}

		case 'plan': {
			options.plan = parsePlan(value);
			break;
		}

		default: {
			throw new Error(`option --${name} has no handler`);
		}
	}
}

const logsValues: readonly LogsVerbosity[] = ['all', 'errors', 'recent', 'latest', 'failed'];

function parseLogs(value: string): LogsVerbosity {
	const found = logsValues.find(candidate => candidate === value);
	if (!found) {
		throw new UsageError(`invalid --logs value '${value}' (expected ${logsValues.join(', ')})`);
	}

	return found;
}

function parseCount(option: string, value: string, minimum: number): number {
	const count = Number(value);
	if (!/^\d+$/.test(value) || !Number.isSafeInteger(count) || count < minimum) {
		throw new UsageError(`invalid ${option} value '${value}' (expected an integer of at least ${minimum})`);
	}

	return count;
}

function parsePlan(value: string): 'text' | 'dot' {
	if (value !== 'text' && value !== 'dot') {
		throw new UsageError(`invalid --plan value '${value}' (expected --plan or --plan=dot)`);
	}

	return value;
}
