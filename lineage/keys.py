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

#: Trailing legal suffixes a name may carry, dropped from its key.
LEGAL_SUFFIXES = frozenset({"ltd", "limited", "plc", "llp"})

#: A whole number as our files and commands write one: the digits 0-9, 18 at most, a sign at most (int() reads
#: other scripts' digits and 1_0 too, which the API refuses, and refuses over 4,300 digits with its own error).
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")
#: What a whole number is, in the words that refuse anything else.
WHOLE_NUMBER_WORDS = "a whole number (the digits 0-9, 18 at most)"


def fold_name(name: str) -> str:
    """Lower case, "&" as "and", apostrophes dropped, other punctuation as spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def normalise(name: str) -> str:
    """The Organisation natural key for a name as cited; "" when the text names no organisation. In time linear in
    the name's length: patterns that backtracked over a name of many spaces or suffixes took seconds a request.

    >>> normalise("Trust Systems Software UK Ltd (trading as Trustopia) (TSS)"), normalise("(not visible)")
    ('trust systems software uk', '')
    """
    text = _without_trailing_brackets(unicodedata.normalize("NFKC", name))
    words = fold_name(text).removeprefix("the ").split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:  # a suffix after a name, never the name itself
        words.pop()
    return " ".join(words)


def _without_trailing_brackets(text: str) -> str:
    """The text without its trailing bracketed parts ("(FFT)", each holding no bracket), nor the spaces around."""
    while (text := text.rstrip()).endswith(")"):
        start = text.rfind("(")
        if start < 0 or ")" in text[start:-1]:
            break
        text = text[:start]
    return text.strip()


def slug(text: str) -> str:
    """Lower-case letters and digits, of any script, joined by "-": a name wholly in another script (北京大学)
    had made an empty part, and two such bodies' releases of one day one key.

    >>> slug("Κέντρο Έρευνας Civitas"), slug("北京大学 (Peking)")
    ('κέντρο-έρευνασ-civitas', '北京大学-peking')
    """
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", text).casefold()).strip("-")
