/** Colours of the HTML report: CSS notation, age shading, readable text. */

/** A colour 0xRRGGBB as `#rrggbb`. */
export function cssColor(color: number): string {
	return `#${(color & 0xFF_FF_FF).toString(16).padStart(6, '0')}`;
}

/**
A mixer of two fixed colours: the colour `fraction` (0…1, clamped) of the
way from `from` to `to`, moving through HSV (hue the short way round) so that
green to red passes through amber rather than a muddy grey. Their HSV is
computed once: the report mixes the same two colours for every cell.
*/
export function colorMixer(from: number, to: number): (fraction: number) => number {
	const a = toHsv(from);
	const b = toHsv(to);
	let hueStep = b.h - a.h;
	if (hueStep > 180) {
		hueStep -= 360;
	} else if (hueStep < -180) {
		hueStep += 360;
	}

	return fraction => {
		const f = Math.min(1, Math.max(0, fraction));
		// A grey has no hue of its own: take the other colour's.
		const h = a.s === 0 ? b.h : (b.s === 0 ? a.h : a.h + (hueStep * f));
		return fromHsv((h + 360) % 360, a.s + ((b.s - a.s) * f), a.v + ((b.v - a.v) * f));
	};
}

type Hsv = {h: number; s: number; v: number};

function toHsv(color: number): Hsv {
	const r = ((color >> 16) & 0xFF) / 255;
	const g = ((color >> 8) & 0xFF) / 255;
	const b = (color & 0xFF) / 255;
	const max = Math.max(r, g, b);
	const delta = max - Math.min(r, g, b);
	let h = 0;
	if (delta > 0) {
		h = max === r ? ((g - b) / delta) % 6 : (max === g ? ((b - r) / delta) + 2 : ((r - g) / delta) + 4);
	}

	return {h: ((h * 60) + 360) % 360, s: max === 0 ? 0 : delta / max, v: max};
}

function fromHsv(h: number, s: number, v: number): number {
	const c = v * s;
	const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
	const m = v - c;
	const channel = (value: number) => Math.round((value + m) * 255);
	const rgb = (r: number, g: number, b: number) => (channel(r) << 16) | (channel(g) << 8) | channel(b);
	switch (Math.floor(h / 60) % 6) {
		case 0: {
			return rgb(c, x, 0);
		}

		case 1: {
			return rgb(x, c, 0);
		}

		case 2: {
			return rgb(0, c, x);
		}

		case 3: {
			return rgb(0, x, c);
		}

		case 4: {
			return rgb(x, 0, c);
		}

		case 5: {
			return rgb(c, 0, x);
		}

		default: {
			return rgb(0, 0, 0);
		}
	}
}

/** Black or white, whichever reads better on `background`. */
export function textColorOn(background: number): number {
	const luminance = (0.299 * ((background >> 16) & 0xFF)) + (0.587 * ((background >> 8) & 0xFF)) + (0.114 * (background & 0xFF));
	return luminance > 140 ? 0x00_00_00 : 0xFF_FF_FF;
}
