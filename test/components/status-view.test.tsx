import {Profiler} from 'react';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {StatusView, type StartRequest, type StatusReading, type StatusRow} from '../../components/status-view.js';
import {FakeBrowseSource} from './fake-browse-source.js';
import {keys, plain, press, selectRow, selectedLine, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
});

const day = 86_400;
const now = Date.UTC(1980, 0, 10) / 1000;

const rows: StatusRow[] = [
	{host: 'h1', volume: 'home', maxAge: 3 * day, devices: [
		{device: 'd1', newest: now - 2 * 3600, count: 5, latestFailed: false},
		{device: 'd2', newest: now - 5 * day, count: 2, latestFailed: false},
	]},
	{host: 'h1', volume: 'etc', maxAge: 3 * day, devices: [
		{device: 'd1', newest: now - day, count: 3, latestFailed: true},
	]},
	{host: 'h2', volume: 'var', maxAge: day, devices: [
		{device: 'd1', count: 0, latestFailed: false},
		{device: 'd2', newest: now - 3600, count: 1, latestFailed: false},
	]},
];

function lineWith(frame: string, text: string): string {
	return plain(frame).split('\n').find(line => line.includes(text)) ?? '';
}

function mount() {
	const starts: StartRequest[] = [];
	let exits = 0;
	const view = render(<StatusView rows={rows} devices={['d1', 'd2']} now={now} onStart={request => starts.push(request)} onExit={() => exits++}/>);
	return {...view, starts, exits: () => exits};
}

test('shows each volume’s newest backup per device with its age, count and health symbol', async () => {
	const {lastFrame} = mount();
	const frame = await waitForText(lastFrame, 'var');
	expect(lineWith(frame, 'rsdeck status')).toContain('2 hosts, 3 volumes, at 1980-01-10 00:00:00');
	expect(lineWith(frame, 'home')).toMatch(/home +✓ 2h00m \(5\) +! 5d00h \(2\)/);
	expect(lineWith(frame, 'etc')).toMatch(/etc +✗ 1d00h \(3\)\s*$/);
	expect(lineWith(frame, 'var')).toMatch(/var +∅ none +✓ 1h00m \(1\)/);
	// A host row shows the worst of its volumes on each device.
	expect(lineWith(frame, 'h1')).toMatch(/h1 +✗ +!$/);
	expect(plain(frame)).toContain('✗ 1 volume: latest backup failed  ∅ 1 volume: no backup  ! 1 volume: older than max-age');
});

test('starts a backup of the selected host, and a prune of the selected volume, after asking', async () => {
	const view = mount();
	await waitForText(view.lastFrame, 'var');
	await waitForFrame(view.lastFrame, frame => selectedLine(frame).includes('h1'));
	await press(view, 'b', frame => frame.includes('Back up h1 now? [y/n]'));
	await press(view, 'n', frame => !frame.includes('[y/n]'));
	expect(view.starts).toEqual([]);
	await press(view, 'b', frame => frame.includes('Back up h1 now?'));
	view.stdin.write('y');
	await waitForFrame(view.lastFrame, () => view.starts.length === 1);
	expect(view.starts).toEqual([{action: 'backup', selector: 'h1'}]);
	await selectRow(view, line => line.includes('var'));
	await press(view, 'p', frame => frame.includes('Prune h2:var now? [y/n]'));
	view.stdin.write('y');
	await waitForFrame(view.lastFrame, () => view.starts.length === 2);
	expect(view.starts[1]).toEqual({action: 'prune', selector: 'h2:var'});
	await press(view, keys.up, frame => selectedLine(frame).includes('h2'));
});

test('? shows the keys; q quits', async () => {
	const view = mount();
	await waitForText(view.lastFrame, 'var');
	await press(view, '?', frame => frame.includes('back up the selected host or volume'));
	await press(view, keys.escape, frame => frame.includes('var'));
	view.stdin.write('q');
	await waitForFrame(view.lastFrame, () => view.exits() === 1);
});

/** A status view re-reading from `source()` every 20 ms, counting reads and React commits. */
function mountRefreshing(source: () => StatusReading) {
	let loads = 0;
	let commits = 0;
	const load = () => {
		loads++;
		return source();
	};

	const view = render(
		<Profiler id="status" onRender={() => commits++}>
			<StatusView rows={rows} devices={['d1', 'd2']} now={now} load={load} refreshInterval={20} onStart={() => undefined} onExit={() => undefined}/>
		</Profiler>,
	);
	return {...view, loads: () => loads, commits: () => commits};
}

/** The fixture a minute later, with h2:var's first backup on d1 ten minutes before. */
const later: StatusReading = {
	now: now + 60,
	rows: rows.map(row => row.volume === 'var'
		? {...row, devices: [{device: 'd1', newest: now - 600, count: 1, latestFailed: false}, ...row.devices.slice(1)]}
		: row),
};

test('re-reads while shown: a changed reading redraws, an unchanged one does not, and the selection stays', async () => {
	let current: StatusReading = {rows, now};
	const view = mountRefreshing(() => structuredClone(current));
	await waitForText(view.lastFrame, 'var');
	await press(view, 'j', frame => selectedLine(frame).includes('home'));
	const commits = view.commits();
	const loads = view.loads();
	await waitForFrame(view.lastFrame, () => view.loads() >= loads + 5);
	expect(view.commits()).toBe(commits);

	current = later;
	const frame = await waitForFrame(view.lastFrame, frame => /var +✓ 11m00s \(1\)/.test(frame));
	expect(lineWith(frame, 'rsdeck status')).toContain('at 1980-01-10 00:01:00');
	expect(lineWith(frame, 'home')).toMatch(/home +✓ 2h01m \(5\)/);
	expect(plain(frame)).not.toContain('∅');
	expect(selectedLine(frame)).toContain('home');
	await press(view, 'j', frame => selectedLine(frame).includes('etc'));
});

test('a failed read keeps the last rows and says so in the footer until a read succeeds', async () => {
	let failure: string | undefined;
	let current: StatusReading = {rows, now};
	const view = mountRefreshing(() => {
		if (failure !== undefined) {
			throw new Error(failure);
		}

		return current;
	});
	await waitForText(view.lastFrame, 'var');
	failure = 'database \'/srv/backups.db\': database is locked\nsecond line';
	let frame = await waitForText(view.lastFrame, '⚠');
	const lines = plain(frame).split('\n');
	expect(lines.at(-2)).toBe('⚠ not refreshed, last rows kept: database \'/srv/backups.db\': database is locked');
	expect(lines.at(-1)).toContain('q quit');
	expect(lineWith(frame, 'var')).toMatch(/var +∅ none +✓ 1h00m \(1\)/);
	expect(lineWith(frame, 'rsdeck status')).toContain('at 1980-01-10 00:00:00');
	// Keys still work while reads fail.
	await press(view, 'j', frame => selectedLine(frame).includes('home'));

	current = later;
	failure = undefined;
	frame = await waitForFrame(view.lastFrame, frame => !frame.includes('⚠'));
	expect(lineWith(frame, 'var')).toMatch(/var +✓ 11m00s \(1\)/);
});

test('Enter on a volume opens its backups in the browser; Esc comes back to the status rows', async () => {
	const source = new FakeBrowseSource([
		{id: '2026-11-29T01:00:00', device: 'd1', time: now - 3600, status: 'complete', path: '/store/h1/home/2026-11-29T01:00:00'},
		{id: '2026-11-28T01:00:00', device: 'd1', time: now - 7200, status: 'failed'},
	], {'': [FakeBrowseSource.entry('etc', 'dir')]});
	const view = render(<StatusView rows={rows} devices={['d1', 'd2']} now={now} browse={source} onStart={() => undefined} onExit={() => undefined}/>);
	await waitForText(view.lastFrame, 'var');
	// On a host row Enter does nothing; on a volume it opens the browser.
	await selectRow(view, line => line.includes('home'));
	await press(view, keys.enter, frame => frame.includes('h1:home: backups') && frame.includes('2 rows'));
	await press(view, 'j', frame => selectedLine(frame).includes('2026-11-28'));
	await press(view, 'k', frame => selectedLine(frame).includes('2026-11-29'));
	await press(view, keys.enter, frame => frame.includes('etc/'));
	await press(view, keys.escape, frame => frame.includes('h1:home: backups'));
	await press(view, keys.escape, frame => frame.includes('rsdeck status'));
	await press(view, 'j', frame => selectedLine(frame).includes('etc'));
});
