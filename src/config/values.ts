import {ValueError} from './errors.js';
import type {Color} from './types.js';

/** `true` or `false`, nothing else. */
export function parseBoolean(text: string): boolean {
	if (text === 'true' || text === 'false') {
		return text === 'true';
	}

	throw new ValueError(`invalid boolean '${text}' (expected true or false)`);
}

/** A decimal integer, optionally negative. */
export function parseInteger(text: string): number {
	const value = Number(text);
	if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
		throw new ValueError(`invalid integer '${text}'`);
	}

	return value;
}

/** A decimal number such as `0.75`. */
export function parseNumber(text: string): number {
	const value = Number(text);
	if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text) || !Number.isFinite(value)) {
		throw new ValueError(`invalid number '${text}'`);
	}

	return value;
}

/** `H:M[:S]` → seconds since midnight, at most `24:00:00`. */
export function parseTimeOfDay(text: string): number {
	const match = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
	const total = match
		? (Number(match[1]) * 3600) + (Number(match[2]) * 60) + Number(match[3] ?? 0)
		: Number.NaN;
	if (!match || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59 || !(total <= 86_400)) {
		throw new ValueError(`invalid time of day '${text}'`);
	}

	return total;
}

/** Seconds since midnight → `H:MM:SS`. */
export function formatTimeOfDay(seconds: number): string {
	const two = (n: number) => String(n).padStart(2, '0');
	return `${Math.floor(seconds / 3600)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/**
A colour: `0xRRGGBB` or a decimal integer (one word), or `rgb R G B` /
`hsv H S V` with components from 0 to 1 (hue in degrees).
*/
export function parseColor(words: readonly string[]): Color {
	const [kind, a, b, c] = words;
	if (kind !== undefined && words.length === 1) {
		if (/^0x[\da-f]{1,6}$/i.test(kind)) {
			return Number.parseInt(kind.slice(2), 16);
		}

		if (/^\d{1,8}$/.test(kind) && Number(kind) <= 0xFF_FF_FF) {
			return Number(kind);
		}
	} else if (words.length === 4 && a !== undefined && b !== undefined && c !== undefined) {
		if (kind === 'rgb') {
			return rgbToColor(parseNumber(a), parseNumber(b), parseNumber(c));
		}

		if (kind === 'hsv') {
			return hsvToColor(parseNumber(a), parseNumber(b), parseNumber(c));
		}
	}

	throw new ValueError(`invalid color '${words.join(' ')}'`);
}

/** 0xRRGGBB, lower case, six digits. */
export function formatColor(color: Color): string {
	return `0x${color.toString(16).padStart(6, '0')}`;
}

function rgbToColor(red: number, green: number, blue: number): Color {
	const byte = (component: number) => {
		if (component < 0 || component > 1) {
			throw new ValueError(`color component out of range 0 to 1: ${component}`);
		}

		return Math.round(component * 255);
	};

	return (byte(red) << 16) + (byte(green) << 8) + byte(blue);
}

function hsvToColor(hue: number, saturation: number, value: number): Color {
	const h = ((hue % 360) + 360) % 360 / 60;
	const chroma = value * saturation;
	const x = chroma * (1 - Math.abs((h % 2) - 1));
	const sector: Array<[number, number, number]> = [
		[chroma, x, 0], [x, chroma, 0], [0, chroma, x], [0, x, chroma], [x, 0, chroma], [chroma, 0, x],
	];
	const [r, g, b] = sector[Math.floor(h)] ?? [0, 0, 0];
	const m = value - chroma;
	return rgbToColor(r + m, g + m, b + m);
}

/** A `host` name: `[A-Za-z0-9.-]`, not starting with `-`, not `.` or `..`. */
export function checkHostName(name: string): void {
	if (!/^[A-Za-z\d.][A-Za-z\d.-]*$/.test(name) || name === '.' || name === '..') {
		throw new ValueError(`invalid host name '${name}'`);
	}
}

/** A `volume` name: `[A-Za-z0-9_.]`, not `.` or `..`. */
export function checkVolumeName(name: string): void {
	if (!/^[\w.]+$/.test(name) || name === '.' || name === '..') {
		throw new ValueError(`invalid volume name '${name}'`);
	}
}

/** A `device` name: `[A-Za-z0-9_.]`, not `.` or `..`. */
export function checkDeviceName(name: string): void {
	if (!/^[\w.]+$/.test(name) || name === '.' || name === '..') {
		throw new ValueError(`invalid device name '${name}'`);
	}
}
