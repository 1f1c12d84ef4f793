import {useEffect, useMemo, useRef, useState, type JSX} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import {formatTime} from '../src/browse/format-text.js';
import {formatSize} from '../src/report/report-format.js';
import {
	applyBrowseCommand,
	applyEditKey,
	browseCommandForKey,
	browseKeyHelp,
	browseState,
	currentScreen,
	isEditing,
	reselected,
	restoreEnded,
	visibleEntries,
	type BrowseState,
	type DirectoryScreen,
	type Focus,
	type Screen,
} from './browse-model.js';
import type {BrowseSource, Change, HistoryItem, ListedEntry, RestoreHandle, RestoreReport, Snapshot} from './browse-source.js';
import {formatDuration} from './format-duration.js';
import {HelpOverlay} from './help-overlay.js';
import {progressText} from './progress-text.js';
import {scrollWindow} from './scroll-window.js';
import {colorEnabled} from './state-style.js';
import {useLatestState} from './use-latest-state.js';
import {useTerminalRows} from './use-terminal-rows.js';

export type BrowseViewProps = {
	source: BrowseSource;
	host: string;
	volume: string;
	/** Unix seconds, for the backups' ages. */
	now: number;
	/** Esc on the backups list: back to the status view. */
	onExit: () => void;
	/**
	Where the caller's own key handler finds this view's (set on every
	render). Without it the view reads keys itself. A view shown in place of
	another takes keys this way: its own handler would start listening only
	after its first frame, and keys typed meanwhile would be lost.
	*/
	input?: {current?: InputHandler};
};

export type InputHandler = (input: string, key: Key) => void;

/** Something read through the source: under way, read, or failed with a message. */
type Loaded<T> = {key: string; value?: T; error?: string; done: boolean};

type Listing = Loaded<ListedEntry[]>;

type RestoreRun = {key: string; progress?: string; output: string[]; report?: RestoreReport; error?: string; handle?: RestoreHandle};

/** Lines kept of a restore's output. */
const outputLines = 8;

/** The volume's backups, a snapshot's directories, a path's versions, a diff and a restore, over a `BrowseSource`. */
export function BrowseView(props: BrowseViewProps): JSX.Element {
	const color = useMemo(() => colorEnabled(), []);
	const [state, update, latest] = useLatestState<{browse: BrowseState; help: boolean}>(() => ({browse: browseState(props.host, props.volume), help: false}));
	const screen = currentScreen(state.browse);
	const backups = useLoaded<Snapshot[]>('backups', async () => props.source.backups(props.host, props.volume));
	const directory = [...state.browse.screens].reverse().find((entry): entry is DirectoryScreen => entry.kind === 'directory');
	const listing = useListing(props.source, directory);
	const versionsOf = screen.kind === 'versions' ? screen.path : undefined;
	const versions = useLoaded<HistoryItem[]>(versionsOf === undefined ? undefined : `versions:${versionsOf}`, async () => props.source.versions(props.host, props.volume, versionsOf!));
	const diffOf = screen.kind === 'diff' ? screen : undefined;
	const diff = useLoaded<{older: Snapshot; changes: Change[]}>(diffOf === undefined ? undefined : `diff:${diffOf.snapshot.device}:${diffOf.snapshot.id}:${diffOf.path}`, async signal => props.source.diff(props.host, props.volume, diffOf!.snapshot, diffOf!.path, signal));
	const [restore, setRestore] = useState<RestoreRun | undefined>();
	const restoreRef = useRef(restore);
	restoreRef.current = restore;
	// Leaving the console (Ctrl-C) must not leave a restore running unseen.
	useEffect(() => () => {
		restoreRef.current?.handle?.cancel();
	}, []);
	const entries = useMemo(() => visibleEntries(listing?.value ?? [], directory?.filter ?? ''), [listing?.value, directory?.filter]);
	const height = Math.max(3, useTerminalRows() - 6);
	const rows = rowsOf(screen, {backups: backups?.value ?? [], entries, versions: versions?.value ?? [], changes: diff?.value?.changes ?? []});
	const focus: Focus = {count: rows.length, height, ...focusOf(screen, rows[screen.selected], backups?.value ?? [])};
	const wanted = screen.kind === 'directory' ? screen.reselect : undefined;
	useEffect(() => {
		if (wanted !== undefined) {
			const next = reselected(latest().browse, entries.findIndex(entry => entry.name === wanted), height, entries.length, listing?.done ?? false);
			if (next !== latest().browse) {
				update({browse: next});
			}
		}
	}, [wanted, entries, listing?.done, height]);
	const contextRef = useRef({focus, props, restore});
	contextRef.current = {focus, props, restore};

	const handle: InputHandler = (input, key) => {
		const {focus, props, restore} = contextRef.current;
		const current = latest();
		if (current.help) {
			update({help: !(input === '?' || key.escape || input === 'q')});
			return;
		}

		if (isEditing(current.browse)) {
			const edited = applyEditKey(current.browse, input, key);
			update({browse: edited.state});
			const top = currentScreen(edited.state);
			if (edited.start && top.kind === 'restore') {
				setRestore(startRestore(props, top, setRestore, () => {
					update({browse: restoreEnded(latest().browse)});
				}));
			}

			return;
		}

		if (input === '?') {
			update({help: true});
			return;
		}

		const command = browseCommandForKey(input, key);
		if (command === 'cancel') {
			restore?.handle?.cancel();
			return;
		}

		if (command === undefined) {
			return;
		}

		const next = applyBrowseCommand(current.browse, command, focus);
		if (next === 'exit') {
			props.onExit();
		} else {
			update({browse: next});
		}
	};

	useInput(handle, {isActive: props.input === undefined});
	if (props.input !== undefined) {
		props.input.current = handle;
	}

	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate">{title(state.browse, screen, diff?.value?.older)}</Text>
			{state.help
				? <HelpOverlay keys={browseKeyHelp} color={color}/>
				: <ScreenBody screen={screen} rows={rows} height={height} now={props.now} color={color} loading={loadingOf(screen, {backups, listing, versions, diff})} restore={restore}/>}
			<Text wrap="truncate">{footer(screen)}</Text>
		</Box>
	);
}

/** A row of any list: its text, and how it is marked. */
type Row = {key: string; text: string; tone?: 'bad' | 'busy' | 'dim'; item?: Snapshot | ListedEntry | HistoryItem | Change};

function rowsOf(screen: Screen, data: {backups: Snapshot[]; entries: ListedEntry[]; versions: HistoryItem[]; changes: Change[]}): Row[] {
	switch (screen.kind) {
		case 'backups': {
			return data.backups.map(snapshot => ({key: `${snapshot.device}/${snapshot.id}`, text: '', item: snapshot, tone: snapshotTone(snapshot)}));
		}

		case 'directory': {
			return data.entries.map(entry => ({key: entry.name, text: entryLine(entry), item: entry}));
		}

		case 'versions': {
			return data.versions.map((item, index) => ({key: String(index), text: versionLine(item), item, ...(item.kind === 'gap' ? {tone: 'dim' as const} : {})}));
		}

		case 'diff': {
			return data.changes.map(change => ({key: change.path, text: `${change.change} ${change.path}${change.type === 'dir' ? '/' : ''}`, item: change}));
		}

		default: {
			return [];
		}
	}
}

function snapshotTone(snapshot: Snapshot): Row['tone'] {
	if (snapshot.status === 'failed') {
		return 'bad';
	}

	return snapshot.status === 'complete' ? (snapshot.path === undefined ? 'dim' : undefined) : 'busy';
}

const statusSymbol: Readonly<Record<string, string>> = {complete: '✓', failed: '✗', underway: '▶'};

function backupLine(snapshot: Snapshot, now: number): string {
	const where = snapshot.path === undefined ? '  (device not available)' : '';
	return `${statusSymbol[snapshot.status] ?? '·'} ${snapshot.id}  ${snapshot.device.padEnd(10)} ${formatDuration((now - snapshot.time) * 1000).padStart(6)}  ${snapshot.status.padEnd(9)} ${(snapshot.size === undefined ? '-' : formatSize(snapshot.size)).padStart(6)}${where}`;
}

function entryLine(entry: ListedEntry): string {
	const name = entry.type === 'dir' ? `${entry.name}/` : entry.name;
	return `${name.padEnd(32)} ${entry.type.padEnd(7)} ${(entry.type === 'dir' ? '-' : formatSize(entry.size)).padStart(6)}  ${formatTime(entry.mtime)}`;
}

function versionLine(item: HistoryItem): string {
	const span = `${item.backups[0]!.id}${item.backups.length > 1 ? ` .. ${item.backups.at(-1)!.id}` : ''} (${item.backups.length} backup${item.backups.length === 1 ? '' : 's'})`;
	if (item.kind === 'gap') {
		return `${'absent'.padEnd(7)} ${''.padStart(6)}  ${''.padEnd(19)}  ${span}`;
	}

	const {entry} = item;
	return `${entry.type.padEnd(7)} ${(entry.type === 'dir' ? '-' : formatSize(entry.size)).padStart(6)}  ${formatTime(entry.mtime)}  ${span}${item.matchedByAttributes ? ' *' : ''}${item.target === undefined ? '' : ` -> ${item.target}`}`;
}

/** What the selected row points at, for the state machine. */
function focusOf(screen: Screen, row: Row | undefined, backups: readonly Snapshot[]): Omit<Focus, 'count' | 'height'> {
	if (row?.item === undefined) {
		return {};
	}

	switch (screen.kind) {
		case 'backups': {
			const snapshot = row.item as Snapshot;
			// Only a complete backup on an available device can be read.
			return snapshot.status === 'complete' && snapshot.path !== undefined ? {snapshot} : {};
		}

		case 'directory': {
			return {entry: row.item as ListedEntry};
		}

		case 'versions': {
			const item = row.item as HistoryItem;
			const newest = item.kind === 'version' ? item.backups.at(-1) : undefined;
			const snapshot = newest === undefined ? undefined : backups.find(backup => backup.id === newest.id && backup.device === newest.device);
			return snapshot === undefined ? {} : {snapshot};
		}

		case 'diff': {
			const change = row.item as Change;
			return {path: change.path, removed: change.change === '-'};
		}

		default: {
			return {};
		}
	}
}

function title(state: BrowseState, screen: Screen, older: Snapshot | undefined): string {
	const volume = `${state.host}:${state.volume}`;
	switch (screen.kind) {
		case 'backups': {
			return `${volume}: backups`;
		}

		case 'directory': {
			return `${volume} @ ${screen.snapshot.id} (${screen.snapshot.device})  /${screen.path === '' ? '' : ` ${screen.path.split('/').join(' / ')}`}`;
		}

		case 'versions': {
			return `${volume}:${screen.path}: versions`;
		}

		case 'diff': {
			return `${volume}:${screen.path}: changes ${older === undefined ? '' : `from ${older.id} `}to ${screen.snapshot.id} (${screen.snapshot.device})`;
		}

		default: {
			return `${volume}:${screen.path}: restore from ${screen.snapshot.id}`;
		}
	}
}

function footer(screen: Screen): string {
	switch (screen.kind) {
		case 'backups': {
			return 'Enter browse  ↑↓ move  ? help  Esc back';
		}

		case 'directory': {
			return screen.filtering
				? `filter: ${screen.filter}█  (Enter keep, Esc clear)`
				: `${screen.filter === '' ? '' : `filter: ${screen.filter}  `}←→ up/in  / filter  v versions  d diff  r restore  ? help  Esc back`;
		}

		case 'versions': {
			return 'Enter open that backup  r restore this version  ↑↓ move  Esc back';
		}

		case 'diff': {
			return 'Enter versions  v versions  r restore  ↑↓ move  Esc back';
		}

		default: {
			return screen.phase === 'prompt' ? 'Enter restore  Esc back' : (screen.phase === 'running' ? 'c cancel' : 'Esc back');
		}
	}
}

function loadingOf(screen: Screen, loads: {backups?: Loaded<unknown>; listing?: Loaded<unknown>; versions?: Loaded<unknown>; diff?: Loaded<unknown>}): Loaded<unknown> | undefined {
	switch (screen.kind) {
		case 'backups': {
			return loads.backups;
		}

		case 'directory': {
			return loads.listing;
		}

		case 'versions': {
			return loads.versions;
		}

		case 'diff': {
			return loads.diff;
		}

		default: {
			return undefined;
		}
	}
}

type BodyProps = {screen: Screen; rows: Row[]; height: number; now: number; color: boolean; loading: Loaded<unknown> | undefined; restore: RestoreRun | undefined};

function ScreenBody({screen, rows, height, now, color, loading, restore}: BodyProps) {
	if (screen.kind === 'restore') {
		return <RestoreBody screen={screen} run={restore} color={color}/>;
	}

	const window = scrollWindow(rows.length, screen.selected, height, screen.top);
	const status = loading?.error === undefined
		? `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}${loading?.done === false ? ' (reading…)' : ''}`
		: `⚠ ${loading.error}`;
	return (
		<Box flexDirection="column">
			{rows.slice(window.top, window.end).map((row, offset) => {
				const selected = window.top + offset === screen.selected;
				return (
					<Text key={row.key} wrap="truncate" inverse={selected} dimColor={row.tone === 'dim'} color={color ? toneColor(row.tone) : undefined}>
						{selected ? '›' : ' '} {screen.kind === 'backups' ? backupLine(row.item as Snapshot, now) : row.text}
					</Text>
				);
			})}
			<Text wrap="truncate" color={color && loading?.error !== undefined ? 'yellow' : undefined}>{status}</Text>
		</Box>
	);
}

function toneColor(tone: Row['tone']): string | undefined {
	return tone === 'bad' ? 'red' : (tone === 'busy' ? 'cyan' : undefined);
}

function RestoreBody({screen, run, color}: {screen: Extract<Screen, {kind: 'restore'}>; run: RestoreRun | undefined; color: boolean}) {
	if (screen.phase === 'prompt') {
		return (
			<Box flexDirection="column">
				<Text wrap="truncate">Restore {screen.path} from {screen.snapshot.id} ({screen.snapshot.device}) to:</Text>
				<Text wrap="truncate" bold>{screen.target}█</Text>
				<Text wrap="truncate" dimColor>Existing files there are skipped, never replaced; nothing is deleted.</Text>
			</Box>
		);
	}

	const report = run?.report;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">Restoring {screen.path} to {screen.target}{report === undefined && run?.error === undefined ? ` ${run?.progress ?? ''}` : ''}</Text>
			{(run?.output ?? []).map((line, index) => <Text key={index} wrap="truncate" dimColor>{line}</Text>)}
			{run?.error === undefined ? undefined : <Text wrap="truncate" color={color ? 'red' : undefined}>✗ {run.error}</Text>}
			{report === undefined ? undefined : <RestoreSummary report={report} color={color}/>}
		</Box>
	);
}

function RestoreSummary({report, color}: {report: RestoreReport; color: boolean}) {
	const ok = report.state === 'succeeded' || report.state === 'warned';
	const directories = report.written.filter(file => file.endsWith('/')).length;
	const files = report.written.length - directories;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate" bold color={color ? (ok ? 'green' : 'red') : undefined}>
				{ok ? '✓ restored' : `✗ restore ${report.state}`}: {files} {files === 1 ? 'file' : 'files'} and {directories} {directories === 1 ? 'directory' : 'directories'} written, {report.skipped.length} skipped{report.message === undefined || ok ? '' : ` (${report.message.split('\n')[0]})`}
			</Text>
			{report.skipped.slice(0, outputLines).map(file => <Text key={file} wrap="truncate">skipped (exists) {file}</Text>)}
		</Box>
	);
}

function startRestore(props: BrowseViewProps, screen: Extract<Screen, {kind: 'restore'}>, set: (update: (run: RestoreRun | undefined) => RestoreRun | undefined) => void, ended: () => void): RestoreRun {
	const key = `${screen.snapshot.id}:${screen.path}:${screen.target}`;
	const patch = (change: (run: RestoreRun) => RestoreRun) => {
		set(run => (run?.key === key ? change(run) : run));
	};

	try {
		const handle = props.source.restore(props.host, props.volume, screen.snapshot, screen.path, screen.target, update => {
			if ('progress' in update) {
				patch(run => ({...run, progress: progressText(update.progress)}));
			} else {
				const lines = update.output.split('\n').filter(line => line.trim() !== '');
				patch(run => ({...run, output: [...run.output, ...lines].slice(-outputLines)}));
			}
		});
		void handle.done.then(report => {
			patch(run => ({...run, report}));
			ended();
		}, (error: unknown) => {
			patch(run => ({...run, error: (error as Error).message}));
			ended();
		});
		return {key, output: [], handle};
	} catch (error) {
		queueMicrotask(ended);
		return {key, output: [], error: (error as Error).message};
	}
}

/** Read `load()` once per `key` (none while `key` is undefined), cancelling a reading no longer wanted. */
function useLoaded<T>(key: string | undefined, load: (signal: AbortSignal) => Promise<T>): Loaded<T> | undefined {
	const [loaded, setLoaded] = useState<Loaded<T> | undefined>();
	useEffect(() => {
		if (key === undefined) {
			return undefined;
		}

		const abort = new AbortController();
		setLoaded({key, done: false});
		load(abort.signal).then(value => {
			if (!abort.signal.aborted) {
				setLoaded({key, value, done: true});
			}
		}, (error: unknown) => {
			if (!abort.signal.aborted) {
				setLoaded({key, error: (error as Error).message, done: true});
			}
		});
		return () => {
			abort.abort();
		};
	// Keyed on `key` alone: `load` is a new closure on every render.
	}, [key]);
	return loaded?.key === key ? loaded : undefined;
}

/** The directory of `screen`, batch by batch as read; the newest directory screen's listing is kept while a versions or diff screen is over it. */
function useListing(source: BrowseSource, screen: DirectoryScreen | undefined): Listing | undefined {
	const key = screen === undefined ? undefined : `${screen.snapshot.device}:${screen.snapshot.id}:${screen.path}`;
	const [listing, setListing] = useState<Listing | undefined>();
	useEffect(() => {
		if (key === undefined || screen === undefined) {
			return undefined;
		}

		const abort = new AbortController();
		setListing({key, value: [], done: false});
		void (async () => {
			try {
				for await (const batch of source.list(screen.snapshot, screen.path, abort.signal)) {
					if (abort.signal.aborted) {
						return;
					}

					setListing(previous => (previous?.key === key ? {...previous, value: [...previous.value ?? [], ...batch]} : previous));
				}

				setListing(previous => (previous?.key === key ? {...previous, done: true} : previous));
			} catch (error) {
				if (!abort.signal.aborted) {
					setListing(previous => (previous?.key === key ? {...previous, error: (error as Error).message, done: true} : previous));
				}
			}
		})();
		return () => {
			abort.abort();
		};
	// Keyed on `key` alone: the screen object changes with every move of the selection.
	}, [key]);
	return listing?.key === key ? listing : undefined;
}
