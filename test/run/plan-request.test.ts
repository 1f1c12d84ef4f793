import {expect, test} from 'vitest';
import {parseConfigText} from '../../src/config/read-config.js';
import type {BackupDatabase} from '../../src/db/backup-database.js';
import {parseOptions} from '../../src/options/parse-options.js';
import {formatPlan} from '../../src/plan/format-plan.js';
import {planRun} from '../../src/plan/plan-run.js';
import {planRequest, printPlan} from '../../src/run/plan-request.js';

/** A fleet of many hosts with every kind of step, so the text is written in several chunks. */
function fleet(hosts: number): string {
	const lines = ['store --no-mounted /stores/one', 'device d1', 'device d2', 'device e3', 'pre-device-hook /bin/true', 'post-device-hook /bin/true'];
	for (let host = 0; host < hosts; host++) {
		lines.push(`host h${host}`, `  priority ${host % 3}`);
		if (host % 4 === 0) {
			lines.push('  devices d*');
		}

		lines.push('  volume v1 /v1', '    check-mounted true', '    check-file .flag', '    pre-volume-hook /hooks/pre');
		lines.push('  volume v2 /v2', `    group g${host % 5}`, '  volume v3 /v3', '    devices e3', '    post-volume-hook /hooks/post');
	}

	return `${lines.join('\n')}\n`;
}

const config = parseConfigText(fleet(400), 'fleet.config');
const db = {
	backupDurations: () => new Map([['h1/v1/d1', 5000], ['h7/v3/e3', 12]]),
	lastRunActions: () => [{name: 'backup/h3/v2/d1', state: 'failed'}, {name: 'record-backup/h5/v1/d2', state: 'cancelled'}],
} as unknown as BackupDatabase;

test.each([
	['--backup'],
	['--backup --prune'],
	['--prune'],
	['--prune-incomplete'],
	['--backup --prune h1 h2:v3 -- -h2'],
	['--backup --retry-failed'],
	['--retire h1 h2:v1'],
	['--retire --forget-only h3'],
])('--plan %s prints, in chunks, the text formatPlan makes of planRun', argv => {
	const options = parseOptions(['--plan', ...argv.split(' ')]);
	const expected = formatPlan(planRun(config, planRequest(config, options, db)), 'text');
	const chunks: string[] = [];
	printPlan(config, options, db, text => chunks.push(text));
	expect(chunks.join('')).toBe(expected);
	if (argv === '--backup') {
		expect(chunks.length).toBeGreaterThan(2);
	}
});

test('--plan=dot prints formatPlan\'s Graphviz', () => {
	const small = parseConfigText(fleet(3), 'fleet.config');
	const options = parseOptions(['--backup', '--prune', '--plan=dot']);
	const chunks: string[] = [];
	printPlan(small, options, db, text => chunks.push(text));
	expect(chunks.join('')).toBe(formatPlan(planRun(small, planRequest(small, options, db)), 'dot'));
});
