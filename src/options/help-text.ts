/** The `--help` text. */
export const helpText = `Usage:
  rsdeck [OPTIONS] [--] [[-]HOST[:VOLUME]...]
  rsdeck --retire [OPTIONS] [--] [HOST[:VOLUME]...]
  rsdeck --retire-device [OPTIONS] [--] DEVICE...
  rsdeck --latest [OPTIONS] [--] HOST:VOLUME...
  rsdeck --backups|--history|--diff|--restore [OPTIONS] HOST:VOLUME[:PATH]

Actions (several may be combined; none = status view):
  --backup, -b              Make backups
  --prune, -p               Prune old backups
  --prune-incomplete, -P    Remove incomplete (underway or failed) backups
  --retire                  Remove all backups of the selected hosts/volumes
  --retire-device           Forget the named devices' records (files untouched)
  --forget-only             With --retire: only delete the records
  --html PATH, -H PATH      Write an HTML report ('-' = stdout)
  --text PATH, -T PATH      Write a text report ('-' = stdout)
  --email ADDRESS, -e ADDR  Email a report
  --report-json PATH        Write the report as JSON
  --metrics PATH            Write Prometheus metrics
  --check-unexpected        List unexpected files in stores (only action)
  --latest                  Print the newest complete backup of HOST:VOLUME (only action)
  --dump-config             Print the effective configuration (only action)

General options:
  --config PATH, -c PATH    Configuration file (default /etc/rsbackup/config)
  --store PATH, -s PATH     Use only this store (repeatable)
  --unmounted-store PATH    Use only this store, which need not be a mount point
  --database PATH, -D PATH  Database (default LOGS/backups.db)
  --verbose, -v             More output
  --debug, -d               Debug output
  --dry-run, -n             Change nothing; show what would run (implies -v)
  --force, -f               No prompts; override the backup policy
  --wait, -w                Wait for the lock instead of giving up
  --null, -0                With --check-unexpected: separate names with NUL
  --logs all|errors|recent|latest|failed
                            Which logs the report shows (default failed)
  --help, -h                Show this help
  --version, -V             Show the version

Warnings:
  --warn-unknown            Unknown devices, hosts and volumes
  --warn-store              Unsuitable stores and unavailable devices
  --warn-unreachable        Unreachable hosts
  --warn-partial            rsync partial transfers (default on)
  --no-warn-partial         Silence partial transfer warnings
  --warn-all, -W            All of the above
  --errors, --no-errors     Show rsync errors (default on)

rsdeck:
  --headless                Plain log lines, no console (automatic without a terminal)
  --json                    One JSON object per event on stdout (implies --headless)
  --jobs N                  Run at most N actions at once
  --retries N               Retry transient failures up to N times, with backoff
  --retry-failed            Redo what failed in the last run
  --plan, --plan=dot        Print the action graph (text or Graphviz) without running it

Finding and restoring files (each the only action; PATH is relative to the volume):
  --backups HOST:VOLUME     List the volume's backups, newest first
  --history HOST:VOLUME:PATH
                            List each distinct version of PATH across backups
  --diff HOST:VOLUME[:PATH] What changed between two backups (+ - M T A)
    --from ID, --to ID      The older and newer backup (default: the two newest)
    --checksum              Compare the data of files whose inode differs
  --restore HOST:VOLUME[:PATH] --target DEST
                            Copy PATH out of a backup to DEST (a path or HOST:PATH);
                            never deletes; existing files are skipped unless --force
    --from ID               The backup to restore from (default: the newest)
  --json                    With --backups, --history, --diff: JSON lines

Selectors: HOST, HOST:VOLUME, * and glob patterns (web*:home); a leading
- or ! deselects. They apply in order from nothing selected; none = all.
Selectors starting with - must come after --.
`;
