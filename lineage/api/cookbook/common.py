"""What every family of answers shares, as lineage.questions.common does: a node next to the one asked
about, with the cited link that relates them.
"""

from __future__ import annotations

import strawberry

from lineage import questions
from lineage.api.types import GraphNode, Link, graph_node, link


@strawberry.type(description="A node next to the one asked about, and the link that relates them.")
class Related:
    node: GraphNode
    link: Link


def related(answer: questions.Related) -> Related:
    return Related(node=graph_node(answer.node), link=link(answer.link))


def related_list(answers: tuple[questions.Related, ...]) -> list[Related]:
    return [related(answer) for answer in answers]
