"""A report in Markdown: tables, the SVG inline as an HTML block, the sources as a list; every value escaped so
that no name becomes markup, HTML or a link."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from lineage.model import Citation, ordered_citations
from lineage.reports.document import CERTAINTY_MEANING, AuditReport
from lineage.reports.render import INTRODUCTION, is_web, numbered_sources, record_title, source_text
from lineage.reports.svg import svg
from lineage.reports.words import certainty_text, facts

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]|#~!"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"})
#: What GitHub-flavoured Markdown turns into a link with no markup: a scheme's "://", "www." and an
#: address's "@". A backslash before the ":", "." or "@" keeps the text and stops the link.
_AUTOLINK = re.compile(r":(?=//)|(?<=www)\.|@", re.IGNORECASE)


def md_text(text: str) -> str:
    return " ".join(text.split()).translate(_MD_SPECIAL)


def md(text: str) -> str:
    """Text safe in a Markdown paragraph or table cell: no markup, no HTML, no link, one line."""
    return _AUTOLINK.sub(lambda found: f"\\{found.group()}", md_text(text))


def md_link(address: str) -> str:
    """A cited address as a link: the one kind of link a report makes."""
    return f"[{md_text(address)}]({quote(address, safe=':/?#[]@!$&*+,;=%~-._')})"


def to_markdown(report: AuditReport) -> str:
    """The same report in Markdown: tables, the SVG inline as an HTML block, the sources as a list."""
    numbers = numbered_sources(report)

    def refs(citations: Iterable[Citation]) -> str:
        return " ".join(f"\\[{numbers[c]}\\]" for c in ordered_citations(citations))

    def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
        return [
            "| " + " | ".join(map(md, header)) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows),
            "",
        ]

    out = [f"# Audit report: {md(report.title)}", "", md(INTRODUCTION), ""]
    out += [
        f"- **{md(level.value.replace('_', ' '))}**: {md(meaning)}" for level, meaning in CERTAINTY_MEANING.items()
    ] + [""]
    out += [f"## {record_title(report)}", ""]
    for node in report.records:
        described = [(md(label), md(text)) for label, text in facts(node)]
        described += [("certainty", md(certainty_text(node.certainty))), ("sources", refs(node.citations))]
        out += table(("property", "value"), described)
    out += ["## The flow", "", '<div class="flow">', svg(report.picture), "</div>", ""]
    for t in report.tables:
        out += [f"## {md(t.title)}", ""]
        if not t.rows:
            out += [md(t.empty), ""]
            continue
        rows = [(*map(md, row.cells), md(certainty_text(row.certainty)), refs(row.citations)) for row in t.rows]
        out += table((*t.header, "certainty", "sources"), rows)
    out += ["## Sources", ""]
    for citation, number in numbers.items():
        address = citation.address
        where = md_link(address) if is_web(address) else md(address)
        out.append(f"{number}. {md(source_text(citation))}{': ' if address else ''}{where}")
    return "\n".join(out) + "\n"
