"""Documents a reader sends (a subject access request, a Freedom of Information request), drafted in parts and
written as text, Markdown or HTML with numbered sources: one way of writing them, for every kind of request."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lineage.errors import LineageError
from lineage.model import Citation
from lineage.reports.markdown import md, md_link
from lineage.reports.render import is_web, source_text

__all__ = ["FORMATS", "Draft", "Format", "Part", "format_of", "to_html", "to_markdown", "to_text"]


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a document: a heading, a paragraph or a list item, with the sources it rests on."""

    kind: str  # "h" (heading), "p" (paragraph) or "li" (an item of the list after it)
    text: str
    citations: tuple[Citation, ...] = ()


def _numbers(parts: Iterable[Part]) -> dict[Citation, int]:
    numbers: dict[Citation, int] = {}
    for part in parts:
        for citation in part.citations:
            numbers.setdefault(citation, len(numbers) + 1)
    return numbers


def _ended_list(out: list[str]) -> list[str]:
    """A blank line after a list, before whatever follows it."""
    return [""] if out and out[-1].startswith("- ") else []


def to_text(parts: list[Part]) -> str:
    numbers = _numbers(parts)
    out: list[str] = []
    for part in parts:
        refs = "".join(f" [{numbers[c]}]" for c in dict.fromkeys(part.citations))
        if part.kind == "li":
            out.append(f"- {part.text}{refs}")
        elif part.kind == "h":
            out += [*_ended_list(out), part.text, "=" * len(part.text), ""]
        else:
            out += [*_ended_list(out), part.text + refs, ""]
    out += [*_ended_list(out), "Sources", "=======", ""]
    out += [f"[{n}] {source_text(c)}{': ' + c.address if c.address else ''}" for c, n in numbers.items()]
    return "\n".join(out) + "\n"


def to_markdown(parts: list[Part]) -> str:
    numbers = _numbers(parts)
    out: list[str] = []
    for part in parts:
        refs = "".join(f" \\[{numbers[c]}\\]" for c in dict.fromkeys(part.citations))
        lines = "  \n".join(md(line) for line in part.text.split("\n"))
        if part.kind == "li":
            out.append(f"- {lines}{refs}")
        elif part.kind == "h":
            out += [*_ended_list(out), f"## {lines}", ""]
        else:
            out += [*_ended_list(out), lines + refs, ""]
    out += [*_ended_list(out), "## Sources", ""]
    for citation, number in numbers.items():
        where = md_link(citation.address) if is_web(citation.address) else md(citation.address)
        out.append(f"{number}. {md(source_text(citation))}{': ' if citation.address else ''}{where}")
    return "\n".join(out) + "\n"


def to_html(parts: list[Part], title: str) -> str:
    numbers = _numbers(parts)
    body: list[str] = []
    items: list[str] = []

    def close() -> None:
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items.clear()

    for part in parts:
        refs = "".join(f' <a href="#source-{numbers[c]}">[{numbers[c]}]</a>' for c in dict.fromkeys(part.citations))
        text = "<br>".join(html.escape(line) for line in part.text.split("\n"))
        if part.kind == "li":
            items.append(f"<li>{text}{refs}</li>")
            continue
        close()
        body.append(f"<h2>{text}</h2>" if part.kind == "h" else f"<p>{text}{refs}</p>")
    close()
    sources = "".join(
        f'<li id="source-{n}">{html.escape(source_text(c))}'
        + (
            f': <a href="{html.escape(c.address)}">{html.escape(c.address)}</a>'
            if is_web(c.address)
            else f": {html.escape(c.address)}"
            if c.address
            else ""
        )
        + "</li>"
        for c, n in numbers.items()
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>'
        + html.escape(title)
        + "</title><style>body{font-family:serif;max-width:42rem;margin:2rem auto;line-height:1.4}</style></head>"
        + "<body>"
        + "".join(body)
        + f"<h2>Sources</h2><ol>{sources}</ol></body></html>\n"
    )


@dataclass(frozen=True, slots=True)
class Format:
    render: Callable[[list[Part], str], str]  # the parts and the document's title
    safe: Callable[[str], str]  # how typed text is made safe in it
    media_type: str


#: The formats a drafted document is written in.
FORMATS = {
    "txt": Format(lambda parts, _title: to_text(parts), lambda text: " ".join(text.split()), "text/plain"),
    "md": Format(lambda parts, _title: to_markdown(parts), md, "text/markdown"),
    "html": Format(to_html, html.escape, "text/html"),
}


def format_of(fmt: str, document: str) -> Format:
    """The format named ``fmt``, or a refusal naming the ``document`` asked for and the formats there are."""
    if fmt not in FORMATS:
        raise LineageError(f"unknown {document} format {fmt!r}; known: {', '.join(FORMATS)}")
    return FORMATS[fmt]


@dataclass(frozen=True, slots=True)
class Draft:
    """A document written in one format, with what a reader saving it needs."""

    text: str
    format: str  # txt, md or html
    media_type: str
    filename: str
