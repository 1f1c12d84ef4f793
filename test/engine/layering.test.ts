import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';

/*
DESIGN.md's layers, read off the sources: the engine knows nothing of
backups, so it imports only p-queue, Node's own modules, its own folder and
leaf modules (which themselves import nothing of rsdeck's).
*/

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const leaves = ['timers', 'matching'];

function imports(folder: string): Array<{file: string; specifier: string}> {
	const found: Array<{file: string; specifier: string}> = [];
	for (const file of readdirSync(path.join(src, folder)).filter(name => name.endsWith('.ts'))) {
		const text = readFileSync(path.join(src, folder, file), 'utf8');
		for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
			found.push({file: `${folder}/${file}`, specifier: match[1]!});
		}
	}

	return found;
}

describe('layers', () => {
	test('the engine imports only p-queue, node:, itself and leaf modules', () => {
		const found = imports('engine');
		expect(found.length).toBeGreaterThan(10);
		const foreign = found.filter(({specifier}) => !(
			specifier === 'p-queue'
			|| specifier.startsWith('node:')
			|| specifier.startsWith('./')
			|| leaves.some(leaf => specifier.startsWith(`../${leaf}/`))));
		expect(foreign).toEqual([]);
	});

	test.each(leaves)('src/%s imports nothing of rsdeck outside itself', leaf => {
		const foreign = imports(leaf).filter(({specifier}) => specifier.startsWith('../'));
		expect(foreign).toEqual([]);
	});
});
