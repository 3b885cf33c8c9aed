"""Text any store can hold, made safe for XML 1.0 and HTML: the Atom feed, GraphML, GEXF and the reports.

XML 1.0 cannot carry most control characters, lone surrogates, U+FFFE or U+FFFF, not even as character
references: one of them makes a whole file unreadable. Imports refuse them (importers.reading), but a store
may hold what another program wrote, so every XML writer writes each such character as the six visible
characters ``\\uXXXX`` (its code point in hex) instead of failing or writing a broken file.
"""

from __future__ import annotations

import html
import re

#: Characters XML 1.0 cannot carry, even escaped: most control characters, lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot carry written as ``\\uXXXX``."""
    return NOT_XML.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def markup(text: str) -> str:
    """``text`` for HTML, SVG or XML markup, in an element or an attribute: ``&``, ``<``, ``>`` and quotes
    escaped, and every character XML cannot carry written as ``\\uXXXX``."""
    return html.escape(xml_text(text))
