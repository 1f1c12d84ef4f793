import {expect, test} from 'vitest';
import {backoffDelay} from '../../src/engine/backoff.js';

test('each retry waits between half and all of the first delay doubled per retry, as the random source says', () => {
	const least = () => 0;
	const most = () => 1;
	const middle = () => 0.5;
	expect([1, 2, 3].map(retry => backoffDelay(40, retry, least))).toEqual([20, 40, 80]);
	expect([1, 2, 3].map(retry => backoffDelay(40, retry, most))).toEqual([40, 80, 160]);
	expect(backoffDelay(40, 2, middle)).toBe(60);
	// Whole milliseconds, for timers and for the retryIn the console shows.
	expect(backoffDelay(3, 1, () => 0.5)).toBe(2);
});
