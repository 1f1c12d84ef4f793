/** An operator mistake in a snapshot command (unknown backup, absent path, a refused target): `ERROR: message`, exit 1. */
export class BrowseError extends Error {
	override name = 'BrowseError';
}
