"""Characters no text the project reads holds, whoever gives it: a source's cell (importers.reading) or a parent's
name for the letter (lineage.letter). Control characters mean nothing in a name and some move a terminal's cursor;
format characters show as nothing, or reorder what shows, so "Home Of\u00adfice" looks like "Home Office" and keys
another organisation. One definition, so that the importers and the letter refuse the same characters.

The zero-width non-joiner and joiner (U+200C, U+200D) are the exception where they change what shows: between two
letters or marks of a script that shapes its letters (Persian writes "mi-khaham", I want, as
"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", with a non-joiner; Devanagari and Sinhala write half forms
and conjuncts with a joiner after a virama), and the joiner within an emoji sequence. Anywhere else they show as
nothing, as "Ho\u200cme Office" would, and are refused like every other format character.
"""

from __future__ import annotations

import re
import unicodedata

#: Control characters: C0 but tab, line feed and carriage return, DEL and C1, and the non-characters U+FFFE and
#: U+FFFF. XML cannot carry most of them, and none means anything in a name.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Format characters: all of Unicode's category Cf (as of Unicode 15.1), the soft hyphen, zero-width spaces and
#: joiners, bidirectional marks and overrides, word joiners and the byte-order mark among them.
FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
UNFIT = re.compile(f"{CONTROL.pattern}|{FORMAT.pattern}")
ZWNJ, ZWJ = "\u200c", "\u200d"
#: Scripts whose letters join or change shape by their neighbours, as Unicode's character names begin: the
#: Arabic script (Persian, Urdu, Pashto among its languages) and its joining kin, and the Brahmic scripts.
SHAPING_SCRIPTS = frozenset({"ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI",
                             "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "TIBETAN", "MYANMAR",
                             "KHMER"})  # fmt: skip
#: What may follow an emoji before a joiner: the emoji presentation selector and the skin-tone modifiers.
_EMOJI_TAILS = "\ufe0f" + "".join(map(chr, range(0x1F3FB, 0x1F400)))


def unfit_character(text: str) -> str | None:
    """The first control or format character in ``text`` (but a joiner where it joins, see above), named
    ("the control character U+001B"); None if none.

    >>> unfit_character("Home Of\\u00adfice")
    'the invisible format character U+00AD (SOFT HYPHEN)'
    >>> unfit_character("Ada\\tLovelace") is None
    True
    >>> unfit_character("\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645") is None  # Persian: a non-joiner
    True
    >>> unfit_character("Ho\\u200cme Office")
    'the invisible format character U+200C (ZERO WIDTH NON-JOINER), outside a word of a script it shapes'
    """
    for found in UNFIT.finditer(text):
        char, at = found.group(), found.start()
        if char in (ZWNJ, ZWJ) and _joins(text, at):
            continue
        if CONTROL.match(char):
            return f"the control character U+{ord(char):04X}"
        named = f"the invisible format character U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"
        return f"{named}, outside a word of a script it shapes" if char in (ZWNJ, ZWJ) else named
    return None


def _joins(text: str, at: int) -> bool:
    """Whether the joiner or non-joiner at ``at`` stands where it changes what shows: between two letters or marks
    of one shaping script, or (a joiner) between two emoji."""
    if at == 0 or at + 1 == len(text):
        return False
    script = _shaping_script(text[at - 1])
    if script is not None and script == _shaping_script(text[at + 1]):
        return True
    emoji = at - 1  # read by index: a cell of 100,000 joiners is read once, not copied for each
    while emoji >= 0 and text[emoji] in _EMOJI_TAILS:
        emoji -= 1
    return (
        text[at] == ZWJ
        and emoji >= 0
        and unicodedata.category(text[emoji]) == "So" == unicodedata.category(text[at + 1])
    )


def _shaping_script(char: str) -> str | None:
    """The shaping script (:data:`SHAPING_SCRIPTS`) of a letter or mark, by its Unicode name; None for any other."""
    if unicodedata.category(char)[0] not in "LM":
        return None
    script = unicodedata.name(char, "").split(" ", 1)[0]
    return script if script in SHAPING_SCRIPTS else None
