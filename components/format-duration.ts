/** A duration for a narrow column: `0s`, `42s`, `3m05s`, `1h02m`, `2d03h`. Negative counts as zero. */
export function formatDuration(milliseconds: number): string {
	const seconds = Math.max(0, Math.floor(milliseconds / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m${pad(seconds % 60)}s`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		return `${hours}h${pad(minutes % 60)}m`;
	}

	return `${Math.floor(hours / 24)}d${pad(hours % 24)}h`;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
