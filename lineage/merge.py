"""Upsert semantics, written once: how a node or edge written again combines with what is stored.

Properties merge (new values win, absent ones stay), citations accumulate, and name, certainty and
validity are replaced. The embedded store applies this function; Neo4jStore's Cypher does the same
(``SET n += props``, a citation list union), and the conformance suite checks that they agree.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from lineage.model import Edge, Node

Record = TypeVar("Record", Node, Edge)


def merge(old: Record | None, new: Record) -> Record:
    if old is None:
        return new
    return dataclasses.replace(new, props={**old.props, **new.props}, citations=old.citations | new.citations)
