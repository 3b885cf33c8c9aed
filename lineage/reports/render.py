"""What every rendering of a report shares: its sources numbered in order of first appearance, a source in
words, the introduction."""

from __future__ import annotations

from lineage.model import Citation, ordered_citations
from lineage.reports.document import AuditReport


def numbered_sources(report: AuditReport) -> dict[Citation, int]:
    """Every citation in the report, numbered in order of first appearance."""
    numbers: dict[Citation, int] = {}
    groups = [
        *(node.citations for node in report.records),
        *(row.citations for table in report.tables for row in table.rows),
    ]
    for group in groups:
        for citation in ordered_citations(group):
            numbers.setdefault(citation, len(numbers) + 1)
    return numbers


def is_web(address: str) -> bool:
    return address.startswith(("https://", "http://"))


def source_text(citation: Citation) -> str:
    return ", ".join([citation.document, citation.file, *([f"row {citation.row}"] if citation.row else [])])


def record_title(report: AuditReport) -> str:
    return "The record" if len(report.records) == 1 else f"The records ({len(report.records)})"


INTRODUCTION = (
    "What the public record, as gathered in the pupil-data lineage graph, says about this subject. Every row "
    "gives its certainty and its sources, numbered and listed at the end with their addresses."
)
