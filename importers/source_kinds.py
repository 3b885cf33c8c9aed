"""What kind of source a row rests on, and so how sure a fact from it is.

``data/source_kinds.csv`` (``source_begins, certainty, why``) is an editable table: a row's source kind (or,
for published figures, its source document) is matched by the longest entry it begins with, ignoring case.
DfE's own documents and Parliament are ``confirmed``; a campaigner's, requester's or press account is
``reported``; a recipient's own words are ``claimed``. A source the table does not know is refused, naming
file, row and column: a new kind of source needs a decision, not a default.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from importers.reading import BadInput, Row, read_csv
from lineage.model import Certainty, CertaintyLevel
from lineage.resources import DATA_DIR

SOURCE_KINDS_FILE = DATA_DIR / "source_kinds.csv"
COLUMNS = ("source_begins", "certainty", "why")
#: The levels a source itself can give; tier level and inferred come from rules, never from a source.
SOURCE_LEVELS = (CertaintyLevel.CONFIRMED, CertaintyLevel.REPORTED, CertaintyLevel.CLAIMED)


@dataclass(frozen=True, slots=True)
class SourceKinds:
    """The table, as (lower-case beginning, certainty) pairs, longest beginning first."""

    entries: tuple[tuple[str, Certainty], ...]

    def certainty(self, path: Path, row: Row, column: str) -> Certainty:
        """The certainty of the row's source, or a refusal naming the place of an unknown source."""
        found = self.of(row[column])
        if found is None:
            known = "; ".join(begins for begins, _ in self.entries)
            message = f"unknown kind of source {row[column]!r}; add it to source_kinds.csv ({known})"
            raise BadInput(path, message, row.number, column)
        return found

    def of(self, kind: str) -> Certainty | None:
        """The certainty of a kind of source (a whole file's, where its rows do not say), None when unknown."""
        text = " ".join(kind.split()).lower()
        return next((certainty for begins, certainty in self.entries if text.startswith(begins)), None)


def load_source_kinds(path: Path = SOURCE_KINDS_FILE) -> SourceKinds:
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
    return SourceKinds(tuple(sorted(entries, key=lambda entry: -len(entry[0]))))


@cache
def bundled_source_kinds() -> SourceKinds:
    return load_source_kinds()
