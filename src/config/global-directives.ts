import type {Directive} from './directive.js';
import {many} from './directive.js';
import {ValueError} from './errors.js';
import {parseInterval} from './intervals.js';
import type {Config, Location, ReportItem, StoreSpec} from './types.js';
import {
	checkDeviceName, parseBoolean, parseColor, parseInteger, parseNumber,
} from './values.js';

type GlobalDirective = Extract<Directive, {scope: 'global'}>;

function global(min: number, max: number, apply: GlobalDirective['apply']): GlobalDirective {
	return {scope: 'global', min, max, apply};
}

/** `store [--mounted|--no-mounted] PATH` and `store-pattern …`. */
function storeSpec(args: string[], pattern: boolean): StoreSpec {
	const [first, second] = args;
	if (second === undefined) {
		if (first === undefined || first.startsWith('--')) {
			throw new ValueError(`missing path to '${pattern ? 'store-pattern' : 'store'}'`);
		}

		return {path: first, mounted: true, pattern};
	}

	if (first !== '--mounted' && first !== '--no-mounted') {
		throw new ValueError(`invalid store option '${first ?? ''}'`);
	}

	return {path: second, mounted: first === '--mounted', pattern};
}

/**
`KEY[:VALUE][?COND]`; a `?` escaped with a backslash belongs to the value.
Only split here: the report checks keys and conditions when it is written.
A word that does not split (a value ending in a lone backslash) is all key.
*/
function parseReportItem(word: string, location?: Location): ReportItem {
	const match = /^([^:?]*)(?::((?:\\.|[^\\?])*))?(?:\?(.*))?$/s.exec(word);
	const item: ReportItem = {key: match?.[1] ?? word};
	if (match?.[2] !== undefined) {
		item.value = match[2];
	}

	if (match?.[3] !== undefined) {
		item.condition = match[3];
	}

	if (location) {
		item.location = location;
	}

	return item;
}

function report(config: Config, args: string[], place: Location): void {
	const append = args[0] === '+';
	const items = (append ? args.slice(1) : args).map(word => parseReportItem(word, place));
	config.report = append ? [...config.report, ...items] : items;
}

/** Graph directives whose arguments are colours. */
const graphColors = ['color-graph-background', 'color-graph-foreground', 'color-month-guide', 'color-host-guide', 'color-volume-guide'];
/** Graph directives taking one non-negative integer (pixels). */
const graphSizes = ['horizontal-padding', 'vertical-padding', 'backup-indicator-width', 'backup-indicator-height', 'graph-target-width', 'backup-indicator-key-width'];
/** Graph directives taking a Pango font description. */
const graphFonts = ['host-name-font', 'volume-name-font', 'device-name-font', 'time-label-font'];

/** Every graph directive but `graph-layout`, in the order `--dump-config` prints them. */
export const graphDirectiveNames: readonly string[] = [...graphColors, 'device-color-strategy', ...graphSizes, ...graphFonts];

/** Which graph directives take colours, for --dump-config (printed as 0xRRGGBB, as rsbackup does). */
export const isGraphColor = (name: string): boolean => graphColors.includes(name);

/** rsbackup's defaults of the graph directives, as --dump-config prints them. */
export const graphDefaults: Readonly<Record<string, readonly string[]>> = {
	'color-graph-background': ['0xffffff'],
	'color-graph-foreground': ['0x000000'],
	'color-month-guide': ['0xf7f7f7'],
	'color-host-guide': ['0xdfdfdf'],
	'color-volume-guide': ['0xefefef'],
	'device-color-strategy': ['equidistant-value', '120', '0.75'],
	'horizontal-padding': ['8'],
	'vertical-padding': ['2'],
	'backup-indicator-width': ['4'],
	'backup-indicator-height': ['2'],
	'graph-target-width': ['0'],
	'backup-indicator-key-width': ['16'],
	'host-name-font': ['Normal'],
	'volume-name-font': ['Normal'],
	'device-name-font': ['Normal'],
	'time-label-font': ['Normal'],
};

/** The default `graph-layout`. */
export const defaultGraphLayout: readonly string[] = ['host-labels:0,0', 'volume-labels:1,0', 'content:2,0', 'time-labels:2,1', 'device-key:2,3:RC'];

function keepGraph(name: string, check: (args: string[]) => void): GlobalDirective {
	return global(1, many, (config, args) => {
		check(args);
		config.graph.set(name, args);
	});
}

function nonNegative(args: string[]): void {
	if (parseInteger(args[0] ?? '') < 0) {
		throw new ValueError(`invalid size '${args[0] ?? ''}'`);
	}
}

function graphLayout(config: Config, args: string[], place: Location): void {
	const append = args[0] === '+';
	const parts = (append ? args.slice(1) : args).map(part => ({part, location: place}));
	config.graphLayout = [...(append ? config.graphLayout ?? [] : []), ...parts];
}

/**
The first bad `graph-layout` part as `PATH:LINE: message`, or undefined.
Checked when a report is written: rsbackup backs up with such a config and
fails only the commands that write a report.
*/
export function graphLayoutProblem(config: Config): string | undefined {
	const bad = config.graphLayout?.find(({part}) => !/^(host-labels|volume-labels|content|time-labels|device-key):\d+,\d+(:[LCR][TCB])?$/.test(part));
	return bad && `${bad.location.file}:${bad.location.line}: invalid graph-layout part '${bad.part}'`;
}

function deviceColorStrategy(args: string[]): void {
	const [name, ...numbers] = args;
	const maxNumbers = name === 'equidistant-value' ? 4 : 3;
	if ((name !== 'equidistant-value' && name !== 'equidistant-hue') || numbers.length > maxNumbers) {
		throw new ValueError(`invalid device-color-strategy '${args.join(' ')}'`);
	}

	for (const number of numbers) {
		parseNumber(number);
	}
}

function graphDirectives(): Array<[string, GlobalDirective]> {
	return [
		...graphColors.map((name): [string, GlobalDirective] => [name, keepGraph(name, args => parseColor(args))]),
		...graphSizes.map((name): [string, GlobalDirective] => [name, {...keepGraph(name, nonNegative), max: 1}]),
		...graphFonts.map((name): [string, GlobalDirective] => [name, keepGraph(name, () => undefined)]),
		['device-color-strategy', keepGraph('device-color-strategy', deviceColorStrategy)],
		['graph-layout', global(0, many, graphLayout)],
	];
}

function hook(which: 'preDeviceHook' | 'postDeviceHook'): GlobalDirective {
	return global(0, many, (config, args) => {
		config[which] = args;
	});
}

function single(apply: (config: Config, value: string) => void): GlobalDirective {
	return global(1, 1, (config, [value = '']) => {
		apply(config, value);
	});
}

/** `max-usage N[%]`: checked, then ignored, as rsbackup does. */
function checkUsage(_config: Config, value: string): void {
	parseInteger(value.replace(/%$/, ''));
}

/** Directives allowed only at the global level (SPEC §1.3). */
export const globalDirectives: ReadonlyMap<string, GlobalDirective> = new Map<string, GlobalDirective>([
	['store', global(1, 2, (config, args) => config.stores.push(storeSpec(args, false)))],
	['store-pattern', global(1, 2, (config, args) => config.stores.push(storeSpec(args, true)))],
	['device', single((config, name) => {
		checkDeviceName(name);
		if (!config.devices.includes(name)) {
			config.devices.push(name);
		}
	})],
	['public', single((config, value) => {
		config.public = parseBoolean(value);
	})],
	['logs', single((config, value) => {
		config.logs = value;
	})],
	['database', single((config, value) => {
		config.database = value;
	})],
	['lock', single((config, value) => {
		config.lock = value;
	})],
	['pre-device-hook', hook('preDeviceHook')],
	['post-device-hook', hook('postDeviceHook')],
	['pre-access-hook', hook('preDeviceHook')],
	['post-access-hook', hook('postDeviceHook')],
	['keep-prune-logs', single((config, value) => {
		config.keepPruneLogs = parseInterval(value);
	})],
	['prune-timeout', single((config, value) => {
		config.pruneTimeout = parseInterval(value);
	})],
	['sendmail', single((config, value) => {
		config.sendmail = value;
	})],
	['rm', single((config, value) => {
		config.rm = value;
	})],
	['stylesheet', single((config, value) => {
		config.stylesheet = value;
	})],
	['color-good', global(1, 4, (config, args) => {
		config.colorGood = parseColor(args);
	})],
	['color-bad', global(1, 4, (config, args) => {
		config.colorBad = parseColor(args);
	})],
	['report', global(0, many, report)],
	['notify-url', single((config, value) => {
		if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
			throw new ValueError(`invalid notify-url '${value}' (expected an http:// or https:// URL)`);
		}

		config.notifyUrls.push(value);
	})],
	['notify-command', global(0, many, (config, args) => {
		config.notifyCommand = args;
	})],
	['max-usage', single(checkUsage)],
	['max-file-usage', single(checkUsage)],
	...graphDirectives(),
]);
