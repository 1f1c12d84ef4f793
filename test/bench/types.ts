/** One measured number, printed by `npm run bench`. */
export type BenchResult = {
	/** What was measured (`engine-100k wall time`). */
	name: string;
	value: number;
	/** `ms`, `actions/s`, `MB`, `×`… */
	unit: string;
	/** The same measure for the thing compared against, in the same run; null when there is none. */
	baseline: number | null;
	/** value / baseline (or the figure of merit the benchmark defines); null when there is none. */
	ratio: number | null;
	/** What the baseline was, or the target. */
	note?: string;
};

/** What every `*.bench.ts` exports as default. */
export type Bench = () => Promise<BenchResult[]>;
