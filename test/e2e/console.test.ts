import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {cli, makeStore, readBackups, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {lineWritten, processGone, waitFor} from '../helpers/wait.js';
import {TmuxTerminal} from '../helpers/tmux.js';

let terminal: TmuxTerminal | undefined;

afterEach(() => {
	terminal?.kill();
	terminal = undefined;
	removeTemporaryDirectories();
});

/**
Two hosts: `fast` backs up at once; `slow` goes through an rsync wrapper that
hangs (a `sleep` child) until a `release` file exists.
*/
function fleet() {
	const root = temporaryDirectory();
	const store = makeStore(root, 'store1', 'disk1');
	const wrapper = writeScript(path.join(root, 'slow-rsync'), `if [ -e ${root}/release ]; then exec rsync "$@"; fi
sleep 300 & echo $! > ${root}/sleeper.pid; wait`);
	for (const name of ['fast', 'slow']) {
		writeTree(path.join(root, 'src', name), {'file.txt': `${name}\n`});
	}

	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store}
device disk1
database ${database}
rsync-extra-options
host fast
  hostname localhost
  volume data ${path.join(root, 'src', 'fast')}
host slow
  hostname localhost
  rsync-command ${wrapper}
  volume data ${path.join(root, 'src', 'slow')}
`);
	return {root, database, config};
}

const shellQuote = (word: string) => `'${word.replaceAll('\'', '\'\\\'\'')}'`;

/** The line of the screen the selection marker is on. */
const selectedLine = (screen: string) => screen.split('\n').find(line => line.startsWith('›')) ?? '';

describe('the console in a real terminal', () => {
	test('watch, open a detail pane, cancel a running backup, retry it to success, quit; then the status view', async () => {
		const f = fleet();
		const exitFile = path.join(f.root, 'exit-status');
		const command = `env RSBACKUP_TIME=1980-01-01T00:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --backup --config ${shellQuote(f.config)}; echo $? > ${shellQuote(exitFile)}`;
		terminal = new TmuxTerminal(command, {socket: `rsdeck-e2e-${process.pid}`});
		const sleeperFile = path.join(f.root, 'sleeper.pid');
		await waitFor(() => lineWritten(sleeperFile), 'the slow backup to start');
		let screen = await terminal.waitForScreen(text => /✓ fast/.test(text) && /▶ slow/.test(text), 'fast done and slow running');

		// Move down to slow's device row, one key at a time.
		for (let steps = 0; !/disk1/.test(selectedLine(screen)) || !screen.split('\n').slice(0, screen.split('\n').indexOf(selectedLine(screen))).some(line => /▶ slow/.test(line)); steps++) {
			expect(steps).toBeLessThan(30);
			await terminal.press('j');
			screen = terminal.screen();
		}

		await terminal.press('Enter');
		screen = await terminal.waitForScreen(text => text.includes('backup/slow/data/disk1') && text.includes('slow-rsync'), 'the detail pane of the running backup');

		await terminal.press('c');
		await terminal.waitForScreen(text => /cancel/i.test(text) && /y\/n|\[y/i.test(text), 'the cancel confirmation');
		await terminal.press('y');
		const sleeper = Number(readFileSync(sleeperFile, 'utf8'));
		await waitFor(() => processGone(sleeper), 'rsync\'s child to be killed');
		await waitFor(() => readBackups(f.database).some(row => row.host === 'slow' && row.status === 3), 'the cancelled backup to be recorded failed');
		await terminal.waitForScreen(text => text.includes('cancelled'), 'the cancelled state on screen');

		writeFileSync(path.join(f.root, 'release'), '');
		await terminal.press('r');
		await waitFor(() => readBackups(f.database).some(row => row.host === 'slow' && row.status === 2), 'the retried backup to complete');
		screen = await terminal.waitForScreen(text => /finished/.test(text), 'the run to finish');
		expect(screen).not.toMatch(/✗ \d+ failed/);

		await terminal.press('q');
		await waitFor(() => lineWritten(exitFile), 'rsdeck to exit');
		expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
		expect(readBackups(f.database).filter(row => row.status === 2).map(row => row.host).sort()).toEqual(['fast', 'slow']);
		terminal.kill();

		// With no action, the status screen shows every volume and its newest backup.
		const statusExit = path.join(f.root, 'status-exit');
		terminal = new TmuxTerminal(`env RSBACKUP_TIME=1980-01-01T06:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --config ${shellQuote(f.config)}; echo $? > ${shellQuote(statusExit)}`, {socket: `rsdeck-e2e-status-${process.pid}`});
		screen = await terminal.waitForScreen(text => text.includes('fast') && text.includes('slow') && text.includes('disk1'), 'the status view');
		expect(screen, screen).toMatch(/fast[^]*data[^]*6h[^]*slow[^]*data[^]*6h/);
		await terminal.press('q');
		await waitFor(() => lineWritten(statusExit), 'the status view to exit');
		expect(readFileSync(statusExit, 'utf8').trim()).toBe('0');
	}, 120_000);

	test('the status screen, left open, shows a backup another rsdeck records, and keeps its rows when the database goes', async () => {
		const f = fleet();
		const statusExit = path.join(f.root, 'status-exit');
		terminal = new TmuxTerminal(`env RSBACKUP_TIME=1980-01-01T06:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --config ${shellQuote(f.config)}; echo $? > ${shellQuote(statusExit)}`, {socket: `rsdeck-e2e-refresh-${process.pid}`});
		await terminal.waitForScreen(text => /fast[^\n]*\n +data +∅ none[^]*slow[^\n]*\n +data +∅ none/.test(text), 'the status view with no backups');

		// A separate process (as cron would run it) backs up one host into a real database file.
		const cron = await rsdeck(['--backup', 'fast', '--config', f.config]);
		expect(cron.exitCode, cron.stderr).toBe(0);
		const screen = await terminal.waitForScreen(text => /fast[^\n]*\n +data +✓ 6h00m \(1\)/.test(text), 'the new backup on the open screen');
		expect(screen).toMatch(/slow[^\n]*\n +data +∅ none/);
		expect(screen).not.toContain('⚠');

		// The file gone: the rows stay, with a notice.
		for (const suffix of ['', '-wal', '-shm']) {
			rmSync(f.database + suffix, {force: true});
		}

		const failed = await terminal.waitForScreen(text => text.includes('⚠ not refreshed, last rows kept'), 'the notice of a failed read');
		expect(failed).toMatch(/fast[^\n]*\n +data +✓ 6h00m \(1\)/);
		expect(failed).toContain('is missing');
		await terminal.press('q');
		await waitFor(() => lineWritten(statusExit), 'the status view to exit');
		expect(readFileSync(statusExit, 'utf8').trim()).toBe('0');
	}, 90_000);

	test('SIGTERM cancels cleanly: rsync is killed, the backup recorded failed, the console ends with status 1', async () => {
		const f = fleet();
		const exitFile = path.join(f.root, 'exit-status');
		const pidFile = path.join(f.root, 'rsdeck.pid');
		const command = `sh -c ${shellQuote(`echo $$ > ${shellQuote(pidFile)}; exec env RSBACKUP_TIME=1980-01-01T00:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --backup --config ${shellQuote(f.config)}`)}; echo $? > ${shellQuote(exitFile)}`;
		terminal = new TmuxTerminal(command, {socket: `rsdeck-e2e-term-${process.pid}`});
		const sleeperFile = path.join(f.root, 'sleeper.pid');
		await waitFor(() => lineWritten(sleeperFile) && lineWritten(pidFile), 'the slow backup to start');
		await terminal.waitForScreen(text => /▶ slow/.test(text), 'the console showing the running backup');
		process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
		await waitFor(() => lineWritten(exitFile), 'rsdeck to exit after SIGTERM');
		expect(readFileSync(exitFile, 'utf8').trim()).toBe('1');
		await waitFor(() => processGone(Number(readFileSync(sleeperFile, 'utf8'))), 'rsync\'s child to be killed');
		expect(readBackups(f.database).map(row => `${row.host}:${row.status}`).sort()).toEqual(['fast:2', 'slow:3']);
	}, 60_000);

	test('Ctrl-C ends the run cleanly; a second Ctrl-C stops a post hook that hangs in clean-up', async () => {
		const f = fleet();
		const hook = writeScript(path.join(f.root, 'post'), `sleep 300 & echo $! > ${shellQuote(path.join(f.root, 'hook.pid'))}; wait`);
		writeFileSync(f.config, readFileSync(f.config, 'utf8').replace('host fast\n', `host fast\n  post-volume-hook ${hook}\n`));
		const exitFile = path.join(f.root, 'exit-status');
		terminal = new TmuxTerminal(`env RSBACKUP_TIME=1980-01-01T00:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --backup --config ${shellQuote(f.config)} fast; echo $? > ${shellQuote(exitFile)}`, {socket: `rsdeck-e2e-twice-${process.pid}`});
		const hookPid = path.join(f.root, 'hook.pid');
		await waitFor(() => lineWritten(hookPid), 'the post hook to start');
		await terminal.waitForScreen(text => /▶ post-volume-hook/.test(text), 'the console showing the post hook');
		await terminal.press('C-c');
		await terminal.waitForScreen(text => text.includes('cancelling'), 'the run cancelling');
		// Clean-up is spared by the first: the hook runs on.
		expect(processGone(Number(readFileSync(hookPid, 'utf8')))).toBe(false);
		await terminal.press('C-c');
		await waitFor(() => lineWritten(exitFile), 'rsdeck to end after the second Ctrl-C');
		expect(readFileSync(exitFile, 'utf8').trim()).toBe('1');
		await waitFor(() => processGone(Number(readFileSync(hookPid, 'utf8'))), 'the hook\'s child to be killed', 10_000);
		expect(readBackups(f.database).map(row => row.status)).toEqual([2]);
	}, 90_000);

	test('SIGTERM during a backup started from the status screen stops it cleanly and ends rsdeck', async () => {
		const f = fleet();
		const exitFile = path.join(f.root, 'exit-status');
		const pidFile = path.join(f.root, 'rsdeck.pid');
		const command = `sh -c ${shellQuote(`echo $$ > ${shellQuote(pidFile)}; exec env RSBACKUP_TIME=1980-01-01T00:00:00 ${shellQuote(process.execPath)} ${shellQuote(cli)} --config ${shellQuote(f.config)}`)}; echo $? > ${shellQuote(exitFile)}`;
		terminal = new TmuxTerminal(command, {socket: `rsdeck-e2e-status-term-${process.pid}`});
		let screen = await terminal.waitForScreen(text => text.includes('slow') && text.includes('disk1'), 'the status view');
		for (let steps = 0; !selectedLine(screen).includes('slow'); steps++) {
			expect(steps).toBeLessThan(10);
			await terminal.press('j');
			screen = terminal.screen();
		}

		await terminal.press('b');
		await terminal.waitForScreen(text => text.includes('Back up slow now?'), 'the confirmation');
		await terminal.press('y');
		const sleeperFile = path.join(f.root, 'sleeper.pid');
		await waitFor(() => lineWritten(sleeperFile) && lineWritten(pidFile), 'the slow backup to start');
		await terminal.waitForScreen(text => /▶ slow/.test(text), 'the run view with the backup running');
		process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
		await waitFor(() => lineWritten(exitFile), 'rsdeck to end after SIGTERM');
		expect(readFileSync(exitFile, 'utf8').trim()).toBe('1');
		await waitFor(() => processGone(Number(readFileSync(sleeperFile, 'utf8'))), 'rsync\'s child to be killed');
		expect(readBackups(f.database).map(row => `${row.host}:${row.status}`)).toEqual(['slow:3']);
	}, 60_000);
});
