/**
Day arithmetic for pruning: rsbackup measures ages in whole local calendar
days, and reads its day-valued parameters as intervals in whole days.
*/
import {parseInterval} from '../config/intervals.js';
import {PruneError} from './prune-error.js';

const secondsPerDay = 86_400;
const millisecondsPerDay = secondsPerDay * 1000;

/** The local calendar date of `unixSeconds`, as a day number (days since 1970-01-01). */
function localDay(unixSeconds: number): number {
	const date = new Date(unixSeconds * 1000);
	return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / millisecondsPerDay;
}

/** Whole local calendar days from the date of `time` to the date of `now` (both Unix seconds). */
export function ageInDays(time: number, now: number): number {
	return localDay(now) - localDay(time);
}

/** Where a policy reads its parameters, for error messages. */
export type ParameterSource = {host: string; volume: string; parameters: ReadonlyMap<string, string>};

/** The interval parameter `name` (or its default) in whole days. */
export function dayParameter(source: ParameterSource, name: string, fallback: string): number {
	const text = source.parameters.get(name) ?? fallback;
	try {
		return Math.floor(parseInterval(text) / secondsPerDay);
	} catch (error) {
		const reason = error instanceof Error ? error.message : `invalid time interval '${text}'`;
		throw new PruneError(`${source.host}:${source.volume}: prune-parameter ${name}: ${reason}`, {cause: error});
	}
}

/** The numeric parameter `name` (or its default); `requirement` says what `valid` checks, for the message. */
export function numberParameter(source: ParameterSource, name: string, fallback: string, valid: (value: number) => boolean, requirement: string): number {
	const text = source.parameters.get(name) ?? fallback;
	const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
	if (Number.isNaN(value) || !valid(value)) {
		throw new PruneError(`${source.host}:${source.volume}: prune-parameter ${name}: invalid value '${text}' (${requirement})`);
	}

	return value;
}
