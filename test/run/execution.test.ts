import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {readConfig} from '../../src/config/read-config.js';
import {BackupDatabase} from '../../src/db/backup-database.js';
import {parseOptions} from '../../src/options/parse-options.js';
import {finishRun, startRun} from '../../src/run/run-backups.js';
import {reached, states} from '../engine/helpers.js';
import {makeStore, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

/** Files in the test's directory that steer the fleet: each exists or not. */
type Switches = {'fail-device1'?: boolean; 'fail-device2'?: boolean; 'hold-device2'?: boolean; 'hold-post'?: boolean};

/**
One volume on two devices behind a snapshot: the pre hook fails if its
snapshot already exists (as an LVM snapshot would), the post hook removes it.
rsync to device1 fails once if `fail-device1` exists; rsync to device2 waits
while `hold-device2` exists, so the test decides when the volume's last backup
ends, then fails once if `fail-device2` exists; the post hook waits while
`hold-post` exists.
*/
function setup(switches: Switches) {
	const root = temporaryDirectory();
	const store1 = makeStore(root, 'store1', 'device1');
	const store2 = makeStore(root, 'store2', 'device2');
	const source = path.join(root, 'source');
	writeTree(source, {'a.txt': 'alpha\n'});
	const snapshot = path.join(root, 'snapshot');
	const log = path.join(root, 'hooks.log');
	const pre = writeScript(path.join(root, 'pre'), `echo pre >> ${log}
if [ -e ${snapshot} ]; then echo "snapshot ${snapshot} exists" >&2; exit 1; fi
cp -a ${source} ${snapshot} && echo ${snapshot}`);
	const post = writeScript(path.join(root, 'post'), `echo post >> ${log}\n${holdWhile(`${root}/hold-post`)}\nrm -rf ${snapshot}`);
	const rsync = writeScript(path.join(root, 'rsync'), `for last; do :; done
case "$last" in
${store1}/*) if [ -e ${root}/fail-device1 ]; then rm ${root}/fail-device1; echo "device1 went away" >&2; exit 23; fi ;;
${store2}/*) ${holdWhile(`${root}/hold-device2`)}
  if [ -e ${root}/fail-device2 ]; then rm ${root}/fail-device2; echo "device2 went away" >&2; exit 23; fi ;;
esac
exec rsync "$@"`);
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store1}
store --no-mounted ${store2}
device device1
device device2
database ${path.join(root, 'backups.db')}
logs ${root}
rsync-extra-options
host host1
  hostname localhost
  volume volume1 ${source}
    rsync-command ${rsync}
    pre-volume-hook ${pre}
    post-volume-hook ${post}
`);
	for (const [name, on] of Object.entries(switches)) {
		if (on) {
			writeFileSync(path.join(root, name), '');
		}
	}

	const db = BackupDatabase.open(path.join(root, 'backups.db'), {write: true});
	const run = startRun(readConfig(config), parseOptions(['--backup', '--config', config]), db, ['--backup'], []);
	const hooks = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
	const release = (name: keyof Switches) => {
		rmSync(path.join(root, name));
	};

	return {root, store1, source, snapshot, db, run, hooks, release};
}

/** Shell lines that wait while `file` exists (20 s at most: a broken test must not hang). */
const holdWhile = (file: string) => `tries=0; while [ -e ${file} ] && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries + 1)); done`;

describe('retrying a backup by hand while the run goes on', () => {
	test('before the post hook has run, the retry reuses the snapshot and the post hook waits for it; after, both hooks run again', async () => {
		const s = setup({'fail-device1': true, 'fail-device2': true, 'hold-device2': true});
		const {engine} = s.run.execution;
		s.run.execution.start();
		await reached(engine, 'backup/host1/volume1/device1', 'failed');
		// device2's backup reads the snapshot while device1's is retried (one backup per host group at a time).
		await reached(engine, 'backup/host1/volume1/device2', 'running');
		s.run.execution.retry('backup/host1/volume1/device1');
		expect(states(engine)).toMatchObject({
			'pre-volume-hook/host1/volume1': 'succeeded',
			'underway/host1/volume1/device1': 'ready',
			'post-volume-hook/host1/volume1': 'pending',
		});
		s.release('hold-device2');
		expect(await s.run.execution.finished()).toBe(1);
		expect(s.hooks()).toEqual(['pre', 'post']);
		expect(states(engine)).toMatchObject({
			'pre-volume-hook/host1/volume1': 'succeeded',
			'backup/host1/volume1/device1': 'succeeded',
			'backup/host1/volume1/device2': 'failed',
			'post-volume-hook/host1/volume1': 'succeeded',
		});
		expect(engine.info('backup/host1/volume1/device1')?.attempt).toBe(2);

		// The post hook has run: the snapshot is gone, so a retry makes a new one and removes it again.
		s.run.execution.retry('backup/host1/volume1/device2');
		expect(await finishRun(s.run)).toBe(0);
		expect(s.hooks()).toEqual(['pre', 'post', 'pre', 'post']);
		expect(engine.info('backup/host1/volume1/device2')).toMatchObject({state: 'succeeded', attempt: 2});
		expect(engine.info('backup/host1/volume1/device1')?.attempt).toBe(2);
		expect(existsSync(s.snapshot)).toBe(false);
		s.db.close();
	});

	test('while the post hook runs, a retry waits for it to end, then runs both hooks again', async () => {
		const s = setup({'fail-device1': true, 'hold-post': true});
		const {engine} = s.run.execution;
		s.run.execution.start();
		await reached(engine, 'post-volume-hook/host1/volume1', 'running');
		s.run.execution.retry('backup/host1/volume1/device1');
		expect(states(engine)).toMatchObject({'pre-volume-hook/host1/volume1': 'succeeded', 'backup/host1/volume1/device1': 'failed'});
		s.release('hold-post');
		await reached(engine, 'backup/host1/volume1/device1', 'succeeded');
		expect(await finishRun(s.run)).toBe(0);
		expect(s.hooks()).toEqual(['pre', 'post', 'pre', 'post']);
		expect(engine.info('pre-volume-hook/host1/volume1')?.attempt).toBe(2);
		s.db.close();
	});
});

describe('cancelling and stopping', () => {
	test('cancel takes many names at once and spares clean-up among them', async () => {
		const s = setup({'hold-device2': true});
		const {engine} = s.run.execution;
		s.run.execution.start();
		await reached(engine, 'backup/host1/volume1/device2', 'running');
		s.run.execution.cancel(['backup/host1/volume1/device2', 'record-backup/host1/volume1/device2', 'post-volume-hook/host1/volume1']);
		expect(await finishRun(s.run)).toBe(1);
		expect(states(engine)).toMatchObject({
			'backup/host1/volume1/device1': 'succeeded',
			'backup/host1/volume1/device2': 'cancelled',
			'record-backup/host1/volume1/device2': 'succeeded',
			'post-volume-hook/host1/volume1': 'succeeded',
		});
		expect(s.hooks()).toEqual(['pre', 'post']);
		s.db.close();
	});

	test('stop: the first cancels the work and clean-up runs, a second stops clean-up too, once finished nothing', async () => {
		const s = setup({'hold-device2': true, 'hold-post': true});
		const {engine} = s.run.execution;
		const runEvents: string[] = [];
		engine.subscribe(event => {
			if (event.type === 'run') {
				runEvents.push(event.state);
			}
		});
		s.run.execution.start();
		await reached(engine, 'backup/host1/volume1/device2', 'running');
		s.run.execution.stop();
		await reached(engine, 'post-volume-hook/host1/volume1', 'running');
		expect(engine.info('backup/host1/volume1/device2')?.state).toBe('cancelled');
		s.run.execution.stop();
		expect(await finishRun(s.run)).toBe(1);
		expect(engine.info('post-volume-hook/host1/volume1')?.state).toBe('cancelled');
		s.run.execution.stop();
		expect(runEvents).toEqual(['started', 'cancelling', 'finished']);
		s.db.close();
	});
});
