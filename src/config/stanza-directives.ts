import type {Directive} from './directive.js';
import type {Host, Volume} from './types.js';
import {parseBoolean, parseInteger} from './values.js';

type HostDirective = Extract<Directive, {scope: 'host'}>;
type VolumeDirective = Extract<Directive, {scope: 'volume'}>;

function host(apply: (host: Host, value: string) => void): HostDirective {
	return {scope: 'host', min: 1, max: 1, apply: (target, [value = '']) => apply(target, value)};
}

function volume(apply: (volume: Volume, value: string) => void): VolumeDirective {
	return {scope: 'volume', min: 1, max: 1, apply: (target, [value = '']) => apply(target, value)};
}

/** Directives allowed only in a host stanza (besides `volume`). */
export const hostDirectives: ReadonlyMap<string, HostDirective> = new Map([
	['hostname', host((target, value) => {
		target.hostname = value;
	})],
	['user', host((target, value) => {
		target.user = value;
	})],
	['priority', host((target, value) => {
		target.priority = parseInteger(value);
	})],
]);

/** Directives allowed only in a volume stanza. */
export const volumeDirectives: ReadonlyMap<string, VolumeDirective> = new Map([
	['exclude', volume((target, value) => {
		target.exclude.push(value);
	})],
	['traverse', volume((target, value) => {
		target.traverse = parseBoolean(value);
	})],
	['check-file', volume((target, value) => {
		target.checkFile = value;
	})],
	['check-mounted', volume((target, value) => {
		target.checkMounted = parseBoolean(value);
	})],
]);
