/**
A report could not be produced or delivered because of something the operator
can fix: a bad `report` directive item, an unreadable stylesheet, a sendmail
that failed, a path that cannot be written. The CLI prints the message as
`ERROR: <message>` and exits 1, without a stack trace.
*/
export class ReportError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'ReportError';
	}
}
