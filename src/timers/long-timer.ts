/**
The longest delay Node's timers hold (2³¹−1 ms, about 24.9 days): a longer one
fires after 1 ms instead. Configured intervals (`backup-job-timeout 30d`) are
longer, so every timer in rsdeck goes through this module.
*/
export const timerLimit = 2 ** 31 - 1;

/** A timer that can be stopped before it fires. */
export type LongTimer = {
	/** Stop it; nothing happens once it has fired. */
	clear(): void;
};

/**
Call `callback` once after `milliseconds`, however large: a delay beyond the
limit is waited for in pieces, each re-arming the next. `Infinity` never fires.
An unref'd timer does not keep the process alive (a deadline for work that
has its own handles).
*/
export function setLongTimeout(callback: () => void, milliseconds: number, options: {unref?: boolean} = {}): LongTimer {
	let remaining = milliseconds;
	let timer: NodeJS.Timeout | undefined;
	const arm = () => {
		const step = Math.min(remaining, timerLimit);
		timer = setTimeout(() => {
			remaining -= step;
			if (remaining > 0) {
				arm();
			} else {
				timer = undefined;
				callback();
			}
		}, step);
		if (options.unref) {
			timer.unref();
		}
	};

	arm();
	return {
		clear() {
			clearTimeout(timer);
			timer = undefined;
		},
	};
}

/** Call `callback` every `milliseconds`, however large, until cleared. */
export function setLongInterval(callback: () => void, milliseconds: number): LongTimer {
	let current: LongTimer | undefined;
	let cleared = false;
	const arm = () => {
		current = setLongTimeout(() => {
			callback();
			if (!cleared) {
				arm();
			}
		}, milliseconds);
	};

	arm();
	return {
		clear() {
			cleared = true;
			current?.clear();
		},
	};
}
