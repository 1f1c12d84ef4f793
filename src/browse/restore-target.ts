/**
Where a restore writes: a local directory, or `HOST:PATH` of a configured
host reached with its `ssh-command`. Never into a store: a backup tool that
wrote into its own snapshots would corrupt the history it exists to keep.
*/
import fs from 'node:fs';
import path from 'node:path';
import {isLocal} from '../actions/remote.js';
import type {Config, Host} from '../config/types.js';
import {expandStorePatterns} from '../store/expand-store-patterns.js';
import {BrowseError} from './browse-error.js';

export type RestoreTarget =
	| {kind: 'local'; path: string}
	| {kind: 'remote'; host: Host; path: string};

/** `HOST:PATH` for a configured host (a `localhost` host is local), else a local path relative to `cwd`. */
export function parseTarget(config: Config, written: string, cwd: string, extraStores: readonly string[]): RestoreTarget {
	const remote = /^([\w.-]+):(.*)$/.exec(written);
	if (remote) {
		const host = config.hosts.get(remote[1]!);
		if (host === undefined) {
			throw new BrowseError(`unknown host '${remote[1]!}' in --target ${written} (write ./${written} for a local path)`);
		}

		if (remote[2] === '') {
			throw new BrowseError(`--target ${written} names no path on ${host.name}`);
		}

		if (!isLocal(host)) {
			return {kind: 'remote', host, path: remote[2]!};
		}

		return localTarget(config, path.resolve(cwd, remote[2]!), extraStores);
	}

	return localTarget(config, path.resolve(cwd, written), extraStores);
}

function localTarget(config: Config, target: string, extraStores: readonly string[]): RestoreTarget {
	const notDirectory = fileInTheWay(target);
	if (notDirectory !== undefined) {
		throw new BrowseError(`--target ${target}: ${notDirectory} is not a directory`);
	}

	const real = realPathOfNew(target);
	const stores = [...expandStorePatterns(config.stores).map(store => store.path), ...extraStores];
	for (const store of stores) {
		const realStore = realPathOfNew(store);
		if (real === realStore || real.startsWith(`${realStore}/`)) {
			throw new BrowseError(`--target ${target} is inside the store ${store}: a restore never writes into a store`);
		}
	}

	return {kind: 'local', path: target};
}

/** The deepest existing path of `target` (itself or an ancestor) when it is not a directory: rsync could only fail there. */
function fileInTheWay(target: string): string | undefined {
	for (let current = target; ; current = path.dirname(current)) {
		try {
			return fs.statSync(current).isDirectory() ? undefined : current;
		} catch {
			// Absent (or below a file): look at the parent.
		}

		if (path.dirname(current) === current) {
			return undefined;
		}
	}
}

/** The real path `target` has or would have: its deepest existing ancestor resolved, the rest appended. */
function realPathOfNew(target: string): string {
	const missing: string[] = [];
	let current = target;
	for (;;) {
		try {
			return path.join(fs.realpathSync.native(current, {encoding: 'utf8'}), ...missing.reverse());
		} catch {
			const parent = path.dirname(current);
			if (parent === current) {
				return target;
			}

			missing.push(path.basename(current));
			current = parent;
		}
	}
}
