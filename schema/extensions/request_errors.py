"""Errors GraphQL raises before executing carry a code, and a value typed inline is reported
exactly like the same value passed as a variable.

People type values inline in GraphiQL (`sectors: [FOOD]`, `birthDate: "2020-13-45"`); apps pass
variables. Both are bad input, so both answer ``extensions.code = INVALID_INPUT`` with the
``field`` path (argument or variable name first) and the location of the offending value.
Other refused documents get ``GRAPHQL_PARSE_FAILED`` or ``GRAPHQL_VALIDATION_FAILED``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from graphql import (
    ArgumentNode,
    GraphQLError,
    GraphQLInputType,
    GraphQLSyntaxError,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableDefinitionNode,
)
from graphql.language import SKIP, VisitorAction
from graphql.utilities import validate_input_literal
from graphql.validation import ValidationContext, ValuesOfCorrectTypeRule
from strawberry.extensions import SchemaExtension

INVALID_INPUT = "INVALID_INPUT"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


def _node_at(node: ValueNode, path: Sequence[str | int]) -> ValueNode:
    """The literal at `path` inside `node` (as deep as the literal goes), for its location."""
    for step in path:
        if isinstance(node, ObjectValueNode) and isinstance(step, str):
            found = next((f.value for f in node.fields if f.name.value == step), None)
        elif isinstance(node, ListValueNode) and isinstance(step, int) and step < len(node.values):
            found = node.values[step]
        else:
            found = None
        if found is None:
            break
        node = found
    return node


class InlineValuesRule(ValuesOfCorrectTypeRule):
    """graphql-core's check of value literals, reporting each problem as ``INVALID_INPUT``."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self._root: list[str] = []  # the argument (or variable, for a default) being checked

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self._root = [node.name.value]

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
        self._root = [node.variable.name.value]

    def is_valid_value_node(self, node: ValueNode, input_type: GraphQLInputType | None) -> VisitorAction:
        if input_type:
            def on_error(error: GraphQLError, path: list[str | int]) -> None:
                # a scalar's own parser (Date) raises without a node: point at the value
                self.report_error(GraphQLError(
                    error.message, error.nodes or _node_at(node, path), original_error=error.original_error,
                    extensions={"code": INVALID_INPUT, "field": [*self._root, *map(str, path)]}))

            validate_input_literal(node, input_type, on_error, None, None, self.context.hide_suggestions)
        return SKIP  # the whole literal was checked, as the rule it replaces does


def _code(errors: Sequence[GraphQLError] | None, code: str) -> None:
    for error in errors or ():
        if not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": code}


class RequestErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        rules = self.execution_context.validation_rules
        self.execution_context.validation_rules = tuple(
            InlineValuesRule if rule is ValuesOfCorrectTypeRule else rule for rule in rules)
        try:
            yield
        except GraphQLSyntaxError as error:  # raised by the parser cache's hook, answered as is
            _code([error], PARSE_FAILED)
            raise
        errors = getattr(self.execution_context.result, "errors", None)  # parsed without the cache
        _code([e for e in errors or () if isinstance(e, GraphQLSyntaxError)], PARSE_FAILED)

    def on_validate(self) -> Iterator[None]:
        yield
        _code(self.execution_context.pre_execution_errors, VALIDATION_FAILED)
