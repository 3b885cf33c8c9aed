"""Limits that make the public, anonymous endpoint safe: no query can hang or exhaust the server.

Depth, token and alias limits are strawberry's; the cost limit is ours (strawberry has none): every
field costs 1, a field with a ``first`` argument multiplies what is under it by that page size (its
default when absent, the largest page when it comes from a variable), and a traversal adds its depth's
weight. A query over
budget is refused before anything runs. The execution timeout lives in the HTTP view (app.py).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.schema import validate_document

from lineage.api.types import MAX_PAGE
from lineage.errors import LineageError
from lineage.store import MAX_DEPTH

log = logging.getLogger("lineage.api")


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_tokens: int = 2_000
    max_aliases: int = 15
    max_cost: int = 20_000
    timeout_seconds: float = 10.0
    #: fields whose ``depth`` argument multiplies their cost (a traversal visits more per level)
    depth_weight: int = 50


DEFAULT_LIMITS = Limits()


def _argument_value(node: FieldNode, definition: GraphQLField, name: str, worst: int, fallback: int) -> int:
    """The value of an Int argument for costing: the literal, the worst case for a variable (validation
    cannot see variables), or the schema's default."""
    for argument in node.arguments or ():
        if argument.name.value == name:
            return int(argument.value.value) if isinstance(argument.value, IntValueNode) else worst
    declared = definition.args.get(name)
    if declared is None:
        return fallback
    default = declared.default_value
    return default if isinstance(default, int) else fallback


def _cost_limit_rule(limits: Limits) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        """Each field costs 1 times the page sizes of the connections it sits in; traversals add their depth."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            cost = self._cost(node.selection_set, root, frozenset())
            if cost > limits.max_cost:
                self.report_error(
                    GraphQLError(
                        f"query cost {cost} exceeds the limit of {limits.max_cost}: ask for smaller pages "
                        "(first) or a smaller depth",
                        node,
                        extensions={"code": "COST_LIMIT", "cost": cost, "limit": limits.max_cost},
                    )
                )

        def _cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, seen: frozenset[str]) -> int:
            if selection_set is None:
                return 0
            cost = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    fields = getattr(parent, "fields", {})
                    definition = fields.get(selection.name.value)
                    if definition is None:  # __typename, or an unknown field that validation reports anyway
                        cost += 1
                        continue
                    page = _argument_value(selection, definition, "first", MAX_PAGE, 1)
                    depth = _argument_value(selection, definition, "depth", MAX_DEPTH, 0)
                    inner = self._cost(selection.selection_set, get_named_type(definition.type), seen)
                    cost += 1 + depth * limits.depth_weight + max(page, 1) * inner
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    target = self.context.schema.get_type(condition.name.value) if condition else parent
                    cost += self._cost(selection.selection_set, target or parent, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.context.get_fragment(name)
                    if fragment is not None and name not in seen:
                        target = self.context.schema.get_type(fragment.type_condition.name.value) or parent
                        cost += self._cost(fragment.selection_set, target, seen | {name})
            return cost

    return CostLimit


def _should_mask(error: GraphQLError) -> bool:
    """Errors we raise on purpose (bad argument, unknown id) reach the caller; anything else is masked,
    and logged here in full for the operator."""
    original = error.original_error
    mask = original is not None and not isinstance(original, LineageError)
    if mask:
        log.error("internal error at %s", error.path, exc_info=original)
    return mask


class _RememberedValidation(SchemaExtension):
    """Validation depends only on the query's text, as the schema and the rules (graphql's and the limits')
    are fixed: a query asked again, as the cookbook's and the explorer's are, is not validated again. At
    most ``REMEMBERED_QUERIES`` texts are kept, so unique hostile texts cannot grow memory. It must come
    after the extensions that add rules, which they do as the operation starts."""

    def __init__(self, remembered: OrderedDict[str, list[GraphQLError]]) -> None:
        self.remembered = remembered

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is not None:
            errors = self.remembered.get(context.query)
            if errors is None:
                rules = tuple(context.validation_rules)
                errors = validate_document(context.schema._schema, context.graphql_document, rules)
                self.remembered[context.query] = errors
                if len(self.remembered) > REMEMBERED_QUERIES:
                    self.remembered.popitem(last=False)
            else:
                self.remembered.move_to_end(context.query)
            context.pre_execution_errors = list(errors)
        yield


REMEMBERED_QUERIES = 256


def extensions(limits: Limits = DEFAULT_LIMITS) -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema's extensions: strawberry builds a fresh set for each request."""
    cost_rule = _cost_limit_rule(limits)
    remembered: OrderedDict[str, list[GraphQLError]] = OrderedDict()
    return [
        lambda: QueryDepthLimiter(max_depth=limits.max_depth),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        lambda: AddValidationRules([cost_rule]),
        lambda: MaskErrors(
            should_mask_error=_should_mask, error_message="Internal error: the server could not answer."
        ),
        lambda: _RememberedValidation(remembered),
    ]
