"""Natural keys made from text: one definition, shared by the importers that write keys and the questions
that look them up.

- :func:`normalise` gives an Organisation's key: case, punctuation, "&", a leading "The", trailing legal
  suffixes (Ltd, Limited, plc, LLP) and a trailing parenthesised abbreviation or gloss ("(FFT)",
  "(His Majesty's Revenue and Customs)") are dropped, whitespace collapsed. A name that is wholly in brackets
  ("(organisation not visible in excerpt)") normalises to "": no organisation is named.
- :func:`slug` gives a key part that survives any spelling of spaces and marks.
- :data:`WHOLE_NUMBER` is a whole number as our files and commands write one (a row, a URN, a year).

>>> normalise("The Fischer Family Trust Education Limited (FFT)")
'fischer family trust education'
>>> slug("SEN status indicator")
'sen-status-indicator'
"""

from __future__ import annotations

import re
import unicodedata

_TRAILING_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")
_LEGAL_SUFFIX = re.compile(r"(?:\s+(?:ltd|limited|plc|llp))+$")

#: A whole number as our files and commands write one: the digits 0-9, a sign at most (int() reads other scripts'
#: digits and 1_0 too, which the API refuses).
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def fold_name(name: str) -> str:
    """Lower case, "&" as "and", apostrophes dropped, other punctuation as spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def normalise(name: str) -> str:
    """The Organisation natural key for a name as cited; "" when the text names no organisation."""
    text = unicodedata.normalize("NFKC", name).strip()
    while (stripped := _TRAILING_BRACKETS.sub("", text)) != text:
        text = stripped
    text = fold_name(text).removeprefix("the ")
    return _LEGAL_SUFFIX.sub("", text).strip()


def slug(text: str) -> str:
    """Lower-case letters and digits joined by "-"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
