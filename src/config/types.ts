/**
The configuration model: what an rsbackup configuration file means once
parsed. Intervals are in seconds; times of day in seconds since midnight.
*/

/** A host check: `ssh`, `always-up`, or `command CMD…` (the hostname is appended). */
export type HostCheck = {kind: 'ssh'} | {kind: 'always-up'} | {kind: 'command'; command: string[]};

/** Directives inherited global → host → volume: shared with the parent stanza when it opens; a map is copied the first time a stanza changes it (`ownMap`), a list is only ever replaced. */
export type Inheritable = {
	/** `max-age`, seconds. */
	maxAge: number;
	/** `backup-policy`: daily, always or interval. */
	backupPolicy: string;
	/** `backup-parameter NAME VALUE`. */
	backupParameters: Map<string, string>;
	/** `prune-policy`: age, decay, never or exec (a value starting with `/` is exec with `path`). */
	prunePolicy: string;
	/** `prune-parameter NAME VALUE`. */
	pruneParameters: Map<string, string>;
	/**
	Where the policies and their parameters were set, for messages: keys
	`backup-policy`, `prune-policy`, `backup-parameter NAME`, `prune-parameter NAME`.
	*/
	policySources: Map<string, Location>;
	/** `pre-volume-hook`; empty = none. */
	preVolumeHook: string[];
	/** `post-volume-hook`; empty = none. */
	postVolumeHook: string[];
	/** `hook-timeout`, seconds, 0 = none. */
	hookTimeout: number;
	/** `backup-job-timeout` (legacy `rsync-timeout`), seconds, 0 = none. */
	backupJobTimeout: number;
	/** `rsync-io-timeout`, seconds, 0 = none. */
	rsyncIoTimeout: number;
	/** `ssh-timeout`, seconds. */
	sshTimeout: number;
	/** `host-check`. */
	hostCheck: HostCheck;
	/** `rsync-command`. */
	rsyncCommand: string;
	/** `rsync-base-options`. */
	rsyncBaseOptions: string[];
	/** `rsync-extra-options`. */
	rsyncExtraOptions: string[];
	/** `rsync-remote`; undefined = not set. */
	rsyncRemote: string | undefined;
	/** `rsync-link-dest`. */
	rsyncLinkDest: boolean;
	/** `backup-time EARLIEST-LATEST`, seconds since local midnight. */
	backupTime: {earliest: number; latest: number};
	/** `devices GLOB`: which devices this host/volume is backed up to. */
	devicePattern: string;
	/** `group`; undefined = the host's name. */
	group: string | undefined;
	/** `ssh-command` (rsdeck): the ssh program and its options. */
	sshCommand: string[];
};

/** `store [--mounted|--no-mounted] PATH` or `store-pattern …`. */
export type StoreSpec = {
	path: string;
	/** Must be a mount point. */
	mounted: boolean;
	/** Given by `store-pattern`: `path` is a glob. */
	pattern: boolean;
};

/** A `color-*` value, as 0xRRGGBB. */
export type Color = number;

/**
One `report` item: `KEY[:VALUE][?COND]`, with the directive's place. Keys and
conditions are checked when a report is written, so that a bad item fails
only the commands that write one, as in rsbackup.
*/
export type ReportItem = {key: string; value?: string; condition?: string; location?: Location};

/** One `graph-layout` part `PART:COLUMN,ROW[:HV]` as written; checked when a report is written. */
export type GraphLayoutPart = {part: string; location: Location};

export type Volume = Inheritable & {
	name: string;
	path: string;
	/** `exclude`, in order. */
	exclude: string[];
	traverse: boolean;
	/** `check-file`, as written (absolute, or relative to the volume path). */
	checkFile: string | undefined;
	checkMounted: boolean;
	/** Where the `volume` directive was, for messages. */
	location: Location;
};

export type Host = Inheritable & {
	name: string;
	/** `hostname`; default the host's name. `localhost` means local access. */
	hostname: string;
	/** `user`; undefined = not set. */
	user: string | undefined;
	priority: number;
	/** Sorted by name. */
	volumes: Map<string, Volume>;
	location: Location;
};

/** A place in a configuration file. */
export type Location = {file: string; line: number};

export type Config = Inheritable & {
	/** The file this configuration was read from, as given. */
	path: string;
	stores: StoreSpec[];
	/** `device NAME`, in order of appearance. */
	devices: string[];
	public: boolean;
	logs: string;
	/** `database`; undefined = `LOGS/backups.db`. */
	database: string | undefined;
	lock: string | undefined;
	/** `pre-device-hook` (legacy `pre-access-hook`); empty = none. */
	preDeviceHook: string[];
	postDeviceHook: string[];
	/** Seconds. */
	keepPruneLogs: number;
	/** Seconds, 0 = no limit. */
	pruneTimeout: number;
	sendmail: string;
	/** `rm`, the removal command (run as `CMD -rf PATH`). */
	rm: string;
	stylesheet: string | undefined;
	colorGood: Color;
	colorBad: Color;
	/** `report`; empty = the default layout. */
	report: ReportItem[];
	/** Graph-styling directives but `graph-layout`, kept as written (name → arguments) for --dump-config. */
	graph: Map<string, string[]>;
	/** `graph-layout`; undefined = the default layout. */
	graphLayout: GraphLayoutPart[] | undefined;
	/** Sorted by name. */
	hosts: Map<string, Host>;
	/** `notify-url` (rsdeck), in order: Healthchecks-style monitors told of a run's start and end. */
	notifyUrls: string[];
	/** `notify-command` (rsdeck), run at the end of a run; empty = none. */
	notifyCommand: string[];
	/** Where each of rsdeck's own global directives was read, in order (`--dump-config --verbose`). */
	origins: Map<string, Location[]>;
};
