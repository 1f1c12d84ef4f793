/** The middle value of a benchmark's rounds (the upper one of an even count); NaN for none. */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** `5 runs 428–1028`: how many rounds and their range, for a result's note. */
export function spread(values: readonly number[]): string {
	const sorted = [...values].sort((a, b) => a - b);
	return `${values.length} runs ${Math.round(sorted[0]!)}–${Math.round(sorted.at(-1)!)}`;
}
