"""What a source says, statement by statement, as lineage.questions.statements reads it: the type every
family uses to show a statement's words, what they mean, and who disagrees.
"""

from __future__ import annotations

from lineage import questions
from lineage.api.cookbook import common  # noqa: F401  (derives Related, which a statement holds)
from lineage.api.cookbook.derive import As, answer_type

StatedScope = answer_type(
    questions.Stated,
    name="StatedScope",
    description="What one source says of a release, an application or an organisation, in its own words, "
    "and what those words are taken to mean (each by a named rule).",
    fields={
        "statement": "The statement: its words, quote, kind and source.",
        "about": "The release, application or organisation it is about.",
        "means": "The concepts, items or data sets its words are taken to mean.",
        "reaches": As(left_out="given as items, and the REFERS_TO links reaching them among means"),
        "contradicted_by": "The statements that disagree, with their sources.",
        "kind": "released, not_released, requested_then_excluded, ... as the source says",
        "items": "The data items those reach (aliases of the concepts).",
        "contested": "Another cited source disagrees with it.",
        "as_of": "For one about an organisation, the date its source gives it (a written answer's day): it says "
        "what held then. Null for one about a release or application, which that dates.",
        "subject": "Whom or what it is about, as a reader names it: bodies in the source's own words where it gives "
        "them (one statement about the 'Home Office and police'), else the name of what `about` links.",
    },
)
