/**
A command line of one word asking only for `--help` or `--version` (`-h`,
`-V`): answered without the option parser, the configuration or anything
else main loads, so the answer comes as soon as node has started. Any other
command line, even `--help --help`, goes the usual way; the text is the
same either way (test/options/sole-command.test.ts).
*/
export type SoleCommand = 'help' | 'version';

export function soleCommand(argv: readonly string[]): SoleCommand | undefined {
	if (argv.length !== 1) {
		return undefined;
	}

	switch (argv[0]) {
		case '--help':
		case '-h': {
			return 'help';
		}

		case '--version':
		case '-V': {
			return 'version';
		}

		default: {
			return undefined;
		}
	}
}

/** What a sole `--help` or `--version` prints: main's own text. */
export async function soleCommandText(command: SoleCommand, version: string): Promise<string> {
	if (command === 'version') {
		return versionText(version);
	}

	const {helpText} = await import('./help-text.js');
	return helpText;
}

/** What `--version` prints, alone or not. */
export const versionText = (version: string): string => `rsdeck ${version}\n`;
