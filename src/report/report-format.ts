/**
Small formatters shared by the report renderers: local dates, ctime(3),
durations, sizes, and the facts read out of an rsync log.
*/

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (value: number): string => String(value).padStart(2, '0');

// The renderers take local dates from here with the other formatters; the policy's "today" uses the same one.
export {localDate} from '../config/clock.js';

/** The local time of `unixSeconds` in ctime(3) format, without the newline: `Tue Jan  1 00:00:00 1980`. */
export function ctime(unixSeconds: number): string {
	const date = new Date(unixSeconds * 1000);
	const day = String(date.getDate()).padStart(2, ' ');
	const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
	return `${weekdays[date.getDay()]} ${months[date.getMonth()]} ${day} ${time} ${date.getFullYear()}`;
}

/** A duration in seconds as its non-zero parts: `90` → `1m30s`, `3600` → `1h`, `0` → `0s`. */
export function formatDuration(seconds: number): string {
	let rest = Math.max(0, Math.floor(seconds));
	let text = '';
	for (const [suffix, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
		const count = Math.floor(rest / size);
		rest -= count * size;
		if (count > 0) {
			text += `${count}${suffix}`;
		}
	}

	return text === '' ? '0s' : text;
}

/** A size in bytes in whole binary units, rounded down: `4` → `4`, `4096` → `4K`, `2621440` → `2M`. */
export function formatSize(bytes: number): string {
	const units = ['', 'K', 'M', 'G', 'T', 'P'];
	let value = bytes;
	let index = 0;
	while (value >= 1024 && index < units.length - 1) {
		value /= 1024;
		index++;
	}

	return `${Math.floor(value)}${units[index] ?? ''}`;
}

/** `Total file size: N bytes` from rsync's `--stats` output, or undefined when the log has none. */
export function totalFileSize(log: string): number | undefined {
	const match = /^Total file size: ([\d,]+) bytes/m.exec(log);
	return match?.[1] === undefined ? undefined : Number(match[1].replaceAll(',', ''));
}

/** The median of some numbers (the mean of the middle two for an even count), rounded down. */
export function median(values: readonly number[]): number | undefined {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	if (sorted.length === 0) {
		return undefined;
	}

	return sorted.length % 2 === 1 ? sorted[middle] : Math.floor(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}
