import {chmod, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {findPrunable, type PruneDecision} from '../../src/prune/find-prunable.js';
import {backupId} from '../../src/store/layout.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {backupRow, daysAgo, host1, now, volumeWith} from './helpers.js';

afterEach(removeTemporaryDirectories);

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

const rows = [
	backupRow('device1', daysAgo(380)),
	backupRow('device2', daysAgo(450)),
	backupRow('device1', daysAgo(400)),
	backupRow('device1', daysAgo(390)),
	backupRow('device1', daysAgo(3), BackupStatus.failed, 'rsync: connection reset'),
	backupRow('device2', daysAgo(2), BackupStatus.underway),
	backupRow('device2', daysAgo(1), BackupStatus.unknown),
	backupRow('device1', daysAgo(500), BackupStatus.pruning, 'age 500 > 366 and remaining 5 > 1'),
	backupRow('device1', daysAgo(600), BackupStatus.pruned, 'age 600 > 366 and remaining 6 > 1'),
	backupRow('device2', daysAgo(10)),
];

const summary = (decisions: PruneDecision[]) => decisions.map(({row, reason}) => `${row.device} ${row.id} ${reason}`);
const line = (device: string, age: number, reason: string) => `${device} ${backupId(daysAgo(age))} ${reason}`;

describe('findPrunable', () => {
	test('without --prune or --prune-incomplete only an interrupted prune is resumed', async () => {
		expect(summary(await findPrunable(volumeWith('age'), host1(), rows, {now, incomplete: false, prune: false}))).toEqual([
			line('device1', 500, 'age 500 > 366 and remaining 5 > 1'),
		]);
	});

	test('--prune-incomplete takes unknown, underway and failed backups', async () => {
		expect(summary(await findPrunable(volumeWith('never'), host1(), rows, {now, incomplete: true, prune: false}))).toEqual([
			line('device1', 3, 'status=failed'),
			line('device2', 2, 'status=underway'),
			line('device2', 1, 'status=unknown'),
			line('device1', 500, 'age 500 > 366 and remaining 5 > 1'),
		]);
	});

	test('--prune runs the policy on each device\'s complete backups, oldest first', async () => {
		expect(summary(await findPrunable(volumeWith('age'), host1(), rows, {now, incomplete: false, prune: true}))).toEqual([
			line('device1', 500, 'age 500 > 366 and remaining 5 > 1'),
			line('device1', 400, 'age 400 > 366 and remaining 3 > 1'),
			line('device1', 390, 'age 390 > 366 and remaining 2 > 1'),
			line('device2', 450, 'age 450 > 366 and remaining 2 > 1'),
		]);
	});

	test('a resumed row without a recorded reason says so', async () => {
		const row = backupRow('device1', daysAgo(5), BackupStatus.pruning);
		expect(summary(await findPrunable(volumeWith('never'), host1(), [row], {now, incomplete: false, prune: true}))).toEqual([
			line('device1', 5, 'status=pruning'),
		]);
	});

	test('exec sees each device and the volume\'s total of complete backups', async () => {
		const directory = await temporaryDirectory();
		const program = path.join(directory, 'policy');
		await writeFile(program, '#!/bin/sh\nset -- $PRUNE_ONDEVICE\necho "$1:$PRUNE_DEVICE total=$PRUNE_TOTAL count=$#"\n');
		await chmod(program, 0o755);
		const decisions = await findPrunable(volumeWith(program), host1(), rows, {now, incomplete: false, prune: true});
		expect(decisions.filter(({row}) => row.status === BackupStatus.complete).map(({row, reason}) => [row.time, reason])).toEqual([
			[daysAgo(400), 'device1 total=5 count=3'],
			[daysAgo(450), 'device2 total=4 count=2'],
		]);
	});

	test('exec: PRUNE_TOTAL leaves out what devices earlier in name order already chose (3 + 3 backups, one chosen on device1: device2 sees 5)', async () => {
		const directory = await temporaryDirectory();
		const program = path.join(directory, 'policy');
		await writeFile(program, '#!/bin/sh\necho "$PRUNE_TOTAL" > "$PRUNE_record-$PRUNE_DEVICE"\nset -- $PRUNE_ONDEVICE\n[ "$PRUNE_DEVICE" = device1 ] && echo "$1:oldest"\nexit 0\n');
		await chmod(program, 0o755);
		const record = path.join(directory, 'total');
		const six = ['device2', 'device1'].flatMap(device => [30, 20, 10].map(age => backupRow(device, daysAgo(age))));
		const decisions = await findPrunable(volumeWith(program, {record}), host1(), six, {now, incomplete: false, prune: true});
		expect(summary(decisions)).toEqual([line('device1', 30, 'oldest')]);
		expect([await readFile(`${record}-device1`, 'utf8'), await readFile(`${record}-device2`, 'utf8')]).toEqual(['6\n', '5\n']);
	});

	test('a failing policy is an error for this volume', async () => {
		await expect(findPrunable(volumeWith('decay', {'decay-scale': '0.5'}), host1(), rows, {now, incomplete: true, prune: true}))
			.rejects.toThrow(/^host1:volume1: prune-parameter decay-scale/);
	});
});
