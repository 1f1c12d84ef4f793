import {optionTable, type OptionDefinition, type OptionSection} from './option-table.js';

/** Section headings, in the order `--help` and the man page show them. */
export const sectionTitles: Record<OptionSection, string> = {
	actions: 'Actions (several may be combined; none = status view)',
	general: 'General options',
	warnings: 'Warnings',
	rsdeck: 'rsdeck additions',
	browse: 'Finding and restoring files (each the only action; PATH is relative to the volume)',
};

/** How an option is written, with its value: `--html PATH, -H PATH`, `--plan, --plan=dot`. */
export function optionSynopsis(row: OptionDefinition): string {
	if (row.bare !== undefined) {
		return [`--${row.name}`, ...(row.choices ?? []).filter(choice => choice !== row.bare).map(choice => `--${row.name}=${choice}`)].join(', ');
	}

	const value = valuePlaceholder(row);
	const long = `--${row.name}${value === undefined ? '' : ` ${value}`}`;
	return row.short === undefined ? long : `${long}, -${row.short}${value === undefined ? '' : ` ${value}`}`;
}

function valuePlaceholder(row: OptionDefinition): string | undefined {
	return row.choices?.join('|') ?? row.value;
}

/** The help line with the default said, when it is not the obvious off/nothing. */
export function optionHelp(row: OptionDefinition): string {
	if (row.default === undefined || row.default === false) {
		return row.help;
	}

	return `${row.help} (default ${row.default === true ? 'on' : String(row.default)})`;
}

const helpColumn = 28;

function helpLine(row: OptionDefinition): string {
	const synopsis = `  ${optionSynopsis(row)}`;
	return synopsis.length < helpColumn - 1
		? `${synopsis.padEnd(helpColumn)}${optionHelp(row)}\n`
		: `${synopsis}\n${' '.repeat(helpColumn)}${optionHelp(row)}\n`;
}

function section(name: OptionSection): string {
	const rows: readonly OptionDefinition[] = optionTable;
	return `${sectionTitles[name]}:\n${rows.filter(row => row.section === name).map(row => helpLine(row)).join('')}`;
}

/** The `--help` text. */
export const helpText = `Usage:
  rsdeck [OPTIONS] [--] [[-]HOST[:VOLUME]...]
  rsdeck --retire [OPTIONS] [--] HOST[:VOLUME]...
  rsdeck --retire-device [OPTIONS] [--] DEVICE...
  rsdeck --latest [OPTIONS] [--] HOST:VOLUME...
  rsdeck --backups|--history|--diff|--restore [OPTIONS] HOST:VOLUME[:PATH]

${(Object.keys(sectionTitles) as OptionSection[]).map(name => section(name)).join('\n')}
Selectors: HOST, HOST:VOLUME, * and glob patterns (web*:home); a leading
- or ! deselects. They apply in order from nothing selected; none = all.
Selectors starting with - must come after --.
`;
