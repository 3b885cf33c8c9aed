"""What kind of source a row rests on, and so how sure a fact from it is.

``data/source_kinds.csv`` (``source_begins, certainty, why``) is an editable table: a row's source kind (or,
for published figures, its source document) is matched by the longest entry it begins with, ignoring case.
DfE's own documents and Parliament are ``confirmed``; a campaigner's, requester's or press account is
``reported``; a recipient's own words are ``claimed``. A source the table does not know is refused, naming
file, row and column: a new kind of source needs a decision, not a default.

A source of a ``confirmed`` kind is confirmed only as its publisher gives it: a row that reads it at an address
outside the publishers' own domains (``data/publishers.csv``: Parliament's, the government's) reads a third
party's copy, which is ``reported``. The copies can differ: DfE's written answer of 31 October 2017 says
"sensitive" at streetguide.co.uk and "highly sensitive" at TheyWorkForYou (npd_release_scope_statements.csv, row 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from importers.reading import BadInput, Row, read_csv
from lineage.model import Certainty, CertaintyLevel
from lineage.resources import DATA_DIR

SOURCE_KINDS_FILE = DATA_DIR / "source_kinds.csv"
COLUMNS = ("source_begins", "certainty", "why")
PUBLISHERS_FILE = DATA_DIR / "publishers.csv"
PUBLISHER_COLUMNS = ("domain", "publisher", "why")
#: The column of a source file that gives the address a row was read at.
ADDRESS = "source_url"
#: What a confirmed source read from a third party's copy is.
COPY = Certainty(CertaintyLevel.REPORTED)
#: The levels a source itself can give; tier level and inferred come from rules, never from a source.
SOURCE_LEVELS = (CertaintyLevel.CONFIRMED, CertaintyLevel.REPORTED, CertaintyLevel.CLAIMED)


@dataclass(frozen=True, slots=True)
class SourceKinds:
    """The table, as (lower-case beginning, certainty) pairs, longest beginning first, and the publishers'
    domains."""

    entries: tuple[tuple[str, Certainty], ...]
    publishers: tuple[str, ...]  # the domains of Parliament's and the government's own pages

    def certainty(self, path: Path, row: Row, column: str) -> Certainty:
        """The certainty of the row's source, or a refusal naming the place of an unknown source; a confirmed
        source read at a third party's address is a copy, and reported."""
        found = self.of(row[column])
        if found is None:
            known = "; ".join(begins for begins, _ in self.entries)
            message = f"unknown kind of source {row[column]!r}; add it to source_kinds.csv ({known})"
            raise BadInput(path, message, row.number, column)
        return COPY if self.read_from_a_copy(row, column) else found

    def read_from_a_copy(self, row: Row, column: str) -> bool:
        """Whether a row reads a confirmed kind of source at a third party's address: a copy, reported, whose
        words are the copy's, not the publisher's own page."""
        found = self.of(row[column])
        return (
            found is not None and found.level is CertaintyLevel.CONFIRMED and self.is_a_copy(row.cells.get(ADDRESS, ""))
        )

    def is_a_copy(self, address: str) -> bool:
        """Whether an address is outside every publisher's domain (no address: the source's own title is cited).

        >>> kinds = SourceKinds((), ("parliament.uk",))
        >>> kinds.is_a_copy("https://questions-statements.parliament.uk/written-questions/detail/2017-10-23/109065")
        False
        >>> kinds.is_a_copy("https://streetguide.co.uk/parliament/written/776081/4621")
        True
        >>> kinds.is_a_copy("https://notparliament.uk/copy")
        True
        """
        host = urlsplit(address.strip()).hostname or ""
        return bool(host) and not any(host == domain or host.endswith(f".{domain}") for domain in self.publishers)

    def of(self, kind: str) -> Certainty | None:
        """The certainty of a kind of source (a whole file's, where its rows do not say), None when unknown."""
        text = " ".join(kind.split()).lower()
        return next((certainty for begins, certainty in self.entries if text.startswith(begins)), None)


def load_source_kinds(path: Path = SOURCE_KINDS_FILE, publishers: Path = PUBLISHERS_FILE) -> SourceKinds:
    entries = []
    levels = {level.value: level for level in SOURCE_LEVELS}
    for row in read_csv(path, COLUMNS):
        begins = " ".join(row["source_begins"].split()).lower()
        level = levels.get(row["certainty"].strip())
        if not begins:
            raise BadInput(path, "must not be empty", row.number, "source_begins")
        if level is None:
            raise BadInput(path, f"a source gives one of {', '.join(levels)}", row.number, "certainty")
        if not row["why"].strip():
            raise BadInput(path, "every entry says why", row.number, "why")
        entries.append((begins, Certainty(level)))
    return SourceKinds(tuple(sorted(entries, key=lambda entry: -len(entry[0]))), load_publishers(publishers))


def load_publishers(path: Path = PUBLISHERS_FILE) -> tuple[str, ...]:
    """The publishers' own domains, lower case; an entry without a domain or a reason is refused."""
    domains = []
    for row in read_csv(path, PUBLISHER_COLUMNS):
        domain = row["domain"].strip().lower().strip(".")
        if not domain or "/" in domain or " " in domain:
            raise BadInput(path, "a domain name, such as parliament.uk", row.number, "domain")
        if not row["why"].strip():
            raise BadInput(path, "every entry says why", row.number, "why")
        domains.append(domain)
    return tuple(domains)


@cache
def bundled_source_kinds() -> SourceKinds:
    return load_source_kinds()
