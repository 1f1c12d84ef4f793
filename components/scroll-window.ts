/** The slice of a long list that fits on screen. */
export type ScrollWindow = {
	/** Index of the first visible item. */
	top: number;
	/** One past the last visible item. */
	end: number;
};

/**
Keep `selected` in view while moving the window as little as possible from
where it was (`previousTop`), so the list does not jump as the cursor moves.
*/
export function scrollWindow(total: number, selected: number, height: number, previousTop: number): ScrollWindow {
	const size = Math.max(1, height);
	let top = Math.min(previousTop, Math.max(0, total - size));
	if (selected < top) {
		top = selected;
	} else if (selected >= top + size) {
		top = selected - size + 1;
	}

	top = Math.max(0, top);
	return {top, end: Math.min(total, top + size)};
}
