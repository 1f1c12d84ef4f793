import {describe, expect, test} from 'vitest';
import {ValueError} from '../../src/config/errors.js';
import {quoteWord, splitLine} from '../../src/config/words.js';

describe('splitLine', () => {
	test('splits on spaces and tabs', () => {
		expect(splitLine('store  --no-mounted\t/x')).toEqual({indent: 0, words: ['store', '--no-mounted', '/x']});
	});

	test('measures indentation, a tab advancing to the next multiple of 8', () => {
		expect(splitLine('    max-age 1d').indent).toBe(4);
		expect(splitLine('\tmax-age 1d').indent).toBe(8);
		expect(splitLine('   \tmax-age 1d').indent).toBe(8);
		expect(splitLine('\t  max-age 1d').indent).toBe(10);
	});

	test('quotes keep spaces; backslash escapes inside quotes', () => {
		expect(splitLine('exclude "a b" "q\\"x\\\\y"').words).toEqual(['exclude', 'a b', 'q"x\\y']);
		expect(splitLine('rsync-remote ""').words).toEqual(['rsync-remote', '']);
		expect(splitLine('x ab"c d"e').words).toEqual(['x', 'abc de']);
	});

	test('a word starting with # is a comment; # inside a word is not', () => {
		expect(splitLine('host a # the host').words).toEqual(['host', 'a']);
		expect(splitLine('exclude a#b').words).toEqual(['exclude', 'a#b']);
		expect(splitLine('exclude "#x"').words).toEqual(['exclude', '#x']);
		expect(splitLine('   # only a comment').words).toEqual([]);
	});

	test('ignores a trailing carriage return', () => {
		expect(splitLine('logs /x\r').words).toEqual(['logs', '/x']);
	});

	test('rejects an unterminated string and a backslash outside quotes', () => {
		expect(() => splitLine('"spong')).toThrow(new ValueError('unterminated string'));
		expect(() => splitLine('x "ab\\')).toThrow(new ValueError('unterminated string'));
		expect(() => splitLine('exclude a\\ b')).toThrow(new ValueError('unquoted backslash'));
	});
});

describe('quoteWord', () => {
	test.each(['plain', '', 'a b', 'say "hi"', 'back\\slash', '#hash', 'tab\there', 'a#b', '${RSBACKUP_DATE}'])('%j reads back unchanged', word => {
		expect(splitLine(`x ${quoteWord(word)}`).words).toEqual(['x', word]);
	});

	test('leaves plain words alone', () => {
		expect(quoteWord('--archive')).toBe('--archive');
		expect(quoteWord('a b')).toBe('"a b"');
	});
});
