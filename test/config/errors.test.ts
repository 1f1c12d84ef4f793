import {describe, expect, test} from 'vitest';
import {ConfigError} from '../../src/config/errors.js';
import {parseConfigText, readConfig} from '../../src/config/read-config.js';

/** The message `parseConfigText` throws for `text`, read as `x.config`. */
function errorOf(text: string): string {
	try {
		parseConfigText(text, 'x.config');
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as ConfigError).message;
	}

	throw new Error('no error');
}

const volume = 'host h\n  volume v /v\n';

describe('syntax errors name the file and line', () => {
	const cases: Array<[what: string, text: string, message: string]> = [
		['unterminated string', '"spong\n', 'x.config:1: unterminated string'],
		['backslash outside quotes', 'logs /a\nlogs a\\b\n', 'x.config:2: unquoted backslash'],
		['unknown directive', 'spong\n', 'x.config:1: unknown command \'spong\''],
		['indented global', 'logs /a\n  logs /b\n', 'x.config:2: inconsistent indentation'],
		['first line indented', '  logs /a\n', 'x.config:1: inconsistent indentation'],
		['inconsistent volume', 'host alpha\n    volume root /\n   volume home /home\n', 'x.config:3: inconsistent indentation'],
		['inconsistent indent in a volume', `${volume}    max-age 1d\n     max-age 2d\n`, 'x.config:4: inconsistent indentation'],
		['outdent between levels', 'host a\n    volume r /\n        max-age 1d\n      max-age 2d\n', 'x.config:4: inconsistent indentation'],
		['volume outside host', 'volume v /v\n', 'x.config:1: \'volume\' must be inside a host stanza'],
		['volume inside volume', `${volume}    volume w /w\n`, 'x.config:3: \'volume\' is not allowed in a volume stanza'],
		['host inside host', 'host a\n  host b\n', 'x.config:2: \'host\' is not allowed in a host stanza'],
		['global directive in a host', 'host a\n  logs /l\n', 'x.config:2: \'logs\' is not allowed in a host stanza'],
		['global directive in a volume', `${volume}    device d\n`, 'x.config:3: \'device\' is not allowed in a volume stanza'],
		['include in a host', 'host a\n  include /x\n', 'x.config:2: \'include\' is not allowed in a host stanza'],
		['host directive at global level', 'priority 1\n', 'x.config:1: \'priority\' is not allowed at the global level'],
		['host directive in a volume', `${volume}    hostname x\n`, 'x.config:3: \'hostname\' is not allowed in a volume stanza'],
		['volume directive in a host', 'host a\n  exclude x\n', 'x.config:2: \'exclude\' is not allowed in a host stanza'],
		['volume directive at global level', 'traverse true\n', 'x.config:1: \'traverse\' is not allowed at the global level'],
		['host-check in a volume', `${volume}    host-check ssh\n`, 'x.config:3: \'host-check\' is not allowed in a volume stanza'],
		['devices at global level', 'devices *\n', 'x.config:1: \'devices\' is not allowed at the global level'],
		['duplicate host', 'host a\nhost b\nhost a\n', 'x.config:3: duplicate host \'a\''],
		['duplicate volume', `${volume}  volume v /w\n`, 'x.config:3: duplicate volume \'v\' in host \'h\''],
		['host name with a bad character', 'host a_b\n', 'x.config:1: invalid host name \'a_b\''],
		['host name starting with -', 'host -a\n', 'x.config:1: invalid host name \'-a\''],
		['host name ..', 'host ..\n', 'x.config:1: invalid host name \'..\''],
		['volume name with a bad character', 'host a\n  volume a-b /\n', 'x.config:2: invalid volume name \'a-b\''],
		['device name', 'device "a b"\n', 'x.config:1: invalid device name \'a b\''],
		['interval without unit', 'max-age 3\n', 'x.config:1: time interval must have a unit: \'3\''],
		['bad interval', 'ssh-timeout 1w\n', 'x.config:1: invalid time interval \'1w\''],
		['bad time of day', 'backup-time 1:00-25:00\n', 'x.config:1: invalid time of day \'25:00\''],
		['backup-time without range', 'backup-time 1:00\n', 'x.config:1: invalid backup-time \'1:00\' (expected EARLIEST-LATEST)'],
		['bad boolean', 'public yes\n', 'x.config:1: invalid boolean \'yes\' (expected true or false)'],
		['bad colour', 'color-good red\n', 'x.config:1: invalid color \'red\''],
		['bad priority', 'host a\n  priority high\n', 'x.config:2: invalid integer \'high\''],
		['missing argument', 'logs\n', 'x.config:1: missing argument to \'logs\''],
		['missing volume path', 'host a\n  volume v\n', 'x.config:2: missing argument to \'volume\''],
		['missing host name', 'host\n', 'x.config:1: missing argument to \'host\''],
		['too many arguments', 'max-age 1d 2d\n', 'x.config:1: too many arguments to \'max-age\''],
		['missing parameter value', 'prune-parameter prune-age\n', 'x.config:1: missing argument to \'prune-parameter\''],
		['bad parameter name', 'prune-parameter "a b" 1\n', 'x.config:1: invalid prune-parameter name \'a b\''],
		['bad store option', 'store --maybe /s\n', 'x.config:1: invalid store option \'--maybe\''],
		['store without path', 'store --mounted\n', 'x.config:1: missing path to \'store\''],
		['bad host-check', 'host-check ping\n', 'x.config:1: invalid host-check \'ping\''],
		['host-check command without command', 'host-check command\n', 'x.config:1: missing command for \'host-check command\''],
		['bad graph size', 'vertical-padding -1\n', 'x.config:1: invalid size \'-1\''],
		['error after blank and comment lines', '\n# comment\n   \nspong\n', 'x.config:4: unknown command \'spong\''],
	];

	test.each(cases)('%s', (_what, text, message) => {
		expect(errorOf(text)).toBe(message);
	});
});

describe('policy validation names the line that set the value, and the host and volume', () => {
	const cases: Array<[what: string, text: string, message: string]> = [
		['interval without min-interval', 'backup-policy interval\n', 'x.config:1: h:v: backup policy \'interval\' requires backup-parameter \'min-interval\''],
		['unknown backup policy', 'backup-policy weekly\n', 'x.config:1: h:v: unknown backup policy \'weekly\''],
		['unknown prune policy', 'prune-policy sometimes\n', 'x.config:1: h:v: unknown prune policy \'sometimes\''],
		['decay-scale 1', 'prune-policy decay\nprune-parameter decay-scale 1\n', 'x.config:2: h:v: prune-parameter \'decay-scale\' must be greater than 1'],
		['decay-scale not a number', 'prune-policy decay\nprune-parameter decay-scale big\n', 'x.config:2: h:v: prune-parameter \'decay-scale\': invalid number \'big\''],
		['decay-start too short', 'prune-policy decay\nprune-parameter decay-start 1h\n', 'x.config:2: h:v: prune-parameter \'decay-start\' must be at least 1d'],
		['prune-age without unit', 'prune-parameter prune-age 30\n', 'x.config:1: h:v: prune-parameter \'prune-age\': time interval must have a unit: \'30\''],
		['min-backups 0', 'prune-parameter min-backups 0\n', 'x.config:1: h:v: prune-parameter \'min-backups\' must be at least 1'],
		['exec without path', 'prune-policy exec\n', 'x.config:1: h:v: prune policy \'exec\' requires prune-parameter \'path\''],
		['exec parameter with a dash', 'prune-policy /bin/p\nprune-parameter keep-days 3\n', 'x.config:2: h:v: invalid pruning parameter \'keep-days\' for executable policies'],
		['a global prune-age with an exec volume', 'prune-parameter prune-age 2d\nprune-policy /bin/p\n', 'x.config:1: h:v: invalid pruning parameter \'prune-age\' for executable policies'],
	];

	test.each(cases)('%s', (_what, globals, message) => {
		expect(errorOf(`${globals}${volume}`)).toBe(message);
	});

	test('a value inherited from the global level names the global line; a volume\'s own, the volume\'s', () => {
		expect(errorOf('prune-parameter min-backups 0\nhost h\n  prune-policy decay\n  volume v /v\n    prune-policy age\n')).toBe('x.config:1: h:v: prune-parameter \'min-backups\' must be at least 1');
		expect(errorOf('host h\n  volume v /v\n    prune-policy decay\n    prune-parameter decay-scale 0.5\n')).toBe('x.config:4: h:v: prune-parameter \'decay-scale\' must be greater than 1');
		expect(errorOf('host h\n  volume v /v\n    min-backups 0\n')).toBe('x.config:3: h:v: prune-parameter \'min-backups\' must be at least 1');
	});

	test.each([
		['a global prune-age with one decay volume', 'prune-parameter prune-age 2d\nhost h\n  volume v /v\n    prune-policy decay\n  volume w /w\n'],
		['a decay parameter under age', 'prune-parameter decay-start 1d\n'],
		['a parameter under never', 'prune-policy never\nprune-parameter prune-age 1d\n'],
		['a backup parameter under daily', 'backup-parameter min-interval 1d\n'],
		['a bad value of a parameter the policy does not use', 'prune-parameter decay-scale 0.5\n'],
	])('a parameter the policy does not use is accepted and ignored: %s', (_what, text) => {
		expect(() => parseConfigText(text.includes('host') ? text : `${text}${volume}`, 'x.config')).not.toThrow();
	});

	test('a bad global policy is fine when every volume overrides it', () => {
		expect(() => parseConfigText('backup-policy interval\nhost h\n  backup-policy daily\n  volume v /v\n', 'x.config')).not.toThrow();
	});

	test('exec takes any parameter with a shell-safe name', () => {
		const config = parseConfigText('prune-policy /bin/p\nprune-parameter KEEP_days 3\nhost h\n  volume v /v\n', 'x.config');
		expect(config.hosts.get('h')?.volumes.get('v')?.pruneParameters).toEqual(new Map([['path', '/bin/p'], ['KEEP_days', '3']]));
	});
});

test('a missing configuration file is a ConfigError naming it', () => {
	expect(() => readConfig('/nonexistent/rsdeck.config')).toThrow(new ConfigError('cannot read /nonexistent/rsdeck.config: no such file or directory'));
});
