/**
Where things live on a store (SPEC §4.2). Pure: no file system access.

STORE/device-id, STORE/HOST/VOLUME/ID, STORE/HOST/VOLUME/ID.incomplete and
STORE/HOST/VOLUME.nolink.
*/
import path from 'node:path';

const idPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** The backup ID of a backup started at `unixSeconds`: its UTC start time `YYYY-MM-DDTHH:MM:SS`. */
export function backupId(unixSeconds: number): string {
	const date = new Date(Math.floor(unixSeconds) * 1000);
	return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
		+ `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** The start time (Unix seconds) a backup ID names, or undefined when `id` is not a valid ID. */
export function parseBackupId(id: string): number | undefined {
	const match = idPattern.exec(id);
	if (!match) {
		return undefined;
	}

	const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
	const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
	// Date.UTC rolls 2020-02-31 over to March; such an ID is not one we would have made.
	return backupId(seconds) === id ? seconds : undefined;
}

const namedEscapes: Readonly<Record<string, string>> = {'\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t'};

/**
A backup id as printed: control characters and backslashes escaped (`\n`,
`\\`, `\x1b`), so that an id read from the database that rsdeck never made
cannot print across lines or move the terminal. A valid id is unchanged.
*/
export function printableId(id: string): string {
	return id.replaceAll(/[\\\u0000-\u001F\u007F]/g, character => {
		return namedEscapes[character] ?? `\\x${character.codePointAt(0)!.toString(16).padStart(2, '0')}`;
	});
}

/** STORE/HOST/VOLUME: the directory holding a volume's backups on one store. */
export function volumeDirectory(store: string, host: string, volume: string): string {
	return path.join(store, host, volume);
}

/** STORE/HOST/VOLUME/ID: one backup. */
export function backupDirectory(store: string, host: string, volume: string, id: string): string {
	return path.join(store, host, volume, id);
}

/** STORE/HOST/VOLUME/ID.incomplete: exists while a backup is being made or pruned. */
export function incompletePath(store: string, host: string, volume: string, id: string): string {
	return `${backupDirectory(store, host, volume, id)}.incomplete`;
}

/** STORE/HOST/VOLUME.nolink: made by an operator to suppress `--link-dest` for the next backup. */
export function nolinkPath(store: string, host: string, volume: string): string {
	return `${volumeDirectory(store, host, volume)}.nolink`;
}
