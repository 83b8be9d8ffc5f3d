"""The GraphQL schema of the hub, built from the per-domain query and mutation types."""

from __future__ import annotations

import strawberry
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


def build_schema(debug: bool = False) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | SchemaExtension] = [
        HubErrors, ParserCache(maxsize=256), ValidationCache(maxsize=256)]
    if not debug:
        extensions.append(AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(disable_field_suggestions=not debug))
