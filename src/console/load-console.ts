/**
Ink and React, loaded for a terminal that a person watches: Ink would draw only
the last frame if `CI` is set in the environment, and React's development build
costs twice the CPU. Both read the environment once, when loaded; it is put
back afterwards so hooks and rsync see the operator's environment unchanged.
This module has no JSX and no static import of React for that reason: React
loaded before (as development) with Ink's reconciler after (as production)
draws nothing at all.
*/
export async function loadConsole() {
	const saved = {CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'], NODE_ENV: process.env['NODE_ENV']};
	process.env['CI'] = '0';
	process.env['CONTINUOUS_INTEGRATION'] = '0';
	process.env['NODE_ENV'] ??= 'production';
	try {
		const [react, ink, runView, statusView] = await Promise.all([import('react'), import('ink'), import('../../components/run-view.js'), import('../../components/status-view.js')]);
		return {createElement: react.createElement, render: ink.render, RunView: runView.RunView, StatusView: statusView.StatusView};
	} finally {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = value;
			}
		}
	}
}
