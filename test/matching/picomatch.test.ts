import picomatch from 'picomatch';
import {describe, expect, it} from 'vitest';
import {globMatcher, picomatchModule} from '../../src/matching/picomatch.js';

const names = ['a', 'dev1', '.a', '..', '.', '', '/', 'a/', 'a//', 'a/b', '/a', './', '-x', '*', '?', 'a\\b', 'a\\/', '\\', 'a.', 'x y', 'é', '[a]', '!a', '$', 'a\u0000b', 'a\nb'];

describe('globMatcher', () => {
	it('answers `*` (the default devices pattern) as picomatch does, for every kind of name', () => {
		const star = picomatch('*');
		expect(names.map(name => globMatcher('*')(name))).toEqual(names.map(name => star(name)));
	});

	it('compiles other patterns with picomatch, once each', () => {
		for (const pattern of ['dev?', 'd*', '{a,b}', '!(a)', 'a', '[ab]', '**']) {
			const reference = picomatch(pattern);
			expect(names.map(name => globMatcher(pattern)(name)), pattern).toEqual(names.map(name => reference(name)));
			expect(globMatcher(pattern)).toBe(globMatcher(pattern));
		}
	});

	it('is the package itself, loaded by require', () => {
		expect(picomatchModule()).toBe(picomatch);
	});
});
