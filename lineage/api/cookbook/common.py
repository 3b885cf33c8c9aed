"""What every family of answers shares, as lineage.questions.common does: a node next to the one asked
about, with the cited link that relates them.
"""

from __future__ import annotations

from lineage import questions
from lineage.api.cookbook.derive import answer_type

Related = answer_type(
    questions.Related, description="A node next to the one asked about, and the link that relates them."
)
