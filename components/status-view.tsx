import {useEffect, useMemo, useRef, type JSX} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import type {KeyHelp} from './keys.js';
import type {BrowseSource} from './browse-source.js';
import {BrowseView, type InputHandler} from './browse-view.js';
import {HelpOverlay} from './help-overlay.js';
import {scrollWindow} from './scroll-window.js';
import {
	cellHealth,
	cellText,
	healthStyles,
	troubleCounts,
	worstHealth,
	type CellHealth,
	type StatusRow,
} from './status-cells.js';
import {colorEnabled} from './state-style.js';
import {useLatestState} from './use-latest-state.js';
import {useRefreshed} from './use-refreshed.js';
import {useTerminalRows} from './use-terminal-rows.js';

export type {StatusDevice, StatusRow} from './status-cells.js';

/** What the operator asked to start from the status view. */
export type StartRequest = {
	action: 'backup' | 'prune';
	/** `HOST` or `HOST:VOLUME`, as on the command line. */
	selector: string;
};

/** The rows and the time, read together. */
export type StatusReading = {
	/** One per configured host/volume, in the order to show. */
	rows: StatusRow[];
	/** Unix seconds (the report clock), for ages. */
	now: number;
};

/** How often the screen re-reads by default, ms. */
export const defaultRefreshInterval = 10_000;

/** Props of the status screen (`rsdeck` with no action, in a terminal). */
export type StatusViewProps = StatusReading & {
	/** Every device, in column order. */
	devices: string[];
	/**
	Read the rows and the time afresh; called every `refreshInterval` ms while
	shown, and `rows`/`now` are only the first reading. It throws when the
	database cannot be read: the screen keeps the last rows and says so.
	Without it the screen stays as first shown.
	*/
	load?: () => StatusReading;
	/** Ms between readings; `defaultRefreshInterval` when absent. */
	refreshInterval?: number;
	/** Reads the stores for the snapshot browser (Enter on a volume); without it Enter does nothing. */
	browse?: BrowseSource;
	/** Start a run for the selected host or volume; the caller swaps in a run view. */
	onStart: (request: StartRequest) => void;
	onExit: () => void;
};

/** A line of the list: a host heading (with all its volumes), or one volume. */
type Line = {host: string; rows: StatusRow[]; row?: StatusRow};

const statusKeyHelp: readonly KeyHelp[] = [
	{keys: '↑ ↓  j k', does: 'move'},
	{keys: 'Enter', does: 'the selected volume\'s backups, to browse and restore from'},
	{keys: 'b', does: 'back up the selected host or volume'},
	{keys: 'p', does: 'prune the selected host or volume'},
	{keys: '?', does: 'this help'},
	{keys: 'q', does: 'quit'},
];

type StatusState = {selected: number; top: number; help: boolean; confirm?: StartRequest; browsing?: {host: string; volume: string}};

/** The report as a live screen: per volume and device, the newest backup's age and health. */
export function StatusView(props: StatusViewProps): JSX.Element {
	const color = useMemo(() => colorEnabled(), []);
	const {value: reading, error} = useRefreshed<StatusReading>({rows: props.rows, now: props.now}, props.load, props.refreshInterval ?? defaultRefreshInterval, sameReading);
	const lines = useMemo(() => statusLines(reading.rows), [reading.rows]);
	const nameWidth = useMemo(() => Math.max(12, ...lines.map(line => (line.row ? line.row.volume.length + 4 : line.host.length))) + 2, [lines]);
	const [state, update, latest] = useLatestState<StatusState>(() => ({selected: 0, top: 0, help: false}));
	const height = Math.max(3, useTerminalRows() - (error === undefined ? 5 : 6));
	const window = scrollWindow(lines.length, state.selected, height, state.top);
	const contextRef = useRef({lines, update, latest, props, window});
	contextRef.current = {lines, update, latest, props, window};
	// The browser's keys go through this view's handler, kept until the browser has rendered (see BrowseViewProps.input).
	const browseInput = useRef<{current?: InputHandler; pending: Array<[string, Key]>}>({pending: []});
	useEffect(() => {
		const {current, pending} = browseInput.current;
		for (const [input, key] of pending.splice(0)) {
			current?.(input, key);
		}
	}, [state.browsing]);
	useInput((input, key) => {
		const {lines, update, latest, props, window} = contextRef.current;
		const current = latest();
		const selector = selectorOf(lines[current.selected]);
		if (current.browsing) {
			const browse = browseInput.current;
			if (browse.current === undefined) {
				browse.pending.push([input, key]);
			} else {
				browse.current(input, key);
			}
		} else if (current.confirm) {
			if (input === 'y' || input === 'Y') {
				update({confirm: undefined});
				props.onStart(current.confirm);
			} else if (input === 'n' || input === 'N' || key.escape) {
				update({confirm: undefined});
			}
		} else if (current.help) {
			update({help: !(input === '?' || key.escape || input === 'q')});
		} else if (key.upArrow || input === 'k' || key.downArrow || input === 'j') {
			const step = key.upArrow || input === 'k' ? -1 : 1;
			update({selected: Math.min(lines.length - 1, Math.max(0, current.selected + step)), top: window.top});
		} else if (key.return && props.browse !== undefined && lines[current.selected]?.row !== undefined) {
			const {row} = lines[current.selected]!;
			update({browsing: {host: row!.host, volume: row!.volume}});
		} else if ((input === 'b' || input === 'p') && selector !== undefined) {
			update({confirm: {action: input === 'b' ? 'backup' : 'prune', selector}});
		} else if (input === '?') {
			update({help: true});
		} else if (input === 'q' || (key.ctrl && input === 'c')) {
			props.onExit();
		}
	});

	if (state.browsing !== undefined && props.browse !== undefined) {
		return <BrowseView source={props.browse} host={state.browsing.host} volume={state.browsing.volume} now={reading.now} input={browseInput.current} onExit={() => {
			browseInput.current = {pending: []};
			update({browsing: undefined});
		}}/>;
	}

	return (
		<Box flexDirection="column">
			<StatusHeader rows={reading.rows} now={reading.now} color={color}/>
			{state.help
				? <HelpOverlay keys={statusKeyHelp} color={color}/>
				: <StatusTable lines={lines.slice(window.top, window.end)} nameWidth={nameWidth} firstIndex={window.top} selected={state.selected} devices={props.devices} now={reading.now} color={color}/>}
			{error === undefined
				? undefined
				: <Text wrap="truncate" color={color ? 'yellow' : undefined}>⚠ not refreshed, last rows kept: {error.split('\n')[0]}</Text>}
			<Text wrap="truncate" bold={state.confirm !== undefined}>
				{state.confirm
					? `${state.confirm.action === 'backup' ? 'Back up' : 'Prune'} ${state.confirm.selector} now? [y/n]`
					: `↑↓ move  ${props.browse === undefined ? '' : 'Enter backups  '}b back up  p prune  ? help  q quit`}
			</Text>
		</Box>
	);
}

/** Same time and same cells: nothing on screen would change. */
function sameReading(a: StatusReading, b: StatusReading): boolean {
	return a.now === b.now && a.rows.length === b.rows.length && a.rows.every((row, index) => sameRow(row, b.rows[index]));
}

function sameRow(a: StatusRow, b: StatusRow | undefined): boolean {
	return b !== undefined && a.host === b.host && a.volume === b.volume && a.maxAge === b.maxAge && a.devices.length === b.devices.length
		&& a.devices.every((cell, index) => {
			const other = b.devices[index];
			return other !== undefined && cell.device === other.device && cell.newest === other.newest && cell.count === other.count && cell.latestFailed === other.latestFailed;
		});
}

function statusLines(rows: readonly StatusRow[]): Line[] {
	const lines: Line[] = [];
	let heading: Line | undefined;
	for (const row of rows) {
		if (heading?.host !== row.host) {
			heading = {host: row.host, rows: []};
			lines.push(heading);
		}

		heading.rows.push(row);
		lines.push({host: row.host, rows: [row], row});
	}

	return lines;
}

function selectorOf(line: Line | undefined): string | undefined {
	if (line === undefined) {
		return undefined;
	}

	return line.row === undefined ? line.host : `${line.host}:${line.row.volume}`;
}

function StatusHeader({rows, now, color}: {rows: readonly StatusRow[]; now: number; color: boolean}) {
	const counts = troubleCounts(rows, now);
	const hosts = new Set(rows.map(row => row.host)).size;
	const troubles = (['failed', 'none', 'stale'] as const)
		.filter(health => counts[health] > 0)
		.map(health => ({health, text: `${healthStyles[health].symbol} ${counts[health]} ${counts[health] === 1 ? 'volume' : 'volumes'}: ${healthStyles[health].label}`}));
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold wrap="truncate">rsdeck status: {hosts} {hosts === 1 ? 'host' : 'hosts'}, {rows.length} {rows.length === 1 ? 'volume' : 'volumes'}, at {new Date(now * 1000).toISOString().slice(0, 19).replace('T', ' ')}</Text>
			<Text wrap="truncate">
				{troubles.length === 0
					? <Text color={color ? 'green' : undefined}>✓ every volume backed up within max-age</Text>
					: troubles.map(({health, text}) => <Text key={health} color={color ? healthStyles[health].color : undefined}>{text}{'  '}</Text>)}
			</Text>
		</Box>
	);
}

type TableProps = {
	lines: readonly Line[];
	nameWidth: number;
	firstIndex: number;
	selected: number;
	devices: readonly string[];
	now: number;
	color: boolean;
};

function StatusTable({lines, nameWidth, firstIndex, selected, devices, now, color}: TableProps) {
	const cellWidth = Math.max(14, ...devices.map(device => device.length + 2));
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate">{' '.repeat(nameWidth + 1)}{devices.map(device => device.padEnd(cellWidth)).join('')}</Text>
			{lines.map((line, offset) => (
				<Text key={`${line.host}:${line.row?.volume ?? ''}`} wrap="truncate" inverse={firstIndex + offset === selected}>
					{firstIndex + offset === selected ? '›' : ' '}
					{(line.row ? `    ${line.row.volume}` : line.host).padEnd(nameWidth)}
					{devices.map(device => <Cell key={device} health={lineHealth(line, device, now)} text={line.row ? rowCellText(line.row, device, now) : ''} width={cellWidth} color={color}/>)}
				</Text>
			))}
		</Box>
	);
}

function Cell({health, text, width, color}: {health: CellHealth | undefined; text: string; width: number; color: boolean}) {
	if (health === undefined) {
		return <Text>{''.padEnd(width)}</Text>;
	}

	const style = healthStyles[health];
	return <Text color={color ? style.color : undefined}>{`${style.symbol} ${text}`.padEnd(width)}</Text>;
}

/** A volume's cell, or for a host the worst of its volumes' cells on that device. */
function lineHealth(line: Line, device: string, now: number): CellHealth | undefined {
	const healths: CellHealth[] = [];
	for (const row of line.rows) {
		const cell = row.devices.find(entry => entry.device === device);
		if (cell) {
			healths.push(cellHealth(cell, row.maxAge, now));
		}
	}

	return worstHealth(healths);
}

function rowCellText(row: StatusRow, device: string, now: number): string {
	const cell = row.devices.find(entry => entry.device === device);
	return cell ? cellText(cell, now) : '';
}
