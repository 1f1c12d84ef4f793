import type {Config} from './types.js';

/**
What of a backup's names the configuration does not know: its host, else its
volume (`place`); and, on its own, its device. `--warn-unknown` and the
report's warnings both word what this finds.
*/
export function unknownNames(config: Config, row: {host: string; volume: string; device: string}, devices: readonly string[] = config.devices): {place?: 'host' | 'volume'; device: boolean} {
	const host = config.hosts.get(row.host);
	const place = host === undefined ? 'host' as const : (host.volumes.has(row.volume) ? undefined : 'volume' as const);
	return {...(place === undefined ? {} : {place}), device: !devices.includes(row.device)};
}
