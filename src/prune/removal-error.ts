/**
rsdeck refused to remove something, or the removal failed. The message names
the path and the reason, for the operator as it is.
*/
export class RemovalError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'RemovalError';
	}
}
