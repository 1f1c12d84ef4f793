import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

/** Rows assumed when the output stream does not say (not a terminal, or a test stream). */
const fallbackRows = 24;

/** The terminal's height in rows, updated when it is resized. */
export function useTerminalRows(): number {
	const {stdout} = useStdout();
	const [rows, setRows] = useState(() => stdout.rows || fallbackRows);
	useEffect(() => {
		const resized = (): void => {
			setRows(stdout.rows || fallbackRows);
		};

		// Ink stops listening for resizes when it believes it runs in CI, so listen here.
		stdout.on('resize', resized);
		resized();
		return () => {
			stdout.off('resize', resized);
		};
	}, [stdout]);
	return rows;
}
