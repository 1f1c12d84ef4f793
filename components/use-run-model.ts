import {useEffect, useState} from 'react';
import type {RunSource} from './run-source.js';
import {TreeModel} from './tree-model.js';

/** Milliseconds between redraws while events arrive: a steady frame rate however busy the run. */
export const frameInterval = 200;

/**
The run's tree, kept current from the source's events. Each event is folded
in at once (cheap); the screen is redrawn at most once per frame interval.
Returns the model and a frame number that changes on each redraw.
*/
export function useRunModel(source: RunSource): {model: TreeModel; frame: number} {
	const [model, setModel] = useState(() => new TreeModel(source.snapshot()));
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		// Snapshot and subscribe in one synchronous step so no event falls between them.
		const live = new TreeModel(source.snapshot());
		let timer: NodeJS.Timeout | undefined;
		const unsubscribe = source.subscribe(event => {
			live.apply(event);
			timer ??= setTimeout(() => {
				timer = undefined;
				setFrame(previous => previous + 1);
			}, frameInterval);
		});
		setModel(live);
		return () => {
			unsubscribe();
			clearTimeout(timer);
		};
	}, [source]);
	return {model, frame};
}
