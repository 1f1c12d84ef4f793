import {ConfigError, ValueError} from './errors.js';
import {parseInterval} from './intervals.js';
import type {Config, Volume} from './types.js';
import {parseInteger, parseNumber} from './values.js';

/**
What a policy uses: its parameters with a check for each, and those it needs.
Any other parameter is accepted and ignored, as rsbackup does: a global
`prune-parameter prune-age 2d` with one `decay` volume is a normal config.
*/
type PolicyRules = {
	parameters: Record<string, (value: string) => void>;
	required: readonly string[];
	/** Every parameter's name must match this (`exec` exports them as `PRUNE_NAME`). */
	names?: {pattern: RegExp; problem: (name: string) => string};
};

const day = 86_400;

function intervalAtLeast(minimum: number, text: string) {
	return (value: string) => {
		if (parseInterval(value) < minimum) {
			throw new ValueError(`must be at least ${text}`);
		}
	};
}

const backupPolicies: Record<string, PolicyRules> = {
	always: {parameters: {}, required: []},
	daily: {parameters: {}, required: []},
	interval: {parameters: {'min-interval': intervalAtLeast(1, '1s')}, required: ['min-interval']},
};

const prunePolicies: Record<string, PolicyRules> = {
	age: {
		parameters: {
			'prune-age': intervalAtLeast(day, '1d'),
			'min-backups'(value) {
				if (parseInteger(value) < 1) {
					throw new ValueError('must be at least 1');
				}
			},
		},
		required: [],
	},
	decay: {
		parameters: {
			'decay-start': intervalAtLeast(day, '1d'),
			'decay-window': intervalAtLeast(day, '1d'),
			'decay-limit': intervalAtLeast(day, '1d'),
			'decay-scale'(value) {
				if (!(parseNumber(value) > 1)) {
					throw new ValueError('must be greater than 1');
				}
			},
		},
		required: [],
	},
	never: {parameters: {}, required: []},
	exec: {
		parameters: {
			path(value) {
				if (value === '') {
					throw new ValueError('must not be empty');
				}
			},
		},
		required: ['path'],
		names: {pattern: /^\w+$/, problem: name => `invalid pruning parameter '${name}' for executable policies`},
	},
};

/** A policy mistake and the directive (`prune-parameter NAME`, `prune-policy`) whose value it is about. */
class PolicyProblem extends ValueError {
	readonly directive: string;

	constructor(message: string, directive: string) {
		super(message);
		this.directive = directive;
	}
}

/**
Check every volume's backup and prune policy and the parameters they use
(SPEC §1.4, §5, §6.2). Throws a `ConfigError` naming `PATH:LINE` of the
directive that set the bad value (else of the volume) and `HOST:VOLUME`.
*/
export function validateConfig(config: Config): void {
	// Volumes mostly share their parameters (or hold equal ones): each policy's
	// maps and NAME=VALUE pairs found good are not checked again.
	const passed = new Map<string, Set<unknown>>();
	for (const host of config.hosts.values()) {
		for (const volume of host.volumes.values()) {
			try {
				checkPolicy('backup', volume.backupPolicy, volume.backupParameters, backupPolicies, passed);
				checkPolicy('prune', volume.prunePolicy, volume.pruneParameters, prunePolicies, passed);
			} catch (error) {
				if (error instanceof PolicyProblem) {
					const place = volume.policySources.get(error.directive) ?? volume.location;
					throw new ConfigError(`${place.file}:${place.line}: ${host.name}:${volume.name}: ${error.message}`);
				}

				throw error;
			}
		}
	}
}

/** Whether `name` is a parameter the volume's prune policy does not use (`--dump-config --verbose` says so). */
export function unusedPruneParameter(volume: Volume, name: string): boolean {
	const rules = Object.hasOwn(prunePolicies, volume.prunePolicy) ? prunePolicies[volume.prunePolicy] : undefined;
	return rules !== undefined && rules.names === undefined && !Object.hasOwn(rules.parameters, name);
}

function checkPolicy(kind: 'backup' | 'prune', policy: string, parameters: Volume['pruneParameters'], table: Record<string, PolicyRules>, passed: Map<string, Set<unknown>>): void {
	const rules = Object.hasOwn(table, policy) ? table[policy] : undefined;
	if (!rules) {
		throw new PolicyProblem(`unknown ${kind} policy '${policy}'`, `${kind}-policy`);
	}

	// What passed under this policy: maps (whole) and `NAME\0VALUE` pairs.
	const key = `${kind} ${policy}`;
	let good = passed.get(key);
	if (good === undefined) {
		good = new Set();
		passed.set(key, good);
	}

	if (good.has(parameters)) {
		return;
	}

	for (const [name, value] of parameters) {
		const pair = `${name}\0${value}`;
		if (!good.has(pair)) {
			checkParameter(kind, rules, name, value);
			good.add(pair);
		}
	}

	for (const name of rules.required) {
		if (!parameters.has(name)) {
			throw new PolicyProblem(`${kind} policy '${policy}' requires ${kind}-parameter '${name}'`, `${kind}-policy`);
		}
	}

	good.add(parameters);
}

function checkParameter(kind: 'backup' | 'prune', rules: PolicyRules, name: string, value: string): void {
	const directive = `${kind}-parameter ${name}`;
	if (rules.names && !rules.names.pattern.test(name)) {
		throw new PolicyProblem(rules.names.problem(name), directive);
	}

	const check = Object.hasOwn(rules.parameters, name) ? rules.parameters[name] : undefined;
	try {
		check?.(value);
	} catch (error) {
		if (!(error instanceof ValueError)) {
			throw error;
		}

		const separator = error.message.startsWith('must') ? ' ' : ': ';
		throw new PolicyProblem(`${kind}-parameter '${name}'${separator}${error.message}`, directive);
	}
}
