"""Data loaders: every relation of the case graph costs one query per batch, not per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import cached_property
from typing import TypeVar

from auth.principal import Actor
from hub.cases.models import CaseEvent
from hub.cases.queries import CaseReader
from hub.cases.records import CaseRecord as Case
from hub.people.records import HouseholdRecord as Household
from hub.observability import tracing
from hub.people.records import PersonRecord as Person
from hub.vocabulary import Sector
from schema.batch_loader import BatchLoader

K = TypeVar("K")
V = TypeVar("V")


def keyed(fetch: Callable[[Sequence[K]], Awaitable[dict[K, V]]], default: Callable[[], V],
          name: str | None = None) -> BatchLoader[K, V]:
    """A loader answering each key from one ``fetch`` per batch; ``name`` (default: the fetch
    method's) names the batch's span when tracing is on."""
    name = name or getattr(fetch, "__name__", "rows").replace("<lambda>", "rows")

    # Results are matched to keys by id, never by position.
    async def load(keys: list[K]) -> list[V]:
        with tracing.batch_span(name, len(keys)):  # nothing when tracing is off
            found = await fetch(keys)
        return [found.get(k, default()) for k in keys]

    return BatchLoader(load)


class Loaders:
    """The case graph's loaders, each built when first used (a case lookup uses one of nine)."""

    def __init__(self, reader: CaseReader, actor: Actor) -> None:
        self._reader = reader
        self._actor = actor

    @cached_property
    def household(self) -> BatchLoader[str, Household | None]:
        return keyed(self._reader.households, lambda: None)

    @cached_property
    def case(self) -> BatchLoader[str, Case | None]:
        return keyed(lambda ids: self._reader.cases_by_ids(self._actor, ids), lambda: None, "cases")

    @cached_property
    def household_by_kk(self) -> BatchLoader[str, Household | None]:
        return keyed(lambda kks: self._reader.households_by_kk(self._actor, kks), lambda: None, "households by KK")

    @cached_property
    def members(self) -> BatchLoader[str, list[Person]]:
        return keyed(self._reader.members, list)

    @cached_property
    def person_by_nik(self) -> BatchLoader[str, Person | None]:
        return keyed(lambda niks: self._reader.persons_by_nik(self._actor, niks), lambda: None, "persons by NIK")

    @cached_property
    def subjects(self) -> BatchLoader[str, list[Person]]:
        return keyed(self._reader.subjects, list)

    @cached_property
    def sectors(self) -> BatchLoader[str, list[Sector]]:
        return keyed(self._reader.sectors, list)

    @cached_property
    def events(self) -> BatchLoader[tuple[str, int, int | None], list[CaseEvent]]:
        # keyed by (case id, first, after): one statement per page shape, whatever the number of cases
        return BatchLoader(lambda keys: _event_pages(self._reader, keys))

    @cached_property
    def duplicates(self) -> BatchLoader[str, list[Case]]:
        return keyed(lambda ids: self._reader.possible_duplicates(self._actor, ids), list, "possible duplicates")


async def _event_pages(reader: CaseReader, keys: list[tuple[str, int, int | None]]) -> list[list[CaseEvent]]:
    pages: dict[tuple[int, int | None], dict[str, list[CaseEvent]]] = {}
    for first, after in dict.fromkeys((first, after) for _, first, after in keys):
        case_ids = list(dict.fromkeys(case_id for case_id, f, a in keys if (f, a) == (first, after)))
        pages[(first, after)] = await reader.events(case_ids, first, after)
    return [pages[(first, after)].get(case_id, []) for case_id, first, after in keys]
