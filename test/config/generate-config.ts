/**
A deterministic configuration with `hosts` hosts of `volumes` volumes each,
using a spread of directives at every level: for round-trip tests and the
config-parse benchmark.
*/
export function generateConfig(hosts: number, volumes: number): string {
	const lines = [
		'store --no-mounted /backup/one',
		'store-pattern /media/backup*',
		'device dev1',
		'device dev2',
		'logs /var/log/backup',
		'lock /run/rsdeck.lock',
		'pre-device-hook /usr/sbin/mount-stores "with space"',
		'prune-policy decay',
		'prune-parameter decay-limit 400d',
		'report title:Backups summary "p:Made by ${USER}"',
		'color-graph-background hsv 0 0 1',
		'graph-layout content:0,0',
	];
	for (let h = 0; h < hosts; h++) {
		const name = `host${String(h).padStart(5, '0')}`;
		lines.push('', `host ${name}`, `    hostname ${name}.example.com`, `    priority ${h % 7}`);
		if (h % 3 === 0) {
			lines.push('    user backup', '    max-age 2d', '    pre-volume-hook /usr/bin/snap --create');
		}

		if (h % 5 === 0) {
			lines.push('    group shared', '    host-check command /bin/ping -c1', '    backup-policy interval', '    backup-parameter min-interval 6h');
		}

		for (let v = 0; v < volumes; v++) {
			lines.push(`    volume vol${v} /srv/data${v}`, '        exclude /tmp', '        exclude "*.cache files"');
			if (v % 2 === 1) {
				lines.push('        traverse true', '        check-file .mounted', '        prune-policy age', '        prune-parameter --remove decay-limit', '        prune-parameter prune-age 90d');
			}

			if (v % 4 === 3) {
				lines.push('        pre-volume-hook', '        rsync-extra-options', '        devices dev1', '        backup-time 1:00-5:30');
			}
		}
	}

	return `${lines.join('\n')}\n`;
}
