import {picomatchModule} from '../matching/picomatch.js';

/**
Whether a word is a pattern rather than a name, as picomatch itself reads it:
`*`, `?`, a bracket class, a brace list or an extglob. A word it would only
match literally (`a{b}`, an unclosed `[`) counts as a name.
*/
export const isGlob = (word: string): boolean => picomatchModule().scan(word).isGlob;
