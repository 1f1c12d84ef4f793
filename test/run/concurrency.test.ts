import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, describe, expect, test} from 'vitest';
import {cli, makeStore, readBackups, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {processGone, waitFor} from '../helpers/wait.js';

afterEach(() => {
	removeTemporaryDirectories();
});

type Span = {host: string; volume: string; device: string; start: number; end: number};

/**
Three hosts (h1 with two volumes, h3's volumes in one named group) backed up to
two devices through an rsync wrapper that records when each backup ran.
*/
function fleet(rsyncBody = 'sleep 0.4; rsync "$@"') {
	const root = temporaryDirectory();
	const stores = [makeStore(root, 'store1', 'd1'), makeStore(root, 'store2', 'd2')];
	const spans = path.join(root, 'spans');
	const wrapper = writeScript(path.join(root, 'rsync'), `for last; do :; done
device=$(basename "$(dirname "$(dirname "$(dirname "$(dirname "$last")")")")")
echo "start $RSBACKUP_HOST $RSBACKUP_VOLUME $device $(date +%s%N) $$" >> ${spans}
${rsyncBody}
rc=$?
echo "end $RSBACKUP_HOST $RSBACKUP_VOLUME $device $(date +%s%N)" >> ${spans}
exit $rc`);
	const volumes: string[] = [];
	for (const [host, names, group] of [['h1', ['a', 'b'], undefined], ['h2', ['a'], undefined], ['h3', ['a', 'b'], 'shared']] as const) {
		volumes.push(`host ${host}\n  hostname localhost`);
		for (const name of names) {
			const source = path.join(root, 'src', host, name);
			writeTree(source, {'f.txt': `${host}:${name}\n`});
			volumes.push(`  volume ${name} ${source}${group === undefined ? '' : `\n    group ${group}`}`);
		}
	}

	const database = path.join(root, 'backups.db');
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${stores[0]}\nstore --no-mounted ${stores[1]}\ndevice d1\ndevice d2\ndatabase ${database}\nlock ${path.join(root, 'lock')}\nrsync-command ${wrapper}\nrsync-extra-options\n${volumes.join('\n')}\n`);
	const readSpans = (): Span[] => {
		const lines = readFileSync(spans, 'utf8').trim().split('\n').map(line => line.split(' '));
		const started = lines.filter(line => line[0] === 'start');
		return started.map(([, host = '', volume = '', device = '', start = '']) => {
			const end = lines.find(line => line[0] === 'end' && line[1] === host && line[2] === volume && line[3] === device);
			return {host, volume, device, start: Number(start) / 1e6, end: Number(end?.[4]) / 1e6};
		});
	};

	return {root, stores, spans, database, config, readSpans};
}

const overlap = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

describe('concurrency', () => {
	test('one backup per device and per group at a time; different hosts overlap', async () => {
		const f = fleet();
		const result = await rsdeck(['--backup', '--config', f.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		const spans = f.readSpans();
		expect(spans).toHaveLength(10);
		for (const [index, a] of spans.entries()) {
			for (const b of spans.slice(index + 1)) {
				const sameGroup = a.host === b.host;
				if (a.device === b.device || sameGroup) {
					expect(overlap(a, b), `${JSON.stringify(a)} / ${JSON.stringify(b)}`).toBe(false);
				}
			}
		}

		expect(spans.some((a, index) => spans.slice(index + 1).some(b => a.host !== b.host && a.device !== b.device && overlap(a, b)))).toBe(true);
		expect(readBackups(f.database).every(row => row.status === 2)).toBe(true);
	});

	test('the underway row exists while rsync runs', async () => {
		const f = fleet(`touch "${'$'}{0%/*}/running.$RSBACKUP_HOST.$RSBACKUP_VOLUME"; while [ ! -e "${'$'}{0%/*}/release" ]; do sleep 0.05; done; rsync "$@"`);
		const run = execa(process.execPath, [cli, '--backup', '--config', f.config, 'h2'], {reject: false, env: {RSBACKUP_TIME: '1980-01-01T00:00:00'}});
		await waitFor(() => existsSync(path.join(f.root, 'running.h2.a')), 'rsync to start');
		const rows = readBackups(f.database);
		expect(rows.filter(row => row.status === 1).map(row => `${row.host}:${row.volume}:${row.device}`)).toHaveLength(1);
		expect(rows.find(row => row.status === 1)).toMatchObject({host: 'h2', volume: 'a', rc: -1, finishTime: 0});
		writeFileSync(path.join(f.root, 'release'), '');
		expect((await run).exitCode).toBe(0);
		expect(readBackups(f.database).map(row => row.status)).toEqual([2, 2]);
	});

	test.each(['SIGTERM', 'SIGHUP'] as const)('%s mid-backup kills rsync, records the backup failed, and exits 1', async signal => {
		const f = fleet('sleep 300 & echo $! > "${0%/*}/sleeper.pid"; wait');
		const run = execa(process.execPath, [cli, '--backup', '--config', f.config, 'h2'], {reject: false, env: {RSBACKUP_TIME: '1980-01-01T00:00:00'}});
		await waitFor(() => existsSync(path.join(f.root, 'sleeper.pid')), 'the backup to start');
		run.kill(signal);
		const result = await run;
		expect(result.exitCode).toBe(1);
		const sleeper = Number(readFileSync(path.join(f.root, 'sleeper.pid'), 'utf8'));
		await waitFor(() => processGone(sleeper), 'rsync\'s child to be killed', 10_000);
		const rows = readBackups(f.database);
		expect(rows.length).toBeGreaterThan(0);
		expect(rows.every(row => row.status === 3)).toBe(true);
	});

	test('a busy lock exits 0 at once; --wait waits for it', async () => {
		const f = fleet();
		const holder = execa('flock', [path.join(f.root, 'lock'), '-c', 'echo locked; read line'], {reject: false, stdin: 'pipe'});
		await new Promise<void>(resolve => {
			holder.stdout?.once('data', () => {
				resolve();
			});
		});
		const busy = await rsdeck(['--backup', '--verbose', '--config', f.config]);
		expect(busy.exitCode).toBe(0);
		expect(busy.stderr).toContain('held by another run');
		expect(existsSync(f.spans)).toBe(false);
		const waiting = rsdeck(['--backup', '--wait', '--config', f.config, 'h2']);
		holder.stdin?.end('go\n');
		await holder;
		expect((await waiting).exitCode).toBe(0);
		expect(readBackups(f.database)).toHaveLength(2);
	});

	test('--jobs 1 runs one action at a time', async () => {
		const f = fleet('sleep 0.1; rsync "$@"');
		expect((await rsdeck(['--backup', '--jobs', '1', '--config', f.config])).exitCode).toBe(0);
		const spans = f.readSpans();
		for (const [index, a] of spans.entries()) {
			for (const b of spans.slice(index + 1)) {
				expect(overlap(a, b)).toBe(false);
			}
		}
	});
});
