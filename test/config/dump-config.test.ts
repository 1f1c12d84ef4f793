import {describe, expect, test} from 'vitest';
import {dumpConfig, writeDumpConfig} from '../../src/config/dump-config.js';
import {parseConfigText} from '../../src/config/read-config.js';
import {generateConfig} from './generate-config.js';

function dump(text: string, verbose = false): string {
	return dumpConfig(parseConfigText(text, 'x.config'), {verbose});
}

const outdent = 'backup-job-timeout 2h\nssh-timeout 60s\nhost alpha\n     volume root /\n         max-age 1d\n     priority 123\n     volume home /home\n         max-age 2d\nhost beta\nssh-timeout 120s\n';

/** rsbackup's `--dump-config` of an empty file, byte for byte (issue 13). */
const emptyDump = `max-age 3d
backup-policy daily
prune-policy age
ssh-timeout 1m
rsync-command rsync
rsync-base-options --archive --sparse --numeric-ids --compress --fuzzy --hard-links --delete --stats --no-human-readable
rsync-extra-options --xattrs --acls --open-noatime
backup-time 0:00:00-24:00:00
host-check ssh
public false
logs /var/log/backup
keep-prune-logs 31d
prune-timeout 0d
color-good 0xe0ffe0
color-bad 0xff4040
sendmail /usr/sbin/sendmail
report "title:Backup report (\${RSBACKUP_DATE})"
report + "h1:Backup report (\${RSBACKUP_DATE})" h2:Warnings?warnings warnings
report + h2:Summary summary history-graph h2:Logfiles logs "h3:Pruning logs"
report + prune-logs "p:Generated \${RSBACKUP_CTIME}"
color-graph-background 0xffffff
color-graph-foreground 0x000000
color-month-guide 0xf7f7f7
color-host-guide 0xdfdfdf
color-volume-guide 0xefefef
device-color-strategy equidistant-value 120 0.75
horizontal-padding 8
vertical-padding 2
backup-indicator-width 4
backup-indicator-height 2
graph-target-width 0
backup-indicator-key-width 16
host-name-font Normal
volume-name-font Normal
device-name-font Normal
time-label-font Normal
graph-layout host-labels:0,0 volume-labels:1,0 content:2,0 time-labels:2,1
graph-layout + device-key:2,3:RC
`;

describe('dumpConfig', () => {
	test('the dump of an empty file is rsbackup\'s, byte for byte', () => {
		expect(dump('')).toBe(emptyDump);
	});

	test('global directives that differ from their defaults appear in rsbackup\'s order, then stores and devices', () => {
		const lines = dump('device d1\nstore --no-mounted /s\nrm /bin/rm\nhook-timeout 5m\nbackup-job-timeout 1h\nrsync-link-dest false\nrsync-remote "sudo rsync"\npre-volume-hook snap\ndatabase /db\nstylesheet /css\nlogs /l\n').split('\n');
		expect(lines.slice(0, 22)).toEqual([
			'max-age 3d', 'backup-policy daily', 'prune-policy age', 'pre-volume-hook snap', 'backup-job-timeout 1h', 'ssh-timeout 1m', 'hook-timeout 5m',
			'rsync-command rsync', 'rsync-link-dest false', expect.stringMatching(/^rsync-base-options /), expect.stringMatching(/^rsync-extra-options /),
			'rsync-remote "sudo rsync"', 'backup-time 0:00:00-24:00:00', 'host-check ssh', 'public false', 'logs /l', 'database /db',
			'keep-prune-logs 31d', 'prune-timeout 0d', 'rm /bin/rm', 'color-good 0xe0ffe0', 'color-bad 0xff4040',
		]);
		expect(lines.slice(22, 25)).toEqual(['sendmail /usr/sbin/sendmail', 'stylesheet /css', expect.stringMatching(/^report /)]);
		expect(lines.slice(-4)).toEqual(['graph-layout + device-key:2,3:RC', 'store --no-mounted /s', 'device d1', '']);
	});

	test('list directives continue on DIRECTIVE + lines, breaking before an item that would reach column 80', () => {
		const item = `p:${'x'.repeat(60)}`;
		const text = dump(`report title:T summary ${item} logs\ngraph-layout content:0,0\n`);
		expect(text).toContain(`\nreport title:T summary\nreport + ${item} logs\n`);
		expect(text).toContain('\ngraph-layout content:0,0\n');
		expect(dump('report p:' + 'y'.repeat(71) + '\n')).toContain(`\nreport p:${'y'.repeat(71)}\n`);
		expect(dump('report p:' + 'y'.repeat(72) + '\n')).toContain(`\nreport\nreport + p:${'y'.repeat(72)}\n`);
		expect(dump(dump(`report title:T summary ${item} logs\n`))).toBe(dump(`report title:T summary ${item} logs\n`));
	});

	test('graph colours are printed as 0xRRGGBB', () => {
		expect(dump('color-month-guide rgb 1 0 0\n')).toContain('\ncolor-month-guide 0xff0000\n');
	});

	test('--verbose notes a prune parameter the volume\'s policy does not use', () => {
		const text = dump('prune-parameter prune-age 2d\nhost h\n  volume v /v\n    prune-policy decay\n  volume w /w\n', true);
		const lines = text.split('\n');
		const decay = lines.indexOf('    volume v /v');
		const age = lines.indexOf('    volume w /w');
		expect(lines.slice(decay, age).join('\n')).toContain('        # prune-age is not used by this volume\'s prune-policy\n        # a prune policy parameter (--remove NAME drops an inherited one)\n        prune-parameter prune-age 2d');
		expect(lines.slice(age).join('\n')).not.toContain('not used');
		expect(dump(text)).toBe(dump(text.replaceAll(/^ *#.*\n/gm, '')));
	});

	test('prints globals, then hosts and volumes sorted, indented 4 and 8, blank line before each stanza', () => {
		const text = dump(outdent);
		const lines = text.split('\n');
		expect(lines[0]).toBe('max-age 3d');
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
		expect(text).toContain('\nreport "title:Backup report (${RSBACKUP_DATE})"\nreport + "h1:Backup report (${RSBACKUP_DATE})" h2:Warnings?warnings warnings\n');
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

test('writeDumpConfig writes, in chunks, the text of dumpConfig', () => {
	const config = parseConfigText(generateConfig(200, 4), 'big.config');
	for (const verbose of [false, true]) {
		const chunks: string[] = [];
		writeDumpConfig(config, {verbose}, text => chunks.push(text));
		expect(chunks.join('')).toBe(dumpConfig(config, {verbose}));
		expect(chunks.length).toBeGreaterThan(1);
	}
});
