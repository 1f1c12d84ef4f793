/**
Writes media/console-run.png, media/console-detail.png and
media/console-status.png (the real rsdeck binary on the demo fleet in a tmux
terminal, its screen with colours drawn by Chromium), and the snapshot
browser's media/console-backups.png, console-browse.png and
console-versions.png on a week of backups made with the fake clock. Run with
`RSDECK_SCREENSHOTS=1 npx vitest run test/media` after `npm run build`.
*/
import {existsSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Convert from 'ansi-to-html';
import {afterEach, expect, test} from 'vitest';
import {makeFleet} from '../../src/demo/make-fleet.js';
import {backupAt, day as dayId, snapshotSetup} from '../browse/snapshot-fleet.js';
import {cli, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {waitFor} from '../helpers/wait.js';
import {TmuxTerminal} from '../helpers/tmux.js';
import {hasChromium, screenshot} from '../report/chromium.js';

const wanted = process.env['RSDECK_SCREENSHOTS'] === '1';
const columns = 132;
const rows = 40;
let terminal: TmuxTerminal | undefined;

afterEach(() => {
	terminal?.kill();
	removeTemporaryDirectories();
});

/** The terminal's screen as a PNG, in a dark theme. */
async function capture(name: string, directory: string): Promise<void> {
	const ansi = terminal?.screenWithColours() ?? '';
	// A common dark terminal theme, so that blue and red read well on the background.
	const colors = {0: '#3b4252', 1: '#e06c75', 2: '#98c379', 3: '#e5c07b', 4: '#61afef', 5: '#c678dd', 6: '#56b6c2', 7: '#d8dee9', 8: '#6b7280', 9: '#ef7b85', 10: '#a8d389', 11: '#f0d08b', 12: '#7cc0ff', 13: '#d58aed', 14: '#66c6d2', 15: '#eceff4'};
	const body = new Convert({fg: '#d8dee9', bg: '#1d2128', escapeXML: true, colors}).toHtml(ansi);
	const html = path.join(directory, `${name}.html`);
	writeFileSync(html, `<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:#1d2128}
pre{margin:0;padding:14px 18px;color:#d8dee9;font:14px/1.25 'DejaVu Sans Mono',monospace}
</style><pre>${body}</pre>`);
	const result = await screenshot(html, path.resolve('media', `${name}.png`), Math.ceil((columns * 8.45) + 36), Math.ceil((rows * 17.5) + 28));
	expect(result.exitCode, result.output).toBe(0);
}

const quote = (word: string) => `'${word.replaceAll('\'', '\'\\\'\'')}'`;

test.runIf(wanted && hasChromium())('screenshots of the console on the demo fleet', async () => {
	const root = temporaryDirectory('rsdeck-screens-');
	const fleet = makeFleet(root, {bandwidth: 300});
	const exited = path.join(root, 'exited');
	terminal = new TmuxTerminal(`env TERM=xterm-256color FORCE_COLOR=3 ${quote(process.execPath)} ${quote(cli)} --backup --config ${quote(fleet.config)}; touch ${quote(exited)}; sleep 600`, {columns, rows, socket: `rsdeck-screens-${process.pid}`});
	await terminal.waitForScreen(screen => /▶ \d+ running/.test(screen) && /✓ \d+ succeeded/.test(screen) && /✗/.test(screen), 'a run well under way', 60_000);
	await capture('console-run', root);

	// The detail pane of a running backup: down to the first running device row, then Enter.
	for (let steps = 0; steps < 40 && !/^›.*▶ disk/.test(terminal.screen().split('\n').find(line => line.startsWith('›')) ?? ''); steps++) {
		await terminal.press('j');
	}

	await terminal.press('Enter');
	await terminal.waitForScreen(screen => screen.includes('rsync') && screen.includes('output'), 'the detail pane');
	await capture('console-detail', root);
	await terminal.press('Escape');
	await terminal.waitForScreen(screen => /finished/.test(screen), 'the run to finish', 120_000);
	await terminal.press('q');
	await waitFor(() => existsSync(exited), 'rsdeck to exit');
	terminal.kill();

	terminal = new TmuxTerminal(`env TERM=xterm-256color FORCE_COLOR=3 ${quote(process.execPath)} ${quote(cli)} --config ${quote(fleet.config)}`, {columns, rows, socket: `rsdeck-screens-status-${process.pid}`});
	await terminal.waitForScreen(screen => screen.includes('alpha') && screen.includes('disk2'), 'the status view');
	await capture('console-status', root);
}, 240_000);

test.runIf(wanted && hasChromium())('screenshots of the snapshot browser on a week of dated backups', async () => {
	const s = snapshotSetup();
	const files: Record<string, string> = {
		'etc/nginx/nginx.conf': 'worker_processes 4;\n',
		'etc/nginx/mime.types': 'types { text/html html; }\n',
		'etc/hosts': '127.0.0.1 localhost\n',
		'etc/ssh/sshd_config': 'Port 22\n',
		'var/www/index.html': '<h1>hello</h1>\n',
		'README': 'web server\n',
	};
	for (let day = 24; day <= 30; day++) {
		if (day === 27) {
			files['etc/nginx/nginx.conf'] = 'worker_processes 8;\n';
		}

		if (day === 30) {
			files['etc/nginx/nginx.conf'] = 'worker_processes broken\n';
		}

		writeTree(s.source, files);
		for (const file of Object.keys(files)) {
			const time = Date.UTC(2026, 10, file === 'etc/nginx/nginx.conf' && day >= 27 ? (day === 30 ? 29 : 26) : 20, 9, 30) / 1000;
			utimesSync(path.join(s.source, file), time, time);
		}

		await backupAt(s, dayId(day));
	}

	terminal = new TmuxTerminal(`env TZ=UTC TERM=xterm-256color FORCE_COLOR=3 RSBACKUP_TIME=2026-12-01T09:00:00 ${quote(process.execPath)} ${quote(cli)} --config ${quote(s.config)}`, {columns, rows, socket: `rsdeck-screens-browse-${process.pid}`});
	const selected = () => terminal!.screen().split('\n').find(line => line.startsWith('›')) ?? '';
	const select = async (text: string) => {
		for (let steps = 0; steps < 20 && !selected().includes(text); steps++) {
			await terminal!.press('j');
		}
	};

	await terminal.waitForScreen(screen => /data +✓/.test(screen), 'the status view');
	await select('data');
	await terminal.press('Enter');
	await terminal.waitForScreen(screen => screen.includes(dayId(24)), 'the backups');
	await capture('console-backups', s.root);
	await select(dayId(29));
	await terminal.press('Enter');
	await terminal.waitForScreen(screen => screen.includes('README'), 'the root of yesterday\'s backup');
	await terminal.press('l');
	await terminal.waitForScreen(screen => screen.includes('sshd') || screen.includes('nginx/'), 'etc');
	await select('nginx/');
	await terminal.press('l');
	await terminal.waitForScreen(screen => screen.includes('mime.types'), 'etc/nginx');
	await select('nginx.conf');
	await capture('console-browse', s.root);
	await terminal.press('v');
	await terminal.waitForScreen(screen => screen.includes('3 rows'), 'the versions');
	await capture('console-versions', s.root);
}, 240_000);
