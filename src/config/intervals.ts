import {ValueError} from './errors.js';

/** Seconds per interval unit, largest first. */
const units: ReadonlyArray<[suffix: string, seconds: number]> = [
	['d', 86_400],
	['h', 3600],
	['m', 60],
	['s', 1],
];

/**
Parse an INTERVAL (`90s`, `6h`, `31d`) into seconds. A bare integer is an
error: rsbackup deprecated unit-less intervals and rsdeck does not guess.
*/
export function parseInterval(text: string): number {
	if (/^\d+$/.test(text)) {
		throw new ValueError(`time interval must have a unit: '${text}'`);
	}

	const match = /^(\d+)([smhd])$/.exec(text);
	const unit = units.find(([suffix]) => suffix === match?.[2]);
	if (!match?.[1] || !unit) {
		throw new ValueError(`invalid time interval '${text}'`);
	}

	const seconds = Number(match[1]) * unit[1];
	if (!Number.isSafeInteger(seconds)) {
		throw new ValueError(`time interval too large: '${text}'`);
	}

	return seconds;
}

/** Format seconds in the largest whole unit: `7200` → `2h`, `60` → `1m`, `0` → `0d`. */
export function formatInterval(seconds: number): string {
	if (!Number.isSafeInteger(seconds) || seconds < 0) {
		throw new RangeError(`not a time interval: ${seconds}`);
	}

	const [suffix, size] = units.find(([, size]) => seconds % size === 0) ?? ['s', 1];
	return `${seconds / size}${suffix}`;
}
