import {once} from 'node:events';
import {readFileSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {parseConfigText} from '../../src/config/read-config.js';
import {readRsdeckConfig} from '../../src/config/rsdeck-config.js';
import {makeStore, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';

type Request = {method: string; url: string; body: string};

const servers: Server[] = [];

afterEach(async () => {
	removeTemporaryDirectories();
	for (const server of servers.splice(0)) {
		server.close();
		server.closeAllConnections();
	}
});

/** A Healthchecks-like monitor on 127.0.0.1 that records every request and answers `status`. */
async function monitor(status = 200): Promise<{url: string; requests: Request[]}> {
	const requests: Request[] = [];
	const server = createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk: string) => {
			body += chunk;
		});
		request.on('end', () => {
			requests.push({method: request.method ?? '', url: request.url ?? '', body});
			response.writeHead(status).end('OK');
		});
	});
	servers.push(server);
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping/check-1`, requests};
}

type Setup = {root: string; config: string; rsdeckConf: string; record: string; stdin: string};

/** One local volume; rsdeck.conf beside the configuration with `directives`; a notify-command that records env and stdin. */
function setup(directives: (s: {record: string}) => string, volumeExtra = ''): Setup {
	const root = temporaryDirectory();
	const store = makeStore(root, 'store', 'device1');
	const source = path.join(root, 'source');
	writeTree(source, {'file.txt': 'data\n'});
	const config = path.join(root, 'config');
	writeFileSync(config, `store --no-mounted ${store}
device device1
database ${path.join(root, 'backups.db')}
logs ${root}
rsync-extra-options
host host1
  hostname localhost
  volume volume1 ${source}
${volumeExtra}`);
	const stdin = path.join(root, 'stdin.json');
	const record = writeScript(path.join(root, 'record'), `env | grep ^RSDECK_ | sort > ${path.join(root, 'env')}\ncat > ${stdin}`);
	const rsdeckConf = path.join(root, 'rsdeck.conf');
	writeFileSync(rsdeckConf, directives({record}));
	return {root, config, rsdeckConf, record, stdin};
}

const environment = (s: Setup) => readFileSync(path.join(s.root, 'env'), 'utf8');

describe('notify-url and notify-command', () => {
	test('a run pings URL/start, then POSTs its summary to URL, and gives notify-command its counts and JSON', async () => {
		const {url, requests} = await monitor();
		const s = setup(({record}) => `notify-url ${url}\nnotify-command ${record} --flag\n`);
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: ''});
		expect(requests.map(({method, url}) => `${method} ${url}`)).toEqual(['GET /ping/check-1/start', 'POST /ping/check-1']);
		expect(requests[1]!.body).toMatch(/^rsdeck --backup --config \S+: ok, \d+ succeeded/);
		expect(environment(s)).toMatch(/^RSDECK_FAILED=0\nRSDECK_SKIPPED=\d+\nRSDECK_STATUS=ok\nRSDECK_SUCCEEDED=[1-9]\d*\n$/);
		const summary = JSON.parse(readFileSync(s.stdin, 'utf8')) as {format: string; volumes: Array<{host: string}>; run: {status: string; failures: unknown[]}};
		expect(summary).toMatchObject({format: 'rsdeck-report', volumes: [{host: 'host1'}], run: {status: 'ok', failures: []}});
	});

	test('a failing run reaches URL/fail with the failure, and notify-command hears RSDECK_STATUS=failed', async () => {
		const {url, requests} = await monitor();
		const s = setup(({record}) => `notify-url ${url}\nnotify-command ${record}\n`, '    pre-volume-hook /bin/false\n');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(1);
		expect(requests.map(({method, url}) => `${method} ${url}`)).toEqual(['GET /ping/check-1/start', 'POST /ping/check-1/fail']);
		expect(requests[1]!.body).toMatch(/: failed \(exit status 1\), 1 failed/);
		expect(requests[1]!.body).toContain('\nfailed: pre-volume-hook/host1/volume1');
		expect(environment(s)).toContain('RSDECK_STATUS=failed\n');
		expect(environment(s)).toContain('RSDECK_FAILED=1\n');
		const summary = JSON.parse(readFileSync(s.stdin, 'utf8')) as {run: {status: string; failures: Array<{action: string}>}};
		expect(summary.run).toMatchObject({status: 'failed', failures: [{action: 'pre-volume-hook/host1/volume1'}]});
	});

	test('a monitor that is down makes a WARNING after three tries each, and the run still succeeds', async () => {
		const {url, requests} = await monitor(503);
		const s = setup(({record}) => `notify-url ${url}\nnotify-command ${record}\n`);
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(result.stderr).toBe(`WARNING: notify-url: GET ${url}/start failed: HTTP 503\nWARNING: notify-url: POST ${url} failed: HTTP 503\n`);
		expect(requests.map(({method, url}) => `${method} ${url}`).sort()).toEqual([
			'GET /ping/check-1/start', 'GET /ping/check-1/start', 'GET /ping/check-1/start',
			'POST /ping/check-1', 'POST /ping/check-1', 'POST /ping/check-1',
		]);
		expect(environment(s)).toContain('RSDECK_STATUS=ok\n');
	});

	test('a failing notify-command is a WARNING, not a failed run', async () => {
		const s = setup(() => 'notify-command /bin/sh -c "echo no pager; exit 3"\n');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: 'WARNING: notify-command /bin/sh -c echo no pager; exit 3 failed: exit status 3:\nno pager\n'});
	});

	test('--dry-run sends nothing and says what it would send', async () => {
		const {url, requests} = await monitor();
		const s = setup(({record}) => `notify-url ${url}\nnotify-command ${record}\n`);
		const result = await rsdeck(['--backup', '--dry-run', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(requests).toEqual([]);
		expect(result.stderr).toContain(`INFO: would GET ${url}/start\n`);
		expect(result.stderr).toMatch(new RegExp(`INFO: would POST ${url} with:\\nrsdeck --backup --dry-run .*: ok`));
		expect(result.stderr).toContain(`INFO: would run notify-command ${s.record} with RSDECK_STATUS=ok`);
		expect(() => readFileSync(s.stdin)).toThrow();
	});

	test('notify-command is stopped after hook-timeout, with a WARNING', async () => {
		const s = setup(() => 'notify-command /bin/sleep 60\n', 'hook-timeout 1s\n');
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result).toMatchObject({exitCode: 0, stderr: 'WARNING: notify-command /bin/sleep 60 failed: timed out\n'});
	});

	test('a run that only writes a report notifies nobody', async () => {
		const {url, requests} = await monitor();
		const s = setup(() => `notify-url ${url}\n`);
		expect((await rsdeck(['--text', path.join(s.root, 'report.txt'), '--config', s.config])).exitCode).toBe(0);
		expect(requests).toEqual([]);
	});
});

describe('rsdeck.conf', () => {
	test('--rsdeck-config names another file; --dump-config --verbose says where each directive came from', async () => {
		const s = setup(() => 'notify-url http://127.0.0.1:9/a\n');
		const other = path.join(s.root, 'other.conf');
		writeFileSync(other, '\nnotify-url http://127.0.0.1:9/b\nssh-command ssh -p 2222\n');
		const beside = await rsdeck(['--dump-config', '--verbose', '--config', s.config]);
		expect(beside.stdout).toContain(`# a Healthchecks-style monitor told when a run starts, ends and fails (from ${s.rsdeckConf}:1)\nnotify-url http://127.0.0.1:9/a\n`);
		const named = await rsdeck(['--dump-config', '--verbose', '--config', s.config, '--rsdeck-config', other]);
		expect(named.stdout).not.toContain('/a\n');
		expect(named.stdout).toContain(`(from ${other}:2)\nnotify-url http://127.0.0.1:9/b\n`);
		expect(named.stdout).toContain(`(from ${other}:3)\nssh-command ssh -p 2222\n`);
	});

	test('mistakes in rsdeck.conf name the file and line', async () => {
		const s = setup(() => 'notify-url http://127.0.0.1:9/a\nmax-age 3d\n');
		expect(await rsdeck(['--dump-config', '--config', s.config])).toMatchObject({
			exitCode: 1,
			stderr: `ERROR: ${s.rsdeckConf}:2: 'max-age' belongs in the configuration file: rsdeck.conf holds only notify-url, notify-command, ssh-command\n`,
		});
		writeFileSync(s.rsdeckConf, 'notify-url hc-ping.com/abc\n');
		expect((await rsdeck(['--dump-config', '--config', s.config])).stderr).toBe(`ERROR: ${s.rsdeckConf}:1: invalid notify-url 'hc-ping.com/abc' (expected an http:// or https:// URL)\n`);
		writeFileSync(s.rsdeckConf, 'notify-url\n');
		expect((await rsdeck(['--dump-config', '--config', s.config])).stderr).toBe(`ERROR: ${s.rsdeckConf}:1: missing argument to 'notify-url'\n`);
		expect((await rsdeck(['--dump-config', '--config', s.config, '--rsdeck-config', '/nonexistent/rsdeck.conf'])).stderr)
			.toBe('ERROR: cannot read /nonexistent/rsdeck.conf: no such file or directory\n');
	});

	test('its ssh-command reaches the hosts and volumes that set none of their own', () => {
		const root = temporaryDirectory();
		const config = parseConfigText(`ssh-command ssh
host a
  volume v /v
host b
  ssh-command ssh -p 22
  volume v /v
  volume w /w
    ssh-command ssh -i key
`, path.join(root, 'config'));
		writeFileSync(path.join(root, 'rsdeck.conf'), 'ssh-command ssh -o ProxyJump=gate\n');
		readRsdeckConfig(config);
		const ssh = (host: string, volume?: string) => {
			const found = config.hosts.get(host)!;
			return (volume === undefined ? found : found.volumes.get(volume)!).sshCommand.join(' ');
		};

		expect([ssh('a'), ssh('a', 'v'), ssh('b'), ssh('b', 'v'), ssh('b', 'w')]).toEqual([
			'ssh -o ProxyJump=gate', 'ssh -o ProxyJump=gate', 'ssh -p 22', 'ssh -p 22', 'ssh -i key',
		]);
	});
});
