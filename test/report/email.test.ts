import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {BackupStatus} from '../../src/db/types.js';
import {emailMessage, sendEmail} from '../../src/report/email.js';
import {htmlReport} from '../../src/report/html-report.js';
import {reportData} from '../../src/report/report-data.js';
import {ReportError} from '../../src/report/report-error.js';
import {textReport} from '../../src/report/text-report.js';
import {at, makeConfig, row} from './fixtures.js';

beforeAll(() => {
	process.env['TZ'] = 'UTC';
});

function troubledFleet() {
	const config = makeConfig(['d1', 'd2'], {h: ['missing1', 'missing2', 'partial', 'stale', 'failing', 'fine']}, {report: [
		{key: 'title', value: 'Backups at Grüneck (${RSBACKUP_DATE})'},
		{key: 'h1', value: 'Backups'},
		{key: 'warnings'},
		{key: 'summary'},
		{key: 'logs'},
	]});
	const rows = [
		row('h', 'partial', 'd1', '1980-01-10T00:00:00'),
		...['d1', 'd2'].flatMap(device => [
			row('h', 'stale', device, '1980-01-01T00:00:00'),
			row('h', 'failing', device, '1980-01-09T00:00:00'),
			row('h', 'fine', device, '1980-01-10T00:00:00'),
		]),
		row('h', 'failing', 'd1', '1980-01-10T00:00:00', {status: BackupStatus.failed, log: `rsync: ${'very long line '.repeat(10)}=end\n`}),
		row('h', 'gone', 'd1', '1980-01-10T00:00:00'),
	];
	return reportData({config, rows, now: at('1980-01-10T12:00:00'), logs: 'failed'});
}

/** Split a message into headers and MIME parts, decoding quoted-printable. */
function parseMessage(message: string) {
	const [head = '', body = ''] = message.split(/\n\n(.*)/s);
	const headers = Object.fromEntries(head.split('\n').map(line => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
	const boundary = /boundary="([^"]+)"/.exec(headers['Content-Type'] ?? '')?.[1] ?? 'missing boundary';
	const chunks = body.split(`--${boundary}`);
	expect(chunks.at(-1)).toBe('--\n');
	const parts = chunks.slice(1, -1).map(chunk => {
		const [partHead = '', partBody = ''] = chunk.replace(/^\n/, '').split(/\n\n(.*)/s);
		const encoded = partBody.replace(/\n$/, '');
		for (const line of encoded.split('\n')) {
			expect(line.length).toBeLessThanOrEqual(76);
		}

		const bytes = encoded.replaceAll('=\n', '').replaceAll(/=([\dA-F]{2})/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
		return {head: partHead.split('\n'), body: Buffer.from(bytes, 'latin1').toString('utf8')};
	});
	return {headers, parts};
}

describe('emailMessage', () => {
	test('has the headers, a subject with the non-zero counts, and the text and HTML reports as alternatives', () => {
		const data = troubledFleet();
		const {headers, parts} = parseMessage(emailMessage(data, 'ops@example.org'));
		expect(headers).toEqual({
			To: 'ops@example.org',
			Subject: `=?UTF-8?B?${Buffer.from('Backups at Grüneck (1980-01-10) missing:2 partial:1 stale:1 failed:1 unknown:1').toString('base64')}?=`,
			Date: 'Thu, 10 Jan 1980 12:00:00 +0000',
			'MIME-Version': '1.0',
			'Content-Type': expect.stringMatching(/^multipart\/alternative; boundary="rsdeck-[\da-f]{32}"$/) as string,
		});
		expect(parts.map(part => part.head)).toEqual([
			['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
			['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
		]);
		expect(parts[0]?.body).toBe(textReport(data));
		expect(parts[1]?.body).toBe(htmlReport(data));
	});

	test('a plain ASCII title with no warnings is the subject as it is', () => {
		const config = makeConfig(['d1'], {h: ['v']});
		const data = reportData({config, rows: [row('h', 'v', 'd1', '1980-01-10T00:00:00')], now: at('1980-01-10T12:00:00'), logs: 'failed'});
		expect(parseMessage(emailMessage(data, 'root')).headers['Subject']).toBe('Backup report (1980-01-10)');
	});

	test('refuses an address that would inject headers', () => {
		expect(() => emailMessage(troubledFleet(), 'ops@example.org\nBcc: everyone@example.org')).toThrow(new ReportError('invalid email address \'ops@example.org Bcc: everyone@example.org\''));
	});
});

describe('sendEmail', () => {
	let directory: string;
	beforeEach(async () => {
		directory = await mkdtemp(path.join(tmpdir(), 'rsdeck-sendmail-'));
	});
	afterEach(async () => {
		await rm(directory, {recursive: true, force: true});
	});

	async function fakeSendmail(body: string): Promise<string> {
		const script = path.join(directory, 'sendmail');
		await writeFile(script, `#!/bin/sh\n${body}\n`);
		await chmod(script, 0o755);
		return script;
	}

	test('hands the message to sendmail -t -oee -oi -odb on stdin', async () => {
		const sendmail = await fakeSendmail(`printf '%s\\n' "$@" > '${directory}/argv'\ncat > '${directory}/stdin'`);
		const message = emailMessage(troubledFleet(), 'ops@example.org');
		await sendEmail(message, sendmail);
		expect(await readFile(path.join(directory, 'argv'), 'utf8')).toBe('-t\n-oee\n-oi\n-odb\n');
		expect(await readFile(path.join(directory, 'stdin'), 'utf8')).toBe(message);
	});

	test('a failing sendmail is a ReportError with its output', async () => {
		const sendmail = await fakeSendmail('cat > /dev/null; echo "sendmail: queue is full" >&2; exit 75');
		await expect(sendEmail('To: x\n\nhello\n', sendmail)).rejects.toThrow(new ReportError(`sendmail ${sendmail} failed (exit status 75): sendmail: queue is full`));
	});

	test('a missing sendmail is a ReportError naming it', async () => {
		const sendmail = path.join(directory, 'no-such-sendmail');
		await expect(sendEmail('To: x\n\nhello\n', sendmail)).rejects.toThrow(`cannot run sendmail ${sendmail}: no such file or directory`);
	});
});
