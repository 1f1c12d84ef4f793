import {setTimeout as delay} from 'node:timers/promises';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {RunView} from '../../components/run-view.js';
import {FakeRunSource, backupRun} from './fake-run-source.js';
import {keys, plain, press, selectedLine, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
});

const names = backupRun(['h1/home', 'h2/home'], ['d1']);

async function mount() {
	const source = new FakeRunSource(names);
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={() => undefined}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	await waitForText(view.lastFrame, 'h2');
	return {source, view};
}

test('a key is drawn at once, with the events that came before it', async () => {
	const {source, view} = await mount();
	source.run('started');
	source.state('pre-device-hook', 'running');
	// The key's frame comes long before the events' own (at least 200 ms away) and shows them.
	const frame = await press(view, 'j', f => selectedLine(f).includes('pre-device-hook'));
	expect(plain(frame)).toContain('▶ 1 running');
});

test('the clock moves without events while the run goes on, and stops once it is finished', async () => {
	const {source, view} = await mount();
	source.run('started');
	await waitForText(view.lastFrame, 'elapsed 0s');
	source.time += 5000;
	// No event: the clock's own frame shows the new elapsed time.
	await waitForText(view.lastFrame, 'elapsed 5s');
	source.run('finished');
	await waitForText(view.lastFrame, 'finished');
	const frames = view.frames.length;
	source.time += 60_000;
	await delay(1500);
	expect(view.frames.length).toBe(frames);
	expect(plain(view.lastFrame() ?? '')).not.toContain('1m05s');
	// Keys still draw.
	await press(view, keys.down, frame => selectedLine(frame).includes('pre-device-hook'));
});
