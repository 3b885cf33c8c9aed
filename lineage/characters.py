"""Characters no text the project reads holds, whoever gives it: a source's cell (importers.reading) or a parent's
name for the letter (lineage.letter). Control characters mean nothing in a name and some move a terminal's cursor;
format characters show as nothing, or reorder what shows, so "Home Of\u00adfice" looks like "Home Office" and keys
another organisation. One definition, so that the importers and the letter refuse the same characters.
"""

from __future__ import annotations

import re

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


def unfit_character(text: str) -> str | None:
    """The first control or format character in ``text``, named ("the control character U+001B"); None if none.

    >>> unfit_character("Home Of\\u00adfice")
    'the invisible format character U+00AD'
    >>> unfit_character("Ada\\tLovelace") is None
    True
    """
    found = UNFIT.search(text)
    if found is None:
        return None
    kind = "control" if CONTROL.match(found.group()) else "invisible format"
    return f"the {kind} character U+{ord(found.group()):04X}"
