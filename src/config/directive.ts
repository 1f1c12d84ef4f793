import type {Config, Host, Inheritable, Location, Volume} from './types.js';

/** Where a directive can appear. */
export type Context = 'global' | 'host' | 'volume';

/** How many arguments a directive takes. */
export type Arity = {min: number; max: number};

/**
One configuration directive: where it may appear, how many arguments it
takes, and what it does to the model; `place` is where the directive is, for
values whose mistakes are found later. `host`, `volume` and `include` change
the parser's state and are handled by the reader itself.
*/
export type Directive = Arity & (
	| {scope: 'global'; apply: (config: Config, args: string[], place: Location) => void}
	/** Applies to the innermost stanza; `contexts` narrows where it may appear. */
	| {scope: 'inheritable'; contexts?: readonly Context[]; apply: (into: Inheritable, args: string[], place: Location) => void}
	| {scope: 'host'; apply: (host: Host, args: string[]) => void}
	| {scope: 'volume'; apply: (volume: Volume, args: string[]) => void}
);

/** Any number of arguments from `min`. */
export const many = Number.POSITIVE_INFINITY;
