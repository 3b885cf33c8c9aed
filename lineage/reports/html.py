"""A report as one self-contained HTML page: its style and flow picture inside, no script, no external file;
every value escaped by lineage.xml_text.markup (quotes too: any value may land in an attribute; and characters
XML cannot carry as ``\\uXXXX``)."""

from __future__ import annotations

from collections.abc import Iterable

from lineage.model import Certainty, Citation, ordered_citations
from lineage.reports.document import CERTAINTY_MEANING, AuditReport
from lineage.reports.render import INTRODUCTION, is_web, numbered_sources, record_title, source_text
from lineage.reports.svg import svg
from lineage.reports.words import certainty_text, facts
from lineage.xml_text import markup

_STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.certainty-confirmed { color: #1b5e20; }
.certainty-tier_level { color: #8a5a00; }
.certainty-inferred { color: #6a1b9a; }
.flow { overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: bold; }
"""


def to_html(report: AuditReport) -> str:
    """One self-contained HTML document: style and picture inside, no script, links only to the sources."""
    numbers = numbered_sources(report)

    def refs(citations: Iterable[Citation]) -> str:
        return " ".join(f'<a href="#source-{numbers[c]}">[{numbers[c]}]</a>' for c in ordered_citations(citations))

    def certainty(value: Certainty) -> str:
        return f'<span class="certainty-{value.level.value}">{markup(certainty_text(value))}</span>'

    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>Audit report: {markup(report.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body><main>",
        f"<h1>Audit report: {markup(report.title)}</h1>",
        f"<p>{markup(INTRODUCTION)}</p>",
        "<ul>"
        + "".join(
            f"<li><b>{markup(level.value.replace('_', ' '))}</b>: {markup(meaning)}</li>"
            for level, meaning in CERTAINTY_MEANING.items()
        )
        + "</ul>",
        f'<section id="subject"><h2>{record_title(report)}</h2>',
        *(
            "<dl>"
            + "".join(f"<dt>{markup(label)}</dt><dd>{markup(text)}</dd>" for label, text in facts(node))
            + f"<dt>certainty</dt><dd>{certainty(node.certainty)}</dd>"
            + f"<dt>sources</dt><dd>{refs(node.citations)}</dd></dl>"
            for node in report.records
        ),
        "</section>",
        f'<section id="flow"><h2>The flow</h2><div class="flow">\n{svg(report.picture)}\n</div></section>',
    ]
    for table in report.tables:
        out.append(f'<section id="{markup(table.key)}"><h2>{markup(table.title)}</h2>')
        if not table.rows:
            out.append(f'<p class="empty">{markup(table.empty)}</p></section>')
            continue
        head = "".join(f"<th>{markup(h)}</th>" for h in (*table.header, "certainty", "sources"))
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
        for row in table.rows:
            cells = "".join(f"<td>{markup(cell)}</td>" for cell in row.cells)
            out.append(f"<tr>{cells}<td>{certainty(row.certainty)}</td><td>{refs(row.citations)}</td></tr>")
        out.append("</tbody></table></section>")
    out.append('<section id="sources"><h2>Sources</h2><ol>')
    for citation, number in numbers.items():
        address = citation.address
        where = (
            f'<a class="citation" href="{markup(address)}" rel="noreferrer">{markup(address)}</a>'
            if is_web(address)
            else markup(address)
        )
        out.append(f'<li id="source-{number}">{markup(source_text(citation))}{": " if address else ""}{where}</li>')
    out += ["</ol></section>", "</main></body>", "</html>", ""]
    return "\n".join(out)
