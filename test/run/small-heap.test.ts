import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {expect, test} from 'vitest';

const smallHeap = fileURLToPath(new URL('../../dist/src/run/small-heap.js', import.meta.url));

/*
The same garbage-heavy work (a rolling window of 200,000 live objects) in two
fresh processes, one of which called keepHeapSmall first: its heap grows less.
*/
function heapAfterWork(small: boolean): {newSpace: number; total: number} {
	const script = `
		import v8 from 'node:v8';
		import {keepHeapSmall} from ${JSON.stringify(smallHeap)};
		if (${small}) keepHeapSmall();
		const window = [];
		for (let i = 0; i < 3_000_000; i++) {
			window.push({i, s: 'x' + i});
			if (window.length > 200_000) window.splice(0, 100_000);
		}
		const spaces = v8.getHeapSpaceStatistics();
		console.log(JSON.stringify({newSpace: spaces.find(space => space.space_name === 'new_space').space_size, total: v8.getHeapStatistics().total_heap_size}));
	`;
	return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'})) as {newSpace: number; total: number};
}

test('keepHeapSmall makes V8 grow the heap more sparingly, set while the process runs', () => {
	const usual = heapAfterWork(false);
	const small = heapAfterWork(true);
	expect(small.newSpace).toBeLessThan(usual.newSpace);
	expect(small.total).toBeLessThan(usual.total);
});
