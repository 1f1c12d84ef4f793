import {beforeAll, describe, expect, test} from 'vitest';
import {ageInDays} from '../../src/prune/days.js';
import {decayBucket} from '../../src/prune/decay.js';
import {PruneError, runPrunePolicy, type PruneContext} from '../../src/prune/policies.js';
import {backupId} from '../../src/store/layout.js';
import {backupRow, backupsAged, daysAgo, now} from './helpers.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

const context = (parameters: Record<string, string> = {}): PruneContext => ({
	host: 'host1', volume: 'volume1', device: 'device1', now, parameters: new Map(Object.entries(parameters)),
});

/** The verdict as [age in days, reason] pairs, oldest first. */
async function judge(policy: string, ages: number[], parameters: Record<string, string> = {}): Promise<Array<[number, string]>> {
	const onDevice = backupsAged(...ages);
	const verdict = await runPrunePolicy(policy, onDevice, onDevice.length, context(parameters));
	return onDevice.flatMap((row, index): Array<[number, string]> => {
		const reason = verdict.get(row.id);
		return reason === undefined ? [] : [[ages[index] ?? -1, reason]];
	});
}

describe('age', () => {
	test.each<[string, Record<string, string>, number[], Array<[number, string]>]>([
		['defaults: older than 366 days, keeping one', {}, [400, 380, 367, 366, 10], [
			[400, 'age 400 > 366 and remaining 5 > 1'],
			[380, 'age 380 > 366 and remaining 4 > 1'],
			[367, 'age 367 > 366 and remaining 3 > 1'],
		]],
		['min-backups stops pruning', {'prune-age': '7d', 'min-backups': '3'}, [30, 20, 10, 8, 5], [
			[30, 'age 30 > 7 and remaining 5 > 3'],
			[20, 'age 20 > 7 and remaining 4 > 3'],
		]],
		['the last backup stays however old', {}, [500, 400], [
			[500, 'age 500 > 366 and remaining 2 > 1'],
		]],
		['prune-age in hours counts whole days', {'prune-age': '48h'}, [3, 2, 1, 0], [
			[3, 'age 3 > 2 and remaining 4 > 1'],
		]],
		['nothing old enough', {'prune-age': '31d'}, [31, 30, 0], []],
	])('%s', async (_name, parameters, ages, expected) => {
		expect(await judge('age', ages, parameters)).toEqual(expected);
	});

	test('a bad parameter names the volume', async () => {
		await expect(judge('age', [400], {'min-backups': 'lots'})).rejects.toThrow(new PruneError('host1:volume1: prune-parameter min-backups: invalid value \'lots\' (a whole number, at least 1)'));
		await expect(judge('age', [400], {'prune-age': '366'})).rejects.toThrow(/^host1:volume1: prune-parameter prune-age: time interval must have a unit/);
	});
});

describe('decay', () => {
	test('buckets grow by the scale from the window', () => {
		const buckets = (window: number, scale: number) => Array.from({length: 20}, (_, index) => decayBucket(index + 1, window, scale));
		expect(buckets(1, 2)).toEqual([0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4]);
		expect(buckets(2, 2)).toEqual([0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]);
		expect(buckets(1, 3)).toEqual([0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]);
		expect(decayBucket(2, 1, 1.5)).toBe(1);
		expect(decayBucket(3, 1, 1.5)).toBe(2);
	});

	test('daily backups over three weeks keep the oldest of each bucket', async () => {
		const ages = Array.from({length: 21}, (_, index) => 20 - index);
		const pruned = await judge('decay', ages);
		const kept = ages.filter(age => !pruned.some(([prunedAge]) => prunedAge === age));
		expect(kept).toEqual([20, 16, 8, 4, 2, 1, 0]);
		expect(pruned).toContainEqual([19, 'age 19 > 1 and oldest in bucket 4']);
		expect(pruned).toContainEqual([9, 'age 9 > 1 and oldest in bucket 3']);
		expect(pruned).toContainEqual([3, 'age 3 > 1 and oldest in bucket 1']);
	});

	test('window, scale and start move the buckets', async () => {
		const ages = Array.from({length: 16}, (_, index) => 15 - index);
		const pruned = await judge('decay', ages, {'decay-start': '3d', 'decay-window': '2d', 'decay-scale': '3'});
		// a = age − 3; buckets of 2, 6, 18 days: a 1–2, 3–8, 9–26.
		const kept = ages.filter(age => !pruned.some(([prunedAge]) => prunedAge === age));
		expect(kept).toEqual([15, 11, 5, 3, 2, 1, 0]);
		expect(pruned).toContainEqual([14, 'age 14 > 3 and oldest in bucket 2']);
	});

	test('backups past decay-limit go while newer ones exist', async () => {
		expect(await judge('decay', [400, 380, 10, 0])).toEqual([
			[400, 'age 400 > 366 and other backups exist'],
			[380, 'age 380 > 366 and other backups exist'],
		]);
		const pruned = await judge('decay', Array.from({length: 21}, (_, index) => 20 - index), {'decay-limit': '10d'});
		expect(pruned.filter(([age]) => age > 10).map(([age]) => age)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
		expect(pruned).toContainEqual([11, 'age 11 > 10 and other backups exist']);
	});

	test('never the last backup on a device, even when all are past decay-limit', async () => {
		expect(await judge('decay', [500, 450, 400])).toEqual([
			[500, 'age 500 > 366 and other backups exist'],
			[450, 'age 450 > 366 and other backups exist'],
		]);
		expect(await judge('decay', [400])).toEqual([]);
	});

	test('a scale of 1 is refused', async () => {
		await expect(judge('decay', [10], {'decay-scale': '1'})).rejects.toThrow(/^host1:volume1: prune-parameter decay-scale: invalid value '1'/);
	});
});

describe('never and unknown', () => {
	test('never keeps everything', async () => {
		expect(await judge('never', [10_000, 5000, 0])).toEqual([]);
	});

	test('an unknown policy is a PruneError for the volume', async () => {
		await expect(judge('sometimes', [1])).rejects.toThrow(new PruneError('host1:volume1: unknown prune-policy \'sometimes\''));
		await expect(judge('exec', [1])).rejects.toThrow(/^host1:volume1: prune-policy exec needs prune-parameter path$/);
	});
});

describe('ages are local calendar days', () => {
	test('an hour across local midnight is a day', () => {
		process.env['TZ'] = 'America/New_York';
		try {
			// 23:30 on 1 January and 00:30 on 2 January in New York; both 2 January in UTC.
			const evening = Date.UTC(2024, 0, 2, 4, 30) / 1000;
			const morning = Date.UTC(2024, 0, 2, 5, 30) / 1000;
			expect(ageInDays(evening, morning)).toBe(1);
			expect(ageInDays(evening, morning + (22 * 3600))).toBe(1);
		} finally {
			process.env['TZ'] = 'UTC';
		}

		expect(ageInDays(Date.UTC(2024, 0, 2, 4, 30) / 1000, Date.UTC(2024, 0, 2, 5, 30) / 1000)).toBe(0);
	});

	test('a day with a DST change is still one day', () => {
		process.env['TZ'] = 'Europe/London';
		try {
			// The clocks went forward at 01:00 UTC on 31 March 2024.
			expect(ageInDays(Date.UTC(2024, 2, 30, 12) / 1000, Date.UTC(2024, 2, 31, 12) / 1000)).toBe(1);
			// 22:00 GMT on the 30th to 22:00 BST on the 31st: 23 hours, one day.
			expect(ageInDays(Date.UTC(2024, 2, 30, 22) / 1000, Date.UTC(2024, 2, 31, 21) / 1000)).toBe(1);
			// 23:30 GMT on the 30th to 00:30 BST on 1 April: 24 hours, two days.
			expect(ageInDays(Date.UTC(2024, 2, 30, 23, 30) / 1000, Date.UTC(2024, 2, 31, 23, 30) / 1000)).toBe(2);
		} finally {
			process.env['TZ'] = 'UTC';
		}
	});

	test('the helpers agree with backup ids', () => {
		expect(backupRow('device1', daysAgo(1)).id).toBe(backupId(now - 86_400));
		expect(backupId(now)).toBe('2024-03-01T12:00:00');
	});
});
