"""Query protection: token, depth, alias, cost and entity limits, refused as ``QUERY_TOO_COMPLEX``.

The document is measured (``schema.extensions.cost``) before validation and before any
resolver runs, for every operation whatever its transport: HTTP, batched HTTP and each
``subscribe`` message of a WebSocket go through this extension alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import ValidationCache

from schema.errors import QueryTooComplex
from schema.extensions.cost import COST_KEY, Measure, QueryLimits, cost, measure

__all__ = ["COST_KEY", "Measure", "QueryLimiter", "QueryLimits", "cost", "measure"]

class QueryLimiter(ValidationCache):
    """The limits first, then GraphQL's validation (cached) only for documents within them.

    One extension does both because strawberry's ``ValidationCache`` overwrites whatever
    errors an earlier hook set: a separate limiter ordered before it would be undone, and
    one ordered after it would let every document be validated first.
    """

    def __init__(self, limits: QueryLimits, cache_size: int = 256) -> None:
        super().__init__(maxsize=cache_size)
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.limits.max_tokens
        try:
            yield
        except GraphQLError as error:  # the parser (under ParserCache) raises through the hooks
            self._code_token_limit(error)
            raise
        for result_error in getattr(self.execution_context.result, "errors", None) or ():
            self._code_token_limit(result_error)

    def _code_token_limit(self, error: GraphQLError) -> None:
        # graphql-core's parser stops at the token limit with a syntax error; say what it is.
        if "tokens" in error.message and "Parsing aborted" in error.message:
            error.message = f"query has more than {self.limits.max_tokens} tokens"
            error.extensions = {"code": "QUERY_TOO_COMPLEX"}

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if not ctx.pre_execution_errors and ctx.graphql_document is not None:
            problem = self._problem(ctx.schema._schema, ctx.graphql_document, ctx.operation_name,
                                    ctx.variables or {})
            if problem:
                ctx.pre_execution_errors = [QueryTooComplex(problem)]
                yield
                return
        yield from super().on_validate()

    def _problem(self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                 variables: Mapping[str, Any]) -> str | None:
        try:
            return measure(schema, document, operation_name, variables, self.limits).problem
        except (GraphQLError, TypeError, ValueError):
            return None  # malformed variables are refused by execution with a precise message
