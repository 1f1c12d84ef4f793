import {parseArgs, type ParseArgsConfig} from 'node:util';
import {checkCombinations} from './check-combinations.js';
import {browseCommandOf, fieldName, optionTable, type OptionDefinition, type Options} from './option-table.js';
import {UsageError} from './usage-error.js';

export {UsageError} from './usage-error.js';
export {helpText} from './help-text.js';
export type {BrowseCommand, Options} from './option-table.js';

/** Which logs the report shows (`--logs`). */
export type LogsVerbosity = Options['logs'];

const rows: readonly OptionDefinition[] = optionTable;
const rowsByName = new Map(rows.map(row => [row.name, row]));

/** node's parseArgs configuration: every option but flags and switches takes a value. */
const optionSpecs: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(rows.map(row => [
	row.name,
	{type: row.kind === 'flag' || row.kind === 'switch' ? 'boolean' : 'string', ...(row.short === undefined ? {} : {short: row.short})},
]));

function defaults(): Options {
	const options: Record<string, unknown> = {stores: [], selectors: []};
	for (const row of rows) {
		if (row.default !== undefined) {
			options[fieldName(row.name)] = row.default;
		} else if (row.kind === 'flag') {
			options[fieldName(row.name)] = false;
		}
	}

	return options as Options;
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
			applyOption(options, rowsByName.get(token.name)!, token.value);
		}
	}

	options.browse = browseCommandOf(options);
	if (!options.help && !options.version) {
		checkCombinations(options);
	}

	return options;
}

function tokenize(argv: string[]) {
	const end = argv.indexOf('--');
	const options = attachValues(end === -1 ? argv : argv.slice(0, end));
	const args = [...options.map(word => bareValue(word)), ...(end === -1 ? [] : argv.slice(end))];
	try {
		return parseArgs({args, options: optionSpecs, strict: true, allowPositionals: true, tokens: true}).tokens;
	} catch (error) {
		if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
			throw new UsageError(usageMessage(error.message));
		}

		throw error;
	}
}

/** `--plan` alone is `--plan=text`: node's parser has no options with an optional value. */
function bareValue(word: string): string {
	const bare = word.startsWith('--') ? rowsByName.get(word.slice(2))?.bare : undefined;
	return bare === undefined ? word : `${word}=${bare}`;
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
const shortOptions = new Map<string, boolean>(rows.flatMap(row => (row.short === undefined ? [] : [[row.short, takesValue(row)] as const])));

function takesValue(row: OptionDefinition): boolean {
	return optionSpecs[row.name]?.type === 'string';
}

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

	if (value.startsWith('--') && rowsByName.has(value.slice(2).split('=')[0]!)) {
		throw new UsageError(`option ${option} needs a value, not the option ${value}`);
	}

	return [option.startsWith('--') ? `${option}=${value}` : `${option}${value}`];
}

/** A long option whose value is the next word (not `--plan`, whose value comes only as `--plan=dot`). */
function longOptionNeedsValue(name: string): boolean {
	const row = rowsByName.get(name);
	return row !== undefined && row.bare === undefined && takesValue(row);
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

function applyOption(options: Options, row: OptionDefinition, value: string | undefined): void {
	const fields = options as Record<string, unknown>;
	const field = fieldName(row.name);
	const text = value ?? '';
	switch (row.kind) {
		case 'flag': {
			fields[field] = true;
			break;
		}

		case 'text': {
			fields[field] = text;
			break;
		}

		case 'count': {
			fields[field] = parseCount(`--${row.name}`, text, row.minimum ?? 0);
			break;
		}

		case 'choice': {
			fields[field] = parseChoice(row, text);
			break;
		}

		case 'store': {
			options.stores.push({path: text, mounted: row.mounted ?? true});
			break;
		}

		case 'switch': {
			break;
		}
	}

	for (const [name, setting] of Object.entries(row.sets ?? {})) {
		fields[fieldName(name)] = setting;
	}
}

function parseChoice(row: OptionDefinition, value: string): string {
	const choices = row.choices ?? [];
	if (!choices.includes(value)) {
		throw new UsageError(`invalid --${row.name} value '${value}' (expected ${row.expected ?? choices.join(', ')})`);
	}

	return value;
}

function parseCount(option: string, value: string, minimum: number): number {
	const count = Number(value);
	if (!/^\d+$/.test(value) || !Number.isSafeInteger(count) || count < minimum) {
		throw new UsageError(`invalid ${option} value '${value}' (expected an integer of at least ${minimum})`);
	}

	return count;
}
