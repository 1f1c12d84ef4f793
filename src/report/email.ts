/**
The `--email` report: an RFC 5322 message with the text and HTML reports as
multipart/alternative parts, handed to `sendmail -t -oee -oi -odb`.
*/
import {createHash} from 'node:crypto';
import {runProcess} from '../process/run-process.js';
import type {ReportData, WarningCounts} from './report-data.js';
import {htmlReport} from './html-report.js';
import {ReportError} from './report-error.js';
import {textReport} from './text-report.js';

/** How long sendmail may take before it is killed, milliseconds. */
const sendmailTimeout = 300_000;

/** The subject: the title plus ` missing:N partial:N stale:N failed:N unknown:N`, non-zero counts only. */
export function emailSubject(data: ReportData): string {
	const keys: Array<keyof WarningCounts> = ['missing', 'partial', 'stale', 'failed', 'unknown'];
	const counts = keys.filter(key => data.counts[key] > 0).map(key => ` ${key}:${data.counts[key]}`);
	return data.title + counts.join('');
}

/** The whole message for `sendmail -t`: headers, then the text and HTML parts. */
export function emailMessage(data: ReportData, to: string): string {
	if (to.trim() === '' || /[\r\n]/.test(to)) {
		throw new ReportError(`invalid email address '${to.replaceAll(/[\r\n]/g, ' ')}'`);
	}

	const text = quotedPrintable(textReport(data));
	const html = quotedPrintable(htmlReport(data));
	const boundary = `rsdeck-${createHash('sha256').update(text).update(html).digest('hex').slice(0, 32)}`;
	const part = (type: string, body: string) => [
		`--${boundary}`,
		`Content-Type: ${type}; charset=utf-8`,
		'Content-Transfer-Encoding: quoted-printable',
		'',
		body,
	].join('\n');
	return [
		`To: ${to}`,
		`Subject: ${encodeHeader(emailSubject(data).replaceAll(/[\r\n]+/g, ' '))}`,
		`Date: ${rfc5322Date(data.now)}`,
		'MIME-Version: 1.0',
		`Content-Type: multipart/alternative; boundary="${boundary}"`,
		'',
		'This is a MIME message: a text and an HTML backup report.',
		'',
		part('text/plain', text),
		part('text/html', html),
		`--${boundary}--`,
		'',
	].join('\n');
}

/** Send `message` with `SENDMAIL -t -oee -oi -odb`; throws `ReportError` when it cannot be started or fails. */
export async function sendEmail(message: string, sendmail: string): Promise<void> {
	const result = await runProcess([sendmail, '-t', '-oee', '-oi', '-odb'], {input: message, timeout: sendmailTimeout});
	if (result.spawnError !== undefined) {
		throw new ReportError(`cannot run sendmail ${sendmail}: ${result.spawnError}`);
	}

	if (result.exitCode !== 0) {
		const how = result.timedOut ? 'timed out' : (result.exitCode === undefined ? `killed by ${result.signal ?? 'a signal'}` : `exit status ${result.exitCode}`);
		const output = result.output.trim();
		throw new ReportError(`sendmail ${sendmail} failed (${how})${output === '' ? '' : `: ${output}`}`);
	}
}

/** RFC 2047 encoding for a header value that is not plain ASCII. */
function encodeHeader(value: string): string {
	return /^[\u0020-\u007E]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Quoted-printable (RFC 2045) with `\n` line ends and soft breaks before 76 characters. */
export function quotedPrintable(text: string): string {
	return text.split('\n').map(line => encodeLine(line)).join('\n');
}

function encodeLine(line: string): string {
	const bytes = Buffer.from(line, 'utf8');
	const tokens: string[] = [];
	for (const [index, byte] of bytes.entries()) {
		const last = index === bytes.length - 1;
		const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
		tokens.push(literal ? String.fromCodePoint(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`);
	}

	const lines: string[] = [];
	let current = '';
	for (const token of tokens) {
		if (current.length + token.length > 75) {
			lines.push(`${current}=`);
			current = '';
		}

		current += token;
	}

	lines.push(current);
	return lines.join('\n');
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The report time as an RFC 5322 date in local time: `Tue, 01 Jan 1980 00:00:00 +0000`. */
function rfc5322Date(unixSeconds: number): string {
	const date = new Date(unixSeconds * 1000);
	const pad = (value: number) => String(value).padStart(2, '0');
	const offset = -date.getTimezoneOffset();
	const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
	return `${days[date.getDay()]}, ${pad(date.getDate())} ${months[date.getMonth()]} ${date.getFullYear()} ${time} ${zone}`;
}
