"""The plain strawberry "hello" service the lookup benchmark compares the hub with.

    uvicorn --factory hello_app:app --workers 2
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def app() -> Starlette:
    return Starlette(routes=[Route("/graphql", GraphQL(strawberry.Schema(query=Query)))])
