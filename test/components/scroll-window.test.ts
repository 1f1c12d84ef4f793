import {expect, test} from 'vitest';
import {scrollWindow} from '../../components/scroll-window.js';

test('scrollWindow keeps the selection visible and moves as little as it can', () => {
	expect(scrollWindow(100, 0, 10, 0)).toEqual({top: 0, end: 10});
	expect(scrollWindow(100, 9, 10, 0)).toEqual({top: 0, end: 10});
	expect(scrollWindow(100, 10, 10, 0)).toEqual({top: 1, end: 11});
	expect(scrollWindow(100, 50, 10, 45)).toEqual({top: 45, end: 55});
	expect(scrollWindow(100, 40, 10, 45)).toEqual({top: 40, end: 50});
	expect(scrollWindow(5, 4, 10, 3)).toEqual({top: 0, end: 5});
});
