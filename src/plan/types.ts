import type {Edge} from '../engine/types.js';

/** The kinds of step in an rsbackup run (SPEC §3); the first segment of an action's name. */
export type StepKind =
	| 'live'
	| 'mounted'
	| 'flag'
	| 'identify'
	| 'pre-device-hook'
	| 'check-stores'
	| 'pre-volume-hook'
	| 'underway'
	| 'backup'
	| 'record-backup'
	| 'post-volume-hook'
	| 'post-device-hook'
	| 'find-prunable'
	| 'remove'
	| 'log-prunable'
	| 'expire-prune-logs'
	| 'retire'
	| 'forget';

/** One action of the plan: everything but its body, so a plan can be printed and tested. */
export type PlannedAction = {
	name: string;
	kind: StepKind;
	host?: string;
	volume?: string;
	device?: string;
	/** Backup id, for `remove/H/V/D/ID`. */
	id?: string;
	after: Edge[];
	resources: string[];
	priority: number;
	/** Expected duration, ms. */
	estimate: number;
	/** Runs even when the run is cancelled (records, post hooks, prune logs): see `cleanupKinds`. */
	cleanup: boolean;	/** `forget/…` only: the records go without their backups (`--forget-only`), so no directories are tidied. */
	forgetOnly?: boolean;
};

/** What a run is asked to do. */
export type PlanRequest = {
	backup: boolean;
	prune: boolean;
	pruneIncomplete: boolean;
	/** `--retire HOST[:VOLUME]…`, with `--forget-only` or not. Targets need not be configured any more. */
	retire?: {forgetOnly: boolean; targets: Array<{host: string; volume?: string}>};
	/** The selectors' verdict for a volume. */
	selected: (host: string, volume: string) => boolean;
	/** `host/volume/device` → expected backup duration in ms, from history. */
	estimates: ReadonlyMap<string, number>;
};
