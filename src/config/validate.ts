import {ConfigError, ValueError} from './errors.js';
import {parseInterval} from './intervals.js';
import type {Config, Volume} from './types.js';
import {parseInteger, parseNumber} from './values.js';

/** What a policy accepts: its parameters with a check for each, and those it needs. */
type PolicyRules = {
	parameters: Record<string, (value: string) => void>;
	required: readonly string[];
	/** Parameters outside `parameters` whose names match this are accepted too (`exec`). */
	extra?: RegExp;
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
		required: ['path'], extra: /^\w+$/},
};

/**
Check every volume's backup and prune policy and their parameters (SPEC
§1.4, §5, §6.2). Throws a `ConfigError` naming `HOST:VOLUME`.
*/
export function validateConfig(config: Config): void {
	for (const host of config.hosts.values()) {
		for (const volume of host.volumes.values()) {
			try {
				checkPolicy('backup', volume.backupPolicy, volume.backupParameters, backupPolicies);
				checkPolicy('prune', volume.prunePolicy, volume.pruneParameters, prunePolicies);
			} catch (error) {
				if (error instanceof ValueError) {
					throw new ConfigError(`${host.name}:${volume.name}: ${error.message}`);
				}

				throw error;
			}
		}
	}
}

function checkPolicy(kind: 'backup' | 'prune', policy: string, parameters: Volume['pruneParameters'], table: Record<string, PolicyRules>): void {
	const rules = Object.hasOwn(table, policy) ? table[policy] : undefined;
	if (!rules) {
		throw new ValueError(`unknown ${kind} policy '${policy}'`);
	}

	for (const [name, value] of parameters) {
		const check = Object.hasOwn(rules.parameters, name) ? rules.parameters[name] : undefined;
		if (check) {
			try {
				check(value);
			} catch (error) {
				if (!(error instanceof ValueError)) {
					throw error;
				}

				const separator = error.message.startsWith('must') ? ' ' : ': ';
				throw new ValueError(`${kind}-parameter '${name}'${separator}${error.message}`);
			}
		} else if (!rules.extra?.test(name)) {
			throw new ValueError(`${kind} policy '${policy}' does not take parameter '${name}'`);
		}
	}

	for (const name of rules.required) {
		if (!parameters.has(name)) {
			throw new ValueError(`${kind} policy '${policy}' requires ${kind}-parameter '${name}'`);
		}
	}
}
