import {rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {makeStore, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {backupAt, browse, day, inBackup, snapshotSetup} from './snapshot-fleet.js';

afterEach(() => {
	removeTemporaryDirectories();
});

test('--backups lists the volume\'s backups newest first, with store path and size; --json; a device not available', async () => {
	const s = snapshotSetup();
	writeTree(s.source, {'a': '12345\n'});
	await backupAt(s, day(1));
	writeTree(s.source, {'b': '1234567890\n'});
	await backupAt(s, day(2));
	const result = await browse(s, ['--backups', 'host1:data']);
	expect(result.stdout).toBe([
		'ID                   DEVICE   STATUS    SIZE  PATH',
		`${day(2)}  device1  complete  17    ${inBackup(s, day(2))}`,
		`${day(1)}  device1  complete  6     ${inBackup(s, day(1))}`,
		'',
	].join('\n'));
	const json = await browse(s, ['--backups', '--json', 'host1:data']);
	expect(JSON.parse(json.stdout.split('\n')[0]!)).toEqual({id: day(2), device: 'device1', time: Date.parse(`${day(2)}Z`) / 1000, status: 'complete', path: inBackup(s, day(2)), size: 17});
	rmSync(path.join(s.store, 'device-id'));
	const away = await browse(s, ['--backups', 'host1:data']);
	expect(away.stdout.split('\n')[1]).toBe(`${day(2)}  device1  complete  17    (device not available)`);
});

test('two devices: history matches copies on the other device by attributes; a backup only on a device not available is named', async () => {
	const root = temporaryDirectory('rsdeck-browse-2-');
	const store2 = makeStore(root, 'store2', 'device2');
	const s = snapshotSetup({extra: [`store --no-mounted ${store2}`, 'device device2']});
	writeTree(s.source, {'conf': 'one\n'});
	await backupAt(s, day(1));
	const history = await browse(s, ['--history', 'host1:data:conf']);
	expect(history.stdout.split('\n')[1]).toMatch(new RegExp(`^file  4 .* ${day(1)} \\.\\. ${day(1)} \\(2 backups\\) \\*$`));
	expect(history.stdout).toMatch(/\n\* some of these backups hold a copy, not a hard link/);

	const idFile = path.join(s.store, 'device-id');
	rmSync(idFile);
	await backupAt(s, day(2));
	writeFileSync(idFile, 'device1\n');
	rmSync(path.join(store2, 'device-id'));
	const target = temporaryDirectory('rsdeck-restore-');
	const away = await browse(s, ['--restore', '--from', day(2), '--target', target, 'host1:data:conf']);
	expect([away.exitCode, away.stderr]).toEqual([1, `ERROR: backup ${day(2)} of host1:data is on device device2, which is not available\n`]);
	const fromDevice1 = await browse(s, ['--restore', '--from', day(1), '--target', target, 'host1:data:conf']);
	expect(fromDevice1.exitCode).toBe(0);
});
