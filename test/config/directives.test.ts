import {describe, expect, test} from 'vitest';
import {defaultRsyncBaseOptions, defaultRsyncExtraOptions} from '../../src/config/defaults.js';
import {parseConfigText} from '../../src/config/read-config.js';
import type {Config, Host, Inheritable, ReportItem, Volume} from '../../src/config/types.js';

function parse(text: string): Config {
	return parseConfigText(text, 'x.config');
}

function hostOf(config: Config, name = 'h'): Host {
	const host = config.hosts.get(name);
	if (!host) {
		throw new Error(`no host ${name}`);
	}

	return host;
}

function volumeOf(config: Config, host = 'h', name = 'v'): Volume {
	const volume = hostOf(config, host).volumes.get(name);
	if (!volume) {
		throw new Error(`no volume ${host}:${name}`);
	}

	return volume;
}

const empty = parse('');

const withoutLocations = (items: ReportItem[]) => items.map(({location: _location, ...item}) => item);

describe('global directives', () => {
	const cases: Array<[line: string, read: (config: Config) => unknown, expected: unknown, byDefault: unknown]> = [
		['store /s', c => c.stores, [{path: '/s', mounted: true, pattern: false}], []],
		['store --no-mounted /s', c => c.stores, [{path: '/s', mounted: false, pattern: false}], []],
		['store --mounted "/a b"', c => c.stores, [{path: '/a b', mounted: true, pattern: false}], []],
		['store-pattern --no-mounted /media/*', c => c.stores, [{path: '/media/*', mounted: false, pattern: true}], []],
		['device d_1.x', c => c.devices, ['d_1.x'], []],
		['public true', c => c.public, true, false],
		['logs /l', c => c.logs, '/l', '/var/log/backup'],
		['database /d.db', c => c.database, '/d.db', undefined],
		['lock /run/lock', c => c.lock, '/run/lock', undefined],
		['pre-device-hook /bin/mount-it --all', c => c.preDeviceHook, ['/bin/mount-it', '--all'], []],
		['post-device-hook umount', c => c.postDeviceHook, ['umount'], []],
		['pre-access-hook a b', c => c.preDeviceHook, ['a', 'b'], []],
		['post-access-hook c', c => c.postDeviceHook, ['c'], []],
		['keep-prune-logs 2d', c => c.keepPruneLogs, 172_800, 2_678_400],
		['prune-timeout 1h', c => c.pruneTimeout, 3600, 0],
		['sendmail /bin/mail', c => c.sendmail, '/bin/mail', '/usr/sbin/sendmail'],
		['rm /bin/rm', c => c.rm, '/bin/rm', 'rm'],
		['stylesheet /s.css', c => c.stylesheet, '/s.css', undefined],
		['color-good 0x102030', c => c.colorGood, 0x10_20_30, 0xE0_FF_E0],
		['color-bad rgb 1 0 0', c => c.colorBad, 0xFF_00_00, 0xFF_40_40],
		['report title:T "h1:A b" h2:W?warnings warnings', c => withoutLocations(c.report), [
			{key: 'title', value: 'T'}, {key: 'h1', value: 'A b'}, {key: 'h2', value: 'W', condition: 'warnings'}, {key: 'warnings'},
		], []],
		['report "p:Why\\\\?" p:x?warnings', c => withoutLocations(c.report), [{key: 'p', value: 'Why\\?'}, {key: 'p', value: 'x', condition: 'warnings'}], []],
		['color-graph-background hsv 0 0 1', c => c.graph.get('color-graph-background'), ['hsv', '0', '0', '1'], undefined],
		['horizontal-padding 9', c => c.graph.get('horizontal-padding'), ['9'], undefined],
		['host-name-font "Sans 10"', c => c.graph.get('host-name-font'), ['Sans 10'], undefined],
		['device-color-strategy equidistant-hue 0 1 1', c => c.graph.get('device-color-strategy'), ['equidistant-hue', '0', '1', '1'], undefined],
		['graph-layout content:2,0 device-key:2,3:RC', c => c.graphLayout?.map(({part}) => part), ['content:2,0', 'device-key:2,3:RC'], undefined],
	];

	test.each(cases)('%s', (line, read, expected, byDefault) => {
		expect(read(parse(line))).toEqual(expected);
		expect(read(empty)).toEqual(byDefault);
	});

	test('store, device and report accumulate; graph-layout + appends', () => {
		const config = parse('store /a\nstore-pattern /b*\ndevice x\ndevice y\nreport title:T\nreport + summary\ngraph-layout content:0,0\ngraph-layout + time-labels:0,1');
		expect(config.stores.map(store => store.path)).toEqual(['/a', '/b*']);
		expect(config.devices).toEqual(['x', 'y']);
		expect(config.report).toEqual([{key: 'title', value: 'T', location: {file: 'x.config', line: 5}}, {key: 'summary', location: {file: 'x.config', line: 6}}]);
		expect(config.graphLayout).toEqual([{part: 'content:0,0', location: {file: 'x.config', line: 7}}, {part: 'time-labels:0,1', location: {file: 'x.config', line: 8}}]);
	});

	test('report items and graph-layout parts are kept as written; the report checks them when it is written', () => {
		const config = parse('report title:T bogus warnings?always\ngraph-layout content:a,b');
		expect(withoutLocations(config.report)).toEqual([{key: 'title', value: 'T'}, {key: 'bogus'}, {key: 'warnings', condition: 'always'}]);
		expect(config.graphLayout?.map(({part}) => part)).toEqual(['content:a,b']);
	});

	test('max-usage and max-file-usage are accepted and ignored', () => {
		expect(parse('max-usage 80\nmax-file-usage 90%')).toEqual(empty);
	});
});

describe('inheritable directives', () => {
	const defaults: Inheritable = {
		maxAge: 259_200, backupPolicy: 'daily', backupParameters: new Map(), prunePolicy: 'age', pruneParameters: new Map(),
		policySources: new Map(), preVolumeHook: [], postVolumeHook: [], hookTimeout: 0, backupJobTimeout: 0, rsyncIoTimeout: 0, sshTimeout: 60,
		hostCheck: {kind: 'ssh'}, rsyncCommand: 'rsync', rsyncBaseOptions: [...defaultRsyncBaseOptions],
		rsyncExtraOptions: [...defaultRsyncExtraOptions], rsyncRemote: undefined, rsyncLinkDest: true,
		backupTime: {earliest: 0, latest: 86_400}, devicePattern: '*', group: undefined, sshCommand: ['ssh'],
	};

	const cases: Array<[line: string, key: keyof Inheritable, expected: unknown]> = [
		['max-age 7d', 'maxAge', 604_800],
		['backup-policy always', 'backupPolicy', 'always'],
		['prune-policy never', 'prunePolicy', 'never'],
		['prune-policy /usr/bin/prune-it', 'pruneParameters', new Map([['path', '/usr/bin/prune-it']])],
		['prune-parameter prune-age 10d', 'pruneParameters', new Map([['prune-age', '10d']])],
		['prune-age 10d', 'pruneParameters', new Map([['prune-age', '10d']])],
		['min-backups 3', 'pruneParameters', new Map([['min-backups', '3']])],
		['pre-volume-hook snap "a b"', 'preVolumeHook', ['snap', 'a b']],
		['post-volume-hook unsnap', 'postVolumeHook', ['unsnap']],
		['pre-backup-hook old', 'preVolumeHook', ['old']],
		['post-backup-hook old', 'postVolumeHook', ['old']],
		['hook-timeout 5m', 'hookTimeout', 300],
		['backup-job-timeout 2h', 'backupJobTimeout', 7200],
		['rsync-timeout 3h', 'backupJobTimeout', 10_800],
		['rsync-io-timeout 90s', 'rsyncIoTimeout', 90],
		['ssh-timeout 1m', 'sshTimeout', 60],
		['rsync-command /opt/rsync', 'rsyncCommand', '/opt/rsync'],
		['rsync-base-options --archive', 'rsyncBaseOptions', ['--archive']],
		['rsync-extra-options', 'rsyncExtraOptions', []],
		['rsync-remote "nice rsync"', 'rsyncRemote', 'nice rsync'],
		['rsync-link-dest false', 'rsyncLinkDest', false],
		['backup-time 1:00-5:30:15', 'backupTime', {earliest: 3600, latest: 19_815}],
		['group g', 'group', 'g'],
		['ssh-command ssh -i /k', 'sshCommand', ['ssh', '-i', '/k']],
	];

	test.each(cases)('%s: at each level, inherited, default', (line, key, expected) => {
		const atGlobal = parse(`${line}\nhost h\n  volume v /v`);
		expect(atGlobal[key]).toEqual(expected);
		expect(hostOf(atGlobal)[key]).toEqual(expected);
		expect(volumeOf(atGlobal)[key]).toEqual(expected);

		const atHost = parse(`host h\n  ${line}\n  volume v /v\nhost other\n  volume w /w`);
		expect(atHost[key]).toEqual(defaults[key]);
		expect(hostOf(atHost)[key]).toEqual(expected);
		expect(volumeOf(atHost)[key]).toEqual(expected);
		expect(volumeOf(atHost, 'other', 'w')[key]).toEqual(defaults[key]);

		const atVolume = parse(`host h\n  volume v /v\n    ${line}\n  volume u /u`);
		expect(hostOf(atVolume)[key]).toEqual(defaults[key]);
		expect(volumeOf(atVolume)[key]).toEqual(expected);
		expect(volumeOf(atVolume, 'h', 'u')[key]).toEqual(defaults[key]);
	});

	test('backup-parameter at each level', () => {
		const config = parse('backup-policy interval\nbackup-parameter min-interval 1h\nhost h\n  backup-parameter min-interval 2h\n  volume v /v\n    backup-parameter min-interval 3h\n  volume u /u');
		expect(config.backupParameters).toEqual(new Map([['min-interval', '1h']]));
		expect(hostOf(config).backupParameters).toEqual(new Map([['min-interval', '2h']]));
		expect(volumeOf(config).backupParameters).toEqual(new Map([['min-interval', '3h']]));
		expect(volumeOf(config, 'h', 'u').backupParameters).toEqual(new Map([['min-interval', '2h']]));
		expect(empty.backupParameters).toEqual(new Map());
	});

	test('host-check: global or host level', () => {
		expect(parse('host-check always-up').hostCheck).toEqual({kind: 'always-up'});
		const config = parse('host h\n  host-check command /bin/ping -c1\n  volume v /v');
		expect(hostOf(config).hostCheck).toEqual({kind: 'command', command: ['/bin/ping', '-c1']});
		expect(volumeOf(config).hostCheck).toEqual({kind: 'command', command: ['/bin/ping', '-c1']});
		expect(empty.hostCheck).toEqual({kind: 'ssh'});
	});

	test('devices: host or volume level', () => {
		const config = parse('host h\n  devices d*\n  volume v /v\n  volume u /u\n    devices e1');
		expect(hostOf(config).devicePattern).toBe('d*');
		expect(volumeOf(config).devicePattern).toBe('d*');
		expect(volumeOf(config, 'h', 'u').devicePattern).toBe('e1');
	});

	test('an empty hook cancels an inherited one', () => {
		const config = parse('pre-volume-hook snap\nhost h\n  volume v /v\n    pre-volume-hook\n  volume u /u');
		expect(volumeOf(config).preVolumeHook).toEqual([]);
		expect(volumeOf(config, 'h', 'u').preVolumeHook).toEqual(['snap']);
	});

	test('--remove drops an inherited parameter', () => {
		const config = parse('prune-parameter prune-age 9d\nprune-parameter min-backups 2\nhost h\n  prune-parameter --remove min-backups\n  volume v /v');
		expect(volumeOf(config).pruneParameters).toEqual(new Map([['prune-age', '9d']]));
		expect(config.pruneParameters).toEqual(new Map([['prune-age', '9d'], ['min-backups', '2']]));
	});

	test('values are copied when a stanza opens: later outer directives do not reach it', () => {
		const config = parse([
			'max-age 1d',
			'host h',
			'  max-age 2d',
			'  volume v /v',
			'  max-age 4d',
			'  volume u /u',
			'max-age 8d',
			'host i',
			'  volume w /w',
		].join('\n'));
		expect(config.maxAge).toBe(8 * 86_400);
		expect(hostOf(config).maxAge).toBe(4 * 86_400);
		expect(volumeOf(config).maxAge).toBe(2 * 86_400);
		expect(volumeOf(config, 'h', 'u').maxAge).toBe(4 * 86_400);
		expect(hostOf(config, 'i').maxAge).toBe(8 * 86_400);
	});

	test('parameters set or removed in one stanza reach neither its parent, its siblings nor stanzas opened before', () => {
		const config = parse([
			'prune-parameter prune-age 9d',
			'host h',
			'  volume v /v',
			'    prune-parameter min-backups 3',
			'    backup-parameter x 1',
			'  volume u /u',
			'    prune-parameter --remove prune-age',
			'  prune-parameter prune-age 5d',
			'  volume t /t',
			'prune-parameter min-backups 4',
			'backup-policy always',
			'host i',
			'  volume w /w',
		].join('\n'));
		expect(config.pruneParameters).toEqual(new Map([['prune-age', '9d'], ['min-backups', '4']]));
		expect(hostOf(config).pruneParameters).toEqual(new Map([['prune-age', '5d']]));
		expect(volumeOf(config).pruneParameters).toEqual(new Map([['prune-age', '9d'], ['min-backups', '3']]));
		expect(volumeOf(config).backupParameters).toEqual(new Map([['x', '1']]));
		expect(volumeOf(config, 'h', 'u').pruneParameters).toEqual(new Map());
		expect(volumeOf(config, 'h', 'u').backupParameters).toEqual(new Map());
		expect(volumeOf(config, 'h', 't').pruneParameters).toEqual(new Map([['prune-age', '5d']]));
		expect(hostOf(config, 'i').pruneParameters).toEqual(new Map([['prune-age', '9d'], ['min-backups', '4']]));
		expect(hostOf(config).policySources.get('backup-policy')).toBeUndefined();
		expect(hostOf(config, 'i').policySources.get('backup-policy')).toEqual({file: 'x.config', line: 11});
		expect(volumeOf(config).policySources.get('prune-parameter min-backups')).toEqual({file: 'x.config', line: 4});
		expect(volumeOf(config, 'h', 'u').policySources.has('prune-parameter prune-age')).toBe(false);
		expect(volumeOf(config, 'h', 't').policySources.get('prune-parameter prune-age')).toEqual({file: 'x.config', line: 8});
		expect(hostOf(config, 'i').policySources.get('prune-parameter prune-age')).toEqual({file: 'x.config', line: 1});
	});
});

describe('host and volume directives', () => {
	test('host defaults and values', () => {
		const config = parse('host h\n  hostname h.example.com\n  user backup\n  priority -5\nhost g');
		expect(hostOf(config)).toMatchObject({name: 'h', hostname: 'h.example.com', user: 'backup', priority: -5, location: {file: 'x.config', line: 1}});
		expect(hostOf(config, 'g')).toMatchObject({name: 'g', hostname: 'g', user: undefined, priority: 0});
	});

	test('volume defaults and values', () => {
		const config = parse('host h\n  volume v /data\n    exclude /tmp\n    exclude "*.o"\n    traverse true\n    check-file .ok\n    check-mounted true\n  volume u /u');
		expect(volumeOf(config)).toMatchObject({
			name: 'v', path: '/data', exclude: ['/tmp', '*.o'], traverse: true, checkFile: '.ok', checkMounted: true, location: {file: 'x.config', line: 2},
		});
		expect(volumeOf(config, 'h', 'u')).toMatchObject({exclude: [], traverse: false, checkFile: undefined, checkMounted: false});
	});

	test('hosts and volumes are sorted by name', () => {
		const config = parse('host b\n volume z /z\n volume a /a\nhost a');
		expect([...config.hosts.keys()]).toEqual(['a', 'b']);
		expect([...hostOf(config, 'b').volumes.keys()]).toEqual(['a', 'z']);
	});

	test('global directives may follow hosts at column 0; host directives may follow volumes', () => {
		const config = parse('host h\n    volume v /\n        max-age 1d\n    priority 123\nlogs /after');
		expect(hostOf(config).priority).toBe(123);
		expect(config.logs).toBe('/after');
	});

	test('tabs and spaces mix when they reach the same column', () => {
		const config = parse('host h\n\tvolume v /v\n        volume u /u\n\t\tmax-age 1d');
		expect(volumeOf(config, 'h', 'u').maxAge).toBe(86_400);
	});
});
