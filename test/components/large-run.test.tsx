import {cleanup, render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {RunView} from '../../components/run-view.js';
import {FakeRunSource, backupRun} from './fake-run-source.js';
import {keys, plain, press, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
});

const hosts = Array.from({length: 100}, (_, index) => `h${String(index).padStart(3, '0')}`);
const names = backupRun(hosts.flatMap(host => [`${host}/home`, `${host}/etc`, `${host}/var`]), ['d1', 'd2']);

function treeLines(frame: string): string[] {
	return plain(frame).split('\n').filter(line => /[▾▸] /.test(line) || /^[› ] +[·✓▶] /.test(line));
}

async function mountLarge() {
	const source = new FakeRunSource(names);
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={() => undefined}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	return {source, view};
}

test(`renders only the visible window of a run of ${names.length} actions, and follows a resize`, async () => {
	expect(names.length).toBeGreaterThan(3000);
	const {view} = await mountLarge();
	let frame = await waitForText(view.lastFrame, 'h000');
	// 24 rows when the terminal does not say: the whole frame fits, the tree gets what is left.
	expect(plain(frame).split('\n').length).toBeLessThanOrEqual(24);
	expect(treeLines(frame).length).toBeGreaterThan(15);
	expect(plain(frame)).not.toContain('h001');
	Object.defineProperty(view.stdout, 'rows', {value: 60, configurable: true});
	view.stdout.emit('resize');
	frame = await waitForText(view.lastFrame, 'h002');
	expect(plain(frame).split('\n').length).toBeLessThanOrEqual(60);
	expect(treeLines(frame).length).toBeGreaterThan(50);
	frame = await press(view, 'G', f => f.includes('h099'));
	expect(plain(frame)).not.toContain('h000');
	expect(plain(frame).split('\n').at(-2)).toContain('post-volume-hook');
	// A page up from the last row scrolls so the selection is the first row shown.
	frame = await press(view, keys.pageUp, f => f !== plain(frame));
	expect(treeLines(frame)[0]).toMatch(/^›/);
});

test('coalesces a burst of events into a few frames', async () => {
	const {source, view} = await mountLarge();
	await waitForText(view.lastFrame, 'h000');
	const before = view.frames.length;
	for (const name of names) {
		source.state(name, 'running');
		source.state(name, 'succeeded');
	}

	await waitForText(view.lastFrame, `✓ ${names.length} succeeded`);
	expect(view.frames.length - before).toBeLessThan(5);
});
