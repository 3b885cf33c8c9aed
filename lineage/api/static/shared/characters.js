// The characters no name typed for the letter may hold: lineage/characters.py's rule, read from its tables in the
// generated vocabulary (its ranges, and its Unicode's scripts and symbols, not this browser's), so that /reach
// refuses what `lineage letter` refuses. Control characters mean nothing in a name; format characters show as
// nothing or reorder what shows. A joiner or non-joiner is kept where it shapes what shows: between two letters or
// marks of one shaping script, or (a joiner) between two emoji. Touches nothing.

import { EMOJI_TAILS, LINE_BREAKS, SHAPING_SCRIPTS, SYMBOLS, UNFIT_CHARACTERS } from "/static/shared/vocabulary.js";

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const inRanges = (ranges) => (code) => ranges.some(([first, last]) => first <= code && code <= last);
const isControl = inRanges(UNFIT_CHARACTERS.control);
const isFormat = inRanges(UNFIT_CHARACTERS.format);
const isEmojiTail = inRanges(EMOJI_TAILS);
const isSymbol = inRanges(SYMBOLS);
const SCRIPTS = Object.entries(SHAPING_SCRIPTS).map(([script, ranges]) => [script, inRanges(ranges)]);

const hex = (code) => code.toString(16).toUpperCase().padStart(4, "0");

/** The shaping script of a letter or mark; null for any other character. */
function shapingScript(char) {
  if (char === undefined) return null;
  const code = char.codePointAt(0);
  const found = SCRIPTS.find(([, within]) => within(code));
  return found ? found[0] : null;
}

/** Whether the joiner or non-joiner at `at` (in an array of characters) changes what shows. */
function joins(chars, at) {
  if (at === 0 || at + 1 === chars.length) return false;
  const script = shapingScript(chars[at - 1]);
  if (script !== null && script === shapingScript(chars[at + 1])) return true;
  let emoji = at - 1;
  while (emoji >= 0 && isEmojiTail(chars[emoji].codePointAt(0))) emoji -= 1;
  const symbol = (char) => isSymbol(char.codePointAt(0));
  return chars[at].codePointAt(0) === ZWJ && emoji >= 0 && symbol(chars[emoji]) && symbol(chars[at + 1]);
}

/** The first control or format character in `text` (but a joiner where it joins), in words; null if none. */
export function unfitCharacter(text) {
  const chars = Array.from(text);
  for (const [at, char] of chars.entries()) {
    const code = char.codePointAt(0);
    if (isControl(code)) return `the control character U+${hex(code)}`;
    if (!isFormat(code) || ((code === ZWNJ || code === ZWJ) && joins(chars, at))) continue;
    const named = `the invisible format character U+${hex(code)}`;
    return code === ZWNJ || code === ZWJ ? `${named}, outside a word of a script it shapes` : named;
  }
  return null;
}

/** The first character of `text` that breaks a line (a tab, a line feed, a line separator), in words; or null. */
export function lineBreak(text) {
  for (const char of text) {
    const words = LINE_BREAKS[char.codePointAt(0)];
    if (words) return words;
  }
  return null;
}
