/**
A pruning policy could not decide for a volume: a parameter it cannot read,
an exec policy that failed or printed something it should not. The message
names the volume (`host:volume`) and is meant for the operator as it is.
*/
export class PruneError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'PruneError';
	}
}
