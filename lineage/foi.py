"""A request under section 1 of the Freedom of Information Act 2000, drafted for gaps in the record.

Each gap (:mod:`lineage.questions.gaps`) names the public authority that holds what is missing; a request goes to
one authority and may cover several of its gaps. For each it names the release or application by its reference and
date as cited, asks for exactly the missing facts, says what the record already says, each as its source gives it
(with addresses, so that an answer need not repeat it: a campaigner's account is not called public fact), and lists
the earlier requests on the same matter found among the sources, so that a campaigner can follow one rather than
send another. It holds no personal data: the requester signs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lineage.drafts import Draft, Part, format_of
from lineage.errors import LineageError
from lineage.questions.gaps import Gap

__all__ = ["Drafted", "request_parts", "write"]


def _subject(authority: str) -> str:
    return f"Freedom of Information request to {authority}: the sharing of pupil data"


def request_parts(gaps: Sequence[Gap]) -> list[Part]:
    """The request in parts, for gaps that all rest with one authority."""
    if not gaps:
        raise LineageError("a request needs at least one gap (the gaps question lists them)")
    authorities = sorted({gap.authority for gap in gaps})
    if len(authorities) > 1:
        raise LineageError(f"one request goes to one authority; these gaps rest with {', '.join(authorities)}")
    authority = authorities[0]
    parts = [
        Part("p", f"To: {authority} (Freedom of Information)\n[Your name]\n[Your contact address]\n[Date]"),
        Part("h", _subject(authority)),
        Part("p", "Dear Freedom of Information officer,"),
        Part(
            "p",
            "Under section 1 of the Freedom of Information Act 2000, please tell me whether you hold the "
            "information below and, if you do, send it to me. Where a part would exceed the cost limit, please "
            "answer the other parts and advise me how to narrow it (section 16).",
        ),
    ]
    for number, gap in enumerate(gaps, start=1):
        parts.append(Part("h", f"{number}. {gap.subject.name} ({gap.kind})"))
        parts.append(Part("p", "Please provide:"))
        parts += [Part("li", ask) for ask in gap.missing]
        parts.append(
            Part(
                "p",
                "What the record already says, each as its source gives it (please say where your records differ): "
                + "; ".join(gap.known)
                + ".",
                gap.sources,
            )
        )
        if gap.earlier_requests:
            parts.append(Part("p", "Earlier requests on this matter, among the sources listed below:"))
            parts += [Part("li", address) for address in gap.earlier_requests]
    parts += [
        Part("p", "I would like the information in electronic form, by email."),
        Part("p", "Yours faithfully,\n[Your name]"),
    ]
    return parts


@dataclass(frozen=True, slots=True)
class Drafted(Draft):
    authority: str
    gaps: tuple[str, ...]


def write(gaps: Sequence[Gap], fmt: str = "txt") -> Drafted:
    """The request in ``fmt`` (txt, md or html)."""
    chosen = format_of(fmt, "request")
    parts = request_parts(gaps)
    authority = gaps[0].authority
    slug = re.sub(r"[^a-z0-9]+", "-", authority.lower()).strip("-")
    return Drafted(
        chosen.render(parts, _subject(authority)),
        fmt,
        chosen.media_type,
        f"foi-request-{slug}.{fmt}",
        authority,
        tuple(gap.id for gap in gaps),
    )
