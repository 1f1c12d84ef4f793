import './force-color.js';
import process from 'node:process';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {RunView} from '../../components/run-view.js';
import {StatusView} from '../../components/status-view.js';
import {FakeRunSource, backupRun} from './fake-run-source.js';
import {plain, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
	delete process.env['NO_COLOR'];
});

function trimmed(frame: string): string {
	return plain(frame).split('\n').map(line => line.trimEnd()).join('\n');
}

/** Colour escapes only (foreground colours), not bold or inverse. */
const colour = /\u001B\[(?:3[0-7]|9[0-7])m/;

async function runFrame(): Promise<string> {
	const source = new FakeRunSource(backupRun(['h1/home'], ['d1']));
	source.state('live/h1', 'running');
	source.state('live/h1', 'failed', {message: 'host down'});
	source.state('pre-device-hook', 'running');
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={() => undefined}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	return waitForText(view.lastFrame, 'host down');
}

test('states are coloured by default', async () => {
	const frame = await runFrame();
	expect(frame).toMatch(colour);
});

test('NO_COLOR removes colour but keeps every symbol', async () => {
	const coloured = trimmed(await runFrame());
	cleanup();
	process.env['NO_COLOR'] = '1';
	const frame = await runFrame();
	expect(frame).not.toMatch(colour);
	expect(trimmed(frame)).toBe(coloured);
	expect(plain(frame)).toContain('✗ live host down');
	expect(plain(frame)).toContain('▶ pre-device-hook');
});

test('NO_COLOR applies to the status view too', async () => {
	process.env['NO_COLOR'] = '1';
	const now = 1_000_000;
	const view = render(<StatusView rows={[{host: 'h1', volume: 'home', maxAge: 10, devices: [{device: 'd1', count: 0, latestFailed: false}]}]} devices={['d1']} now={now} onStart={() => undefined} onExit={() => undefined}/>);
	const frame = await waitForText(view.lastFrame, 'home');
	expect(frame).not.toMatch(colour);
	expect(frame).toContain('∅ none');
});
