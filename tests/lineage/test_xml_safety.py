"""Every XML writer (GraphML, GEXF, the Atom feed, the HTML report's picture) is safe for any text a store
can hold: a name with control characters, written straight into each store (imports refuse them), comes out
in a file an XML parser reads, each such character as the six characters \\uXXXX.

The expected text is written by hand from that rule, never taken from a writer's output."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from lineage import reports
from lineage.changes import atom_feed
from lineage.exports import export
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind
from lineage.store import Store

CITE = Citation("Fictional register", "controls.csv", 2, "https://example.org/register")
#: A start of heading, a backspace, a unit separator, an escape, a delete and U+FFFE; a tab stays itself.
NAME = "Bad\x01 \x08Name\x1f\x1b\x7f\ufffe\tLtd"
#: XML carries DEL (U+007F) and the tab as they are.
WRITTEN = "Bad\\u0001 \\u0008Name\\u001f\\u001b\x7f\\ufffe\tLtd"
LINK_TYPE = "Success\x0bor"


@pytest.fixture
def controls(empty_store: Store) -> Store:
    organisation = Node(NodeKind.ORGANISATION, "bad", NAME, {"org_type": "commercial"}, frozenset({CITE}))
    props = {"reference": "DS90003", "date": dt.date(2020, 1, 2), "status": NAME}
    release = Node(NodeKind.RELEASE, "DS90003", f"DS90003: {NAME}", props, frozenset({CITE}))
    sent = Edge(release.id, EdgeKind.SENT_TO, organisation.id, {"link_type": LINK_TYPE}, frozenset({CITE}))
    empty_store.write([organisation, release], [sent])
    return empty_store


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_carry_control_characters_escaped(controls: Store, tmp_path: Path, fmt: str) -> None:
    export(controls, fmt, tmp_path / "out")
    root = ET.parse(tmp_path / "out").getroot()  # an XML parser reads it whole
    texts = {element.text for element in root.iter()} | {v for e in root.iter() for v in e.attrib.values()}
    assert WRITTEN in texts and f"DS90003: {WRITTEN}" in texts
    assert "Success\\u000bor" in texts
    assert not any("\x01" in text for text in texts if text)


def test_the_atom_feed_carries_control_characters_escaped(controls: Store) -> None:
    text = atom_feed(controls, "https://lineage.example/")
    root = ET.fromstring(text)
    entry = next(e for e in root if _local(e.tag) == "entry")
    title = next(e.text for e in entry if _local(e.tag) == "title")
    assert title == f"Release DS90003 to {WRITTEN}"
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert "\\u0001" in feed.entries[0].content[0].value


def test_the_html_report_carries_control_characters_escaped(controls: Store) -> None:
    page = reports.report(controls, "release", "DS90003")
    assert "\x01" not in page and "\x1b" not in page
    assert "Bad\\u0001 \\u0008Name\\u001f" in page
    picture = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    labels = [e.text for e in ET.fromstring(picture).iter() if _local(e.tag) in ("text", "title")]
    assert any(label and label.startswith("Bad\\u0001") for label in labels), labels
