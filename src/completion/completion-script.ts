import {optionTable, type OptionDefinition} from '../options/option-table.js';

/** The shells `--completion` writes a script for. */
export type Shell = 'bash' | 'zsh' | 'fish';

const rows: readonly OptionDefinition[] = optionTable;

function words(row: OptionDefinition): string[] {
	return [`--${row.name}`, ...(row.short === undefined ? [] : [`-${row.short}`])];
}

const takesValue = (row: OptionDefinition) => row.kind !== 'flag' && row.kind !== 'switch' && row.bare === undefined;
// --target's DEST may be HOST:PATH, but is most often a local directory.
const takesPath = (row: OptionDefinition) => row.value === 'PATH' || row.value === 'DEST';
const optionWords = rows.flatMap(row => (row.bare === undefined ? [`--${row.name}`] : [`--${row.name}`, ...(row.choices ?? []).filter(choice => choice !== row.bare).map(choice => `--${row.name}=${choice}`)]));
const configWords = [...words(rows.find(row => row.name === 'config')!), '--rsdeck-config'];

/** A bash `case` pattern of the options' words. */
const pattern = (selected: OptionDefinition[]) => selected.flatMap(row => words(row)).join('|');

/**
bash: options, files for options that take a path, the choices of the rest,
and for other words the hosts and volumes of the configuration named on the
line so far, from `rsdeck --list-selectors` at completion time. `HOST:VOLUME`
works whether or not `:` splits words (COMP_WORDBREAKS), as bash-completion's
__ltrim_colon_completions does.
*/
function bashScript(): string {
	const choices = rows.filter(row => row.choices !== undefined && row.bare === undefined)
		.map(row => `\t\t${pattern([row])}) COMPREPLY=($(compgen -W '${(row.choices ?? []).join('\n')}' -- "$cur")); return ;;`).join('\n');
	return `# rsdeck completion for bash: source <(rsdeck --completion bash)
_rsdeck() {
	local line=\${COMP_LINE:0:COMP_POINT}
	local cur=\${line##*[[:space:]]}
	local -a words
	read -ra words <<< "$line"
	[[ -n $cur ]] && unset 'words[\${#words[@]}-1]'
	local prev=\${words[\${#words[@]}-1]}
	local i config=()
	for ((i = 1; i < \${#words[@]}; i++)); do
		case \${words[i]} in
			${configWords.join('|')}) config+=("\${words[i]}" "\${words[i + 1]}") ;;
			--config=*|--rsdeck-config=*) config+=("\${words[i]}") ;;
		esac
	done
	local IFS=$'\\n'
	case $prev in
		${pattern(rows.filter(row => takesPath(row)))}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
${choices}
		${pattern(rows.filter(row => takesValue(row) && !takesPath(row) && row.choices === undefined))}) COMPREPLY=(); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '${optionWords.join('\n')}' -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$("\${words[0]}" "\${config[@]}" --list-selectors 2>/dev/null)" -- "$cur"))
	fi
	if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
		local colon=\${cur%"\${cur##*:}"}
		COMPREPLY=("\${COMPREPLY[@]#"$colon"}")
	fi
}
complete -F _rsdeck rsdeck
`;
}

function zshScript(): string {
	const value = (row: OptionDefinition) => (takesPath(row) ? ':path:_files' : (row.choices !== undefined && row.bare === undefined ? `:value:(${row.choices.join(' ')})` : (takesValue(row) ? ':value:' : '')));
	const specs = rows.flatMap(row => words(row).map(word => `'${word}${row.bare === undefined && takesValue(row) && word.startsWith('--') ? '=' : ''}[${row.help.replaceAll('\'', '\'\\\'\'').replaceAll(/[[\]]/g, '\\$&')}]${value(row)}'`));
	return `#compdef rsdeck
# rsdeck completion for zsh: source <(rsdeck --completion zsh), after compinit
_rsdeck_selectors() {
	local -a config selectors
	local i
	for ((i = 2; i < CURRENT; i++)); do
		case $words[i] in
			${configWords.join('|')}) config+=($words[i] $words[i+1]) ;;
			--config=*|--rsdeck-config=*) config+=($words[i]) ;;
		esac
	done
	selectors=(\${(f)"$($words[1] $config --list-selectors 2>/dev/null)"})
	compadd -- $selectors
}
_rsdeck() {
	_arguments -s -S \\
		${specs.join(' \\\n\t\t')} \\
		'*:selector:_rsdeck_selectors'
}
# Autoloaded from fpath, this file is the body of _rsdeck: complete now; sourced, register.
if [[ $funcstack[1] == _rsdeck ]]; then
	_rsdeck "$@"
else
	compdef _rsdeck rsdeck
fi
`;
}

function fishScript(): string {
	const lines = rows.map(row => {
		const flags = [`-l ${row.name}`, ...(row.short === undefined ? [] : [`-s ${row.short}`])];
		if (takesPath(row)) {
			flags.push('-r -F');
		} else if (row.choices !== undefined && row.bare === undefined) {
			flags.push(`-x -a '${row.choices.join(' ')}'`);
		} else if (takesValue(row)) {
			flags.push('-x');
		}

		return `complete -c rsdeck ${flags.join(' ')} -d '${row.help.replaceAll('\\', '\\\\').replaceAll('\'', '\\\'')}'`;
	});
	return `# rsdeck completion for fish: rsdeck --completion fish | source
function __rsdeck_selectors
	set -l tokens (commandline -opc)
	set -l config
	for i in (seq 2 (count $tokens))
		switch $tokens[$i]
			case ${configWords.join(' ')}
				if test $i -lt (count $tokens)
					set config $config $tokens[$i] $tokens[(math $i + 1)]
				end
			case '--config=*' '--rsdeck-config=*'
				set config $config $tokens[$i]
		end
	end
	$tokens[1] $config --list-selectors 2>/dev/null
end
complete -c rsdeck -f
complete -c rsdeck -n 'not string match -q -- "-*" (commandline -ct)' -a '(__rsdeck_selectors)'
${lines.join('\n')}
`;
}

/** The completion script for a shell. */
export function completionScript(shell: Shell): string {
	switch (shell) {
		case 'bash': {
			return bashScript();
		}

		case 'zsh': {
			return zshScript();
		}

		case 'fish': {
			return fishScript();
		}
	}
}
