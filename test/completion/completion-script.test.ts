import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, expect, test} from 'vitest';
import {cli, rsdeck} from '../helpers/fleet.js';
import {removeTemporaryDirectories, temporaryDirectory, writeScript} from '../helpers/files.js';

afterEach(() => {
	removeTemporaryDirectories();
});

/** A configuration with two hosts, and `rsdeck` on a PATH as an installed one would be. */
function setup(): {config: string; bin: string} {
	const directory = temporaryDirectory();
	const config = path.join(directory, 'config');
	writeFileSync(config, `device d1
host web1
  volume home /home
  volume www /var/www
host db1
  volume data /srv
`);
	const bin = path.join(directory, 'bin');
	mkdirSync(bin);
	writeScript(path.join(bin, 'rsdeck'), `exec '${process.execPath}' '${cli}' "$@"`);
	return {config, bin};
}

/** What bash offers for the line typed so far, with the script loaded as `source <(rsdeck --completion bash)` does. */
async function complete(bin: string, script: string, line: string): Promise<string[]> {
	const program = `source /dev/stdin <<'SCRIPT'\n${script}SCRIPT\ncomplete -p rsdeck >&2\nCOMP_LINE=$1 COMP_POINT=\${#1}\nread -ra COMP_WORDS <<< "$1"\n[[ $1 == *' ' ]] && COMP_WORDS+=('')\nCOMP_CWORD=$((\${#COMP_WORDS[@]} - 1))\n_rsdeck\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
	const result = await execa('bash', ['--norc', '--noprofile', '-c', program, 'bash', line], {env: {PATH: `${bin}:${process.env['PATH'] ?? ''}`}});
	expect(result.stderr).toBe('complete -F _rsdeck rsdeck');
	return result.stdout.split('\n').filter(Boolean);
}

test('--list-selectors prints every host and HOST:VOLUME', async () => {
	const {config} = setup();
	expect(await rsdeck(['--list-selectors', '--config', config])).toMatchObject({exitCode: 0, stdout: 'db1\ndb1:data\nweb1\nweb1:home\nweb1:www\n'});
});

test('bash completes options, their values, and hosts and volumes of the configuration named on the line', async () => {
	const {config, bin} = setup();
	const script = (await rsdeck(['--completion', 'bash'])).stdout;
	expect(await complete(bin, script, 'rsdeck --prune-')).toEqual(['--prune-incomplete']);
	expect(await complete(bin, script, 'rsdeck --pl')).toEqual(['--plan', '--plan=dot']);
	expect(await complete(bin, script, 'rsdeck --logs f')).toEqual(['failed']);
	expect(await complete(bin, script, 'rsdeck --config /nonexistent -b w')).toEqual([]);
	expect(await complete(bin, script, `rsdeck --config ${config} -b w`)).toEqual(['web1', 'web1:home', 'web1:www']);
	// With ':' in COMP_WORDBREAKS, bash replaces only what follows the colon.
	expect(await complete(bin, script, `rsdeck -c ${config} --retire web1:w`)).toEqual(['www']);
	expect(await complete(bin, script, `rsdeck --config=${config} --latest d`)).toEqual(['db1', 'db1:data']);
	// --restore's --target is most often a local directory.
	expect(await complete(bin, script, `rsdeck --restore web1:home --target ${path.dirname(config)}/con`)).toEqual([config]);
});

test('zsh and fish scripts name every option', async () => {
	for (const shell of ['zsh', 'fish']) {
		const {stdout, exitCode} = await rsdeck(['--completion', shell]);
		expect(exitCode).toBe(0);
		for (const option of ['backup', 'prune-incomplete', 'retire-device', 'list-selectors', 'rsdeck-config']) {
			expect(stdout).toContain(shell === 'fish' ? `-l ${option}` : `--${option}`);
		}
	}
});
