import {rmSync} from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories} from '../helpers/files.js';
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
