import {describe, expect, test} from 'vitest';
import {ValueError} from '../../src/config/errors.js';
import {formatInterval, parseInterval} from '../../src/config/intervals.js';
import {
	formatColor, formatTimeOfDay, parseBoolean, parseColor, parseTimeOfDay,
} from '../../src/config/values.js';

describe('intervals', () => {
	test.each([['90s', 90], ['5m', 300], ['6h', 21_600], ['31d', 2_678_400], ['0s', 0]])('%s is %d seconds', (text, seconds) => {
		expect(parseInterval(text)).toBe(seconds);
	});

	test('a bare integer needs a unit; other text is invalid', () => {
		expect(() => parseInterval('30')).toThrow(new ValueError('time interval must have a unit: \'30\''));
		expect(() => parseInterval('3w')).toThrow(new ValueError('invalid time interval \'3w\''));
		expect(() => parseInterval('-1d')).toThrow(new ValueError('invalid time interval \'-1d\''));
		expect(() => parseInterval('')).toThrow(new ValueError('invalid time interval \'\''));
	});

	test.each([[7200, '2h'], [60, '1m'], [0, '0d'], [90, '90s'], [86_400 * 366, '366d'], [5400, '90m']])('%d formats as %s', (seconds, text) => {
		expect(formatInterval(seconds)).toBe(text);
		expect(parseInterval(text)).toBe(seconds);
	});
});

describe('values', () => {
	test('booleans are true or false only', () => {
		expect(parseBoolean('true')).toBe(true);
		expect(parseBoolean('false')).toBe(false);
		expect(() => parseBoolean('yes')).toThrow(new ValueError('invalid boolean \'yes\' (expected true or false)'));
	});

	test('times of day', () => {
		expect(parseTimeOfDay('0:00')).toBe(0);
		expect(parseTimeOfDay('1:02:03')).toBe(3723);
		expect(parseTimeOfDay('24:00:00')).toBe(86_400);
		expect(formatTimeOfDay(3723)).toBe('1:02:03');
		for (const bad of ['24:00:01', '1:60', '12', 'a:b', '1:2:3:4']) {
			expect(() => parseTimeOfDay(bad)).toThrow(new ValueError(`invalid time of day '${bad}'`));
		}
	});

	test('colours: hex, decimal, rgb and hsv', () => {
		expect(parseColor(['0xe0ffe0'])).toBe(0xE0_FF_E0);
		expect(parseColor(['255'])).toBe(255);
		expect(parseColor(['rgb', '1', '0', '0.5'])).toBe(0xFF_00_80);
		expect(parseColor(['hsv', '120', '1', '1'])).toBe(0x00_FF_00);
		expect(parseColor(['hsv', '-120', '1', '1'])).toBe(0x00_00_FF);
		expect(formatColor(0xFF)).toBe('0x0000ff');
		expect(() => parseColor(['0xgg0000'])).toThrow(new ValueError('invalid color \'0xgg0000\''));
		expect(() => parseColor(['16777216'])).toThrow(new ValueError('invalid color \'16777216\''));
		expect(() => parseColor(['cmyk', '1', '1', '1'])).toThrow(new ValueError('invalid color \'cmyk 1 1 1\''));
		expect(() => parseColor(['rgb', '2', '0', '0'])).toThrow(new ValueError('color component out of range 0 to 1: 2'));
	});
});
