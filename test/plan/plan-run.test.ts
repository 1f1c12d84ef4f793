import {describe, expect, test} from 'vitest';
import {parseConfigText} from '../../src/config/read-config.js';
import {formatPlan} from '../../src/plan/format-plan.js';
import {planRun} from '../../src/plan/plan-run.js';
import type {PlannedAction, PlanRequest} from '../../src/plan/types.js';

const config = parseConfigText(`store --no-mounted /stores/one
device d1
device d2
pre-device-hook /bin/true
post-device-hook /bin/true
host h1
  priority 5
  volume v1 /src/v1
    check-mounted true
    check-file .flag
    pre-volume-hook /hooks/pre
  volume v2 /src/v2
    devices d2
    group shared
host h2
  volume v1 /src/h2
`, 'plan.config');

const request = (fields: Partial<PlanRequest> = {}): PlanRequest => ({
	backup: true,
	prune: false,
	pruneIncomplete: false,
	selected: () => true,
	estimates: new Map([['h1/v1/d1', 5000]]),
	...fields,
});

const byName = (plan: PlannedAction[]) => new Map(plan.map(action => [action.name, action]));
const edges = (action: PlannedAction | undefined) => action?.after.map(edge => `${edge.kind}:${edge.from}`);

describe('planRun', () => {
	test('a backup run has every step of SPEC §3 with its edges', () => {
		const plan = byName(planRun(config, request()));
		expect([...plan.keys()]).toEqual([
			'pre-device-hook',
			'check-stores',
			'live/h1',
			'live/h2',
			'mounted/h1/v1',
			'flag/h1/v1',
			'pre-volume-hook/h1/v1',
			'identify/h1/v1/d1',
			'underway/h1/v1/d1',
			'backup/h1/v1/d1',
			'record-backup/h1/v1/d1',
			'identify/h1/v1/d2',
			'underway/h1/v1/d2',
			'backup/h1/v1/d2',
			'record-backup/h1/v1/d2',
			'post-volume-hook/h1/v1',
			'identify/h1/v2/d2',
			'underway/h1/v2/d2',
			'backup/h1/v2/d2',
			'record-backup/h1/v2/d2',
			'identify/h2/v1/d1',
			'underway/h2/v1/d1',
			'backup/h2/v1/d1',
			'record-backup/h2/v1/d1',
			'identify/h2/v1/d2',
			'underway/h2/v1/d2',
			'backup/h2/v1/d2',
			'record-backup/h2/v1/d2',
			'post-device-hook',
		]);
		expect(edges(plan.get('mounted/h1/v1'))).toEqual(['success:live/h1']);
		expect(edges(plan.get('flag/h1/v1'))).toEqual(['success:mounted/h1/v1']);
		expect(edges(plan.get('identify/h1/v1/d1'))).toEqual(['success:flag/h1/v1']);
		expect(edges(plan.get('identify/h2/v1/d1'))).toEqual(['success:live/h2']);
		expect(edges(plan.get('check-stores'))).toEqual(['always:identify/**', 'success:pre-device-hook']);
		expect(edges(plan.get('underway/h1/v1/d1'))).toEqual(['success:identify/h1/v1/d1', 'success:check-stores', 'success:pre-volume-hook/h1/v1']);
		expect(edges(plan.get('backup/h1/v1/d1'))).toEqual(['success:underway/h1/v1/d1']);
		// The record runs whatever happened to the backup: the seed's ordering bug is gone.
		expect(edges(plan.get('record-backup/h1/v1/d1'))).toEqual(['always:underway/h1/v1/d1', 'always:backup/h1/v1/d1']);
		expect(edges(plan.get('post-volume-hook/h1/v1'))).toEqual(['success:pre-volume-hook/h1/v1', 'always:record-backup/h1/v1/*']);
		expect(edges(plan.get('post-device-hook'))?.[0]).toBe('success:pre-device-hook');
	});

	test('backups hold their device and group; groups default to the host', () => {
		const plan = byName(planRun(config, request()));
		expect(plan.get('backup/h1/v1/d1')?.resources).toEqual(['device:d1', 'group:h1']);
		expect(plan.get('backup/h1/v2/d2')?.resources).toEqual(['device:d2', 'group:shared']);
		expect(plan.get('live/h1')?.resources).toEqual([]);
	});

	test('priorities follow the host; a backup outranks underway rows; estimates come from history', () => {
		const plan = byName(planRun(config, request()));
		expect(plan.get('underway/h1/v1/d1')?.priority).toBe(20);
		expect(plan.get('backup/h1/v1/d1')?.priority).toBe(21);
		expect(plan.get('backup/h2/v1/d1')?.priority).toBe(1);
		expect(plan.get('backup/h1/v1/d1')?.estimate).toBe(5000);
		expect(plan.get('backup/h1/v1/d2')?.estimate).toBe(60_000);
	});

	test('the selection limits the volumes and hosts planned', () => {
		const plan = byName(planRun(config, request({selected: (host, volume) => host === 'h1' && volume === 'v2'})));
		expect([...plan.keys()].filter(name => name.includes('/'))).toEqual(['live/h1', 'identify/h1/v2/d2', 'underway/h1/v2/d2', 'backup/h1/v2/d2', 'record-backup/h1/v2/d2']);
	});

	test('nothing selected plans nothing', () => {
		expect(planRun(config, request({selected: () => false}))).toEqual([]);
	});

	test('pruning after backups waits for each volume\'s records', () => {
		const plan = byName(planRun(config, request({prune: true})));
		expect(edges(plan.get('find-prunable/h1/v1'))).toEqual(['success:check-stores', 'always:record-backup/h1/v1/*']);
		expect(edges(plan.get('log-prunable'))).toEqual(['always:find-prunable/**', 'always:remove/**']);
		expect(edges(plan.get('expire-prune-logs'))).toEqual(['always:log-prunable']);
	});

	test('prune-incomplete alone does not expire prune logs', () => {
		const plan = byName(planRun(config, request({backup: false, pruneIncomplete: true})));
		expect(plan.has('find-prunable/h2/v1')).toBe(true);
		expect(plan.has('expire-prune-logs')).toBe(false);
		expect(plan.has('live/h1')).toBe(false);
	});

	test('a prune alone decides from the database before the device hook; removals wait for the stores', () => {
		const plan = byName(planRun(config, request({backup: false, prune: true})));
		expect(edges(plan.get('find-prunable/h1/v1'))).toEqual([]);
		expect(edges(plan.get('pre-device-hook'))).toEqual(['always:find-prunable/**']);
		expect(edges(plan.get('check-stores'))).toEqual(['always:find-prunable/**', 'success:pre-device-hook']);
		expect(edges(plan.get('post-device-hook'))?.slice(0, 1)).toEqual(['success:pre-device-hook']);
	});

	test('retire removes then forgets; forget-only touches no store but still runs the device hooks', () => {
		const retire = byName(planRun(config, request({backup: false, retire: {forgetOnly: false, targets: [{host: 'old'}, {host: 'h1', volume: 'v1'}]}})));
		expect(edges(retire.get('retire/old'))).toEqual(['success:check-stores']);
		expect(edges(retire.get('forget/old'))).toEqual(['success:retire/old', 'success:remove/old/**']);
		expect(edges(retire.get('forget/h1/v1'))).toEqual(['success:retire/h1/v1', 'success:remove/h1/v1/**']);
		const forget = planRun(config, request({backup: false, retire: {forgetOnly: true, targets: [{host: 'old'}]}}));
		expect(forget.map(action => action.name)).toEqual(['pre-device-hook', 'forget/old', 'post-device-hook']);
		expect(edges(byName(forget).get('forget/old'))).toEqual(['success:pre-device-hook']);
	});

	test('--plan prints text and Graphviz', () => {
		const plan = planRun(config, request({selected: host => host === 'h2'}));
		const text = formatPlan(plan, 'text');
		expect(text).toContain('backup/h2/v1/d1  after underway/h2/v1/d1  holds device:d1, group:h2  priority 1\n');
		expect(text).toContain('record-backup/h2/v1/d1  after underway/h2/v1/d1 (always), backup/h2/v1/d1 (always)  priority 2  clean-up\n');
		// An always edge alone does not make clean-up: a cancelled run does not start a pre hook.
		expect(text).toMatch(/^pre-device-hook  after identify\/\*\* \(always\)\n/m);
		expect(text).toMatch(/^post-device-hook  after .*  clean-up\n/m);
		const dot = formatPlan(plan, 'dot');
		expect(dot).toMatch(/^digraph rsdeck \{/);
		expect(dot).toContain('"backup/h2/v1/d1" -> "record-backup/h2/v1/d1" [style=dashed];');
		expect(dot).toContain('"identify/h2/v1/d2" -> "check-stores" [style=dashed];');
		expect(dot).toContain('"post-device-hook" [peripheries=2];');
	});
});
