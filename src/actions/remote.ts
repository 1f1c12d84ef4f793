import type {Host, Inheritable} from '../config/types.js';

/** The host is reached without ssh. */
export const isLocal = (host: Host): boolean => host.hostname === 'localhost';

/** `user@host` or `host`, as ssh and rsync want it. */
export const sshTarget = (host: Host): string => (host.user === undefined ? host.hostname : `${host.user}@${host.hostname}`);

/** Words a POSIX shell (and rsync's `-e` splitter) leaves alone. */
const plainWord = /^[\w@%+=:,./-]+$/;

/** Quote one word for a POSIX shell, so paths with spaces and shell characters reach the remote side intact. */
export function shellQuote(word: string): string {
	return plainWord.test(word) ? word : `'${word.replaceAll('\'', '\'\\\'\'')}'`;
}

/**
Quote one word of `ssh-command` for rsync's `-e`. rsync splits that string
itself, not through a shell: words are separated by spaces, quotes group, and
inside single quotes a doubled `''` stands for one `'` (backslashes are
literal), so POSIX quoting would be wrong here.
*/
export function rshQuote(word: string): string {
	return plainWord.test(word) ? word : `'${word.replaceAll('\'', '\'\'')}'`;
}

/** ssh's `-oConnectTimeout` bounds the connection and handshake; this margin covers the rest of a check. */
const sshMarginSeconds = 5;

/**
Seconds after which a check over ssh is killed (0 = never): the ssh timeout
plus a small margin, so a peer that accepts and then stalls after the
handshake still costs at most about `ssh-timeout`.
*/
export const sshDeadline = (ssh: Pick<Inheritable, 'sshTimeout'>): number => (ssh.sshTimeout > 0 ? ssh.sshTimeout + sshMarginSeconds : 0);

/**
The argument vector that runs `argv` on a host: as it is for `localhost`, else
through the ssh command (the host's, or a volume's when given as `ssh`). ssh
joins its remaining words with spaces for the remote shell, so each word is
quoted here and the remote side sees exactly `argv`.
*/
export function onHost(host: Host, argv: readonly string[], ssh: Pick<Inheritable, 'sshCommand' | 'sshTimeout'> = host): string[] {
	if (isLocal(host)) {
		return [...argv];
	}

	return [...ssh.sshCommand, `-oConnectTimeout=${ssh.sshTimeout}`, '-oBatchMode=yes', sshTarget(host), argv.map(word => shellQuote(word)).join(' ')];
}

/**
rsync's source argument for a volume path: `PATH/.` on `localhost`, else
`[USER@]HOST:PATH/.` with PATH quoted for the remote shell when it needs it.

Why quoting, and why `RSYNC_OLD_ARGS` (see `remoteSourceEnvironment`): how
rsync passes a remote path depends on its version. Before 3.2.4 the remote
shell splits it (spaces and quotes break it, as in rsbackup). From 3.2.4 rsync
backslash-escapes shell characters itself but leaves `* ? [ ]` active, and
`--secluded-args` (`-s`) makes the remote rsync expand those wildcards, so
neither is literal: a path `/srv/dir [1]` could back up `/srv/dir 1`. Setting
`RSYNC_OLD_ARGS=1` asks rsync ≥ 3.2.4 for the old behaviour, older rsyncs
ignore it, so with our own POSIX quoting every version hands the remote shell
the same, exactly quoted path. A plain path is left unquoted and gets no
variable, so its command is rsbackup's own. (An operator who adds
`--secluded-args` or `--no-old-args` to the rsync options overrides this.)
*/
export function rsyncSource(host: Host, path: string): string {
	return isLocal(host) ? `${path}/.` : `${sshTarget(host)}:${shellQuote(`${path}/.`)}`;
}

/** The variables rsync needs for `rsyncSource`'s quoting to be read as written (empty when nothing was quoted). */
export function remoteSourceEnvironment(host: Host, path: string): Record<string, string> {
	if (isLocal(host) || plainWord.test(`${path}/.`)) {
		return {};
	}

	return {RSYNC_OLD_ARGS: '1', RSYNC_PROTECT_ARGS: '0'};
}
