"""A report's values in words: a certainty, a property's value, a record's facts."""

from __future__ import annotations

from lineage.model import Certainty, CertaintyLevel, Node, node_props, value_text

# ---- words -----------------------------------------------------------------------------------------


def certainty_text(certainty: Certainty) -> str:
    """A certainty in words: confirmed, tier level, or inferred by rule R (the rule named)."""
    if certainty.level is CertaintyLevel.INFERRED:
        return f"inferred by rule {certainty.rule}"
    return certainty.level.value.replace("_", " ")


def facts(node: Node) -> tuple[tuple[str, str], ...]:
    """A node's properties in the model's order, then its validity, as (label, text)."""
    facts = [("id", node.id)]
    facts += [
        (prop.name.replace("_", " "), value_text(node.props[prop.name]))
        for prop in node_props(node.kind)
        if prop.name in node.props
    ]
    if node.validity.valid_from or node.validity.valid_to:
        facts.append(("valid", f"{value_text(node.validity.valid_from)} to {value_text(node.validity.valid_to)}"))
    return tuple(facts)
