import {cleanup, render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {restoreSymbols, standIn} from '../../components/own-text.js';
import {RunView} from '../../components/run-view.js';
import {stateStyles} from '../../components/state-style.js';
import {FakeRunSource, backupRun} from './fake-run-source.js';
import {plain, press, selectedLine, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
});

const symbols = `${Object.values(stateStyles).map(style => style.symbol).join('')}›▾▸█░…⏎`;

test('each symbol is laid out as one printable ASCII character and put back as drawn', () => {
	const laidOut = standIn(symbols);
	expect(laidOut).toMatch(/^[\u0020-\u007E]*$/);
	expect(laidOut).toHaveLength([...symbols].length);
	expect(restoreSymbols(laidOut)).toBe(symbols);
	// Escape codes around them are left alone.
	expect(restoreSymbols(`\u001B[32m${standIn('✓')}\u001B[39m`)).toBe('\u001B[32m✓\u001B[39m');
});

test('names and messages with the stand-ins\' characters are drawn as they are, beside the real symbols', async () => {
	const odd = 'a+b*c>d';
	const names = backupRun([`${odd}/home`], ['d1']);
	const source = new FakeRunSource(names);
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={() => undefined}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	source.run('started');
	source.state('pre-device-hook', 'running');
	source.state('pre-device-hook', 'failed', {message: 'exit 1: `x` ~ (y) {z} ^#=|$ @'});
	const frame = plain(await waitForText(view.lastFrame, 'exit 1'));
	expect(frame).toContain(`▾ · ${odd}`);
	expect(frame).toMatch(/✗ pre-device-hook exit 1: `x` ~ \(y\) \{z\} \^#=\|\$ @ /);
	expect(frame).toContain('✗ 1 failed');
	const selected = selectedLine(await press(view, 'j', f => selectedLine(f).includes('pre-device-hook')));
	expect(selected).toMatch(/^› +✗ pre-device-hook exit 1: `x` ~ \(y\) \{z\} \^#=\|\$ @/);
});

test('a running action\'s progress: the bar is drawn with its symbols, rsync\'s text as it is', async () => {
	const names = backupRun(['h1/home'], ['d1']);
	const source = new FakeRunSource(names);
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={() => undefined}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	source.run('started');
	source.state('pre-device-hook', 'running');
	source.progress('pre-device-hook', {fraction: 0.4, text: '1+2=3 #'});
	const frame = plain(await waitForText(view.lastFrame, '1+2=3'));
	expect(frame).toContain('[████░░░░░░] 1+2=3 #');
});

test('in a terminal narrower than a row\'s details, every line is still cut to the terminal\'s width', async () => {
	const names = backupRun(['h1/home'], ['d1']);
	const source = new FakeRunSource(names);
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={() => undefined}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	Object.defineProperty(view.stdout, 'columns', {value: 16, configurable: true});
	view.stdout.emit('resize');
	source.run('started');
	source.state('backup/h1/home/d1', 'running');
	source.progress('backup/h1/home/d1', {fraction: 0.5});
	source.time += 65_000;
	const frame = plain(await press(view, 'j', f => f.includes('[')));
	for (const line of frame.split('\n')) {
		expect(line.length).toBeLessThanOrEqual(16);
	}
});
