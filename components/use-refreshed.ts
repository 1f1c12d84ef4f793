import {useEffect, useRef, useState} from 'react';
import {setLongInterval} from '../src/timers/long-timer.js';

/** What a refreshed screen shows. */
export type Refreshed<T> = {
	/** The newest value read successfully (at first, the one given). */
	value: T;
	/** Why the latest read failed; absent once a read succeeds again. */
	error?: string;
};

/**
Re-read `load()` every `interval` ms while mounted and `load` is given.
The component re-renders only when a read gives a value that `same` calls
different, or when the failure message changes: a read that throws keeps the
last value and reports its message in `error` until a read succeeds.
`initial` is the value shown before the first read.
*/
export function useRefreshed<T>(initial: T, load: (() => T) | undefined, interval: number, same: (a: T, b: T) => boolean): Refreshed<T> {
	const [refreshed, setRefreshed] = useState<Refreshed<T>>({value: initial});
	// What is shown, read by the timer: an unchanged reading must not even schedule a render.
	const shown = useRef(refreshed);
	// The newest functions, so a caller passing new ones each render does not restart the timer.
	const calls = useRef({load, same});
	calls.current = {load, same};
	const active = load !== undefined;
	useEffect(() => {
		if (!active) {
			return undefined;
		}

		const timer = setLongInterval(() => {
			const {load, same} = calls.current;
			if (load === undefined) {
				return;
			}

			const previous = shown.current;
			let next: Refreshed<T>;
			try {
				const value = load();
				next = previous.error === undefined && same(previous.value, value) ? previous : {value};
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				next = previous.error === message ? previous : {value: previous.value, error: message};
			}

			if (next !== previous) {
				shown.current = next;
				setRefreshed(next);
			}
		}, interval);
		return () => {
			timer.clear();
		};
	}, [active, interval]);
	return refreshed;
}
