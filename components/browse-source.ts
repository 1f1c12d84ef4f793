import type {ListedEntry} from '../src/browse/list-directory.js';
import type {HistoryItem} from '../src/browse/path-history.js';
import type {Change} from '../src/browse/snapshot-diff.js';
import type {Snapshot} from '../src/browse/volume-backups.js';
import type {ActionState, Progress} from '../src/engine/types.js';

export type {ListedEntry} from '../src/browse/list-directory.js';
export type {HistoryItem} from '../src/browse/path-history.js';
export type {Change} from '../src/browse/snapshot-diff.js';
export type {Snapshot} from '../src/browse/volume-backups.js';

/** What a restore started from the console says while it runs. */
export type RestoreUpdate = {progress: Progress} | {output: string};

/** How a restore ended. */
export type RestoreReport = {
	state: ActionState;
	message?: string;
	written: string[];
	skipped: string[];
};

/** A restore under way: cancellable, and settled with its report. */
export type RestoreHandle = {
	cancel(): void;
	done: Promise<RestoreReport>;
};

/**
What the snapshot browser needs from the stores and the database, handed in
by src/console: the view reads through it and never touches a file itself.
Every call may throw (or reject) with a message to show.
*/
export type BrowseSource = {
	/** The volume's backups, newest first. */
	backups(host: string, volume: string): Promise<Snapshot[]>;
	/** A directory of a snapshot, in batches as it is read. */
	list(snapshot: Snapshot, relative: string, signal: AbortSignal): AsyncIterable<ListedEntry[]>;
	/** The versions of a path across the volume's readable backups, oldest first. */
	versions(host: string, volume: string, relative: string): Promise<HistoryItem[]>;
	/** What changed under `relative` since the previous complete backup on the same device. */
	diff(host: string, volume: string, snapshot: Snapshot, relative: string, signal: AbortSignal): Promise<{older: Snapshot; changes: Change[]}>;
	/** Restore `relative` of the snapshot to `target` (as `--target` takes it); throws when the target is refused. */
	restore(host: string, volume: string, snapshot: Snapshot, relative: string, target: string, onUpdate: (update: RestoreUpdate) => void): RestoreHandle;
};
