"""A second subgraph, as a labour agency (Disnaker) might run: it extends Person by NIK."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL


@strawberry.type
class Training:
    programme: str
    year: int


@strawberry.federation.type(keys=["nik"])
class Person:
    nik: str

    @strawberry.field
    def trainings(self) -> list[Training]:
        # Deterministic synthetic answer: everyone whose NIK serial is odd took a course.
        return [Training(programme="PELATIHAN_KERJA", year=2026)] if int(self.nik[-1]) % 2 else []

    @classmethod
    def resolve_reference(cls, nik: str) -> Person:
        return cls(nik=nik)


@strawberry.type
class Query:
    @strawberry.field
    def training_programmes(self) -> list[str]:
        return ["PELATIHAN_KERJA"]


schema = strawberry.federation.Schema(query=Query, types=[Person], federation_version="2.5")
app = GraphQL(schema)
