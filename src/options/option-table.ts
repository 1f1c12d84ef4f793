/**
Every command-line option, once. The parser, the `Options` type, the
defaults, `--help` and the man page are all made from this table: to add an
option, add a row (and handle its field where it is used).

Kinds: `flag` sets its field to true; `text` keeps its value; `count` keeps
an integer of at least `minimum`; `choice` keeps one of `choices`; `store`
adds to `stores`; `switch` has no field of its own and only `sets` others.
`sets` also applies after a row's own effect (`--dry-run` sets `verbose`).
A field's name is the option's name in camelCase (`--dry-run` → `dryRun`).
*/
export const optionTable = [
	// Actions
	{name: 'backup', short: 'b', kind: 'flag', section: 'actions', action: 'step', help: 'Make backups'},
	{name: 'prune', short: 'p', kind: 'flag', section: 'actions', action: 'step', help: 'Prune old backups'},
	{name: 'prune-incomplete', short: 'P', kind: 'flag', section: 'actions', action: 'step', help: 'Remove incomplete (underway or failed) backups'},
	{name: 'retire', kind: 'flag', section: 'actions', action: 'step', help: 'Remove all backups of the selected hosts/volumes'},
	{name: 'retire-device', kind: 'flag', section: 'actions', action: 'records', help: 'Forget the named devices\' records (files untouched)'},
	{name: 'forget-only', kind: 'flag', section: 'actions', help: 'With --retire: only delete the records'},
	{name: 'html', short: 'H', kind: 'text', value: 'PATH', section: 'actions', action: 'report', help: 'Write an HTML report (\'-\' = stdout)'},
	{name: 'text', short: 'T', kind: 'text', value: 'PATH', section: 'actions', action: 'report', help: 'Write a text report (\'-\' = stdout)'},
	{name: 'email', short: 'e', kind: 'text', value: 'ADDRESS', section: 'actions', action: 'report', help: 'Email a report'},
	{name: 'report-json', kind: 'text', value: 'PATH', section: 'actions', action: 'report', help: 'Write the report as JSON'},
	{name: 'metrics', kind: 'text', value: 'PATH', section: 'actions', action: 'report', help: 'Write Prometheus metrics'},
	{name: 'check-unexpected', kind: 'flag', section: 'actions', action: 'alone', help: 'List unexpected files in stores (only action)'},
	{name: 'latest', kind: 'flag', section: 'actions', action: 'alone', help: 'Print the newest complete backup of HOST:VOLUME (only action)'},
	{name: 'dump-config', kind: 'flag', section: 'actions', action: 'alone', help: 'Print the effective configuration (only action)'},

	// General options
	{name: 'config', short: 'c', kind: 'text', value: 'PATH', default: '/etc/rsbackup/config', section: 'general', help: 'Configuration file'},
	{name: 'store', short: 's', kind: 'store', mounted: true, value: 'PATH', sets: {'warn-store': true}, section: 'general', help: 'Use only this store (repeatable)'},
	{name: 'unmounted-store', kind: 'store', mounted: false, value: 'PATH', sets: {'warn-store': true}, section: 'general', help: 'Use only this store, which need not be a mount point'},
	{name: 'rsdeck-config', kind: 'text', value: 'PATH', section: 'rsdeck', help: 'rsdeck\'s own directives (default rsdeck.conf beside the configuration)'},
	{name: 'database', short: 'D', kind: 'text', value: 'PATH', section: 'general', help: 'Database (default LOGS/backups.db)'},
	{name: 'verbose', short: 'v', kind: 'flag', section: 'general', help: 'More output'},
	{name: 'debug', short: 'd', kind: 'flag', section: 'general', help: 'Debug output'},
	{name: 'dry-run', short: 'n', kind: 'flag', sets: {verbose: true}, section: 'general', help: 'Change nothing; show what would run (implies -v)'},
	{name: 'force', short: 'f', kind: 'flag', section: 'general', help: 'No prompts; override the backup policy'},
	{name: 'wait', short: 'w', kind: 'flag', section: 'general', help: 'Wait for the lock instead of giving up'},
	{name: 'null', short: '0', kind: 'flag', section: 'general', help: 'With --check-unexpected: separate names with NUL'},
	{name: 'logs', kind: 'choice', choices: ['all', 'errors', 'recent', 'latest', 'failed'], default: 'failed', section: 'general', help: 'Which logs the report shows'},
	{name: 'help', short: 'h', kind: 'flag', section: 'general', help: 'Show this help'},
	{name: 'version', short: 'V', kind: 'flag', section: 'general', help: 'Show the version'},

	// Warnings
	{name: 'warn-unknown', kind: 'flag', section: 'warnings', help: 'Unknown devices, hosts and volumes'},
	{name: 'warn-store', kind: 'flag', section: 'warnings', help: 'Unsuitable stores and unavailable devices'},
	{name: 'warn-unreachable', kind: 'flag', section: 'warnings', help: 'Unreachable hosts'},
	{name: 'warn-partial', kind: 'flag', default: true, section: 'warnings', help: 'rsync partial transfers'},
	{name: 'no-warn-partial', kind: 'switch', sets: {'warn-partial': false}, section: 'warnings', help: 'Silence partial transfer warnings'},
	{name: 'warn-all', short: 'W', kind: 'switch', sets: {'warn-unknown': true, 'warn-store': true, 'warn-unreachable': true, 'warn-partial': true}, section: 'warnings', help: 'All of the above'},
	{name: 'errors', kind: 'flag', default: true, section: 'warnings', help: 'Show rsync errors'},
	{name: 'no-errors', kind: 'switch', sets: {errors: false}, section: 'warnings', help: 'Hide rsync errors'},

	// rsdeck's own
	{name: 'headless', kind: 'flag', section: 'rsdeck', help: 'Plain log lines, no console (automatic without a terminal)'},
	{name: 'json', kind: 'flag', sets: {headless: true}, section: 'rsdeck', help: 'One JSON object per event on stdout (implies --headless)'},
	{name: 'jobs', kind: 'count', minimum: 1, value: 'N', section: 'rsdeck', help: 'Run at most N actions at once'},
	{name: 'retries', kind: 'count', minimum: 0, default: 0, value: 'N', section: 'rsdeck', help: 'Retry transient failures up to N times, with backoff'},
	{name: 'retry-failed', kind: 'flag', section: 'rsdeck', help: 'Redo what failed in the last run'},
	{name: 'plan', kind: 'choice', choices: ['text', 'dot'], bare: 'text', expected: '--plan or --plan=dot', section: 'rsdeck', help: 'Print the action graph (text or Graphviz) without running it'},
	{name: 'list-selectors', kind: 'flag', section: 'rsdeck', action: 'alone', help: 'Print every HOST and HOST:VOLUME of the configuration (only action)'},
	{name: 'print-systemd-units', kind: 'flag', section: 'rsdeck', action: 'alone', help: 'Print a systemd service and timer for hourly backups (only action)'},
	{name: 'completion', kind: 'choice', choices: ['bash', 'zsh', 'fish'], section: 'rsdeck', action: 'alone', help: 'Print a shell completion script (only action)'},

	// Finding and restoring files (rsdeck, src/browse): the one positional word is HOST:VOLUME[:PATH]
	{name: 'backups', kind: 'flag', section: 'browse', action: 'alone', help: 'List the backups of HOST:VOLUME, newest first'},
	{name: 'history', kind: 'flag', section: 'browse', action: 'alone', help: 'List each distinct version of HOST:VOLUME:PATH across backups'},
	{name: 'diff', kind: 'flag', section: 'browse', action: 'alone', help: 'What changed in HOST:VOLUME[:PATH] between two backups (+ - M T A)'},
	{name: 'restore', kind: 'flag', section: 'browse', action: 'alone', help: 'Copy HOST:VOLUME[:PATH] out of a backup to --target; never deletes, skips existing files unless --force'},
	{name: 'from', kind: 'text', value: 'ID', section: 'browse', help: 'The older backup of --diff (default: the one before --to); the backup --restore copies from (default: the newest)'},
	{name: 'to', kind: 'text', value: 'ID', section: 'browse', help: 'The newer backup of --diff (default: the newest)'},
	{name: 'target', kind: 'text', value: 'DEST', section: 'browse', help: 'Where --restore writes: a local path or HOST:PATH of a configured host'},
	{name: 'checksum', kind: 'flag', section: 'browse', help: 'With --diff: compare the data of files whose inode differs'},
] as const satisfies readonly OptionDefinition[];

/** Where `--help` and the man page list an option. */
export type OptionSection = 'actions' | 'general' | 'warnings' | 'rsdeck' | 'browse';

/**
What an action option asks for: `step` a step of the run's graph, `records`
a change to the database alone, `report` a report, `alone` an action that
cannot be combined with others.
*/
export type ActionKind = 'step' | 'records' | 'report' | 'alone';

/** One row of the table. */
export type OptionDefinition = {
	/** The long name, without `--`. */
	name: string;
	/** The one-letter form, without `-`. */
	short?: string;
	kind: 'flag' | 'text' | 'count' | 'choice' | 'store' | 'switch';
	/** The field's value when the option is not given; without one, flags are false and the rest undefined. */
	default?: string | number | boolean;
	/** The value's placeholder in help (`PATH`, `N`). */
	value?: string;
	/** `choice`: the values accepted. */
	choices?: readonly string[];
	/** `choice`: the value of the option given without `=value` (`--plan` = `--plan=text`). */
	bare?: string;
	/** `choice`: what the error message says was expected, when not the list of choices. */
	expected?: string;
	/** `count`: the smallest value accepted. */
	minimum?: number;
	/** `store`: whether the store must be a mount point. */
	mounted?: boolean;
	/** Other options' fields this one sets, by option name. */
	sets?: Readonly<Record<string, boolean>>;
	section: OptionSection;
	action?: ActionKind;
	/** One line for `--help` and the man page. */
	help: string;
};

export type OptionRow = (typeof optionTable)[number];

/** `dry-run` → `dryRun`. */
type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name;

type ValueOf<Row> = Row extends {kind: 'flag'} ? boolean
	: Row extends {kind: 'count'} ? number
		: Row extends {kind: 'choice'; choices: ReadonlyArray<infer Choice>} ? Choice
			: string;

type FieldRow = Exclude<OptionRow, {kind: 'store' | 'switch'}>;
type AlwaysSet = Extract<FieldRow, {kind: 'flag'} | {default: unknown}>;
type MaybeSet = Exclude<FieldRow, AlwaysSet>;

/** The parsed command line (SPEC §2): a field per option of the table, and the positional words. */
export type Options = {[Row in AlwaysSet as CamelCase<Row['name']>]: ValueOf<Row>}
	& {[Row in MaybeSet as CamelCase<Row['name']>]?: ValueOf<Row>}
	& {
		/** `--store PATH` (mounted) and `--unmounted-store PATH`, in order; empty = the configuration's stores. */
		stores: Array<{path: string; mounted: boolean}>;
		/** The positional words: selectors, or device names for `--retire-device`, or HOST:VOLUME for `--latest`. */
		selectors: string[];
		/** Which snapshot command (`--backups`, `--history`, `--diff`, `--restore`) was given, if any. */
		browse?: BrowseCommand;
	};

/** The snapshot-reading commands (rsdeck). */
export type BrowseCommand = 'backups' | 'history' | 'diff' | 'restore';

/** The snapshot command the options ask for; at most one can be given (they are `alone` actions). */
export function browseCommandOf(options: Readonly<Record<string, unknown>>): BrowseCommand | undefined {
	return (['backups', 'history', 'diff', 'restore'] as const).find(name => options[name] === true);
}

/** The field an option writes. */
export function fieldName(name: string): string {
	return name.replaceAll(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

