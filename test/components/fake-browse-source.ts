import type {BrowseSource, Change, HistoryItem, ListedEntry, RestoreReport, RestoreUpdate, Snapshot} from '../../components/browse-source.js';

const entry = (name: string, type: ListedEntry['type'], size = 10, mtime = Date.UTC(2026, 10, 20)): ListedEntry =>
	({name, type, size, mtime, mode: 0o644, uid: 0, gid: 0, dev: 1, ino: 1, nlink: 1, rdev: 0});

/**
A test double for the stores: a volume's backups, directories as name lists,
and listings that arrive when the test releases them (`hold`), to show the
view never waits for a whole directory. Records the restores asked for.
*/
export class FakeBrowseSource implements BrowseSource {
	readonly restores: Array<{snapshot: Snapshot; path: string; target: string; cancelled: boolean; update: (update: RestoreUpdate) => void; finish: (report: RestoreReport) => void}> = [];
	readonly listed: string[] = [];
	/** While set, a listing yields its first batch and then waits for `release()`. */
	hold = false;
	#release: (() => void) | undefined;

	readonly snapshots: Snapshot[];
	readonly directories: Record<string, ListedEntry[]>;
	readonly history: HistoryItem[];
	readonly changes: Change[];

	constructor(snapshots: Snapshot[], directories: Record<string, ListedEntry[]>, history: HistoryItem[] = [], changes: Change[] = []) {
		this.snapshots = snapshots;
		this.directories = directories;
		this.history = history;
		this.changes = changes;
	}

	static entry = entry;

	release(): void {
		this.#release?.();
	}

	async backups(): Promise<Snapshot[]> {
		return this.snapshots;
	}

	async * list(snapshot: Snapshot, relative: string): AsyncGenerator<ListedEntry[]> {
		this.listed.push(`${snapshot.id}:${relative}`);
		const entries = this.directories[relative];
		if (entries === undefined) {
			throw new Error(`${relative} is not a directory of ${snapshot.id}`);
		}

		for (let start = 0; start < entries.length; start += 256) {
			if (start > 0 && this.hold) {
				// eslint-disable-next-line no-await-in-loop
				await new Promise<void>(resolve => {
					this.#release = resolve;
				});
			}

			yield entries.slice(start, start + 256);
		}
	}

	async versions(): Promise<HistoryItem[]> {
		return this.history;
	}

	async diff(_host: string, _volume: string, snapshot: Snapshot): Promise<{older: Snapshot; changes: Change[]}> {
		const older = this.snapshots.find(other => other.device === snapshot.device && other.time < snapshot.time) ?? snapshot;
		return {older, changes: this.changes};
	}

	restore(_host: string, _volume: string, snapshot: Snapshot, path: string, target: string, update: (update: RestoreUpdate) => void) {
		if (target.startsWith('/store')) {
			throw new Error(`target ${target} is inside the store /store`);
		}

		let finish: (report: RestoreReport) => void = () => undefined;
		const done = new Promise<RestoreReport>(resolve => {
			finish = resolve;
		});
		const record = {snapshot, path, target, cancelled: false, update, finish};
		this.restores.push(record);
		return {
			cancel() {
				record.cancelled = true;
				finish({state: 'cancelled', written: [], skipped: []});
			},
			done,
		};
	}
}
