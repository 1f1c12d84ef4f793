import {useEffect, useState} from 'react';

/** Redraw every `interval` ms while `active`, so elapsed times advance when no events arrive. */
export function useTick(active: boolean, interval = 1000): number {
	const [tick, setTick] = useState(0);
	useEffect(() => {
		if (!active) {
			return undefined;
		}

		const timer = setInterval(() => {
			setTick(previous => previous + 1);
		}, interval);
		return () => {
			clearInterval(timer);
		};
	}, [active, interval]);
	return tick;
}
