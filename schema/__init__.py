"""The GraphQL schema of the hub, built from the per-domain query and mutation types."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, ParserCache, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from connectors.sdk import Connector, discover
from hub.observability import tracing

from schema.access.queries import AuditQueries
from schema.access.viewer import ViewerQueries
from schema.cases.mutations import CaseMutations
from schema.cases.queries import CaseQueries
from schema.connectors.fields import connector_fields
from schema.connectors.queries import ConnectorQueries
from schema.extensions.limits import QueryLimiter, QueryLimits
from schema.extensions.masking import HubErrors
from schema.extensions.metrics import OperationMetrics
from schema.extensions.pii_guard import PiiGuard
from schema.extensions.request_errors import RequestErrors
from schema.enum_output import install as install_enum_output
from schema.execution import HubExecutionContext, mark_leaf_attributes
from schema.plain_fields import install as install_plain_fields
from schema.extensions.tracing import OperationTracing
from schema.people.queries import PeopleQueries
from schema.statistics.queries import StatisticsQueries
from schema.subscriptions import Subscription
from schema.referrals.mutations import ReferralMutations
from schema.referrals.queries import ReferralQueries
from schema.referrals.escalation import EscalationQueries

FEDERATION_VERSION = "2.5"

Query = merge_types("Query", (CaseQueries, PeopleQueries, AuditQueries, ReferralQueries, StatisticsQueries,
                                ConnectorQueries, ViewerQueries, EscalationQueries))
Mutation = merge_types("Mutation", (CaseMutations, ReferralMutations,))


class HubSchema(strawberry.federation.Schema):
    """An Apollo Federation v2 subgraph: ``@key`` on Case(id), Household(kkNumber), Person(nik).

    `connectors` add their fields to Person and Household through `get_fields`,
    strawberry's hook for the fields a type shows in one schema (SPEC 8: composed at
    start-up from the enabled connectors).
    """

    def __init__(self, *args: Any, connectors: Iterable[type[Connector[Any]]] = (), **kwargs: Any) -> None:
        self._connector_fields = connector_fields(connectors)  # before the types are converted
        super().__init__(*args, **kwargs)
        mark_leaf_attributes(install_plain_fields(self._schema))
        install_enum_output(self._schema)

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        extra = self._connector_fields.get(type_definition.name)
        return [*type_definition.fields, *extra] if extra else type_definition.fields

    async def execute(self, *args: Any, allowed_operation_types: Iterable[OperationType] | None = None,
                      **kwargs: Any) -> Any:
        # `execute` gives one result per request: the HTTP views call it, the socket streams
        # through `stream`. A subscription here would run its generator as a plain field (an
        # INTERNAL error and a traceback in the log), so it is refused as an operation type,
        # which the HTTP view answers with a 400 naming it.
        allowed = set(allowed_operation_types or (OperationType.QUERY, OperationType.MUTATION))
        return await super().execute(*args, allowed_operation_types=allowed - {OperationType.SUBSCRIPTION}, **kwargs)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Expected errors (FORBIDDEN, NOT_FOUND, bad input) are answers, not incidents; the
        # unexpected ones are logged, masked, by the HubErrors extension with the request id.
        return None


def build_schema(debug: bool = False, limits: QueryLimits | None = None, max_batch: int = 10,
                 connectors: Iterable[type[Connector[Any]]] | None = None) -> strawberry.Schema:
    """The schema with a field per connector in `connectors`; None = every installed one
    (what `slrt-hub schema` prints with all connectors enabled, and schema.graphql holds)."""
    # Factories, not instances: strawberry builds fresh extensions per request; the parse
    # and validation caches themselves are shared at module level.
    # QueryLimiter also validates (cached): the limits are checked before validation.
    query_limits = limits or QueryLimits()
    extensions: list[Callable[[], SchemaExtension]] = [
        OperationMetrics, HubErrors, RequestErrors, lambda: ParserCache(maxsize=256),
        lambda: QueryLimiter(query_limits), PiiGuard]
    if tracing.enabled():  # first, so its operation span holds every other hook's work
        extensions.insert(0, OperationTracing)
    if not debug:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    chosen = discover().values() if connectors is None else connectors
    return HubSchema(query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions, federation_version=FEDERATION_VERSION,
                     connectors=chosen, execution_context_class=HubExecutionContext,
                             config=StrawberryConfig(disable_field_suggestions=not debug,
                                                     batching_config={"max_operations": max_batch}))
