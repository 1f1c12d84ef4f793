import type {Options} from '../options/parse-options.js';
import {requestedActions} from '../options/requested-actions.js';
import {finishRun, type StartedRun} from '../run/run-backups.js';
import {loadConsole} from './load-console.js';
import {runSource} from './run-source.js';

/**
Show a started run until the operator quits. The run may end and be retried
any number of times before that; its exit status is taken at the end, as headless.
*/
export async function showRun(started: StartedRun, options: Options, signalled?: AbortSignal): Promise<number> {
	const {createElement, render, RunView} = await loadConsole();
	const {engine} = started.execution;
	const source = runSource(started);
	started.execution.start();
	await new Promise<void>(resolve => {
		// The console ends once every action has: quitting stops the run first (clean-up still runs;
		// quitting again stops it too). A signal has stopped the run already.
		let closing = false;
		const close = () => {
			if (closing) {
				return;
			}

			closing = true;
			void engine.settled().then(() => {
				app.unmount();
				resolve();
			});
		};

		const view = createElement(RunView, {source, title: runTitle(options), ...(started.estimate === undefined ? {} : {estimate: started.estimate}), onExit() {
			started.execution.stop();
			close();
		}});
		// Only the lines that changed are written: a frame of a big run rewrote the whole terminal several times a second.
		const app = render(view, {exitOnCtrlC: false, incrementalRendering: true});
		// A signal (the run is already being cancelled) ends the console once clean-up is done.
		signalled?.addEventListener('abort', close, {once: true});
	});
	return finishRun(started);
}

function runTitle(options: Options): string {
	const what = requestedActions(options).steps.join(' + ');
	const selection = options.selectors.length > 0 ? ` ${options.selectors.join(' ')}` : '';
	return `rsdeck ${what}${selection}${options.dryRun ? ' (dry run)' : ''}`;
}
