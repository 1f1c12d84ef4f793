/** The unit files `--print-systemd-units` prints, by name. */
export type SystemdUnits = {service: string; timer: string};

/** Where the service finds rsdeck and its configuration. */
export type UnitPaths = {
	/** The node binary: the service must not depend on PATH finding the right one. */
	node: string;
	/** rsdeck's script, as installed (`/usr/local/bin/rsdeck`). */
	rsdeck: string;
	/** The configuration, absolute. */
	config: string;
	/** `--rsdeck-config`, when given. */
	rsdeckConfig?: string;
};

/** A word of ExecStart=: systemd splits on spaces and reads quotes, `%` and `$` itself. */
function execWord(word: string): string {
	const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
	return /^[\w./:=@+-]+$/.test(escaped) ? escaped : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
A oneshot service running backups and prune headless, and a timer starting it
every hour. Each hour's run backs up only what its backup-policy says is due,
as rsbackup's cron job does.

The hardening leaves alone what a backup needs: root's reading of every file
(CAP_DAC_READ_SEARCH and friends), writing anywhere a store may be mounted
(ProtectSystem=full keeps /usr, /boot and /etc read-only, not /media or
/var), device nodes and setuid bits copied as they are (so no PrivateDevices
or RestrictSUIDSGID), ssh's keys and known_hosts in /root (no ProtectHome),
and node's JIT (no MemoryDenyWriteExecute). KillMode=mixed sends SIGTERM to
rsdeck alone, which stops rsync and hooks and records what they did.
*/
export function systemdUnits(paths: UnitPaths): SystemdUnits {
	const command = [paths.node, paths.rsdeck, '--headless', '--config', paths.config,
		...(paths.rsdeckConfig === undefined ? [] : ['--rsdeck-config', paths.rsdeckConfig]), '--backup', '--prune'];
	const service = `[Unit]
Description=rsdeck backups (rsync snapshots)
Documentation=man:rsdeck(1)
Wants=network-online.target
After=network-online.target local-fs.target

[Service]
Type=oneshot
ExecStart=${command.map(word => execWord(word)).join(' ')}
# Backups give way to everything else on the machine.
Nice=10
CPUSchedulingPolicy=batch
IOSchedulingClass=idle
# backup-job-timeout and hook-timeout limit a run; systemd does not.
TimeoutStartSec=infinity
KillMode=mixed
TimeoutStopSec=5min
PrivateTmp=true
ProtectSystem=full
NoNewPrivileges=true
ProtectKernelTunables=true
ProtectKernelModules=true
ProtectKernelLogs=true
ProtectControlGroups=true
ProtectClock=true
ProtectHostname=true
RestrictRealtime=true
LockPersonality=true
SystemCallArchitectures=native
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
`;
	const timer = `[Unit]
Description=Run rsdeck backups every hour
Documentation=man:rsdeck(1)

[Timer]
OnCalendar=hourly
# A run missed while the machine was off happens when it comes back.
Persistent=true
RandomizedDelaySec=10min

[Install]
WantedBy=timers.target
`;
	return {service, timer};
}

/** Both units as `--print-systemd-units` prints them: each under a comment naming its file. */
export function formatUnits(units: SystemdUnits): string {
	return `# /etc/systemd/system/rsdeck-backup.service\n${units.service}\n# /etc/systemd/system/rsdeck-backup.timer\n${units.timer}`;
}
