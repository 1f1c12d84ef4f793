import type {EngineEvent} from '../engine/types.js';
import type {StartedRun} from '../run/run-backups.js';
import type {RunSource} from '../../components/run-source.js';

/**
The engine of a run, as the view sees it. The run starts before the view has
subscribed, so output and run events until then are kept and handed to the
first subscriber (states need no replay: the snapshot has them).
*/
export function runSource(run: StartedRun): RunSource {
	const {engine} = run.execution;
	const early: EngineEvent[] = [];
	const stopKeeping = engine.subscribe(event => {
		if (event.type !== 'state') {
			early.push(event);
		}
	});
	return {
		snapshot: () => engine.snapshot(),
		subscribe(listener) {
			stopKeeping();
			for (const event of early.splice(0)) {
				listener(event);
			}

			return engine.subscribe(listener);
		},
		cancel(names) {
			run.execution.cancel(names);
		},
		retry(name) {
			run.execution.retry(name);
		},
	};
}
