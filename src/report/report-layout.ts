/**
The `report` directive: which sections a report has, in which order.

rsdeck's reading of rsbackup's directive (`report [+] KEY[:VALUE][?COND]…`):

- The items are used in order. An empty list means the default layout, which
  is rsbackup's: `title:Backup report (${RSBACKUP_DATE})`,
  `h1:Backup report (${RSBACKUP_DATE})`, `h2:Warnings?warnings`, `warnings`,
  `h2:Summary`, `summary`, `history-graph`, `h2:Logfiles`, `logs`,
  `h3:Pruning logs`, `prune-logs`, `p:Generated ${RSBACKUP_CTIME}`.
- Keys with a value (required): `title` (the document title: HTML `<title>`
  and the email subject; not printed in the text report; the last one wins),
  `h1`, `h2`, `h3` (headings), `p` (a paragraph), `pre` (preformatted text).
- Keys without a value: `warnings` (the warning list; with nothing to say,
  an empty list: one empty line in text, nothing in HTML), `summary` (the table), `history-graph` (an inline SVG
  timeline in HTML; nothing in text), `logs` (the backup logs chosen by
  `--logs`), `generated` (`Generated <ctime>`).
- `prune-logs[:DAYS]`: pruning logs of the last DAYS days (rsbackup's bare
  number of days), or of an INTERVAL such as `36h`; default 3 days.
- `?COND` keeps the item only when the condition holds: `warnings` (there is
  at least one warning), or `!warnings` (there is none; an rsdeck addition).
- In a VALUE, `\C` stands for the character C, and `${NAME}` for the
  variable NAME: `RSBACKUP_DATE` (the report clock's local date,
  `YYYY-MM-DD`), `RSBACKUP_CTIME` (its local time in ctime(3) format, or
  `<timestamp>` when the clock is faked, as rsbackup has it), or else
  the environment variable of that name. An unset variable is left as written,
  so a misspelt name shows in the report instead of vanishing.
- An unknown key or condition, a missing or unexpected value, or a bad
  interval is a `ReportError` naming the configuration file, the line of the
  `report` directive and the item. It is found when a report is written, so
  a bad item fails only the commands that write one, as in rsbackup.
*/
import {defaultReport} from '../config/defaults.js';
import {parseInterval} from '../config/intervals.js';
import type {ReportItem} from '../config/types.js';
import {ReportError} from './report-error.js';

/** One resolved section of a report, with its text substituted and its condition checked. */
export type LayoutItem =
	| {kind: 'title' | 'h1' | 'h2' | 'h3' | 'p' | 'pre'; text: string}
	| {kind: 'warnings' | 'summary' | 'history-graph' | 'logs' | 'generated'}
	/** Pruning logs of rows pruned within `window` seconds of the report time. */
	| {kind: 'prune-logs'; window: number};

/** What resolving a layout needs to know. */
export type LayoutContext = {
	/** The configuration file, for messages. */
	configPath: string;
	/** The value of `${NAME}`, or undefined when it is not set. */
	variable: (name: string) => string | undefined;
	/** Whether the report has warnings, for `?warnings`. */
	hasWarnings: boolean;
};

const textKeys = new Set(['title', 'h1', 'h2', 'h3', 'p', 'pre'] as const);
const plainKeys = new Set(['warnings', 'summary', 'history-graph', 'logs', 'generated'] as const);
const defaultPruneLogDays = 3;
const secondsPerDay = 86_400;

/** Turn the `report` items (empty = the default) into the sections to render. */
export function resolveLayout(items: readonly ReportItem[], context: LayoutContext): LayoutItem[] {
	const layout: LayoutItem[] = [];
	for (const item of items.length === 0 ? defaultReport : items) {
		if (conditionHolds(item, context)) {
			layout.push(resolveItem(item, context));
		}
	}

	return layout;
}

function describe(item: ReportItem): string {
	return item.key + (item.value === undefined ? '' : `:${item.value}`) + (item.condition === undefined ? '' : `?${item.condition}`);
}

function fail(item: ReportItem, context: LayoutContext, problem: string): never {
	const place = item.location ? `${item.location.file}:${item.location.line}` : context.configPath;
	throw new ReportError(`${place}: report item '${describe(item)}': ${problem}`);
}

function conditionHolds(item: ReportItem, context: LayoutContext): boolean {
	switch (item.condition) {
		case undefined: {
			return true;
		}

		case 'warnings': {
			return context.hasWarnings;
		}

		case '!warnings': {
			return !context.hasWarnings;
		}

		default: {
			return fail(item, context, `unknown condition '${item.condition}'`);
		}
	}
}

function resolveItem(item: ReportItem, context: LayoutContext): LayoutItem {
	const {key, value} = item;
	if (isTextKey(key)) {
		if (value === undefined) {
			fail(item, context, `${key} needs a value (${key}:TEXT)`);
		}

		return {kind: key, text: substitute(value, context.variable)};
	}

	if (key === 'prune-logs') {
		return {kind: key, window: pruneLogWindow(value === undefined ? undefined : substitute(value, context.variable), item, context)};
	}

	if (!isPlainKey(key)) {
		fail(item, context, `unknown key '${key}'`);
	}

	if (value !== undefined) {
		fail(item, context, `${key} takes no value`);
	}

	return {kind: key};
}

const isTextKey = (key: string): key is 'title' | 'h1' | 'h2' | 'h3' | 'p' | 'pre' => (textKeys as ReadonlySet<string>).has(key);
const isPlainKey = (key: string): key is 'warnings' | 'summary' | 'history-graph' | 'logs' | 'generated' => (plainKeys as ReadonlySet<string>).has(key);

function pruneLogWindow(value: string | undefined, item: ReportItem, context: LayoutContext): number {
	if (value === undefined) {
		return defaultPruneLogDays * secondsPerDay;
	}

	if (/^\d+$/.test(value)) {
		return Number(value) * secondsPerDay;
	}

	try {
		return parseInterval(value);
	} catch (error) {
		return fail(item, context, `expected a number of days or an interval, not '${value}' (${error instanceof Error ? error.message : String(error)})`);
	}
}

/** Apply `\C` and `${NAME}` substitution to a value. */
export function substitute(value: string, variable: (name: string) => string | undefined): string {
	return value.replaceAll(/\\(.)|\$\{([^}]*)\}/gs, (whole, escaped: string | undefined, name: string | undefined) => {
		if (escaped !== undefined) {
			return escaped;
		}

		return variable(name ?? '') ?? whole;
	});
}
