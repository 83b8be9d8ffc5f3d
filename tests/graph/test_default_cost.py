"""The product's own reference query must pass the default query-cost limit."""

from graphql import parse

from hub.settings import Settings
from schema import build_schema
from schema.extensions.limits import QueryLimits, measure
from tests.graph.queries import CASE_GRAPH


def test_fifty_case_graph_with_all_connectors_fits_the_default_cost_limit() -> None:
    limits = QueryLimits(max_cost=Settings().query_max_cost)
    walk = measure(build_schema(debug=True)._schema, parse(CASE_GRAPH), None, {"first": 50}, limits)
    assert walk.cost <= limits.max_cost
    too_big = measure(build_schema(debug=True)._schema, parse(CASE_GRAPH), None, {"first": 100}, limits)
    assert too_big.cost > walk.cost  # the limit still scales with the page asked for
