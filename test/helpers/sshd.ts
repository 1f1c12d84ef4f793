import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';

const sshdProgram = '/usr/sbin/sshd';

/** A private sshd on a loopback port, for tests that reach "remote" hosts. */
export type TestSshd = {
	/** Always `127.0.0.1`: the server listens on loopback only. */
	hostname: string;
	/** The user to log in as (the user running the tests). */
	user: string;
	port: number;
	/** The client's private key, authorised on the server. */
	key: string;
	/** An `ssh-command` that reaches the server without touching any known_hosts or ssh_config. */
	sshCommand: string[];
	/** Temporary directory holding keys, config and pid file. */
	directory: string;
	/** Kill the server and wait until its process is gone; removes `directory`. */
	stop: () => Promise<void>;
};

/** A free TCP port on 127.0.0.1 (the kernel picks it; it is closed again before returning). */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	await new Promise(resolve => {
		server.close(resolve);
	});
	if (address === null || typeof address === 'string') {
		throw new Error('no TCP port for the test sshd');
	}

	return address.port;
}

async function generateKey(file: string): Promise<void> {
	await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rsdeck-test', '-f', file]);
}

function writeServerConfig(directory: string, port: number): string {
	const config = path.join(directory, 'sshd_config');
	writeFileSync(config, [
		`Port ${port}`,
		'ListenAddress 127.0.0.1',
		`HostKey ${path.join(directory, 'host_key')}`,
		`PidFile ${path.join(directory, 'sshd.pid')}`,
		`AuthorizedKeysFile ${path.join(directory, 'authorized_keys')}`,
		'StrictModes no',
		'PermitRootLogin prohibit-password',
		'PubkeyAuthentication yes',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'UsePAM no',
		'UseDNS no',
		'',
	].join('\n'));
	return config;
}

/**
Start a private sshd: fresh host and client keys in a temporary directory, its
own config, pid file and authorized_keys there, listening on 127.0.0.1 only.
The machine's ssh configuration is not read or changed. Ready when a real
login succeeds.
*/
export async function startSshd(): Promise<TestSshd> {
	if (!existsSync(sshdProgram)) {
		throw new Error(`${sshdProgram} is missing: install openssh-server (apt-get install openssh-server) to run the ssh tests`);
	}

	// sshd's privilege separation directory; a fresh openssh-server install has not made it yet.
	mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
	const directory = mkdtempSync(path.join(tmpdir(), 'rsdeck-sshd-'));
	try {
		await generateKey(path.join(directory, 'host_key'));
		await generateKey(path.join(directory, 'client_key'));
		writeFileSync(path.join(directory, 'authorized_keys'), readFileSync(path.join(directory, 'client_key.pub')));
		return await launch(directory);
	} catch (error) {
		rmSync(directory, {recursive: true, force: true});
		throw error;
	}
}

/** Start sshd on a free port, retrying if another process took the port meanwhile. */
async function launch(directory: string): Promise<TestSshd> {
	let failure = '';
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const child = spawn(sshdProgram, ['-D', '-e', '-f', writeServerConfig(directory, port)], {stdio: ['ignore', 'ignore', 'pipe']});
		let log = '';
		child.stderr.setEncoding('utf8').on('data', (text: string) => {
			log += text;
		});
		const exited = new Promise<void>(resolve => {
			child.once('exit', () => {
				resolve();
			});
		});
		const key = path.join(directory, 'client_key');
		const sshCommand = ['ssh', '-F', 'none', '-p', String(port), '-i', key, '-oIdentitiesOnly=yes', '-oUserKnownHostsFile=/dev/null', '-oStrictHostKeyChecking=no', '-oLogLevel=ERROR'];
		const user = userInfo().username;
		if (await loginWorks(sshCommand, `${user}@127.0.0.1`, child)) {
			return {hostname: '127.0.0.1', user, port, key, sshCommand, directory, stop: async () => stop(child, exited, directory)};
		}

		await stop(child, exited, directory, false);
		failure = log;
	}

	throw new Error(`the test sshd did not start:\n${failure}`);
}

/** Try logging in until it works (true) or sshd has exited (false); each try is a real connection. */
async function loginWorks(sshCommand: string[], target: string, child: ChildProcess): Promise<boolean> {
	const deadline = Date.now() + 20_000;
	while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
		const [program = 'ssh', ...options] = sshCommand;
		const result = await execa(program, [...options, '-oBatchMode=yes', '-oConnectTimeout=5', target, 'true'], {reject: false, timeout: 10_000});
		if (result.exitCode === 0) {
			return true;
		}

		// A refused connection returns at once; pause briefly rather than spin while sshd binds its port.
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	return false;
}

async function stop(child: ChildProcess, exited: Promise<void>, directory: string, removeDirectory = true): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) {
		child.kill('SIGTERM');
	}

	await exited;
	if (child.pid !== undefined && processExists(child.pid)) {
		throw new Error(`the test sshd (pid ${child.pid}) is still running`);
	}

	if (removeDirectory) {
		rmSync(directory, {recursive: true, force: true});
	}
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
