/**
The console, as `main` uses it: only this folder loads Ink and the components,
and only when a run or the status screen is shown at a terminal. Loading Ink
is load-console.ts, the engine as the view sees it run-source.ts, showing a
run show-run.ts, and the status screen's loop status-loop.ts.
*/
export {showRun as run} from './show-run.js';
export {status} from './status-loop.js';
