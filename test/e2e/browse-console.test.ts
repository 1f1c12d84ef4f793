import {readFileSync, rmSync, utimesSync, writeFileSync, appendFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {backupAt, day, snapshotSetup} from '../browse/snapshot-fleet.js';
import {cli, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, writeScript} from '../helpers/files.js';
import {TmuxTerminal} from '../helpers/tmux.js';
import {lineWritten, processGone, waitFor} from '../helpers/wait.js';

let terminal: TmuxTerminal | undefined;

afterEach(() => {
	terminal?.kill();
	terminal = undefined;
	removeTemporaryDirectories();
});

const shellQuote = (word: string) => `'${word.replaceAll('\'', '\'\\\'\'')}'`;

const selectedLine = (screen: string) => screen.split('\n').find(line => line.startsWith('›')) ?? '';

/** Press `j` until the selected line matches. */
async function selectLine(term: TmuxTerminal, matches: (line: string) => boolean): Promise<void> {
	for (let steps = 0; !matches(selectedLine(term.screen())); steps++) {
		expect(steps).toBeLessThan(20);
		await term.press('j');
	}
}

/** Write the source as it is on day `n` (fixed mtimes), then back it up with the fake clock. */
async function backupDay(s: ReturnType<typeof snapshotSetup>, n: number, files: Record<string, string>): Promise<void> {
	writeTree(s.source, files);
	const time = Date.UTC(2026, 10, n - 1, 12) / 1000;
	for (const file of Object.keys(files)) {
		utimesSync(path.join(s.source, file), time, time);
		// The directory's too: two days written within one second would otherwise leave it unchanged to rsync's second.
		if (path.dirname(file) !== '.') {
			utimesSync(path.join(s.source, path.dirname(file)), time, time);
		}
	}

	await backupAt(s, day(n));
}

test('status ▸ volume ▸ backup ▸ directory ▸ file ▸ versions, the diff, and a restore cancelled halfway then one that completes', async () => {
	const s = snapshotSetup();
	await backupDay(s, 27, {'etc/app.conf': 'workers 4\n', readme: 'hello\n'});
	await backupDay(s, 28, {'etc/app.conf': 'workers 8\n'});
	await backupDay(s, 29, {'etc/new.conf': 'new\n'});
	await backupDay(s, 30, {'etc/app.conf': 'workers broken\n'});
	// From now on rsync hangs while the `hang` file exists, as a restore of a large tree would take its time.
	const hang = path.join(s.root, 'hang');
	const pidFile = path.join(s.root, 'rsync.pid');
	const rsync = writeScript(path.join(s.root, 'slow-rsync'), `if [ -e '${hang}' ]; then echo $$ > '${pidFile}'; exec sleep 300; fi\nexec rsync "$@"`);
	appendFileSync(s.config, `    rsync-command ${rsync}\n`);
	writeFileSync(hang, '');

	const exitFile = path.join(s.root, 'exit-status');
	terminal = new TmuxTerminal(`cd ${shellQuote(s.root)} && env TZ=UTC RSBACKUP_TIME=2026-12-01T00:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --config ${shellQuote(s.config)}; echo $? > ${shellQuote(exitFile)}`, {socket: `rsdeck-e2e-browse-${process.pid}`});
	await terminal.waitForScreen(text => text.includes('rsdeck status') && /data +✓/.test(text), 'the status view');
	await selectLine(terminal, line => line.includes('data'));

	// The volume's backups, newest first, with their ages.
	await terminal.press('Enter');
	let screen = await terminal.waitForScreen(text => text.includes('host1:data: backups') && text.includes(day(27)), 'the backups');
	expect(screen).toMatch(/› ✓ 2026-11-30T01:00:00 +device1 +23h00m +complete/);
	expect(screen).toMatch(/✓ 2026-11-27T01:00:00 +device1 +3d23h +complete/);

	// Yesterday's backup, its root, then etc.
	await selectLine(terminal, line => line.includes(day(29)));
	await terminal.press('Enter');
	screen = await terminal.waitForScreen(text => text.includes(`host1:data @ ${day(29)} (device1)  /`) && text.includes('readme'), 'the backup\'s root');
	expect(selectedLine(screen)).toMatch(/etc\/ +dir/);
	await terminal.press('l');
	screen = await terminal.waitForScreen(text => text.includes('/ etc') && text.includes('new.conf'), 'etc');
	expect(screen).toMatch(/app\.conf +file +10 +2026-11-27 12:00:00/);

	// What changed since the day before: new.conf was added (and so etc's mtime changed).
	await terminal.press('d');
	screen = await terminal.waitForScreen(text => text.includes(`changes from ${day(28)} to ${day(29)}`) && text.includes('2 rows'), 'the diff');
	expect(screen).toMatch(/› A etc\/\n +\+ etc\/new\.conf\n/);
	await terminal.press('Escape');
	await terminal.waitForScreen(text => text.includes('/ etc') && text.includes('r restore'), 'etc again');

	// The file's versions: one per change, with the backups holding each.
	await selectLine(terminal, line => line.includes('app.conf'));
	await terminal.press('v');
	screen = await terminal.waitForScreen(text => text.includes('host1:data:etc/app.conf: versions') && text.includes('3 rows'), 'the versions');
	expect(screen).toMatch(/file +10 +2026-11-26 12:00:00 +2026-11-27T01:00:00 \(1 backup\)/);
	expect(screen).toMatch(/file +10 +2026-11-27 12:00:00 +2026-11-28T01:00:00 \.\. 2026-11-29T01:00:00 \(2 backups\)/);
	expect(screen).toMatch(/file +15 +2026-11-29 12:00:00 +2026-11-30T01:00:00 \(1 backup\)/);
	// Enter on a version opens its newest backup at the file's directory.
	await terminal.press('Enter');
	screen = await terminal.waitForScreen(text => text.includes(`host1:data @ ${day(27)} (device1)  / etc`) && /^›.*app\.conf/m.test(text), 'the oldest version\'s backup, the file selected');
	expect(screen).not.toContain('new.conf');
	await terminal.press('Escape');
	await terminal.waitForScreen(text => text.includes('app.conf: versions'), 'the versions again');
	await terminal.press('Escape');
	await terminal.waitForScreen(text => text.includes(`@ ${day(29)}`) && text.includes('r restore'), 'etc of yesterday again');

	// Restore it: the destination is prefilled with a new directory; cancelled while rsync runs.
	await terminal.press('r');
	const target = `./rsdeck-restore-host1-data-${day(29)}/`;
	await terminal.waitForScreen(text => text.includes(`${target}█`), 'the destination prompt');
	await terminal.press('Enter');
	await waitFor(() => lineWritten(pidFile), 'the restore\'s rsync to start');
	await terminal.waitForScreen(text => text.includes('c cancel'), 'the running restore');
	const rsyncPid = Number(readFileSync(pidFile, 'utf8'));
	await terminal.press('c');
	await terminal.waitForScreen(text => text.includes('restore cancelled'), 'the cancelled restore');
	await waitFor(() => processGone(rsyncPid), 'rsync to be gone');

	// The second one completes and says what it wrote.
	rmSync(hang);
	await terminal.press('Escape');
	await terminal.waitForScreen(text => text.includes('r restore'), 'etc once more');
	await terminal.press('r');
	await terminal.waitForScreen(text => text.includes(`${target}█`), 'the destination prompt again');
	await terminal.press('Enter');
	await terminal.waitForScreen(text => text.includes('✓ restored: 1 file and 1 directory written, 0 skipped'), 'the completed restore');
	expect(readFileSync(path.join(s.root, target, 'etc/app.conf'), 'utf8')).toBe('workers 8\n');
	expect(readFileSync(path.join(s.source, 'etc/app.conf'), 'utf8')).toBe('workers broken\n');

	// Back out to the status view and quit.
	for (const title of ['r restore', 'host1:data: backups', 'rsdeck status']) {
		await terminal.press('Escape');
		await terminal.waitForScreen(text => text.includes(title), title);
	}

	await terminal.press('q');
	await waitFor(() => lineWritten(exitFile), 'rsdeck to exit');
	expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
}, 120_000);

test('a directory of 10,000 entries in a real snapshot: listed, moved through to the end, filtered', async () => {
	const s = snapshotSetup();
	writeTree(s.source, Object.fromEntries(Array.from({length: 10_000}, (_, index) => [`many/file-${String(index).padStart(5, '0')}`, `${index}\n`])));
	await backupAt(s, day(29));
	terminal = new TmuxTerminal(`env TZ=UTC RSBACKUP_TIME=2026-12-01T00:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --config ${shellQuote(s.config)}`, {socket: `rsdeck-e2e-many-${process.pid}`});
	await terminal.waitForScreen(text => /data +✓/.test(text), 'the status view');
	await selectLine(terminal, line => line.includes('data'));
	await terminal.press('Enter');
	await terminal.waitForScreen(text => text.includes(day(29)) && text.includes('1 row'), 'the backups');
	await terminal.press('Enter');
	await terminal.waitForScreen(text => /^›.*many\//m.test(text), 'the root');
	await terminal.press('l');
	let screen = await terminal.waitForScreen(text => text.includes('10000 rows') && !text.includes('reading'), 'the whole listing');
	// Only what fits is drawn: the 45-row terminal shows a window, not 10,000 lines.
	expect(screen.split('\n').filter(line => line.includes('file-')).length).toBeLessThan(45);
	await terminal.press('G');
	screen = await terminal.waitForScreen(text => /^›.*file-09999/m.test(text), 'the last entry');
	expect(screen).not.toContain('file-00000');
	await terminal.press('/');
	terminal.type('0424');
	screen = await terminal.waitForScreen(text => text.includes('filter: 0424█') && text.includes('1 row'), 'the filtered listing');
	expect(selectedLine(screen)).toMatch(/file-00424 +file +4 /);
}, 120_000);
