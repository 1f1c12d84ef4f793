import v8 from 'node:v8';

/**
Keep a long run's heap near what it holds. By default V8 lets the young
generation grow to 32 MB and the old one to several times what is live; a
run makes a great deal of short-lived garbage (events, rows, and in the
console a frame's worth of React elements and strings), so at the end of a
1,800-backup run in the console 32 MB were live in a heap of 132 MB, and
every program rsdeck starts is forked from that much memory.
`--optimize-for-size` makes V8 grow the heap more sparingly (there: a heap
of 50 MB, peak RSS 257 → 156 MB). V8 reads the flag as the heap grows, so
setting it once the process runs takes effect; short commands (`--plan`,
reports) do not set it and keep V8's defaults, which suit a quick start.
*/
export function keepHeapSmall(): void {
	v8.setFlagsFromString('--optimize-for-size');
}
