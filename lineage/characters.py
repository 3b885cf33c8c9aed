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
from collections.abc import Iterable

#: Control characters, as ranges of code points: C0 but tab, line feed and carriage return, DEL and C1, and the
#: non-characters U+FFFE and U+FFFF. XML cannot carry most of them, and none means anything in a name.
CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xFFFE, 0xFFFF))
#: Format characters, as ranges of code points: all of Unicode's category Cf (as of Unicode 15.1), the soft
#: hyphen, zero-width spaces and joiners, bidirectional marks and overrides, word joiners and the byte-order mark
#: among them. The ranges are the one definition: the pages' JavaScript is given them too (lineage.api.vocabulary).
FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip


def _character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(re.escape(chr(lo)) + (f"-{re.escape(chr(hi))}" if hi > lo else "") for lo, hi in ranges) + "]"


CONTROL = re.compile(_character_class(CONTROL_RANGES))
FORMAT = re.compile(_character_class(FORMAT_RANGES))
UNFIT = re.compile(f"{CONTROL.pattern}|{FORMAT.pattern}")
#: Unicode's line and paragraph separators: no spreadsheet writes one in a cell, and no name holds one, but a reader
#: shows one as a break, a space or nothing ("Civi\u2028tas Research" showed as "Civitas Research" and was keyed
#: "civi tas research"). The importers refuse them in a cell (importers.reading), the letter in a name.
LINE_SEPARATOR_RANGES = ((0x2028, 0x2029),)
LINE_SEPARATORS = re.compile(_character_class(LINE_SEPARATOR_RANGES))
#: What breaks a line, in words, by character: tab, line feed and carriage return (which a cell may hold) and the
#: line separators. A name is typed on one line; the pages' JavaScript is given these too (lineage.api.vocabulary).
LINE_BREAKS = {
    **{char: f"the control character U+{ord(char):04X}" for char in "\t\n\r"},
    **{
        chr(code): f"the {unicodedata.name(chr(code)).lower()} U+{code:04X}"
        for first, last in LINE_SEPARATOR_RANGES
        for code in range(first, last + 1)
    },
}
ZWNJ, ZWJ = "\u200c", "\u200d"
#: Scripts whose letters join or change shape by their neighbours, as Unicode's character names begin: the
#: Arabic script (Persian, Urdu, Pashto among its languages) and its joining kin, and the Brahmic scripts.
SHAPING_SCRIPTS = frozenset({"ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI",
                             "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "TIBETAN", "MYANMAR",
                             "KHMER"})  # fmt: skip
#: What may follow an emoji before a joiner: the emoji presentation selector and the skin-tone modifiers.
EMOJI_TAIL_RANGES = ((0xFE0F, 0xFE0F), (0x1F3FB, 0x1F3FF))
_EMOJI_TAILS = "".join(chr(code) for lo, hi in EMOJI_TAIL_RANGES for code in range(lo, hi + 1))


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


def line_break(text: str) -> str | None:
    """The first character of ``text`` that breaks a line (:data:`LINE_BREAKS`), named; None if none.

    >>> line_break("Ada\u2028Lovelace")
    'the line separator U+2028'
    """
    return next((LINE_BREAKS[char] for char in text if char in LINE_BREAKS), None)


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


def consecutive_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending whole numbers (code points; a file's rows) as runs of consecutive ones, [first, last]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def character_tables() -> dict[str, object]:
    """The rule's own tables of this Python's Unicode, for the pages' JavaScript (lineage.api.vocabulary): the
    letters and marks of each shaping script, by the name each begins with, and the symbols an emoji joiner
    stands between, as ranges, so that the browser asks the very question unfit_character asks and never its own
    engine's Unicode, which names other scripts and knows other characters."""
    scripts: dict[str, list[int]] = {script: [] for script in sorted(SHAPING_SCRIPTS)}
    symbols = []
    for code in range(0x110000):
        char = chr(code)
        if (script := _shaping_script(char)) is not None:
            scripts[script].append(code)
        elif unicodedata.category(char) == "So":
            symbols.append(code)
    return {
        "scripts": {name: consecutive_runs(codes) for name, codes in scripts.items()},
        "symbols": consecutive_runs(symbols),
    }
