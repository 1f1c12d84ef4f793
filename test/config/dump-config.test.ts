import {describe, expect, test} from 'vitest';
import {dumpConfig} from '../../src/config/dump-config.js';
import {parseConfigText} from '../../src/config/read-config.js';
import {generateConfig} from './generate-config.js';

function dump(text: string, verbose = false): string {
	return dumpConfig(parseConfigText(text, 'x.config'), {verbose});
}

const outdent = 'backup-job-timeout 2h\nssh-timeout 60s\nhost alpha\n     volume root /\n         max-age 1d\n     priority 123\n     volume home /home\n         max-age 2d\nhost beta\nssh-timeout 120s\n';

describe('dumpConfig', () => {
	test('prints globals, then hosts and volumes sorted, indented 4 and 8, blank line before each stanza', () => {
		const text = dump(outdent);
		const lines = text.split('\n');
		expect(lines[0]).toBe('public false');
		expect(lines).toContain('ssh-timeout 2m');
		expect(lines).toContain('backup-job-timeout 2h');
		expect(lines).toContain('prune-timeout 0d');
		expect(lines).toContain('color-good 0xe0ffe0');
		const hostAt = lines.indexOf('host alpha');
		expect(lines[hostAt - 1]).toBe('');
		expect(lines.slice(hostAt + 1, hostAt + 3)).toEqual(['    max-age 3d', '    backup-policy daily']);
		expect(lines).toContain('    ssh-timeout 1m');
		expect(lines).toContain('    priority 123');
		expect(lines).toContain('    hostname alpha');
		const home = lines.indexOf('    volume home /home');
		const root = lines.indexOf('    volume root /');
		expect(lines[home - 1]).toBe('');
		expect(home).toBeGreaterThan(hostAt);
		expect(root).toBeGreaterThan(home);
		expect(lines[home + 1]).toBe('        max-age 2d');
		expect(lines[root + 1]).toBe('        max-age 1d');
		expect(lines.indexOf('host beta')).toBeGreaterThan(root);
		expect(text.endsWith('    priority 0\n')).toBe(true);
	});

	test('quotes words that need it and prints the default report layout', () => {
		const text = dump('pre-device-hook sh -c "mount -a"\nhost h\n  volume v "/a b"\n    exclude "#x"\n    rsync-remote ""\n');
		expect(text).toContain('\npre-device-hook sh -c "mount -a"\n');
		expect(text).toContain('\n    volume v "/a b"\n');
		expect(text).toContain('\n        exclude "#x"\n');
		expect(text).toContain('\n        rsync-remote ""\n');
		expect(text).toContain('\nreport "title:Backup report (${RSBACKUP_DATE})" "h1:Backup report (${RSBACKUP_DATE})" h2:Warnings?warnings warnings h2:Summary summary history-graph h2:Logfiles logs "h3:Pruning logs" prune-logs "p:Generated ${RSBACKUP_CTIME}"\n');
	});

	test('ssh-command (rsdeck) is printed only where it differs from what the stanza inherits', () => {
		expect(dump('host h\n  volume v /v\n')).not.toContain('ssh-command');
		const text = dump('ssh-command ssh -p 2\nhost h\n  ssh-command ssh\n  volume v /v\n');
		expect(text).toContain('\nssh-command ssh -p 2\n');
		expect(text).toContain('\n    ssh-command ssh\n');
		expect(text).not.toContain('\n        ssh-command');
	});

	test('an exec prune policy given as a path dumps as exec with a path parameter', () => {
		const text = dump('prune-policy /usr/local/bin/prune\nhost h\n  volume v /v\n');
		expect(text).toContain('\nprune-policy exec\nprune-parameter path /usr/local/bin/prune\n');
	});

	test('cancelled hooks and removed parameters survive the dump', () => {
		const text = dump('pre-volume-hook snap\nprune-parameter min-backups 2\nhost h\n  volume v /v\n    pre-volume-hook\n    prune-parameter --remove min-backups\n');
		expect(text).toContain('\n        prune-parameter --remove min-backups\n');
		expect(text).toContain('\n        pre-volume-hook\n');
		expect(dump(text)).toBe(text);
	});

	const samples: Array<[string, string]> = [
		['empty', ''],
		['outdent', outdent],
		['every directive', [
			'store /s1', 'store-pattern --no-mounted /m/*', 'device d1', 'device d2', 'public true', 'logs /l', 'database /l/db',
			'lock /lock', 'pre-access-hook pre', 'post-device-hook post "x y"', 'keep-prune-logs 10d', 'prune-timeout 90m',
			'sendmail /s', 'rm /bin/rm', 'stylesheet /css', 'color-good rgb 0 1 0', 'color-bad 255', 'report + summary?warnings "p:Why\\\\?"',
			'color-month-guide 0xabcdef', 'device-color-strategy equidistant-value 120 0.75', 'horizontal-padding 8',
			'time-label-font "Serif Bold 9"', 'graph-layout host-labels:0,0', 'graph-layout + content:1,0:LT',
			'max-age 5d', 'backup-policy interval', 'backup-parameter min-interval 12h', 'prune-policy decay',
			'prune-parameter decay-scale 1.5', 'pre-volume-hook a', 'post-backup-hook b', 'hook-timeout 10m',
			'rsync-timeout 1d', 'rsync-io-timeout 30s', 'ssh-timeout 5s', 'host-check always-up', 'rsync-command /r',
			'rsync-base-options -a', 'rsync-extra-options', 'rsync-remote "sudo rsync"', 'rsync-link-dest false',
			'backup-time 22:00-6:00', 'group all', 'ssh-command ssh -p 2222', 'max-usage 80',
			'host z', '  hostname localhost', '  ssh-command ssh', '  user u', '  priority 9', '  devices d1', '  host-check command /ping "a b"',
			'  volume v /v', '    exclude e', '    traverse true', '    check-file /f', '    check-mounted true',
			'    backup-policy always', '    backup-parameter --remove min-interval', '    prune-policy age',
			'    prune-parameter --remove decay-scale', '    prune-age 3d', '    min-backups 2', '    post-volume-hook',
			'host a', '  volume b /b',
		].join('\n')],
		['generated', generateConfig(20, 4)],
	];

	test.each(samples)('%s: the dump reads back and dumps identically', (_name, text) => {
		const once = dump(text);
		expect(dump(once)).toBe(once);
	});

	test.each(samples)('%s: the verbose dump is valid config that dumps the same', (_name, text) => {
		const verbose = dump(text, true);
		expect(verbose).toContain('# ');
		expect(dump(verbose)).toBe(dump(text));
	});

	test('verbose comments explain each directive at its indentation', () => {
		const lines = dump('host h\n  volume v /v\n', true).split('\n');
		expect(lines[lines.indexOf('    volume v /v') - 1]).toBe('    # a volume to back up: NAME PATH');
		expect(lines[lines.indexOf('        traverse false') - 1]).toBe('        # true: cross mount points');
	});

	test('a large generated configuration (300 hosts × 10 volumes) round-trips', () => {
		const text = generateConfig(300, 10);
		const config = parseConfigText(text, 'big.config');
		expect(config.hosts.size).toBe(300);
		const once = dumpConfig(config);
		const again = parseConfigText(once, 'dump.config');
		expect(again.hosts.get('host00003')?.volumes.get('vol3')?.preVolumeHook).toEqual([]);
		expect(again.hosts.get('host00003')?.volumes.get('vol2')?.preVolumeHook).toEqual(['/usr/bin/snap', '--create']);
		expect(dumpConfig(again)).toBe(once);
	});
});
