import picomatch from 'picomatch';
import {describe, expect, test} from 'vitest';
import {compilePattern, isPlainName, NameIndex} from '../../src/engine/name-index.js';

const names = [
	'a', 'a/', 'a//', '/', 'x//', 'a/x/', 'a//x', 'a/x', 'a/.x', 'a/x/y', 'ab', 'ab/x', 'backup/h1/v1/d1', 'backup/h1/v2/d1', 'backup/h10/v1/d1', 'backup/h2/v1/d1', 'live/h1', 'x/y',
];

describe('patterns', () => {
	test('plain names are not globs', () => {
		expect(isPlainName('backup/h1/home/dev1')).toBe(true);
		expect(isPlainName('backup/h1/*')).toBe(false);
		expect(compilePattern('backup/h1/*').isGlob).toBe(true);
		// A glob character need not make a glob.
		expect(compilePattern('backup/h1/a+b')).toMatchObject({isGlob: false, base: 'backup/h1/a+b'});
		expect(compilePattern('live/h1')).toMatchObject({isGlob: false, base: 'live/h1'});
	});

	test.each(['a/*', 'a/**', '*', '**', 'backup/h1/*/*', 'backup/h1/**', 'backup/h1*/**', 'backup/{h1,h2}/v1/*', 'backup/h?/v1/d1'])(
		'%s matches exactly what picomatch matches',
		glob => {
			const expected = names.filter(name => picomatch(glob, {dot: true})(name));
			const pattern = compilePattern(glob);
			expect(names.filter(name => pattern.test(name))).toEqual(expected);
			expect(new NameIndex(names).match(pattern)).toEqual([...expected].sort());
		},
	);

	test('an index compiles each pattern once and keeps it', () => {
		const index = new NameIndex(names);
		expect(index.pattern('backup/h1/*')).toBe(index.pattern('backup/h1/*'));
		expect(new NameIndex(names).pattern('backup/h1/*')).not.toBe(index.pattern('backup/h1/*'));
	});

	test('names added later are found', () => {
		const index = new NameIndex(['backup/h1/v1']);
		index.add('backup/h1/v0');
		index.add('backup/h2/v0');
		expect(index.match(compilePattern('backup/h1/*'))).toEqual(['backup/h1/v0', 'backup/h1/v1']);
	});
});
