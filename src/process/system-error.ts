import {getSystemErrorMap} from 'node:util';

/**
What went wrong in a call to the operating system, in its own words ("no
such file or directory"), without node's code and call prefix; any other
error's message as it is.
*/
export function systemErrorText(error: unknown): string {
	if (error instanceof Error && 'errno' in error && typeof error.errno === 'number') {
		const known = getSystemErrorMap().get(error.errno);
		if (known !== undefined) {
			return known[1];
		}
	}

	return error instanceof Error ? error.message : String(error);
}

/** The `code` of a Node system error (`ENOENT`), if it has one. */
export function errorCode(error: unknown): string | undefined {
	return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
