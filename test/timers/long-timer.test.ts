import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {setLongInterval, setLongTimeout, timerLimit} from '../../src/timers/long-timer.js';

const day = 86_400_000;

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('long timers', () => {
	test('30 days: not a moment early, then once', () => {
		const fired = vi.fn();
		setLongTimeout(fired, 30 * day);
		vi.advanceTimersByTime((30 * day) - 1);
		expect(fired).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(fired).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(60 * day);
		expect(fired).toHaveBeenCalledTimes(1);
	});

	test('a delay at the limit and one just past it', () => {
		const atLimit = vi.fn();
		const pastLimit = vi.fn();
		setLongTimeout(atLimit, timerLimit);
		setLongTimeout(pastLimit, timerLimit + 1);
		vi.advanceTimersByTime(timerLimit - 1);
		expect([atLimit.mock.calls.length, pastLimit.mock.calls.length]).toEqual([0, 0]);
		vi.advanceTimersByTime(1);
		expect([atLimit.mock.calls.length, pastLimit.mock.calls.length]).toEqual([1, 0]);
		vi.advanceTimersByTime(1);
		expect(pastLimit).toHaveBeenCalledTimes(1);
	});

	test('cleared after re-arming, it never fires', () => {
		const fired = vi.fn();
		const timer = setLongTimeout(fired, 30 * day);
		vi.advanceTimersByTime(26 * day);
		timer.clear();
		vi.advanceTimersByTime(10 * day);
		expect(fired).not.toHaveBeenCalled();
	});

	test('an interval of 30 days repeats every 30 days until cleared', () => {
		const fired = vi.fn();
		const timer = setLongInterval(fired, 30 * day);
		vi.advanceTimersByTime((30 * day) - 1);
		expect(fired).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(fired).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(30 * day);
		expect(fired).toHaveBeenCalledTimes(2);
		timer.clear();
		vi.advanceTimersByTime(90 * day);
		expect(fired).toHaveBeenCalledTimes(2);
	});
});
