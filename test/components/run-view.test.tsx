import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {Box} from 'ink';
import {RunHeader} from '../../components/run-header.js';
import {RunView} from '../../components/run-view.js';
import {FakeRunSource, backupRun} from './fake-run-source.js';
import {keys, plain, press, selectRow, selectedLine, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
});

/** Render the view and wait until it listens to the source (and so to the keyboard: effects run together). */
async function mount(source: FakeRunSource, options: {finished?: boolean; estimate?: number} = {}) {
	const exits: string[] = [];
	const view = render(<RunView source={source} title="rsdeck --backup" now={() => source.time} onExit={how => exits.push(how)} {...options}/>);
	await waitForFrame(view.lastFrame, () => source.listeners > 0);
	return {...view, exits};
}

function lineWith(frame: string, text: string): string {
	return plain(frame).split('\n').find(line => line.includes(text)) ?? '';
}

/** A run where h1's backup to d1 is running, its backup to d2 failed, h2 is waiting. */
function busyRun(): FakeRunSource {
	const source = new FakeRunSource(backupRun(['h1/home', 'h2/var'], ['d1', 'd2']));
	source.run('started');
	for (const name of ['pre-device-hook', 'check-stores', 'live/h1', 'pre-volume-hook/h1/home', 'identify/h1/home/d1', 'underway/h1/home/d1', 'identify/h1/home/d2', 'underway/h1/home/d2']) {
		source.state(name, 'running');
		source.state(name, 'succeeded');
	}

	source.state('backup/h1/home/d2', 'running');
	source.state('backup/h1/home/d2', 'failed', {message: 'rsync exited with status 23', detail: {exitStatus: 23}});
	source.state('backup/h1/home/d1', 'running');
	return source;
}

describe('RunView tree', () => {
	test('puts the run group first, then hosts ▸ volumes ▸ devices, post hooks after the devices', async () => {
		const source = new FakeRunSource(backupRun(['h1/home', 'h1/etc', 'h2/home'], ['d1']));
		const {lastFrame} = await mount(source);
		const lines = plain(await waitForText(lastFrame, 'h2')).split('\n');
		const at = (text: string) => lines.findIndex(line => line.includes(text));
		expect(at('▾ · run')).toBeGreaterThan(0);
		expect(at('▾ · run')).toBeLessThan(at('pre-device-hook'));
		expect(at('post-device-hook')).toBeLessThan(at('h1'));
		expect(at('h1')).toBeLessThan(at('etc'));
		expect(at('etc')).toBeLessThan(at('▸ · d1'));
		expect(at('▸ · d1')).toBeLessThan(at('post-volume-hook'));
		expect(at('etc')).toBeLessThan(at('home'));
		expect(at('home')).toBeLessThan(at('h2'));
	});

	test('shows each state with its symbol, counts in the header, progress and elapsed time', async () => {
		const source = busyRun();
		const {lastFrame} = await mount(source);
		await waitForText(lastFrame, 'running');
		source.time += 65_000;
		source.progress('backup/h1/home/d1', {fraction: 0.45, text: '45% 12MB/s'});
		const frame = await waitForText(lastFrame, '12MB/s');
		expect(plain(frame)).toMatch(/▶ 1 running +· \d+ pending +✓ 8 succeeded +✗ 1 failed/);
		// Device rows: the group's most urgent state, then one symbol per step in pipeline order.
		const d1 = lineWith(frame, '▸ ▶ d1');
		expect(d1).toContain('✓✓▶·');
		expect(d1).toContain('[████░░░░░░] 45% 12MB/s');
		expect(d1).toContain('1m05s');
		expect(lineWith(frame, '▸ ✗ d2')).toContain('✓✓✗·');
		// A failure outranks running work in the host's and volume's rows.
		expect(lineWith(frame, 'h1')).toMatch(/▾ ✗ h1 .* 7\/11 +1m05s/);
		expect(lineWith(frame, 'h2')).toMatch(/▾ · h2 .* 0\/11/);
		expect(plain(frame)).toContain('elapsed 1m05s');
	});

	test('a message of several lines stays on its row', async () => {
		const source = busyRun();
		source.state('backup/h1/home/d1', 'failed', {message: 'backup of h1:home to d1 failed: rsync exit status 23\nrsync: [sender] change_dir "/home" failed\n'});
		const view = await mount(source);
		await waitForText(view.lastFrame, '▸ ✗ d1');
		await selectRow(view, line => line.includes('✗ d1'));
		const frame = await press(view, keys.right, f => f.includes('rsync: [sender]'));
		const lines = plain(frame).split('\n');
		const row = lines.findIndex(line => line.includes('exit status 23'));
		expect(lines[row]).toContain('rsync exit status 23 ⏎ rsync: [sender]');
		expect(lines[row + 1]).toMatch(/^ +✓ record-backup|^ +· record-backup/);
	});

	test('shows the ETA from the estimate, and the state as the run is cancelled', async () => {
		const source = busyRun();
		const {lastFrame} = await mount(source, {estimate: 300_000});
		await waitForText(lastFrame, 'ETA 5m00s');
		source.time += 60_000;
		source.run('cancelling');
		const frame = await waitForText(lastFrame, 'cancelling');
		expect(plain(frame)).toContain('ETA 4m00s');
	});

	test('folds and unfolds with ←/→ and h/l, and moves to the parent from a child', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('d1'));
		let frame = await press(view, keys.right, f => f.includes('underway'));
		expect(selectedLine(frame)).toContain('▾ ▶ d1');
		await press(view, 'l', f => selectedLine(f).includes('identify'));
		await press(view, 'h', f => selectedLine(f).includes('d1'));
		frame = await press(view, keys.left, f => !f.includes('underway'));
		await selectRow(view, line => line.includes('h1'), 'up');
		frame = await press(view, keys.left, f => !f.includes('home'));
		expect(selectedLine(frame)).toContain('▸ ✗ h1');
		expect(plain(frame)).toContain('h2');
		await press(view, keys.right, f => f.includes('home'));
	});

	test('keys arriving together in one chunk (auto-repeat) each act', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		const lines = plain(view.lastFrame() ?? '').split('\n');
		const start = lines.findIndex(line => line.startsWith('›'));
		const frame = await press(view, 'jjj', f => plain(f).split('\n').findIndex(line => line.startsWith('›')) === start + 3);
		expect(plain(frame).split('\n').findIndex(line => line.startsWith('›'))).toBe(start + 3);
	});

	test('keeps the selection on its row when rows appear above it', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('h2'));
		// An action the snapshot did not have: a new host sorted before h1.
		source.add('live/h0');
		source.state('live/h0', 'running');
		const frame = await waitForText(view.lastFrame, 'h0');
		expect(selectedLine(frame)).toContain('h2');
	});

	test('follows running work with f', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		let frame = await press(view, 'f', f => f.includes('following'));
		expect(selectedLine(frame)).toContain('▸ ▶ d1');
		source.time += 1000;
		source.state('live/h2', 'running');
		frame = await waitForFrame(view.lastFrame, f => selectedLine(f).includes('live'));
		expect(lineWith(frame, 'rsdeck')).toContain('following');
		await press(view, keys.up, f => !f.includes('following'));
	});
});

describe('RunView detail pane', () => {
	test('shows command line, environment, exit status, attempts and live output', async () => {
		const source = busyRun();
		source.describe('backup/h1/home/d1', {command: ['rsync', '--archive', 'h1:/home/.', '/store/h1/home/1980-01-01T00:00:00/.'], env: {RSBACKUP_HOST: 'h1', RSBACKUP_VOLUME: 'home'}, path: '/store/h1/home/1980-01-01T00:00:00'});
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('d1'));
		let frame = await press(view, keys.enter, f => f.includes('── backup/h1/home/d1'));
		expect(plain(frame)).toContain('▶ running · attempt 1');
		expect(plain(frame)).toContain('$ rsync --archive h1:/home/. /store/h1/home/1980-01-01T00:00:00/.');
		expect(plain(frame)).toContain('env RSBACKUP_HOST=h1 RSBACKUP_VOLUME=home');
		expect(plain(frame)).toContain('path: /store/h1/home/1980-01-01T00:00:00');
		source.output('backup/h1/home/d1', 'sending incremental file list\nhome/a\n');
		source.output('backup/h1/home/d1', 'rsync: some files vanished', 'stderr');
		frame = await waitForText(view.lastFrame, 'some files vanished');
		expect(plain(frame)).toContain('home/a');
		source.time += 3000;
		source.state('backup/h1/home/d1', 'warned', {message: 'files vanished', detail: {exitStatus: 24}});
		frame = await waitForText(view.lastFrame, 'exit status 24');
		expect(plain(frame)).toContain('! warned · attempt 1 · 3s · exit status 24  files vanished');
		frame = await press(view, keys.escape, f => !f.includes('── backup'));
		expect(selectedLine(frame)).toContain('d1');
	});

	test('opens the failed step of a device row, scrolls long output and shows a new attempt', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('d2'));
		await press(view, keys.enter, f => f.includes('── backup/h1/home/d2'));
		source.output('backup/h1/home/d2', Array.from({length: 100}, (_, index) => `line ${index}\n`).join(''));
		let frame = await waitForText(view.lastFrame, 'line 99');
		expect(plain(frame)).not.toContain('line 50\n');
		expect(plain(frame)).toMatch(/output: 100 lines, \d+ above/);
		frame = await press(view, 'k', f => f.includes('1 below'));
		expect(plain(frame)).not.toContain('line 99');
		await press(view, 'g', f => f.includes('line 0'));
		await press(view, 'G', f => f.includes('line 99'));
		source.state('backup/h1/home/d2', 'pending');
		source.state('backup/h1/home/d2', 'running');
		frame = await waitForText(view.lastFrame, '── attempt 2 ──');
		expect(plain(frame)).toContain('▶ running · attempt 2');
	});
});

describe('RunView keys', () => {
	test('filters by state, by name and by glob; Esc clears the filter', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await press(view, '/', f => f.includes('Enter keeps'));
		for (const character of 'failed') {
			view.stdin.write(character);
		}

		await waitForText(view.lastFrame, '/failed█');
		let frame = await press(view, keys.enter, f => f.includes('filter: failed') && !f.includes('Enter keeps'));
		expect(plain(frame)).toContain('✗ backup rsync exited with status 23');
		expect(plain(frame)).not.toContain('h2');
		expect(plain(frame)).not.toContain('live');
		frame = await press(view, keys.escape, f => f.includes('h2'));
		expect(plain(frame)).not.toContain('filter:');
		await press(view, '/', f => f.includes('Enter keeps'));
		view.stdin.write('var');
		frame = await press(view, keys.enter, f => f.includes('filter: var'));
		expect(plain(frame)).toContain('h2');
		expect(plain(frame)).not.toContain('h1');
		await press(view, '/', f => f.includes('/var█'));
		for (let count = 0; count < 3; count++) {
			view.stdin.write(keys.backspace);
		}

		await waitForText(view.lastFrame, '/█');
		view.stdin.write('identify/*/*/d2');
		frame = await press(view, keys.enter, f => f.includes('filter: identify/*/*/d2'));
		expect(plain(frame).split('\n').filter(line => /[✓·] identify\b/.test(line))).toHaveLength(2);
		expect(plain(frame)).not.toContain('underway');
	});

	test('? shows the help overlay and Esc closes it', async () => {
		const view = await mount(busyRun());
		await waitForText(view.lastFrame, 'h2');
		let frame = await press(view, '?', f => f.includes('Keys ('));
		expect(plain(frame)).toContain('retry everything that failed');
		expect(plain(frame)).toContain('⊘ upstream failed');
		expect(plain(frame)).not.toContain('h2');
		frame = await press(view, keys.escape, f => f.includes('h2'));
		expect(plain(frame)).not.toContain('Keys (');
	});

	test('c asks before cancelling a running action, then cancels it by name', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('d1'));
		await press(view, keys.right, f => f.includes('underway'));
		await selectRow(view, line => line.includes('backup'));
		await press(view, 'c', f => f.includes('Cancel backup/h1/home/d1 while it runs? [y/n]'));
		await press(view, 'n', f => f.includes('not done'));
		expect(source.cancelled).toEqual([]);
		await press(view, 'c', f => f.includes('[y/n]'));
		await press(view, 'y', f => f.includes('cancelling backup/h1/home/d1'));
		expect(source.cancelled).toEqual(['backup/h1/home/d1']);
	});

	test('c on a group that is not running cancels every unfinished action under it at once', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('var'));
		await press(view, 'c', f => f.includes('cancelling 10 actions'));
		expect(source.cancelled).toEqual([
			'pre-volume-hook/h2/var',
			'identify/h2/var/d1',
			'underway/h2/var/d1',
			'backup/h2/var/d1',
			'record-backup/h2/var/d1',
			'identify/h2/var/d2',
			'underway/h2/var/d2',
			'backup/h2/var/d2',
			'record-backup/h2/var/d2',
			'post-volume-hook/h2/var',
		]);
	});

	test('r retries the failed and cancelled actions under the selected row; R retries every one', async () => {
		const source = busyRun();
		source.state('live/h2', 'running');
		source.state('live/h2', 'failed', {message: 'host down'});
		source.state('check-stores', 'cancelled');
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await selectRow(view, line => line.includes('live'));
		await press(view, 'r', f => f.includes('nothing failed here'));
		expect(source.retried).toEqual([]);
		await selectRow(view, line => line.includes('home'));
		await press(view, 'r', f => f.includes('retrying backup/h1/home/d2'));
		expect(source.retried).toEqual(['backup/h1/home/d2']);
		await press(view, 'R', f => f.includes('retrying 3 actions'));
		expect(source.retried.slice(1)).toEqual(['check-stores', 'backup/h1/home/d2', 'live/h2']);
	});

	test('q asks first while work runs', async () => {
		const source = busyRun();
		const view = await mount(source);
		await waitForText(view.lastFrame, 'h2');
		await press(view, 'q', f => f.includes('Quit? Running work will be cancelled'));
		await press(view, keys.escape, f => f.includes('not done'));
		expect(view.exits).toEqual([]);
		await press(view, 'q', f => f.includes('Quit?'));
		view.stdin.write('y');
		await waitForFrame(view.lastFrame, () => view.exits.length > 0);
		expect(view.exits).toEqual(['quit']);
	});

	test('Ctrl-C quits without asking: the caller cancels cleanly', async () => {
		const view = await mount(busyRun());
		await waitForText(view.lastFrame, 'h2');
		view.stdin.write('\u0003');
		await waitForFrame(view.lastFrame, () => view.exits.length > 0);
		expect(view.exits).toEqual(['quit']);
	});

	test('when finished, stays open with a summary, failures first, and q quits at once', async () => {
		const source = busyRun();
		source.state('backup/h1/home/d1', 'succeeded');
		const view = await mount(source);
		source.run('finished');
		const frame = await waitForText(view.lastFrame, 'finished:');
		expect(lineWith(frame, 'finished:')).toMatch(/finished: ✗ 1 failed \(backup\/h1\/home\/d2\) +· \d+ pending +✓ 9 succeeded/);
		expect(lineWith(frame, 'rsdeck --backup')).toContain('finished');
		view.stdin.write('q');
		await waitForFrame(view.lastFrame, () => view.exits.length > 0);
		expect(view.exits).toEqual(['quit']);
	});

	test('a run with no actions says there was nothing to do', async () => {
		const source = new FakeRunSource([]);
		source.run('started');
		const view = await mount(source);
		source.run('finished');
		const frame = await waitForText(view.lastFrame, 'finished:');
		expect(lineWith(frame, 'finished:')).toContain('finished: nothing to do');
		expect(plain(frame)).toContain('no actions');
	});
});

describe('RunView rows after skips and retries, and a long header', () => {
	test('with a filter set, a header too long for the terminal keeps its title and phase and cuts the filter', async () => {
		const counts = {pending: 1, ready: 0, running: 1, retry_wait: 0, succeeded: 0, warned: 0, failed: 0, skipped: 0, upstream_failed: 0, cancelled: 0};
		const header = (width: number) => {
			const view = render(<Box width={width}><RunHeader title="rsdeck backup host1" phase="running" counts={counts} elapsed={3_723_000} estimate={5_000_000} follow={false} filter="identify/*/*/d2" color width={width}/></Box>);
			const line = plain(view.lastFrame() ?? '').split('\n')[0] ?? '';
			view.unmount();
			return line;
		};

		expect(header(80)).toBe('rsdeck backup host1 running  [filter: identify/*/*/d2] elapsed 1h02m  ETA 21m17s');
		expect(header(60)).toBe('rsdeck backup host1 running  [fil… elapsed 1h02m  ETA 21m17s');
		expect(header(40)).toBe('rsdeck backup host1 running  [filter: i…');
		expect(header(30)).toBe('rsdeck backup host1 running  …');
		expect(header(12)).toBe('rsdeck back…');
	});

	test('a volume whose pre-volume-hook asked to skip (exit 75) shows as skipped, and so do its devices', async () => {
		const source = new FakeRunSource(backupRun(['h1/home', 'h1/etc'], ['d1', 'd2']));
		source.run('started');
		const skip = 'h1:home pre-volume-hook asked to skip (exit 75)';
		for (const name of ['pre-device-hook', 'check-stores', 'live/h1', 'identify/h1/home/d1', 'identify/h1/home/d2', 'identify/h1/etc/d1', 'identify/h1/etc/d2', 'pre-volume-hook/h1/etc']) {
			source.state(name, 'running');
			source.state(name, 'succeeded');
		}

		source.state('pre-volume-hook/h1/home', 'running');
		source.state('pre-volume-hook/h1/home', 'skipped', {message: skip});
		for (const device of ['d1', 'd2']) {
			for (const step of ['underway', 'backup', 'record-backup']) {
				source.state(`${step}/h1/home/${device}`, 'skipped', {message: skip});
				source.state(`${step}/h1/etc/${device}`, 'running');
				source.state(`${step}/h1/etc/${device}`, 'succeeded');
			}
		}

		source.state('post-volume-hook/h1/home', 'skipped', {message: skip});
		source.state('post-volume-hook/h1/etc', 'running');
		source.state('post-volume-hook/h1/etc', 'succeeded');
		const view = await mount(source);
		const lines = plain(await waitForText(view.lastFrame, 'home')).split('\n');
		const home = lines.findIndex(line => line.includes(' home'));
		expect(lines.slice(home, home + 5).map(line => line.trim().replace(/ {2,}.*$/, ''))).toEqual([
			'▾ - home', '- pre-volume-hook h1:home pre-volume-hook asked to skip (exit 75)', '▸ - d1', '▸ - d2', '- post-volume-hook h1:home pre-volume-hook asked to skip (exit 75)',
		]);
		expect(lineWith(lines.join('\n'), '▸ - d1')).toContain('✓---');
		expect(lineWith(lines.join('\n'), ' etc')).toMatch(/▾ ✓ etc/);
		expect(lineWith(lines.join('\n'), ' h1')).toMatch(/▾ ✓ h1/);
	});

	test('after a manual retry, a group row\'s elapsed time is the retried work\'s, not the first attempt\'s', async () => {
		const source = new FakeRunSource(backupRun(['h1/home'], ['d1']));
		source.run('started');
		for (const name of ['pre-device-hook', 'check-stores', 'live/h1', 'pre-volume-hook/h1/home', 'identify/h1/home/d1', 'underway/h1/home/d1']) {
			source.state(name, 'running');
			source.state(name, 'succeeded');
		}

		source.state('backup/h1/home/d1', 'running');
		source.time += 60_000;
		source.state('backup/h1/home/d1', 'failed', {message: 'rsync exited with status 23'});
		const view = await mount(source);
		await waitForText(view.lastFrame, '▾ ✗ home');
		expect(lineWith(view.lastFrame() ?? '', '▾ ✗ home')).toMatch(/ 1m00s$/);
		// An hour later the operator retries; the retry takes two minutes.
		source.time += 3_600_000;
		source.state('backup/h1/home/d1', 'pending');
		source.state('record-backup/h1/home/d1', 'pending');
		source.state('backup/h1/home/d1', 'running');
		source.time += 120_000;
		source.state('backup/h1/home/d1', 'succeeded');
		for (const name of ['record-backup/h1/home/d1', 'post-volume-hook/h1/home']) {
			source.state(name, 'running');
			source.state(name, 'succeeded');
		}

		const frame = await waitForText(view.lastFrame, '▾ ✓ home');
		expect(lineWith(frame, '▾ ✓ home')).toMatch(/ 2m00s$/);
		expect(lineWith(frame, '▾ ✓ h1')).toMatch(/ 2m00s$/);
	});
});
