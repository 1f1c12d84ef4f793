import {describe, expect, test} from 'vitest';
import {isSelected, parseSelectors} from '../../src/options/selectors.js';
import {UsageError} from '../../src/options/usage-error.js';

const volumes: Array<[string, string]> = [['h1', 'home'], ['h1', 'root'], ['h2', 'home'], ['web1', 'home'], ['web2', 'srv']];

/** The HOST:VOLUME pairs these selector words select. */
function selected(...words: string[]): string[] {
	const selectors = parseSelectors(words);
	return volumes.filter(([host, volume]) => isSelected(selectors, host, volume)).map(([host, volume]) => `${host}:${volume}`);
}

describe('parseSelectors', () => {
	test('hosts, volumes, negations and *', () => {
		expect(parseSelectors(['h1', 'h2:home', '-h3', '!h4:v', '*'])).toEqual([
			{negated: false, host: 'h1'},
			{negated: false, host: 'h2', volume: 'home'},
			{negated: true, host: 'h3'},
			{negated: true, host: 'h4', volume: 'v'},
			{negated: false, host: '*'},
		]);
	});

	test.each(['', '-', ':v', 'h:', 'h:v:w', '--h', 'a b', 'h/x'])('%j is malformed', word => {
		expect(() => parseSelectors([word])).toThrow(new UsageError(`invalid selector '${word}'`));
	});
});

describe('isSelected', () => {
	test('no selectors selects everything', () => {
		expect(selected()).toHaveLength(volumes.length);
	});

	test('a host selects all its volumes; HOST:VOLUME just one', () => {
		expect(selected('h1')).toEqual(['h1:home', 'h1:root']);
		expect(selected('h1:root', 'h2')).toEqual(['h1:root', 'h2:home']);
	});

	test('selectors apply in order from nothing selected', () => {
		expect(selected('-h1')).toEqual([]);
		expect(selected('*', '-h1')).toEqual(['h2:home', 'web1:home', 'web2:srv']);
		expect(selected('*', '!h1', 'h1:home')).toEqual(['h1:home', 'h2:home', 'web1:home', 'web2:srv']);
		expect(selected('h1:home', '-h1')).toEqual([]);
		expect(selected('-h1', 'h1')).toEqual(['h1:home', 'h1:root']);
	});

	test('glob patterns for hosts and volumes (rsdeck)', () => {
		expect(selected('web*')).toEqual(['web1:home', 'web2:srv']);
		expect(selected('web*:home')).toEqual(['web1:home']);
		expect(selected('*:home')).toEqual(['h1:home', 'h2:home', 'web1:home']);
		expect(selected('h?:r*')).toEqual(['h1:root']);
		expect(selected('*', '-web[12]')).toEqual(['h1:home', 'h1:root', 'h2:home']);
		expect(selected('{h2,web2}')).toEqual(['h2:home', 'web2:srv']);
	});

	test('a name matches only itself, not a prefix', () => {
		expect(selected('h')).toEqual([]);
		expect(selected('web1:hom')).toEqual([]);
	});
});
