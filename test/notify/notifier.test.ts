import {once} from 'node:events';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {expect, test} from 'vitest';
import {defaultConfig} from '../../src/config/defaults.js';
import {Notifier} from '../../src/notify/notifier.js';

test('the end of a run stops waiting for a monitor that never answers, with a WARNING', async () => {
	const server = createServer(() => {
		// Never answers.
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`;
	const written: string[] = [];
	try {
		const notifier = new Notifier({...defaultConfig('config'), notifyUrls: [url]}, {dryRun: false, write: text => written.push(text), killGrace: 1000, deadline: 200});
		notifier.start();
		await notifier.finish({status: 'ok', exitStatus: 0, counts: {}, failures: [], command: 'rsdeck -b'}, () => '{}');
	} finally {
		server.closeAllConnections();
		server.close();
	}

	expect(written.join('')).toBe(`WARNING: notify-url: monitors gave no answer in 0.2 s; giving up
WARNING: notify-url: GET ${url}/start failed: given up at the end of the run
WARNING: notify-url: POST ${url} failed: given up at the end of the run
`);
});
