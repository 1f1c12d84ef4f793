import type {Config, Host, Volume} from '../config/types.js';
import type {ClockPurpose} from '../config/clock.js';
import type {BackupDatabase} from '../db/backup-database.js';
import type {StoreCheck} from '../store/identify-stores.js';

/** Options of a run that change what bodies do. */
export type RunSettings = {
	dryRun: boolean;
	force: boolean;
	verbose: boolean;
	warnStore: boolean;
	warnUnreachable: boolean;
	warnPartial: boolean;
	/** `--errors` (default) / `--no-errors`: show rsync's error lines with a failed backup. */
	errors: boolean;
	/** `backup-time` only applies when no selectors were given. */
	honourBackupTime: boolean;
	/** `--store`/`--unmounted-store`: only these stores are used. */
	storeOverride?: Array<{path: string; mounted: boolean}>;
	/** `--prune`: prune by policy. */
	prune: boolean;
	/** `--prune-incomplete`: remove underway and failed backups. */
	pruneIncomplete: boolean;
	/** Devices are needed even when no backup is due or to remove (retiring; pruning after backups, decided only once they are done). */
	alwaysNeedDevices: boolean;
	/** The clock, per purpose (Unix seconds). */
	now: (purpose: ClockPurpose) => number;
	/** SIGTERM→SIGKILL grace for cancelled children, ms. */
	killGrace: number;
	/** Ask rsync for progress records (`--info=progress2`) to show live; only when a console watches. */
	progress: boolean;
};

/** What one (volume, device) backup has done so far in this run. */
export type BackupAttempt = {
	id: string;
	time: number;
	/** rsync's result, once it ran. */
	result?: {ok: boolean; waitStatus: number; log: string};
};

/**
The state action bodies share during one run: the configuration, the database,
the stores found by check-stores, and what each step decided for later steps.
Plain data and lookups; no rendering, no engine.
*/
export class Runtime {
	readonly config: Config;
	readonly settings: RunSettings;
	readonly db: BackupDatabase;
	/** Set by check-stores. */
	stores: StoreCheck | undefined;
	/** `h/v/d` → the backup is due (identify succeeded). */
	readonly due = new Map<string, boolean>();
	/** `h/v` → source path printed by the pre-volume-hook (a snapshot). */
	readonly sourcePaths = new Map<string, string>();
	/** `h/v/d` → this run's backup, set once its underway row is written (or would be, in a dry run). */
	readonly attempts = new Map<string, BackupAttempt>();
	/** `h/v/d/id` → why a backup is being pruned (absent for retire). */
	readonly pruneReasons = new Map<string, string>();
	/** find-prunable found backups to remove, so devices (and the device hooks) are needed. */
	removalsFound = false;

	constructor(config: Config, settings: RunSettings, db: BackupDatabase) {
		this.config = config;
		this.settings = settings;
		this.db = db;
	}

	host(name: string): Host {
		const host = this.config.hosts.get(name);
		if (!host) {
			throw new Error(`unknown host ${name}`);
		}

		return host;
	}

	volume(hostName: string, volumeName: string): Volume {
		const volume = this.host(hostName).volumes.get(volumeName);
		if (!volume) {
			throw new Error(`unknown volume ${hostName}:${volumeName}`);
		}

		return volume;
	}

	/** The store a device was found in, if it is available. */
	storeOf(device: string): string | undefined {
		return this.stores?.devices.get(device)?.store;
	}

	/** Some backup was found due or to remove, so devices (and the device hooks) are needed. */
	devicesNeeded(): boolean {
		return this.settings.alwaysNeedDevices || this.removalsFound || [...this.due.values()].includes(true);
	}

	/** The volume will be backed up to at least one available device. */
	volumeNeeded(host: string, volume: string, devices: readonly string[]): boolean {
		return devices.some(device => this.due.get(`${host}/${volume}/${device}`) === true && this.storeOf(device) !== undefined);
	}
}
