/**
Milliseconds to wait before automatic retry number `retry` (1 for the first):
`first` doubled each time, with "equal jitter" (half fixed, half random) so
that actions failing together do not retry in lockstep.
*/
export function backoffDelay(first: number, retry: number, random: () => number = Math.random): number {
	const ceiling = first * (2 ** (retry - 1));
	return Math.round((ceiling / 2) + (random() * ceiling / 2));
}
