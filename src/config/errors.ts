/**
An operator mistake in the configuration: the CLI prints it as
`ERROR: <message>` and exits 1, without a stack trace. The message names the
place, e.g. `x.config:3: inconsistent indentation`, or the host and volume.
*/
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/**
A bad value with no location yet (`invalid boolean 'yes'`). The parser
turns it into a `ConfigError` naming the file and line; other callers (policy
parameters) name the host and volume instead.
*/
export class ValueError extends Error {
	override name = 'ValueError';
}
