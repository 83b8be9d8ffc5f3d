"""Data loaders: every relation of the case graph costs one query per batch, not per row."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from auth.principal import Actor
from hub.cases.models import CaseEvent
from hub.cases.queries import CaseReader
from hub.cases.records import CaseRecord as Case
from hub.people.records import HouseholdRecord as Household
from hub.people.records import PersonRecord as Person
from hub.vocabulary import Sector

K = TypeVar("K")
V = TypeVar("V")


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose shared results survive the cancellation of one waiter.

    When a non-null field fails, graphql-core cancels the other fields of its object. A
    cancelled resolver cancels the future it awaits; with a plain DataLoader that is the one
    future every resolver asking for the same key shares, and they would all raise
    CancelledError out of the request instead of getting their value. Each waiter gets its own
    shield of the shared future instead.
    """

    def load(self, key: K) -> Awaitable[V]:
        return asyncio.shield(super().load(key))


def keyed(fetch: Callable[[Sequence[K]], Awaitable[dict[K, V]]], default: Callable[[], V]) -> DataLoader[K, V]:
    # Results are matched to keys by id, never by position.
    async def load(keys: list[K]) -> list[V]:
        found = await fetch(list(dict.fromkeys(keys)))
        return [found.get(k, default()) for k in keys]

    return SharedLoader(load_fn=load)


class Loaders:
    def __init__(self, reader: CaseReader, actor: Actor) -> None:
        self.household: DataLoader[str, Household | None] = keyed(reader.households, lambda: None)
        self.case: DataLoader[str, Case | None] = keyed(lambda ids: reader.cases_by_ids(actor, ids), lambda: None)
        self.household_by_kk: DataLoader[str, Household | None] = keyed(
            lambda kks: reader.households_by_kk(actor, kks), lambda: None)
        self.members: DataLoader[str, list[Person]] = keyed(reader.members, list)
        self.person_by_nik: DataLoader[str, Person | None] = keyed(
            lambda niks: reader.persons_by_nik(actor, niks), lambda: None)
        self.subjects: DataLoader[str, list[Person]] = keyed(reader.subjects, list)
        self.sectors: DataLoader[str, list[Sector]] = keyed(reader.sectors, list)
        # keyed by (case id, first, after): one statement per page shape, whatever the number of cases
        self.events: DataLoader[tuple[str, int, int | None], list[CaseEvent]] = SharedLoader(
            load_fn=lambda keys: _event_pages(reader, keys))
        self.duplicates: DataLoader[str, list[Case]] = keyed(
            lambda ids: reader.possible_duplicates(actor, ids), list)


async def _event_pages(reader: CaseReader, keys: list[tuple[str, int, int | None]]) -> list[list[CaseEvent]]:
    pages: dict[tuple[int, int | None], dict[str, list[CaseEvent]]] = {}
    for first, after in dict.fromkeys((first, after) for _, first, after in keys):
        case_ids = list(dict.fromkeys(case_id for case_id, f, a in keys if (f, a) == (first, after)))
        pages[(first, after)] = await reader.events(case_ids, first, after)
    return [pages[(first, after)].get(case_id, []) for case_id, first, after in keys]
