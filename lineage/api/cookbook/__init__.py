"""The campaign's questions as GraphQL fields: thin adapters over lineage.questions, one module per family.

Each module mirrors one module of lineage.questions: the GraphQL types derived from that module's answer
dataclasses (:mod:`.derive`: one definition per answer, no converter written by hand), and a query class with its
fields; :data:`CookbookQuery` joins the query classes. Each answer keeps
its chain of links, so every step shows its citations and certainty; the long lists are connections with
totalCount. graphql/queries/*.graphql holds one operation per question.

- :mod:`.items`, :mod:`.releases`, :mod:`.pupils`, :mod:`.records`, :mod:`.flows`, :mod:`.timeline`,
  :mod:`.gaps`, :mod:`.onward`: the families of questions;
- :mod:`.statements` and :mod:`.common`: the types the families share;
- :mod:`.derive`: how an answer class becomes its GraphQL type.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from lineage.api.cookbook.flows import FlowsQuery
from lineage.api.cookbook.gaps import GapsQuery
from lineage.api.cookbook.items import ItemsQuery
from lineage.api.cookbook.onward import OnwardQuery
from lineage.api.cookbook.pupils import PupilsQuery
from lineage.api.cookbook.records import RecordsQuery
from lineage.api.cookbook.releases import ReleasesQuery
from lineage.api.cookbook.timeline import TimelineQuery

#: Every family's fields, in the order the schema lists them.
CookbookQuery = merge_types(
    "CookbookQuery",
    (ItemsQuery, ReleasesQuery, PupilsQuery, TimelineQuery, FlowsQuery, RecordsQuery, GapsQuery, OnwardQuery),
)

__all__ = ["CookbookQuery"]
