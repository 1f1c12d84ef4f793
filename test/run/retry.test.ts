import {existsSync, readFileSync, writeFileSync} from 'node:fs';
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

/**
One volume on two devices behind a snapshot: the pre hook fails if its
snapshot already exists (as an LVM snapshot would), the post hook removes it.
rsync to device1 fails once; rsync to device2 waits for `release-device2`, so
the test decides when the volume's last backup ends, and then fails once.
*/
function setup() {
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
	const post = writeScript(path.join(root, 'post'), `echo post >> ${log}\nrm -rf ${snapshot}`);
	const rsync = writeScript(path.join(root, 'rsync'), `for last; do :; done
case "$last" in
${store1}/*) if [ -e ${root}/fail-device1 ]; then rm ${root}/fail-device1; echo "device1 went away" >&2; exit 23; fi ;;
${store2}/*) tries=0; while [ ! -e ${root}/release-device2 ] && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries + 1)); done
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
	writeFileSync(path.join(root, 'fail-device1'), '');
	writeFileSync(path.join(root, 'fail-device2'), '');
	const db = BackupDatabase.open(path.join(root, 'backups.db'), {write: true});
	const run = startRun(readConfig(config), parseOptions(['--backup', '--config', config]), db, ['--backup'], []);
	const hooks = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
	return {root, store1, source, snapshot, db, run, hooks};
}

describe('retrying a backup by hand while the run goes on', () => {
	test('before the post hook has run, the retry reuses the snapshot and the post hook waits for it; after, both hooks run again', async () => {
		const s = setup();
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
		writeFileSync(path.join(s.root, 'release-device2'), '');
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
});
