/**
When the run view draws. A frame of a big run costs a fixed amount of CPU
whatever changed (the screen is laid out and compared whole), and the console
must not slow the run it shows, so frames that events ask for are spaced by
what the last frame cost: the next waits `cost / share` after the last one,
kept between `min` and `max`. A key's frame is not paced at all (it is drawn
by React at once); it shows every event folded in so far, so an event frame
already waiting is dropped. With no event waiting to be drawn, the clock
(elapsed times) is redrawn once `idle` passes without a frame, and not at all
once the run is finished.
*/
export type FramePacing = {
	/** Share of one CPU the event-driven frames may take. */
	share: number;
	/** Shortest and longest wait between two event-driven frames, in ms. */
	min: number;
	max: number;
	/** A frame for the clock once this long (ms) has passed without any frame. */
	idle: number;
};

const framePacing: FramePacing = {share: 0.05, min: 200, max: 2000, idle: 1000};

export class FramePacer {
	readonly #draw: () => void;
	readonly #clock: () => number;
	readonly #pacing: FramePacing;
	#timer: NodeJS.Timeout | undefined;
	#idleTimer: NodeJS.Timeout | undefined;
	#renderStarted: number | undefined;
	#lastShown = Number.NEGATIVE_INFINITY;
	#cost = 0;
	#stopped = false;

	/** `draw` asks for a frame; `clock` is a monotonic clock in ms. */
	constructor(draw: () => void, clock: () => number = () => performance.now(), pacing: FramePacing = framePacing) {
		this.#draw = draw;
		this.#clock = clock;
		this.#pacing = pacing;
	}

	/** The wait between two event-driven frames, from the last frame's cost. */
	get interval(): number {
		const {share, min, max} = this.#pacing;
		return Math.min(max, Math.max(min, this.#cost / share));
	}

	/** Something shown has changed: a frame is due, paced. */
	changed(): void {
		if (this.#stopped || this.#timer !== undefined) {
			return;
		}

		const wait = Math.max(0, this.#lastShown + this.interval - this.#clock());
		this.#timer = setTimeout(this.#fire, wait);
		// The event frame shows the clock too: the clock's own frame would only come sooner than the pace allows.
		clearTimeout(this.#idleTimer);
		this.#idleTimer = undefined;
	}

	/** A frame is being rendered (whatever asked for it). */
	rendering(): void {
		this.#renderStarted ??= this.#clock();
	}

	/**
	The frame has been drawn: its cost is noted, an event frame still waiting is
	no longer needed, and the clock's next frame is `idle` from now, while `live`.
	*/
	shown(live: boolean): void {
		const now = this.#clock();
		if (this.#renderStarted !== undefined) {
			this.#cost = now - this.#renderStarted;
			this.#renderStarted = undefined;
		}

		this.#lastShown = now;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		clearTimeout(this.#idleTimer);
		this.#idleTimer = live && !this.#stopped ? setTimeout(this.#fire, this.#pacing.idle) : undefined;
	}

	/** Frames may be asked for (again, after stop). */
	start(): void {
		this.#stopped = false;
	}

	/** No more frames until started again. */
	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		clearTimeout(this.#idleTimer);
		this.#timer = undefined;
		this.#idleTimer = undefined;
	}

	readonly #fire = (): void => {
		clearTimeout(this.#timer);
		clearTimeout(this.#idleTimer);
		this.#timer = undefined;
		this.#idleTimer = undefined;
		if (!this.#stopped) {
			this.#draw();
		}
	};
}
