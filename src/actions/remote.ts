import type {Host} from '../config/types.js';

/** The host is reached without ssh. */
export const isLocal = (host: Host): boolean => host.hostname === 'localhost';

/** `user@host` or `host`, as ssh and rsync want it. */
export const sshTarget = (host: Host): string => (host.user === undefined ? host.hostname : `${host.user}@${host.hostname}`);

/** Quote one word for a POSIX shell, so paths with spaces and shell characters reach the remote side intact. */
export function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll('\'', '\'\\\'\'')}'`;
}

/**
The argument vector that runs `argv` on a host: as it is for `localhost`, else
through the host's ssh command. The remote shell sees the words quoted.
*/
export function onHost(host: Host, argv: readonly string[]): string[] {
	if (isLocal(host)) {
		return [...argv];
	}

	return [...host.sshCommand, `-oConnectTimeout=${host.sshTimeout}`, '-oBatchMode=yes', sshTarget(host), argv.map(word => shellQuote(word)).join(' ')];
}
