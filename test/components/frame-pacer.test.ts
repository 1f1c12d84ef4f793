import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {FramePacer} from '../../components/frame-pacer.js';

const pacing = {share: 0.05, min: 200, max: 2000, idle: 1000};
let clock = 0;
let draws = 0;
let pacer: FramePacer;
let live = true;

beforeEach(() => {
	vi.useFakeTimers();
	clock = 0;
	draws = 0;
	live = true;
	// React draws a frame asked for at once.
	pacer = new FramePacer(() => {
		draws++;
		pacer.rendering();
		pacer.shown(live);
	}, () => clock, pacing);
});

afterEach(() => {
	pacer.stop();
	vi.useRealTimers();
});

function advance(ms: number): void {
	clock += ms;
	vi.advanceTimersByTime(ms);
}

/** A frame rendered and drawn, costing `cost` ms. */
function frame(cost: number): void {
	pacer.rendering();
	clock += cost;
	pacer.shown(live);
}

test('events are drawn together, one frame per interval, not one per event', () => {
	frame(1);
	for (let event = 0; event < 1000; event++) {
		pacer.changed();
	}

	advance(199);
	expect(draws).toBe(0);
	advance(1);
	expect(draws).toBe(1);
	frame(1);
	advance(5000);
	// Nothing changed since: only the clock's frames, one a second.
	expect(draws).toBe(6);
});

test('the wait between event frames grows with what a frame costs, within its bounds', () => {
	frame(30);
	expect(pacer.interval).toBe(600);
	pacer.changed();
	advance(599);
	expect(draws).toBe(0);
	advance(1);
	expect(draws).toBe(1);
	frame(500);
	expect(pacer.interval).toBe(2000);
	frame(1);
	expect(pacer.interval).toBe(200);
});

test('a frame drawn for a key shows the events so far: the frame they asked for is dropped', () => {
	frame(1);
	pacer.changed();
	advance(100);
	// A key's frame.
	frame(1);
	advance(999);
	expect(draws).toBe(0);
	// The clock's frame, a second after the key's.
	advance(1);
	expect(draws).toBe(1);
});

test('a finished run is not drawn again for the clock', () => {
	live = false;
	frame(1);
	advance(10_000);
	expect(draws).toBe(0);
	pacer.changed();
	advance(200);
	expect(draws).toBe(1);
	advance(10_000);
	expect(draws).toBe(1);
});

test('a stopped pacer draws nothing', () => {
	frame(1);
	pacer.changed();
	pacer.stop();
	advance(10_000);
	expect(draws).toBe(0);
});

test('while events keep coming, the clock waits for their frames rather than drawing sooner than the pace', () => {
	frame(100);
	expect(pacer.interval).toBe(2000);
	pacer.changed();
	advance(1999);
	expect(draws).toBe(0);
	advance(1);
	expect(draws).toBe(1);
});
