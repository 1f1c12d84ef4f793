import {describe, expect, test} from 'vitest';
import type {EngineEvent} from '../../src/engine/types.js';
import {headlessLog, jsonLog} from '../../src/headless/headless-log.js';

const events: EngineEvent[] = [
	{type: 'run', state: 'started', time: 0},
	{type: 'state', action: 'backup/h/v/d', state: 'running', previous: 'ready', attempt: 1, time: 1},
	{type: 'output', action: 'backup/h/v/d', stream: 'stdout', text: 'sending incremental file list\n', time: 2},
	{type: 'output', action: 'check-stores', stream: 'info', text: 'store /s is not mounted\n', time: 2},
	{type: 'output', action: 'underway/h/v/d2', stream: 'warning', text: 'cannot backup h:v to d2 - device suppressed due to --store', time: 3},
	{type: 'state', action: 'backup/h/v/d', state: 'succeeded', previous: 'running', attempt: 1, time: 4, message: 'h:v backed up to d'},
	{type: 'state', action: 'pre-volume-hook/h/w', state: 'failed', previous: 'running', attempt: 1, time: 5, message: 'h:w pre-volume-hook failed:\nno space'},
	{type: 'state', action: 'backup/h/x/d', state: 'warned', previous: 'running', attempt: 1, time: 6, message: 'h:x to d: some files vanished during the backup (rsync exit 24)'},
	{type: 'output', action: 'check-stores', stream: 'error', text: 'store /t is not a directory\n', time: 7},
];

function render(options: {verbose: boolean; debug: boolean}): string {
	let text = '';
	const log = headlessLog({...options, write(chunk) {
		text += chunk;
	}});
	for (const event of events) {
		log(event);
	}

	return text;
}

describe('headless log', () => {
	test('quiet: only errors and warnings, in rsbackup\'s words', () => {
		expect(render({verbose: false, debug: false})).toBe([
			'WARNING: cannot backup h:v to d2 - device suppressed due to --store',
			'ERROR: h:w pre-volume-hook failed:',
			'no space',
			'WARNING: h:x to d: some files vanished during the backup (rsync exit 24)',
			'ERROR: store /t is not a directory',
			'',
		].join('\n'));
	});

	test('-v adds progress and one line per finished action', () => {
		const text = render({verbose: true, debug: false});
		expect(text).toContain('INFO: store /s is not mounted\n');
		expect(text).toContain('INFO: backup/h/v/d succeeded: h:v backed up to d\n');
		expect(text).not.toContain('running');
		expect(text).not.toContain('sending incremental file list');
	});

	test('-d adds starts and every child\'s output', () => {
		const text = render({verbose: false, debug: true});
		expect(text).toContain('INFO: backup/h/v/d running\n');
		expect(text).toContain('sending incremental file list\n');
	});

	test('--json writes one event per line', () => {
		let text = '';
		const log = jsonLog(chunk => {
			text += chunk;
		});
		for (const event of events) {
			log(event);
		}

		const lines = text.trimEnd().split('\n');
		expect(lines).toHaveLength(events.length);
		expect(JSON.parse(lines[1] ?? '')).toEqual(events[1]);
	});
});
