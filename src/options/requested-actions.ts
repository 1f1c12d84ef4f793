import {fieldName, optionTable, type ActionKind, type OptionDefinition, type Options} from './option-table.js';

/** What the command line asks rsdeck to do (SPEC §2), decided once for every caller. */
export type RequestedActions = {
	/** The action options given, as written (`--backup`, `--html`…), in the table's order. */
	given: string[];
	/** The given actions that cannot be combined with another (`--dump-config`, `--check-unexpected`, `--latest`). */
	alone: string[];
	/** The graph steps asked for by name (`backup`, `prune`, `prune-incomplete`, `retire`), for titles. */
	steps: string[];
	/** Back up: `--backup`, or `--retry-failed`, which backs up what failed last time. */
	backup: boolean;
	/** A step that needs the devices whatever is selected: prune, prune-incomplete or retire. */
	deviceSteps: boolean;
	/** The run's graph has something to do. */
	runs: boolean;
	/** A report is asked for. */
	reports: boolean;
	/** The stores or the database may change (before `--dry-run` is considered). */
	writes: boolean;
};

const actionRows = (optionTable as readonly OptionDefinition[]).filter(row => row.action !== undefined);

function given(options: Options, kind?: ActionKind): OptionDefinition[] {
	const fields = options as Record<string, unknown>;
	return actionRows.filter(row => (kind === undefined || row.action === kind) && isGiven(fields[fieldName(row.name)]));
}

/** A flag is given when true, an option with a value when it has one. */
function isGiven(value: unknown): boolean {
	return value !== undefined && value !== false;
}

export function requestedActions(options: Options): RequestedActions {
	const steps = given(options, 'step').map(row => row.name);
	const backup = steps.includes('backup') || options.retryFailed;
	const runs = steps.length > 0 || backup;
	return {
		given: given(options).map(row => `--${row.name}`),
		alone: given(options, 'alone').map(row => `--${row.name}`),
		steps,
		backup,
		deviceSteps: steps.some(step => step !== 'backup'),
		runs,
		reports: given(options, 'report').length > 0,
		writes: runs || given(options, 'records').length > 0,
	};
}
