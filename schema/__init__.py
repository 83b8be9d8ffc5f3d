"""The GraphQL schema of the hub, built from the per-domain query and mutation types."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.cases.mutations import CaseMutations
from schema.cases.queries import CaseQueries
from schema.extensions.masking import HubErrors
from schema.people.queries import PeopleQueries

Query = merge_types("Query", (CaseQueries, PeopleQueries))
Mutation = merge_types("Mutation", (CaseMutations,))


class HubSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Expected errors (FORBIDDEN, NOT_FOUND, bad input) are answers, not incidents; the
        # unexpected ones are logged, masked, by the HubErrors extension with the request id.
        return None


def build_schema(debug: bool = False) -> strawberry.Schema:
    # Factories, not instances: strawberry builds fresh extensions per request; the parse
    # and validation caches themselves are shared at module level.
    extensions: list[Callable[[], SchemaExtension]] = [
        HubErrors, lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)]
    if not debug:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return HubSchema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(disable_field_suggestions=not debug))
