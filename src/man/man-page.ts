import {optionHelp, optionSynopsis, sectionTitles} from '../options/help-text.js';
import {optionTable, type OptionDefinition, type OptionSection} from '../options/option-table.js';

/** Text made safe for roff: backslashes, hyphens (so they stay ASCII minus signs) and leading dots. */
export function roffText(text: string): string {
	return text.replaceAll('\\', '\\e').replaceAll('-', '\\-').replace(/^([.'])/, '\\&$1');
}

function paragraph(...lines: string[]): string {
	return `.PP\n${lines.map(line => roffText(line)).join('\n')}\n`;
}

/** A tagged paragraph: a term in bold and its explanation. */
function item(term: string, ...lines: string[]): string {
	return `.TP\n.B ${roffText(term)}\n${lines.map(line => roffText(line)).join('\n')}\n`;
}

const sectionNotes: Partial<Record<OptionSection, string>> = {
	rsdeck: 'These are rsdeck\'s own; none of them changes the meaning of an rsbackup option.',
};

function optionSection(section: OptionSection): string {
	const rows = (optionTable as readonly OptionDefinition[]).filter(row => row.section === section);
	const note = sectionNotes[section];
	return `.SS ${roffText(sectionTitles[section])}\n${note === undefined ? '' : paragraph(note)}${rows.map(row => item(optionSynopsis(row), optionHelp(row))).join('')}`;
}

const description = [
	paragraph(
		'rsdeck makes and prunes rsync snapshot backups of hosts\' volumes onto removable or fixed backup devices.',
		'It reads rsbackup\'s configuration, uses the same store layout and shares its SQLite database,',
		'so either tool can run against the same backups; where rsbackup runs one backup after another,',
		'rsdeck runs what can run at once concurrently: one backup per device, hosts in parallel.',
	),
	paragraph(
		'On a terminal rsdeck shows a live console of the run; without one (or with --headless) it writes',
		'plain log lines to standard error, ERROR: and WARNING: lines as rsbackup does.',
		'Without an action it shows the status of every volume on a terminal, and refuses to run elsewhere.',
	),
].join('');

const selectors = [
	paragraph(
		'HOST, HOST:VOLUME, * and glob patterns (web*:home) select what a run touches;',
		'a leading - or ! deselects. They apply in order starting from nothing selected;',
		'no selector selects everything. Selectors starting with - must come after --.',
	),
].join('');

const configuration = [
	paragraph(
		'The configuration file is rsbackup\'s: see rsbackup(5) for the directives, and --dump-config for the effective values.',
		'rsbackup refuses a directive it does not know, so rsdeck\'s own directives live in a second file in the same syntax:',
		'rsdeck.conf beside the configuration file, or the file named by --rsdeck-config. It is optional and read after the configuration.',
		'--dump-config --verbose says which file each of its directives came from.',
	),
	item('notify-url URL', 'A Healthchecks-style monitor (repeatable). A run that does something sends GET URL/start when it starts,',
		'and POST URL with its summary when it ends well or POST URL/fail when it fails. Each request has 10 seconds and 3 tries;',
		'a notification that fails is a WARNING and never changes the exit status or delays a backup.'),
	item('notify-command COMMAND...', 'Run once at the end of a run that does something, with RSDECK_STATUS=ok or failed,',
		'RSDECK_SUCCEEDED, RSDECK_FAILED and RSDECK_SKIPPED (counts of actions) in its environment and the run\'s summary as JSON',
		'(the --report-json document and the run\'s failures) on its standard input. hook-timeout limits it.'),
	item('ssh-command COMMAND...', 'The ssh program and its options, for hosts that need more than plain ssh. Also accepted in the configuration file.'),
].join('');

const exitStatus = [
	item('0', 'Everything asked for was done. Backups skipped by their policy are not errors;',
		'neither is a lock held by another run without --wait (said under --verbose).'),
	item('1', 'Anything failed: a backup, a hook, a prune, a report, or an operator error (a bad option or configuration line, named in an ERROR: message).'),
].join('');

const environment = [
	item('RSBACKUP_TIME', 'Pretend it is this time (an ISO time read as UTC, or Unix seconds), for tests. An empty value is unset.'),
	item('RSBACKUP_TIME_BACKUP, RSBACKUP_TIME_FINISH, RSBACKUP_TIME_PRUNE, RSBACKUP_TIME_REPORT', 'The same for one purpose; the specific one wins.'),
	item('RSBACKUP_DBVERSION', 'Set to 10, a new database gets rsbackup\'s version-10 table, without finishTime.'),
	item('NO_COLOR', 'When set, the console uses no colour.'),
].join('');

const files = [
	item('/etc/rsbackup/config', 'The configuration (--config).'),
	item('/etc/rsbackup/rsdeck.conf', 'rsdeck\'s own directives, beside the configuration (--rsdeck-config).'),
	item('LOGS/backups.db', 'The backup database shared with rsbackup, in the directory of the logs directive, unless database or --database says otherwise.'),
	item('rsdeck-backup.service, rsdeck-backup.timer', 'systemd units to schedule backups: rsdeck --print-systemd-units prints them.'),
].join('');

const examples = [
	item('rsdeck', 'On a terminal: the status of every volume, and a console to start runs from.'),
	item('rsdeck --backup --prune --text -', 'Back up what is due, prune, and print a text report.'),
	item('rsdeck -b web1 \'db*:data\'', 'Back up host web1 and the data volume of every db host.'),
	item('rsdeck --headless --backup --prune', 'What a timer or cron runs: plain log lines, no console.'),
	item('rsdeck --plan --backup', 'Show what a backup run would do, without running it.'),
	item('rsdeck --retire --forget-only oldhost', 'Forget the records of a host that is gone.'),
	item('rsdeck --print-systemd-units', 'Print the systemd service and timer that run backups every hour.'),
	item('source <(rsdeck --completion bash)', 'Complete options, hosts and volumes in bash.'),
].join('');

/** rsdeck(1), in man(7) roff, from the option table. */
export function manPage(version: string, date: string): string {
	return [
		`.TH RSDECK 1 "${date}" "rsdeck ${version}" "User Commands"\n`,
		'.SH NAME\nrsdeck \\- concurrent rsync snapshot backups, compatible with rsbackup\n',
		'.SH SYNOPSIS\n',
		'.B rsdeck\n[\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR] [[\\fB\\-\\fR]\\fIHOST\\fR[\\fB:\\fR\\fIVOLUME\\fR]...]\n.br\n',
		'.B rsdeck \\-\\-retire\n[\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR] \\fIHOST\\fR[\\fB:\\fR\\fIVOLUME\\fR]...\n.br\n',
		'.B rsdeck \\-\\-retire\\-device\n[\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR] \\fIDEVICE\\fR...\n.br\n',
		'.B rsdeck \\-\\-latest\n[\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR] \\fIHOST\\fB:\\fIVOLUME\\fR...\n.br\n',
		'.B rsdeck \\-\\-backups|\\-\\-history|\\-\\-diff|\\-\\-restore\n[\\fIOPTIONS\\fR] \\fIHOST\\fB:\\fIVOLUME\\fR[\\fB:\\fIPATH\\fR]\n',
		'.SH DESCRIPTION\n', description,
		'.SH OPTIONS\n', (Object.keys(sectionTitles) as OptionSection[]).map(section => optionSection(section)).join(''),
		'.SH SELECTORS\n', selectors,
		'.SH CONFIGURATION\n', configuration,
		'.SH EXIT STATUS\n', exitStatus,
		'.SH ENVIRONMENT\n', environment,
		'.SH FILES\n', files,
		'.SH EXAMPLES\n', examples,
		'.SH SEE ALSO\n', paragraph('rsbackup(1), rsbackup(5), rsync(1), ssh(1), systemd.timer(5)'),
	].join('');
}
