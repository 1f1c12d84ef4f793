/**
A bad command line or environment value: the CLI prints it as
`ERROR: <message>` and exits 1, without a stack trace.
*/
export class UsageError extends Error {
	override name = 'UsageError';
}
