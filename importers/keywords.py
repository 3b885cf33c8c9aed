"""Search keywords: words a reader looks a node up by that the node's own words do not hold.

``search-keywords`` reads ``data/search_keywords.csv`` (``keyword, node, reasoning, address``), the project's
own table: each row gives a node one keyword ("immigration" for the Home Office), with its reasoning and the
public address that bears it out. The keywords join the node's ``keywords`` property, which search reads
(lineage.search), and the row joins its citations; nothing else of the node changes. A row naming a node the
store does not hold is counted, not drawn. The table names no fact about a flow: it only helps to find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from importers import register
from importers.base import Batch, Importer, Report
from importers.reading import BadInput, Row, read_csv, refuse_duplicates
from lineage.errors import ModelError
from lineage.model import Citation, kind_of
from lineage.store import Store


@register
class SearchKeywordsImporter(Importer):
    name = "search-keywords"
    needs = ("register-foi", "register-more", "scope-statements", "sharing-figures", "onward-flows")
    document = "pupil-data lineage table of search keywords"
    bundled = "search_keywords.csv"
    columns = ("keyword", "node", "reasoning", "address")

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        rows = list(rows)
        refuse_duplicates(path, "keyword, node", ((f"{row['keyword']}|{row['node']}", row) for row in rows))
        keywords: dict[str, set[str]] = defaultdict(set)
        cited: dict[str, set[Citation]] = defaultdict(set)
        for row in rows:
            keyword, node, reasoning, address = (" ".join(row[c].split()) for c in self.columns)
            for column, text in (("keyword", keyword), ("reasoning", reasoning), ("address", address)):
                if not text:
                    raise BadInput(path, "must not be empty", row.number, column)
            try:
                kind_of(node)
            except ModelError as exc:
                raise BadInput(path, str(exc), row.number, "node") from None
            keywords[node].add(keyword)
            cited[node].add(Citation(self.document, path.name, row.number, address))
        stored = store.get_nodes(keywords)
        for missing in sorted(keywords.keys() - stored.keys()):
            report.leave_out(f"keywords ({kind_of(missing)} not in the store)")
        nodes = [
            replace(
                node,
                props={**node.props, "keywords": tuple(sorted(keywords[id_] | set(node.strings("keywords"))))},
                citations=node.citations | cited[id_],
            )
            for id_, node in sorted(stored.items())
        ]
        return Batch(nodes, [])
