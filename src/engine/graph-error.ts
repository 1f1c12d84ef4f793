/** A graph that cannot run: a duplicate or unknown action name, or a cycle. The message names them. */
export class GraphError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GraphError';
	}
}
