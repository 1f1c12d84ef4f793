import {useRef, useState} from 'react';

/**
State whose newest value can be read at once, before React renders it: keys
can arrive faster than frames (key repeat, paste), and each must act on the
state the previous one left, not on the last frame's.
Returns the state as of this render, the patching setter, and a reader of the newest value.
*/
export function useLatestState<T extends object>(initial: () => T): [T, (patch: Partial<T>) => void, () => T] {
	const latest = useRef<T | undefined>(undefined);
	latest.current ??= initial();
	const [state, setState] = useState<T>(latest.current);
	const update = (patch: Partial<T>): void => {
		latest.current = {...latest.current!, ...patch};
		setState(latest.current);
	};

	return [state, update, () => latest.current!];
}
