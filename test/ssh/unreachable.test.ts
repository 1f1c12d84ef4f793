import {createServer, type Server, type Socket} from 'node:net';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {readBackups, rsdeck, writeTree} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory} from '../helpers/files.js';
import {freePort, startSshd, type TestSshd} from '../helpers/sshd.js';
import {configLine, finalState, indexOfState, parseEvents, remoteConfig, remoteHost} from './remote-fleet.js';

let sshd: TestSshd;
/** Accepts connections and never says a word: ssh waits for a banner that does not come. */
let silent: Server;
const silentSockets: Socket[] = [];
let silentPort: number;
/** Nothing listens here: connections are refused. */
let closedPort: number;

beforeAll(async () => {
	sshd = await startSshd();
	silent = createServer(socket => {
		silentSockets.push(socket);
	});
	await new Promise<void>(resolve => {
		silent.listen(0, '127.0.0.1', resolve);
	});
	const address = silent.address();
	silentPort = typeof address === 'object' && address !== null ? address.port : 0;
	closedPort = await freePort();
}, 60_000);

afterAll(async () => {
	for (const socket of silentSockets) {
		socket.destroy();
	}

	await new Promise(resolve => {
		silent.close(resolve);
	});
	await sshd.stop();
});

afterEach(() => {
	removeTemporaryDirectories();
});

/** A reachable host `remote`, and `refused` and `silent` on 127.0.0.1 through ports that never give an ssh login. */
function mixedFleet() {
	const source = path.join(temporaryDirectory('rsdeck-remote-'), 'data');
	writeTree(source, {'a.txt': 'alpha\n'});
	const unreachable = (name: string, port: number) => [
		`host ${name}`,
		'  hostname 127.0.0.1',
		`  ${configLine(['ssh-command', ...sshd.sshCommand.map(word => (word === String(sshd.port) ? String(port) : word))])}`,
		`  ${configLine(['volume', 'data', source])}`,
	].join('\n');
	return remoteConfig(sshd, {
		hosts: [unreachable('refused', closedPort), remoteHost(sshd, 'remote', [configLine(['volume', 'data', source])]), unreachable('silent', silentPort)],
	});
}

describe('unreachable hosts', () => {
	test('are skipped within ssh-timeout, checked in parallel, while a reachable host is backed up', async () => {
		const s = mixedFleet();
		const connectionsBefore = silentSockets.length;
		const started = Date.now();
		const result = await rsdeck(['--backup', '--warn-unreachable', '--json', '--config', s.config]);
		const elapsed = Date.now() - started;
		expect(result.exitCode).toBe(0);
		// ssh-timeout is 2s: the silent host costs about that, never ssh's default minutes.
		expect(elapsed).toBeLessThan(20_000);
		expect(silentSockets.length).toBeGreaterThan(connectionsBefore);
		expect(result.stderr).toMatch(/^WARNING: cannot backup refused - host is not reachable/m);
		expect(result.stderr).toMatch(/^WARNING: cannot backup silent - host is not reachable/m);
		expect(result.stderr).not.toMatch(/remote/);

		const events = parseEvents(result.stdout);
		expect(['refused', 'silent', 'remote'].map(host => finalState(events, `live/${host}`))).toEqual(['skipped', 'skipped', 'succeeded']);
		expect(finalState(events, 'backup/silent/data/device1')).toBe('skipped');
		// The checks overlapped: each was running before the others ended.
		for (const a of ['refused', 'silent', 'remote']) {
			for (const b of ['refused', 'silent', 'remote']) {
				expect(indexOfState(events, `live/${a}`, 'running'), `${a} before ${b} ended`).toBeLessThan(indexOfState(events, `live/${b}`, 'end'));
			}
		}

		expect(readBackups(s.database).map(row => [row.host, row.status])).toEqual([['remote', 2]]);
	});

	test('are skipped quietly without --warn-unreachable', async () => {
		const s = mixedFleet();
		const result = await rsdeck(['--backup', '--config', s.config]);
		expect(result.exitCode).toBe(0);
		expect(result.stderr).toBe('');
		expect(readBackups(s.database).map(row => [row.host, row.status])).toEqual([['remote', 2]]);
	});
});
