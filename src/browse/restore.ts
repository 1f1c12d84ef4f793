/**
Restore: copy PATH out of a snapshot with rsync, as an engine action. PATH
keeps its place inside the volume (`etc/ssh` restored to DEST lands in
`DEST/etc/ssh`), what the backup preserved is preserved, nothing at DEST is
ever deleted (no `--delete`), and without `force` nothing there is replaced
(`--ignore-existing`; what was skipped is listed).
*/
import {mkdir} from 'node:fs/promises';
import {rshQuote, shellQuote, sshTarget} from '../actions/remote.js';
import {RsyncProgressFilter} from '../actions/rsync-progress.js';
import {describeEnd} from '../actions/run-hook.js';
import type {Volume} from '../config/types.js';
import type {ActionContext, ActionSpec, Outcome} from '../engine/types.js';
import {runProcess} from '../process/run-process.js';
import type {RestoreTarget} from './restore-target.js';

export type RestoreRequest = {
	host: string;
	volume: string;
	/** The backup's ID, for names and messages. */
	id: string;
	/** `STORE/HOST/VOLUME/ID`. */
	snapshot: string;
	/** Relative to the volume's root; `''` = all of it. */
	path: string;
	target: RestoreTarget;
	/** Replace existing files at the target. */
	force: boolean;
	/** Only list what would be written. */
	dryRun: boolean;
	/** Report rsync's progress (the console). */
	progress: boolean;
};

/** What a restore did (the outcome's `detail`). */
export type RestoreResult = {
	/** Paths written (or that would be, in a dry run), relative to the target. */
	written: string[];
	/** Existing files left alone (without `force`). */
	skipped: string[];
};

/** Options of `rsync-extra-options` that say what a backup preserved; a restore preserves the same. */
const preservingOptions = new Set(['--xattrs', '-X', '--acls', '-A', '--executability', '-E', '--crtimes', '-N', '--atimes', '-U', '--open-noatime']);

/** The rsync argument vector and environment of a restore. */
export function restoreCommand(volume: Volume, request: Omit<RestoreRequest, 'progress'> & {progress?: boolean}): {argv: string[]; env: Record<string, string>} {
	const {target} = request;
	const destination = target.kind === 'local' ? `${target.path}/` : `${sshTarget(target.host)}:${shellQuote(`${target.path}/`)}`;
	const remote = target.kind === 'remote' ? target.host : undefined;
	const argv = [
		volume.rsyncCommand,
		'--archive', '--hard-links', '--numeric-ids', '--sparse',
		...volume.rsyncExtraOptions.filter(option => preservingOptions.has(option)),
		// `SNAPSHOT/./PATH` with --relative: PATH keeps its place under the target.
		'--relative', '--itemize-changes', '--info=skip1',
		...(request.force ? [] : ['--ignore-existing']),
		...(request.dryRun ? ['--dry-run'] : []),
		...(request.progress ? ['--info=progress2'] : []),
		...(remote?.rsyncRemote === undefined ? [] : ['--rsync-path', remote.rsyncRemote]),
		...(remote === undefined ? [] : ['--rsh', remote.sshCommand.map(word => rshQuote(word)).join(' ')]),
		'--',
		request.path === '' ? `${request.snapshot}/./` : `${request.snapshot}/./${request.path}`,
		destination,
	];
	// As for backups (see rsyncSource): a quoted remote path must reach the remote shell as written.
	const env: Record<string, string> = remote !== undefined && shellQuote(`${target.path}/`) !== `${target.path}/` ? {RSYNC_OLD_ARGS: '1', RSYNC_PROTECT_ARGS: '0'} : {};
	return {argv, env};
}

/** `--itemize-changes` lines (`>f+++++++++ etc/x`) and `--info=skip1` lines (`etc/x exists`). */
export function parseRestoreOutput(output: string): RestoreResult {
	const written: string[] = [];
	const skipped: string[] = [];
	for (const line of output.split('\n')) {
		const item = /^([<>ch.*][fdLDS][.+?cstpoguax]{9}) (.+)$/.exec(line);
		if (item) {
			// `.d` lines only touch a directory's attributes; `cd` and `>f` write.
			if (!item[1]!.startsWith('.')) {
				written.push(item[2]!.replace(/ (->|=>) .*$/, ''));
			}

			continue;
		}

		const skip = /^(.+) exists$/.exec(line);
		if (skip) {
			skipped.push(skip[1]!);
		}
	}

	return {written, skipped};
}

/** The engine action `restore/HOST/VOLUME/ID`. */
export function restoreAction(volume: Volume, request: RestoreRequest): ActionSpec {
	return {
		name: `restore/${request.host}/${request.volume}/${request.id}`,
		data: {kind: 'restore', host: request.host, volume: request.volume, id: request.id},
		body: async context => runRestore(context, volume, request),
	};
}

async function runRestore(context: ActionContext, volume: Volume, request: RestoreRequest): Promise<Outcome> {
	const {argv, env} = restoreCommand(volume, request);
	context.describe({command: argv, env});
	if (request.target.kind === 'local' && !request.dryRun) {
		await mkdir(request.target.path, {recursive: true});
	}

	const progress = request.progress ? new RsyncProgressFilter(report => {
		context.progress(report);
	}) : undefined;
	let output = '';
	let errors = '';
	const result = await runProcess(argv, {
		signal: context.signal,
		env,
		onOutput(text, stream) {
			const kept = progress && stream === 'stdout' ? progress.feed(text) : text;
			if (stream === 'stdout') {
				output += kept;
			} else {
				errors += kept;
			}

			context.log(kept, stream);
		},
	});
	const done = parseRestoreOutput(output);
	const detail = {written: done.written, skipped: done.skipped};
	if (result.exitCode !== 0) {
		const complaints = errors.split('\n').filter(line => /^(rsync|ssh)[:\s]/.test(line));
		return {state: 'failed', message: [`restore failed: rsync ${describeEnd(result)}`, ...complaints].join('\n'), detail};
	}

	const what = request.dryRun ? 'would write' : 'wrote';
	const skipped = done.skipped.length > 0 ? `, skipped ${done.skipped.length} existing (--force replaces them)` : '';
	// Skipping what exists is what a restore without --force is asked to do: listed, not warned about.
	return {state: 'succeeded', message: `${what} ${done.written.length}${skipped}`, detail};
}
