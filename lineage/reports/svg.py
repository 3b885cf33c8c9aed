"""The flow picture as inline SVG: boxes in columns, links drawn by their certainty (solid when confirmed)."""

from __future__ import annotations

from lineage.model import CertaintyLevel
from lineage.reports.document import COLUMNS, Picture
from lineage.reports.words import certainty_text
from lineage.xml_text import markup

_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _TOP, _MARGIN = 190, 34, 56, 12, 30, 8
_LABEL_CHARS = 25
_STROKES = {
    CertaintyLevel.CONFIRMED: "",
    CertaintyLevel.REPORTED: "9 3",
    CertaintyLevel.CLAIMED: "9 3 2 3",
    CertaintyLevel.TIER_LEVEL: "7 4",
    CertaintyLevel.INFERRED: "2 3",
}
_FILLS = ("#e8f0fb", "#fdf1dc", "#eeeeee", "#e3f4e6", "#f6e6f2")


def _dashes(level: CertaintyLevel) -> str:
    dash = _STROKES[level]
    return f' stroke-dasharray="{dash}"' if dash else ""


def svg(picture: Picture) -> str:
    """The flow as inline SVG, left to right, one column per stage; a link's dash says its certainty.
    No blank line inside, so Markdown keeps it as one HTML block."""
    place: dict[str, tuple[int, int]] = {}
    rows = [0] * len(COLUMNS)
    for box in picture.boxes:
        x = _MARGIN + box.column * (_BOX_W + _GAP_X)
        place[box.key] = (x, _TOP + rows[box.column] * (_BOX_H + _GAP_Y))
        rows[box.column] += 1
    width = _MARGIN * 2 + len(COLUMNS) * _BOX_W + (len(COLUMNS) - 1) * _GAP_X
    legend_y = _TOP + max(max(rows), 1) * (_BOX_H + _GAP_Y) + 10
    height = legend_y + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="flow, left to right" '
        'font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    for column, title in enumerate(COLUMNS):
        x = _MARGIN + column * (_BOX_W + _GAP_X)
        out.append(f'<text x="{x}" y="{_TOP - 10}" font-weight="bold">{markup(title)}</text>')
        if not rows[column]:
            out.append(f'<text x="{x}" y="{_TOP + 20}" fill="#777">none recorded</text>')
    for source, target, certainty in picture.links:
        (x1, y1), (x2, y2) = place[source], place[target]
        x1, y1, y2 = x1 + _BOX_W, y1 + _BOX_H // 2, y2 + _BOX_H // 2
        out.append(
            f'<path d="M{x1},{y1} C{x1 + _GAP_X // 2},{y1} {x2 - _GAP_X // 2},{y2} {x2 - 1},{y2}" fill="none" '
            f'stroke="#555" stroke-width="1.4"{_dashes(certainty.level)} marker-end="url(#arrow)">'
            f"<title>{markup(certainty_text(certainty))}</title></path>"
        )
    for box in picture.boxes:
        x, y = place[box.key]
        label = box.label if len(box.label) <= _LABEL_CHARS else box.label[: _LABEL_CHARS - 1] + "…"
        out.append(
            f'<g><title>{markup(box.label)}</title><rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="4" '
            f'fill="{_FILLS[box.column]}" stroke="#888"/>'
            f'<text x="{x + 8}" y="{y + _BOX_H // 2 + 4}">{markup(label)}</text></g>'
        )
    x = _MARGIN
    for level in CertaintyLevel:
        out.append(f'<line x1="{x}" y1="{legend_y}" x2="{x + 36}" y2="{legend_y}" stroke="#555"{_dashes(level)}/>')
        out.append(f'<text x="{x + 42}" y="{legend_y + 4}">{markup(level.value.replace("_", " "))}</text>')
        x += 150
    out.append("</svg>")
    return "\n".join(out)
