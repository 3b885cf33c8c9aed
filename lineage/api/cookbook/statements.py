"""What a source says, statement by statement, as lineage.questions.statements reads it: the type every
family uses to show a statement's words, what they mean, and who disagrees.
"""

from __future__ import annotations

import strawberry

from lineage import questions
from lineage.api.cookbook.common import Related, related, related_list
from lineage.api.types import GraphNode, graph_node


@strawberry.type(
    description="What one source says of a release, an application or an organisation, in its own words, "
    "and what those words are taken to mean (each by a named rule)."
)
class StatedScope:
    statement: GraphNode = strawberry.field(description="The statement: its words, quote, kind and source.")
    kind: str = strawberry.field(description="released, not_released, requested_then_excluded, ... as the source says")
    about: Related = strawberry.field(description="The release, application or organisation it is about.")
    means: list[Related] = strawberry.field(description="The concepts, items or data sets its words are taken to mean.")
    items: list[GraphNode] = strawberry.field(description="The data items those reach (aliases of the concepts).")
    contested: bool = strawberry.field(description="Another cited source disagrees with it.")
    contradicted_by: list[Related] = strawberry.field(description="The statements that disagree, with their sources.")


def stated_scope(stated: questions.Stated) -> StatedScope:
    return StatedScope(
        statement=graph_node(stated.statement),
        kind=stated.kind,
        about=related(stated.about),
        means=related_list(stated.means),
        items=[graph_node(item) for item in stated.items],
        contested=bool(stated.contradicted_by),
        contradicted_by=related_list(stated.contradicted_by),
    )


def stated_scopes(statements: tuple[questions.Stated, ...]) -> list[StatedScope]:
    return [stated_scope(stated) for stated in statements]
