import {cleanup, render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {BrowseView} from '../../components/browse-view.js';
import type {Snapshot} from '../../components/browse-source.js';
import {FakeBrowseSource} from './fake-browse-source.js';
import {keys, plain, press, selectedLine, waitForFrame, waitForText} from './ink-harness.js';

afterEach(() => {
	cleanup();
});

const now = Date.UTC(2026, 11, 1) / 1000;
const hour = 3600;
const snapshot = (id: string, hoursAgo: number, status = 'complete', device = 'd1', size?: number): Snapshot =>
	({id, device, time: now - hoursAgo * hour, status, ...(status === 'complete' ? {path: `/store/h1/data/${id}`} : {}), ...(size === undefined ? {} : {size})});

const backups = [
	snapshot('2026-11-30T01:00:00', 23, 'underway'),
	snapshot('2026-11-29T01:00:00', 47, 'complete', 'd1', 2048),
	snapshot('2026-11-28T01:00:00', 71, 'failed'),
	snapshot('2026-11-27T01:00:00', 95, 'complete', 'd2'),
];
const {entry} = FakeBrowseSource;

function mount(source: FakeBrowseSource) {
	let exits = 0;
	const view = render(<BrowseView source={source} host="h1" volume="data" now={now} onExit={() => exits++}/>);
	return {...view, exits: () => exits};
}

test('lists backups with age, status and size, marking failed and underway; Esc goes back', async () => {
	const view = mount(new FakeBrowseSource(backups, {}));
	const frame = plain(await waitForText(view.lastFrame, '2026-11-27'));
	expect(frame).toContain('h1:data: backups');
	expect(frame).toMatch(/▶ 2026-11-30T01:00:00 +d1 +23h00m +underway/);
	expect(frame).toMatch(/✓ 2026-11-29T01:00:00 +d1 +1d23h +complete +2K/);
	expect(frame).toMatch(/✗ 2026-11-28T01:00:00 +d1 +2d23h +failed/);
	expect(frame).toMatch(/✓ 2026-11-27T01:00:00 +d2 /);
	view.stdin.write(keys.escape);
	await waitForFrame(view.lastFrame, () => view.exits() === 1);
});

test('a backup opens to its root; in, out, breadcrumbs, filter, versions and Esc back', async () => {
	const source = new FakeBrowseSource(backups, {
		'': [entry('readme', 'file'), entry('etc', 'dir'), entry('var', 'dir')],
		etc: [entry('nginx', 'dir'), entry('hosts', 'file', 20)],
		'etc/nginx': [entry('nginx.conf', 'file', 30), entry('mime.types', 'file', 40)],
	}, [
		{kind: 'version', entry: entry('nginx.conf', 'file', 25, Date.UTC(2026, 10, 20)), backups: [{id: '2026-11-27T01:00:00', device: 'd2'}], matchedByAttributes: false},
		{kind: 'version', entry: entry('nginx.conf', 'file', 30, Date.UTC(2026, 10, 28)), backups: [{id: '2026-11-29T01:00:00', device: 'd1'}], matchedByAttributes: false},
	]);
	const view = mount(source);
	await waitForText(view.lastFrame, '2026-11-27');
	// The underway backup cannot be opened; the complete one below it can.
	await press(view, keys.enter, frame => selectedLine(frame).includes('2026-11-30'));
	await press(view, 'j', frame => selectedLine(frame).includes('2026-11-29'));
	let frame = await press(view, keys.enter, frame => frame.includes('readme'));
	expect(plain(frame)).toContain('h1:data @ 2026-11-29T01:00:00 (d1)  /');
	// Directories first, then files, by name.
	expect(selectedLine(frame)).toContain('etc/');
	expect(plain(frame).indexOf('var/')).toBeLessThan(plain(frame).indexOf('readme'));
	frame = await press(view, 'l', frame => frame.includes('hosts'));
	expect(plain(frame)).toContain('/ etc');
	await press(view, keys.right, frame => frame.includes('nginx.conf'));
	expect(plain(view.lastFrame()!)).toContain('/ etc / nginx');
	await press(view, '/', frame => frame.includes('filter: █'));
	await press(view, 'c', frame => frame.includes('filter: c█'));
	frame = await press(view, 'o', frame => frame.includes('filter: co█') && !frame.includes('mime.types'));
	expect(selectedLine(frame)).toContain('nginx.conf');
	await press(view, keys.enter, frame => frame.includes('filter: co ') && frame.includes('v versions'));
	frame = await press(view, 'v', frame => frame.includes('versions') && frame.includes('2026-11-27T01:00:00 (1 backup)'));
	expect(plain(frame)).toContain('h1:data:etc/nginx/nginx.conf: versions');
	await press(view, 'j', frame => selectedLine(frame).includes('2026-11-29T01:00:00'));
	// r restores the selected version, from the newest backup holding it.
	await press(view, 'r', frame => frame.includes('Restore etc/nginx/nginx.conf from 2026-11-29T01:00:00 (d1) to:'));
	await press(view, keys.escape, frame => frame.includes('nginx.conf: versions'));
	// Enter on a version opens its backup at the file's directory, the file selected.
	frame = await press(view, keys.enter, frame => frame.includes('@ 2026-11-29T01:00:00 (d1)  / etc / nginx') && frame.includes('mime.types'));
	frame = await waitForFrame(view.lastFrame, frame => selectedLine(frame).includes('nginx.conf'));
	await press(view, keys.escape, frame => frame.includes('nginx.conf: versions'));
	// Back in the directory: the filter is kept; Esc clears it, h goes up, Esc leaves the snapshot.
	await press(view, keys.escape, frame => frame.includes('filter: co '));
	await press(view, keys.escape, frame => frame.includes('mime.types'));
	// Going up selects the directory just left.
	frame = await press(view, 'h', frame => frame.includes('hosts'));
	expect(selectedLine(await waitForFrame(view.lastFrame, frame => selectedLine(frame).includes('nginx/')))).toContain('nginx/');
	await press(view, 'j', frame => selectedLine(frame).includes('hosts'));
	await press(view, keys.left, frame => frame.includes('readme') && selectedLine(frame).includes('etc/'));
	await press(view, keys.escape, frame => frame.includes('h1:data: backups'));
	expect(view.exits()).toBe(0);
});

test('10,000 entries: the first batch shows before the rest is read, and only a window is drawn', async () => {
	const many = Array.from({length: 10_000}, (_, index) => entry(`file-${String(index).padStart(5, '0')}`, 'file'));
	const source = new FakeBrowseSource([snapshot('2026-11-29T01:00:00', 47)], {'': many});
	source.hold = true;
	const view = mount(source);
	await waitForText(view.lastFrame, '2026-11-29');
	let frame = plain(await press(view, keys.enter, frame => frame.includes('file-00000')));
	expect(frame).toContain('256 rows (reading…)');
	source.hold = false;
	source.release();
	frame = plain(await waitForFrame(view.lastFrame, frame => frame.includes('10000 rows') && !frame.includes('reading')));
	expect(frame.split('\n').length).toBeLessThan(40);
	await press(view, 'G', frame => selectedLine(frame).includes('file-09999'));
	await press(view, keys.pageUp, frame => !selectedLine(frame).includes('file-09999') && selectedLine(frame).includes('file-09'));
	await press(view, 'g', frame => selectedLine(frame).includes('file-00000'));
});

test('d shows the changes under the current directory; Enter on one shows its versions', async () => {
	const source = new FakeBrowseSource([snapshot('2026-11-29T01:00:00', 47), snapshot('2026-11-28T01:00:00', 71)], {'': [entry('etc', 'dir')], etc: [entry('hosts', 'file')]}, [], [
		{change: 'M', path: 'etc/hosts', type: 'file'},
		{change: '+', path: 'etc/new', type: 'dir'},
	]);
	const view = mount(source);
	await waitForText(view.lastFrame, '2026-11-29');
	await press(view, keys.enter, frame => frame.includes('etc/'));
	await press(view, 'l', frame => frame.includes('hosts'));
	const frame = plain(await press(view, 'd', frame => frame.includes('M etc/hosts')));
	expect(frame).toContain('+ etc/new/');
	expect(frame).toContain('h1:data:etc: changes from 2026-11-28T01:00:00 to 2026-11-29T01:00:00 (d1)');
	await press(view, keys.enter, frame => frame.includes('h1:data:etc/hosts: versions'));
	await press(view, keys.escape, frame => frame.includes('M etc/hosts'));
	await press(view, keys.escape, frame => frame.includes('hosts') && frame.includes('r restore'));
});

test('r asks where (prefilled with a new directory), shows progress, c cancels; a second restore reports written and skipped', async () => {
	const source = new FakeBrowseSource([snapshot('2026-11-29T01:00:00', 47)], {'': [entry('etc', 'dir'), entry('readme', 'file')]});
	const view = mount(source);
	await waitForText(view.lastFrame, '2026-11-29');
	await press(view, keys.enter, frame => frame.includes('readme'));
	let frame = plain(await press(view, 'r', frame => frame.includes('Restore etc from')));
	expect(frame).toContain('./rsdeck-restore-h1-data-2026-11-29T01:00:00/█');
	await press(view, keys.enter, frame => frame.includes('c cancel'));
	expect(source.restores[0]).toMatchObject({path: 'etc', target: './rsdeck-restore-h1-data-2026-11-29T01:00:00/'});
	source.restores[0]!.update({progress: {fraction: 0.5, text: '50% 1MB/s'}});
	source.restores[0]!.update({output: '>f+++++++++ etc/hosts\n'});
	await waitForFrame(view.lastFrame, frame => frame.includes('50% 1MB/s') && frame.includes('etc/hosts'));
	frame = plain(await press(view, 'c', frame => frame.includes('restore cancelled')));
	expect(source.restores[0]!.cancelled).toBe(true);
	await press(view, keys.escape, frame => frame.includes('readme') && !frame.includes('cancelled'));
	// The second one, to a directory typed over the default.
	await press(view, 'r', frame => frame.includes('Restore etc from'));
	for (let count = 0; count < 45; count++) {
		view.stdin.write(keys.backspace);
	}

	await waitForFrame(view.lastFrame, frame => frame.includes('\n█'));
	view.stdin.write('/tmp/r');
	await press(view, keys.enter, frame => frame.includes('c cancel'));
	expect(source.restores[1]!.target).toBe('/tmp/r');
	source.restores[1]!.finish({state: 'succeeded', written: ['etc/', 'etc/hosts'], skipped: ['etc/motd']});
	frame = plain(await waitForText(view.lastFrame, '✓ restored'));
	expect(frame).toContain('✓ restored: 1 file and 1 directory written, 1 skipped');
	expect(frame).toContain('skipped (exists) etc/motd');
});

test('a refused destination is said, and nothing runs', async () => {
	const source = new FakeBrowseSource([snapshot('2026-11-29T01:00:00', 47)], {'': [entry('readme', 'file')]});
	const view = mount(source);
	await waitForText(view.lastFrame, '2026-11-29');
	await press(view, keys.enter, frame => frame.includes('readme'));
	await press(view, 'r', frame => frame.includes('Restore readme from'));
	for (let count = 0; count < 45; count++) {
		view.stdin.write(keys.backspace);
	}

	await waitForFrame(view.lastFrame, frame => frame.includes('\n█'));
	view.stdin.write('/store/x');
	const frame = plain(await press(view, keys.enter, frame => frame.includes('✗ target /store/x is inside the store /store')));
	expect(frame).toContain('Esc back');
	expect(source.restores).toEqual([]);
	await press(view, keys.escape, frame => frame.includes('r restore'));
});

test('leaving the browser while a restore runs cancels it', async () => {
	const source = new FakeBrowseSource([snapshot('2026-11-29T01:00:00', 47)], {'': [entry('readme', 'file')]});
	const view = mount(source);
	await waitForText(view.lastFrame, '2026-11-29');
	await press(view, keys.enter, frame => frame.includes('readme'));
	await press(view, 'r', frame => frame.includes('Restore readme from'));
	await press(view, keys.enter, frame => frame.includes('c cancel'));
	view.unmount();
	expect(source.restores[0]!.cancelled).toBe(true);
});
