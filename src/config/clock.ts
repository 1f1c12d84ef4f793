import {UsageError} from '../options/usage-error.js';

/** What "now" is wanted for; each has its own `RSBACKUP_TIME_<PURPOSE>` override. */
export type ClockPurpose = 'backup' | 'finish' | 'prune' | 'report';

/**
The current time in Unix seconds for `purpose`. `RSBACKUP_TIME_<PURPOSE>`
(e.g. `RSBACKUP_TIME_PRUNE`) wins over `RSBACKUP_TIME`; each is a Unix time
or an ISO time `1980-01-01T00:00:00` read as UTC (SPEC §2). Without either,
the real clock; so too when the variable that decides is set but empty, as
in rsbackup: scripts and test harnesses pass `RSBACKUP_TIME=` through empty.
*/
export function now(purpose: ClockPurpose, env: NodeJS.ProcessEnv = process.env): number {
	const value = env[overrides[purpose]] ?? env['RSBACKUP_TIME'];
	if (value === undefined || value === '') {
		return Math.floor(Date.now() / 1000);
	}

	// A run asks for the time at every backup: the value is parsed once.
	let parsed = parsedTimes.get(value);
	if (parsed === undefined) {
		parsed = parseFakeTime(value);
		if (parsedTimes.size >= 16) {
			parsedTimes.clear();
		}

		parsedTimes.set(value, parsed);
	}

	return parsed;
}

const overrides: Record<ClockPurpose, string> = {
	backup: 'RSBACKUP_TIME_BACKUP',
	finish: 'RSBACKUP_TIME_FINISH',
	prune: 'RSBACKUP_TIME_PRUNE',
	report: 'RSBACKUP_TIME_REPORT',
};

/** Fake times already parsed, by value (a run sees one or two). */
const parsedTimes = new Map<string, number>();

/** A Unix time or `YYYY-MM-DDTHH:MM:SS` (UTC) → Unix seconds. */
export function parseFakeTime(value: string): number {
	if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) {
		return Number(value);
	}

	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(value);
	if (match) {
		const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
		const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
		const roundTrip = date.toISOString().slice(0, 19);
		if (roundTrip === value) {
			return date.getTime() / 1000;
		}
	}

	throw new UsageError(`cannot parse RSBACKUP_TIME value: ${value}`);
}

/** The local calendar date of a Unix time (seconds), as `YYYY-MM-DD`: the day rsbackup's daily policy and reports speak of. */
export function localDate(unixSeconds: number): string {
	const date = new Date(unixSeconds * 1000);
	const pad2 = (value: number): string => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}
