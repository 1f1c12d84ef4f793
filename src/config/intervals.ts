import {ValueError} from './errors.js';

/** Seconds per interval unit, largest first. */
const units: ReadonlyArray<[suffix: string, seconds: number]> = [
	['d', 86_400],
	['h', 3600],
	['m', 60],
	['s', 1],
];

const unitSeconds: ReadonlyMap<string, number> = new Map(units);

/**
Parse an INTERVAL (`90s`, `6h`, `31d`) into seconds. A bare integer is an
error: rsbackup deprecated unit-less intervals and rsdeck does not guess.
*/
export function parseInterval(text: string): number {
	// Digits then one unit letter, read without regular expressions: a large configuration has thousands.
	let digits = 0;
	while (digits < text.length && text.charCodeAt(digits) >= 0x30 && text.charCodeAt(digits) <= 0x39) {
		digits++;
	}

	if (digits > 0 && digits === text.length) {
		throw new ValueError(`time interval must have a unit: '${text}'`);
	}

	const size = digits > 0 && digits === text.length - 1 ? unitSeconds.get(text[digits]!) : undefined;
	if (size === undefined) {
		throw new ValueError(`invalid time interval '${text}'`);
	}

	const seconds = Number(text.slice(0, digits)) * size;
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
