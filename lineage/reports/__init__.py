"""Audit reports: one release, organisation or data item traced through the graph, as one document.

An auditor hands the report on as it is, so it stands alone: HTML with its style and its flow picture
(inline SVG) inside, no script and no external file; or Markdown with the same SVG inline. Every row says how
sure it is and which numbered sources it rests on; the sources are listed at the end with their addresses
(links in HTML). Every name is escaped: the record holds quotes, ampersands and any script. Built from the
campaign's questions (:mod:`.build`), so it says exactly what the API says; rendered by :mod:`.html` and
:mod:`.markdown`.
"""

from __future__ import annotations

from collections.abc import Callable

from lineage.errors import LineageError
from lineage.reports.build import SUBJECTS
from lineage.reports.document import AuditReport
from lineage.reports.html import to_html
from lineage.reports.markdown import to_markdown
from lineage.store import Store

__all__ = ["REPORT_FORMATS", "SUBJECTS", "AuditReport", "report"]

REPORT_FORMATS: dict[str, Callable[[AuditReport], str]] = {"html": to_html, "md": to_markdown}


def report(store: Store, subject: str, reference: str, fmt: str = "html") -> str:
    """The audit report on ``subject`` ("release", "organisation" or "item") named by ``reference``."""
    build = SUBJECTS.get(subject)
    if build is None:
        raise LineageError(f"unknown report subject {subject!r}; known: {', '.join(SUBJECTS)}")
    render = REPORT_FORMATS.get(fmt)
    if render is None:
        raise LineageError(f"unknown report format {fmt!r}; known: {', '.join(REPORT_FORMATS)}")
    return render(build(store, reference))
