import {useEffect, useLayoutEffect, useRef, useState} from 'react';
import {FramePacer} from './frame-pacer.js';
import type {RunSource} from './run-source.js';
import {TreeModel} from './tree-model.js';

/**
The run's tree, kept current from the source's events. Each event is folded
in at once (cheap); the screen is redrawn as FramePacer says (frame-pacer.ts).
`live` says whether the clock still moves (the run is not finished): only then
is the screen redrawn for elapsed times alone. Returns the model and a
version that changes whenever an event has changed the model since the last
render, whoever asked for the render (events or a key).
*/
export function useRunModel(source: RunSource, live: (model: TreeModel) => boolean = model => model.run.state !== 'finished'): {model: TreeModel; frame: number} {
	const [model, setModel] = useState(() => new TreeModel(source.snapshot()));
	const [, setFrame] = useState(0);
	const applied = useRef(0);
	const pacer = useRef<FramePacer | undefined>(undefined);
	pacer.current ??= new FramePacer(() => {
		setFrame(previous => previous + 1);
	});
	pacer.current.rendering();
	const liveRef = useRef(live);
	liveRef.current = live;
	useEffect(() => {
		// Snapshot and subscribe in one synchronous step so no event falls between them.
		const tree = new TreeModel(source.snapshot());
		pacer.current!.start();
		const unsubscribe = source.subscribe(event => {
			tree.apply(event);
			applied.current++;
			pacer.current!.changed();
		});
		setModel(tree);
		return () => {
			unsubscribe();
			pacer.current!.stop();
		};
	}, [source]);
	// After every commit (Ink has drawn the frame by then): its cost paces the next.
	useLayoutEffect(() => {
		pacer.current!.shown(liveRef.current(model));
	});
	return {model, frame: applied.current};
}
