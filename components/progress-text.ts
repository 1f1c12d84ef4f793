import type {Progress} from '../src/engine/types.js';

const barCells = 10;

/** `[████░░░░░░] 40%` (the percentage only without a text of its own): rsdeck's own part of the progress. */
export function progressBar(progress: Progress | undefined): string {
	if (progress?.fraction === undefined) {
		return '';
	}

	const fraction = Math.min(1, Math.max(0, progress.fraction));
	const filled = Math.floor(fraction * barCells);
	const bar = `[${'█'.repeat(filled)}${'░'.repeat(barCells - filled)}]`;
	return progress.text === undefined ? `${bar} ${Math.floor(fraction * 100)}%` : bar;
}

/** `[████░░░░░░] 40% 12MB/s`: a bar when the fraction is known, then the body's own text or the percentage. */
export function progressText(progress: Progress | undefined): string {
	return [progressBar(progress), progress?.text ?? ''].filter(part => part !== '').join(' ');
}
