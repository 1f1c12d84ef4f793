import type {Config} from '../config/types.js';
import {checkHostName, checkVolumeName} from '../config/values.js';
import type {BackupDatabase} from '../db/backup-database.js';
import {isGlob} from '../options/is-glob.js';
import type {Options} from '../options/parse-options.js';
import {requestedActions} from '../options/requested-actions.js';
import {isSelected, parseSelectors, type Selector} from '../options/selectors.js';
import {UsageError} from '../options/usage-error.js';
import {parseActionName} from '../plan/action-names.js';
import {formatPlan, planLine} from '../plan/format-plan.js';
import {planEach, planRun} from '../plan/plan-run.js';
import type {PlanRequest} from '../plan/types.js';

/**
What the options ask the run's graph to do, and `--plan`: apart from
run-backups.ts so that printing a plan loads nothing of running one.
*/

/** What the options ask the graph to do, with the selection resolved. */
export function planRequest(config: Config, options: Options, db: BackupDatabase): PlanRequest {
	const selectors = parseSelectors(options.selectors);
	if (!options.retire) {
		checkSelectorsExist(config, selectors);
	}

	let selected = (host: string, volume: string) => isSelected(selectors, host, volume);
	if (options.retryFailed) {
		const failed = failedVolumes(db);
		const base = selected;
		selected = (host, volume) => failed.has(`${host}/${volume}`) && base(host, volume);
	}

	return {
		backup: requestedActions(options).backup,
		prune: options.prune,
		pruneIncomplete: options.pruneIncomplete,
		...(options.retire ? {retire: {forgetOnly: options.forgetOnly, targets: retireTargets(selectors)}} : {}),
		selected,
		estimates: db.backupDurations(),
	};
}

/** A selector naming a host or volume (not a pattern) must name a configured one, as in rsbackup. */
function checkSelectorsExist(config: Config, selectors: readonly Selector[]): void {
	for (const {host, volume} of selectors) {
		if (isGlob(host)) {
			continue;
		}

		const configured = config.hosts.get(host);
		if (!configured) {
			throw new UsageError(`no such host as '${host}'`);
		}

		if (volume !== undefined && !isGlob(volume) && !configured.volumes.has(volume)) {
			throw new UsageError(`no such volume as '${host}:${volume}'`);
		}
	}
}

/** The volumes with a failed action in the last run (`--retry-failed`). */
function failedVolumes(db: BackupDatabase): Set<string> {
	const volumes = new Set<string>();
	for (const {name, state} of db.lastRunActions()) {
		const {host, volume} = parseActionName(name);
		if ((state === 'failed' || state === 'cancelled') && host !== undefined && volume !== undefined) {
			volumes.add(`${host}/${volume}`);
		}
	}

	return volumes;
}

/** `--retire` takes plain HOST and HOST:VOLUME selections only. */
function retireTargets(selectors: Selector[]): Array<{host: string; volume?: string}> {
	if (selectors.length === 0) {
		throw new UsageError('--retire requires at least one HOST or HOST:VOLUME');
	}

	return selectors.map(selector => {
		if (selector.negated || isGlob(selector.host) || isGlob(selector.volume ?? '')) {
			throw new UsageError(`--retire does not accept wildcard or negative selections: ${selector.negated ? '-' : ''}${selector.host}${selector.volume === undefined ? '' : `:${selector.volume}`}`);
		}

		// Names become store paths: refuse `..` and the like before anything reads a directory.
		try {
			checkHostName(selector.host);
			if (selector.volume !== undefined) {
				checkVolumeName(selector.volume);
			}
		} catch (error) {
			throw new UsageError(`--retire: ${(error as Error).message}`);
		}

		return selector.volume === undefined ? {host: selector.host} : {host: selector.host, volume: selector.volume};
	});
}

/**
`--plan`: the plan the options ask for, printed to `write`. The text form is
printed as it is planned, in chunks of 256 KiB, without keeping the actions (a plan of
10,000 volumes has 100,000); the Graphviz form needs them all.
*/
export function printPlan(config: Config, options: Options, db: BackupDatabase, write: (text: string) => void): void {
	const request = planRequest(config, options, db);
	if (options.plan === 'dot') {
		write(formatPlan(planRun(config, request), 'dot'));
		return;
	}

	// Lines joined into one flat string per chunk: a string grown with += is a
	// tree of every line, and chunks the stream has yet to write would keep them all.
	let lines: string[] = [];
	let length = 0;
	planEach(config, request, action => {
		const line = planLine(action);
		lines.push(line);
		length += line.length;
		if (length >= chunk) {
			write(lines.join(''));
			lines = [];
			length = 0;
		}
	});
	if (lines.length > 0) {
		write(lines.join(''));
	}
}

/** Characters of plan text written at a time: enough for V8 to keep each chunk in its large-object space, never copied. */
const chunk = 1 << 18;
