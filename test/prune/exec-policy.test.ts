import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, test} from 'vitest';
import {runPrunePolicy, type PruneContext} from '../../src/prune/policies.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';
import {backupRow, now, waitForFile} from './helpers.js';

afterEach(removeTemporaryDirectories);

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

// rsbackup's own test times: 1980-01-01, -02 and -03 at midnight UTC.
const onDevice = [315_532_800, 315_619_200, 315_705_600].map(time => backupRow('device1', time));

const context = (parameters: Record<string, string>, signal?: AbortSignal): PruneContext => ({
	host: 'host1', volume: 'volume1', device: 'device1', now, parameters: new Map(Object.entries(parameters)), signal,
});

/** An executable shell script in a fresh temporary directory. */
async function script(body: string): Promise<{program: string; directory: string}> {
	const directory = temporaryDirectory();
	return {program: writeScript(path.join(directory, 'policy'), body), directory};
}

describe('exec', () => {
	test('gets the documented environment and prunes what it prints', async () => {
		const {program, directory} = await script('env | grep ^PRUNE_ | sort > "$PRUNE_record"\necho 315619200:zap\necho "315532800:too: old"');
		const record = path.join(directory, 'environment');
		const verdict = await runPrunePolicy('exec', onDevice, 5, context({path: program, record, keep_daily: '7'}));
		expect(verdict).toEqual(new Map([['1980-01-02T00:00:00', 'zap'], ['1980-01-01T00:00:00', 'too: old']]));
		expect((await readFile(record, 'utf8')).split('\n')).toEqual([
			'PRUNE_DEVICE=device1',
			'PRUNE_HOST=host1',
			'PRUNE_ONDEVICE=315532800 315619200 315705600',
			'PRUNE_TOTAL=5',
			'PRUNE_VOLUME=volume1',
			'PRUNE_keep_daily=7',
			`PRUNE_path=${program}`,
			`PRUNE_record=${record}`,
			'',
		]);
	});

	test('an absolute path as the policy is exec with that path', async () => {
		const {program} = await script('test "$PRUNE_path" = "$0" && echo "315705600:by path"');
		expect(await runPrunePolicy(program, onDevice, 3, context({}))).toEqual(new Map([['1980-01-03T00:00:00', 'by path']]));
	});

	test('printing nothing prunes nothing', async () => {
		const {program} = await script('exit 0');
		expect(await runPrunePolicy(program, onDevice, 3, context({}))).toEqual(new Map());
	});

	test.each([
		['a line without a colon', 'echo zap', /printed a malformed line 1 \(expected TIME:reason\): 'zap'$/],
		['a time that is not a number', 'echo 315619200:ok; echo 1980-01-01:zap', /printed a malformed line 2 .*'1980-01-01:zap'$/],
		['a time with no backup', 'echo 315619201:zap', /named a backup that is not on the device: time 315619201$/],
		['the same backup twice', 'echo 315619200:a; echo 315619200:b', /named the backup at time 315619200 twice$/],
		['a non-zero exit', 'echo 315619200:zap; echo "cannot decide" >&2; exit 3', /failed with exit status 3: cannot decide$/],
		['death by a signal', 'kill -TERM $$', /was killed by SIGTERM$/],
	])('%s is a PruneError naming the volume', async (_name, body, message) => {
		const {program} = await script(body);
		const attempt = runPrunePolicy(program, onDevice, 3, context({}));
		await expect(attempt).rejects.toThrow(/^host1:volume1: prune policy \/.*\/policy \(device device1\) /);
		await expect(attempt).rejects.toThrow(message);
		await expect(attempt).rejects.toHaveProperty('name', 'PruneError');
	});

	test('a program that cannot be run is a PruneError', async () => {
		const directory = await temporaryDirectory();
		await expect(runPrunePolicy(path.join(directory, 'missing'), onDevice, 3, context({})))
			.rejects.toThrow(/^host1:volume1: prune policy .*missing \(device device1\) could not be run: no such file or directory$/);
	});

	test('cancelling kills the program', async () => {
		const {program, directory} = await script('touch "$0.started"; exec sleep 60');
		const controller = new AbortController();
		const attempt = runPrunePolicy(program, onDevice, 3, context({}, controller.signal));
		await waitForFile(path.join(directory, 'policy.started'));
		controller.abort();
		await expect(attempt).rejects.toThrow(/was cancelled$/);
	});
});
