import path from 'node:path';
import {now as clockNow} from '../config/clock.js';
import {ConfigError} from '../config/errors.js';
import {readRsdeckConfig} from '../config/rsdeck-config.js';
import type {Config} from '../config/types.js';
import {unknownNames} from '../config/unknown-names.js';
import type {BackupDatabase} from '../db/backup-database.js';
import {DatabaseError} from '../db/database-error.js';
import {GraphError} from '../engine/graph-error.js';
import type {EngineEvent} from '../engine/types.js';
import {helpText, parseOptions, UsageError, type Options} from '../options/parse-options.js';
import {requestedActions} from '../options/requested-actions.js';
import {versionText} from '../options/sole-command.js';
import {PruneError} from '../prune/prune-error.js';
import {RemovalError} from '../prune/removal-error.js';
import {ReportError} from '../report/report-error.js';
import {LockError} from '../store/lock-error.js';
import {BrowseError} from '../browse/browse-error.js';
import type {startRun} from './run-backups.js';
import {keepHeapSmall} from './small-heap.js';

/** Where a command's output goes; the real process streams, or buffers in tests. */
export type Io = {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	/** Ask the operator a yes/no question (retire). */
	confirm: (question: string) => Promise<boolean>;
	/** Standard output is a terminal and the console may be used. */
	interactive: boolean;
	version: string;
};

/** Errors an operator can cause: printed as `ERROR: message`, exit status 1, no stack trace. */
const operatorErrors = [UsageError, ConfigError, DatabaseError, GraphError, PruneError, RemovalError, ReportError, LockError, BrowseError];

/** The console, loaded only when used so a headless run never loads Ink. */
export type ConsoleRunner = (run: ReturnType<typeof startRun>, options: Options, signalled?: AbortSignal) => Promise<number>;
export type StatusRunner = (config: Config, db: BackupDatabase, options: Options, argv: string[], io: Io) => Promise<number>;

/**
`main` on this process's own streams, with the console when both ends are a
terminal: what the `rsdeck` binary and `npm run demo` run.
*/
export async function mainOnTerminal(argv: string[], version: string): Promise<number> {
	const interactive = Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);
	return main(argv, {
		stdout: writerTo(process.stdout),
		stderr: writerTo(process.stderr),
		confirm: askYesNo,
		interactive,
		version,
	}, interactive ? await import('../console/console-runners.js') : undefined);
}

/** rsdeck's command line: the exit status of the whole command. */
export async function main(argv: string[], io: Io, consoles?: {run: ConsoleRunner; status: StatusRunner}): Promise<number> {
	try {
		return await command(argv, io, consoles);
	} catch (error) {
		if (operatorErrors.some(kind => error instanceof kind)) {
			io.stderr(`ERROR: ${(error as Error).message}\n`);
			return 1;
		}

		throw error;
	}
}

async function command(argv: string[], io: Io, consoles?: {run: ConsoleRunner; status: StatusRunner}): Promise<number> {
	const options = parseOptions(argv);
	if (options.help) {
		io.stdout(helpText);
		return 0;
	}

	if (options.version) {
		io.stdout(versionText(io.version));
		return 0;
	}

	if (options.completion !== undefined) {
		const {completionScript} = await import('../completion/completion-script.js');
		io.stdout(completionScript(options.completion));
		return 0;
	}

	if (options.printSystemdUnits) {
		io.stdout(await unitsFor(options));
		return 0;
	}

	// A bad fake clock is the operator's mistake: say so before anything runs.
	for (const purpose of ['backup', 'finish', 'prune', 'report'] as const) {
		clockNow(purpose);
	}

	// Each command loads what it uses (the engine, SQLite, the reports): --help, reports and the rest start sooner.
	const {readConfig} = await import('../config/read-config.js');
	const config = readConfig(options.config);
	readRsdeckConfig(config, options.rsdeckConfig);
	if (options.dumpConfig) {
		const {writeDumpConfig} = await import('../config/dump-config.js');
		writeDumpConfig(config, {verbose: options.verbose}, io.stdout);
		return 0;
	}

	if (options.listSelectors) {
		io.stdout(selectorList(config));
		return 0;
	}

	const writes = requestedActions(options).writes && !options.dryRun;
	const databasePath = options.database ?? config.database ?? path.join(config.logs, 'backups.db');
	const {BackupDatabase} = await import('../db/backup-database.js');
	if (options.plan) {
		const {printPlan} = await import('./plan-request.js');
		const db = BackupDatabase.open(databasePath, {write: false});
		printPlan(config, options, db, io.stdout);
		db.close();
		return 0;
	}

	// Another run holding the lock is not an error: rsbackup exits 0 (saying so with --verbose).
	const status = await withLockedDatabase(config, databasePath, {write: writes, wait: options.wait, verbose: options.verbose}, io, async db => withDatabase(config, options, db, argv, io, consoles));
	return status ?? 0;
}

/**
Open the database, for a command that writes with the configuration's lock
held while it is open (`wait`: until it is free), and run `body` with it.
Undefined, without running `body`, when another run holds the lock.
*/
export async function withLockedDatabase(config: Config, file: string, access: {write: boolean; wait: boolean; verbose: boolean}, io: Io, body: (db: BackupDatabase) => Promise<number>): Promise<number | undefined> {
	const lock = access.write && config.lock !== undefined ? await takeLock(config.lock, access.wait) : undefined;
	if (access.write && config.lock !== undefined && !lock) {
		if (access.verbose) {
			io.stderr(`INFO: lock ${config.lock} is held by another run\n`);
		}

		return undefined;
	}

	try {
		const {BackupDatabase} = await import('../db/backup-database.js');
		const db = BackupDatabase.open(file, {write: access.write});
		try {
			return await body(db);
		} finally {
			db.close();
		}
	} finally {
		await lock?.release();
	}
}

/** The lock's implementation (flock(1), by child_process) is loaded only by a command that takes it: never by a report. */
async function takeLock(file: string, wait: boolean): ReturnType<typeof import('../store/lock.js').acquireLock> {
	const {acquireLock} = await import('../store/lock.js');
	return acquireLock(file, {wait});
}

async function withDatabase(config: Config, options: Options, db: BackupDatabase, argv: string[], io: Io, consoles?: {run: ConsoleRunner; status: StatusRunner}): Promise<number> {
	if (options.browse !== undefined) {
		const {browseCommand} = await import('./browse-commands.js');
		return browseCommand(config, options, db, io);
	}

	if (options.latest) {
		return printLatest(config, options, db, io);
	}

	if (options.checkUnexpected) {
		const [{identifyStores, releaseDevices}, {findUnexpected}] = await Promise.all([import('../store/identify-stores.js'), import('../store/unexpected.js')]);
		const check = identifyStores(config, options.stores.length > 0 ? options.stores : undefined);
		try {
			io.stdout(findUnexpected(config, check.devices, db.records()).map(file => `${file}${options.null ? '\0' : '\n'}`).join(''));
		} finally {
			releaseDevices(check);
		}

		return 0;
	}

	const {runs: acts, reports} = requestedActions(options);
	if (options.retireDevice) {
		const started = Date.now();
		const status = await retireDevices(config, options, db, io);
		// As rsbackup does, the reports follow retiring a device like any other command.
		if (status === 0 && reports) {
			const {writeReports} = await import('./write-reports.js');
			await writeReports(config, options, db, {started, finished: Date.now(), failures: 0}, io);
		}

		return status;
	}

	if (!acts && !reports) {
		if (io.interactive && consoles && !options.headless) {
			keepHeapSmall();
			return consoles.status(config, db, options, argv, io);
		}

		throw new UsageError('no action specified');
	}

	let status = 0;
	const started = Date.now();
	let failures = 0;
	if (acts) {
		// A dry run changes nothing, so there is nothing to confirm.
		if (options.retire && !options.force && !options.dryRun && !(await confirmRetire(options, io))) {
			io.stderr('ERROR: retire cancelled\n');
			return 1;
		}

		const [{headlessLog, jsonLog}, {finishRun, startRun, whileStoppable}, {runNotifications}] = await Promise.all([import('../headless/headless-log.js'), import('./run-backups.js'), import('../notify/run-notifications.js')]);
		const console = io.interactive && !options.headless && !options.json && consoles !== undefined;
		const subscribers: Array<(event: EngineEvent) => void> = [];
		if (options.json) {
			subscribers.push(jsonLog(io.stdout));
		}

		if (!console) {
			subscribers.push(headlessLog({verbose: options.verbose || options.dryRun, debug: options.debug, write: io.stderr}));
		}

		if (options.warnUnknown) {
			for (const warning of unknownInDatabase(config, db)) {
				io.stderr(`WARNING: ${warning}\n`);
			}
		}

		const notifications = runNotifications(config, options, db, argv, io.stderr);
		if (notifications) {
			subscribers.push(notifications.observe);
		}

		keepHeapSmall();
		const run = startRun(config, options, db, argv, subscribers, console);
		notifications?.start();
		({status} = await whileStoppable(run, async signalled => (console ? consoles.run(run, options, signalled) : finishRun(run))));
		await notifications?.finish(status, run.execution.outcome.counts());

		failures = run.execution.outcome.failures().length;
		const historyProblem = run.execution.historyProblem();
		if (historyProblem !== undefined) {
			io.stderr(`WARNING: the history of this run is incomplete: ${historyProblem}\n`);
		}
	}

	if (reports) {
		const {writeReports} = await import('./write-reports.js');
		await writeReports(config, options, db, {started, finished: Date.now(), failures}, io);
	}

	return status;
}

/** `--print-systemd-units`, for this rsdeck as installed and the configuration given, by absolute paths. */
async function unitsFor(options: Options): Promise<string> {
	const {formatUnits, systemdUnits} = await import('../systemd/systemd-units.js');
	return formatUnits(systemdUnits({
		node: process.execPath,
		rsdeck: path.resolve(process.argv[1] ?? 'rsdeck'),
		config: path.resolve(options.config),
		...(options.rsdeckConfig === undefined ? {} : {rsdeckConfig: path.resolve(options.rsdeckConfig)}),
	}));
}

/** `--list-selectors`: every HOST and HOST:VOLUME, one a line, for shell completion. */
function selectorList(config: Config): string {
	return [...config.hosts.values()]
		.flatMap(host => [host.name, ...[...host.volumes.keys()].map(volume => `${host.name}:${volume}`)])
		.map(line => `${line}\n`).join('');
}

/** `--warn-unknown`: hosts, volumes and devices the database knows and the configuration does not. */
export function unknownInDatabase(config: Config, db: BackupDatabase): string[] {
	const warnings = new Set<string>();
	for (const row of db.records()) {
		const unknown = unknownNames(config, row);
		if (unknown.place === 'host') {
			warnings.add(`unknown host '${row.host}' in the database`);
		} else if (unknown.place === 'volume') {
			warnings.add(`unknown volume '${row.host}:${row.volume}' in the database`);
		}

		if (unknown.device) {
			warnings.add(`unknown device '${row.device}' in the database`);
		}
	}

	return [...warnings];
}

/** `--latest HOST:VOLUME…`: the newest complete backup of each on an available device. */
async function printLatest(config: Config, options: Options, db: BackupDatabase, io: Io): Promise<number> {
	const [{identifyStores, releaseDevices}, {latestBackup}, {parseSelectors}] = await Promise.all([import('../store/identify-stores.js'), import('../store/unexpected.js'), import('../options/selectors.js')]);
	const check = identifyStores(config, options.stores.length > 0 ? options.stores : undefined);
	try {
		let status = 0;
		for (const selector of parseSelectors(options.selectors)) {
			if (selector.negated || selector.volume === undefined) {
				throw new UsageError(`--latest needs HOST:VOLUME, not ${options.selectors.join(' ')}`);
			}

			const found = latestBackup(db.records({host: selector.host, volume: selector.volume}), check.devices, selector.host, selector.volume);
			if (found === undefined) {
				io.stderr(`ERROR: no backup found for ${selector.host}:${selector.volume}\n`);
				status = 1;
			} else {
				io.stdout(`${found}\n`);
			}
		}

		return status;
	} finally {
		releaseDevices(check);
	}
}

/** `--retire-device DEV…`: forget a device's records; the files stay. */
async function retireDevices(config: Config, options: Options, db: BackupDatabase, io: Io): Promise<number> {
	for (const device of options.selectors) {
		if (config.devices.includes(device) && !options.force && !options.dryRun && !(await io.confirm(`Device '${device}' is still in the configuration. Really retire it?`))) {
			io.stderr(`ERROR: retire of device ${device} cancelled\n`);
			return 1;
		}

		if (options.dryRun) {
			io.stderr(`INFO: would forget ${db.records({device}).length} backup record(s) of device ${device}\n`);
		} else {
			const removed = db.deleteBackups({device});
			if (options.verbose) {
				io.stderr(`INFO: forgot ${removed} backup record(s) of device ${device}\n`);
			}
		}
	}

	return 0;
}

async function confirmRetire(options: Options, io: Io): Promise<boolean> {
	const what = options.selectors.join(' ');
	return io.confirm(`Really remove all backups of ${what}${options.forgetOnly ? ' from the database' : ''}?`);
}

/**
Ask on the terminal; anything but "yes" or "y" is no, and so is the end of
input. The prompt's line is ended when no terminal echoed the answer (input
from a pipe, or its end), so what follows starts a line of its own.
*/
async function askYesNo(question: string): Promise<boolean> {
	const {createInterface} = await import('node:readline/promises');
	const lines = createInterface({input: process.stdin, output: process.stderr});
	let ended = false;
	// Without this, a closed stdin leaves the question unanswered forever and Node exits 13.
	const closed = new Promise<string>(resolve => {
		lines.once('close', () => {
			ended = true;
			resolve('');
		});
	});
	try {
		const answer = await Promise.race([lines.question(`${question} (yes/no) `), closed]);
		if (ended || !process.stdin.isTTY) {
			process.stderr.write('\n');
		}

		return /^y(es)?$/i.test(answer.trim());
	} finally {
		lines.close();
	}
}

/**
Write to a standard stream; a reader that goes away (`rsdeck --json | head`)
stops the output, never the run: a backup half done must still be recorded.
*/
function writerTo(stream: NodeJS.WritableStream): (text: string) => void {
	let open = true;
	stream.on('error', () => {
		open = false;
	});
	return text => {
		if (open) {
			stream.write(text);
		}
	};
}
