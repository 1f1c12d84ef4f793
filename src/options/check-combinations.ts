import type {Options} from './option-table.js';
import {isGlob} from './is-glob.js';
import {requestedActions} from './requested-actions.js';
import {parseSelectors, parseSnapshotSelector} from './selectors.js';
import {UsageError} from './usage-error.js';

/**
Refuse the combinations rsbackup refuses (SPEC §2, §6.3) and check the
positional words for what they mean under the chosen action.
*/
export function checkCombinations(options: Options): void {
	const {given, alone} = requestedActions(options);
	if (alone.length > 0 && given.length > 1) {
		throw new UsageError(`${alone[0]!} cannot be combined with other actions`);
	}

	if (options.backup && (options.retire || options.retireDevice)) {
		throw new UsageError(`--backup cannot be combined with ${options.retire ? '--retire' : '--retire-device'}`);
	}

	if (options.retire && options.retireDevice) {
		throw new UsageError('--retire cannot be combined with --retire-device');
	}

	if (options.forgetOnly && !options.retire) {
		throw new UsageError('--forget-only requires --retire');
	}

	checkBrowse(options);
	checkWords(options);
}

/** Which of `--from`, `--to`, `--target`, `--checksum` each snapshot command takes. */
const browseOptions: Record<string, ReadonlyArray<'from' | 'to' | 'target' | 'checksum'>> = {
	backups: [],
	history: [],
	diff: ['from', 'to', 'checksum'],
	restore: ['from', 'target'],
};

/** The snapshot commands (rsdeck): one HOST:VOLUME[:PATH], and only the options that mean something to them. */
function checkBrowse(options: Options): void {
	const allowed = options.browse === undefined ? [] : browseOptions[options.browse] ?? [];
	for (const name of ['from', 'to', 'target', 'checksum'] as const) {
		if ((options[name] !== undefined && options[name] !== false) && !allowed.includes(name)) {
			throw new UsageError(`--${name} requires ${name === 'target' ? '--restore' : (name === 'from' ? '--diff or --restore' : '--diff')}`);
		}
	}

	if (options.browse === undefined) {
		return;
	}

	const option = `--${options.browse}`;
	if (options.selectors.length !== 1) {
		throw new UsageError(`${option} needs exactly one HOST:VOLUME${options.browse === 'backups' ? '' : '[:PATH]'}`);
	}

	const selector = parseSnapshotSelector(options.selectors[0]!, option);
	if (options.browse === 'backups' && selector.path !== '') {
		throw new UsageError(`--backups needs HOST:VOLUME, not '${options.selectors[0]!}'`);
	}

	if (options.browse === 'history' && selector.path === '') {
		throw new UsageError(`--history needs HOST:VOLUME:PATH, not '${options.selectors[0]!}'`);
	}

	if (options.browse === 'restore' && (options.target === undefined || options.target === '')) {
		throw new UsageError('--restore requires --target DEST');
	}
}

function checkWords(options: Options): void {
	const words = options.selectors;
	if (options.retireDevice) {
		requireSome(words, '--retire-device requires at least one DEVICE');
		const bad = words.find(word => !/^[\w.]+$/.test(word));
		if (bad !== undefined) {
			throw new UsageError(`invalid device name '${bad}'`);
		}
	} else if (options.browse !== undefined) {
		return;
	} else if (options.latest) {
		requireSome(words, '--latest requires at least one HOST:VOLUME');
		requireExplicit(words, '--latest', true);
	} else if (options.retire) {
		requireSome(words, '--retire requires at least one HOST or HOST:VOLUME');
		requireExplicit(words, '--retire', false);
	} else {
		parseSelectors(words);
	}
}

function requireSome(words: string[], message: string): void {
	if (words.length === 0) {
		throw new UsageError(message);
	}
}

/** No `*`, globs or negations: these actions name exactly what they touch. */
function requireExplicit(words: string[], option: string, needVolume: boolean): void {
	for (const [index, selector] of parseSelectors(words).entries()) {
		if (selector.negated || isGlob(selector.host) || isGlob(selector.volume ?? '') || (needVolume && selector.volume === undefined)) {
			const expected = needVolume ? 'HOST:VOLUME' : 'HOST or HOST:VOLUME';
			throw new UsageError(`${option} needs explicit ${expected} names, not '${words[index] ?? ''}'`);
		}
	}
}
