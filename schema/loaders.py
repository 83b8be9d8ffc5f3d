"""Data loaders: every relation of the case graph costs one query per batch, not per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
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
    def __init__(self, reader: CaseReader, actor: Actor) -> None:
        self.household: BatchLoader[str, Household | None] = keyed(reader.households, lambda: None)
        self.case: BatchLoader[str, Case | None] = keyed(lambda ids: reader.cases_by_ids(actor, ids), lambda: None, "cases")
        self.household_by_kk: BatchLoader[str, Household | None] = keyed(
            lambda kks: reader.households_by_kk(actor, kks), lambda: None, "households by KK")
        self.members: BatchLoader[str, list[Person]] = keyed(reader.members, list)
        self.person_by_nik: BatchLoader[str, Person | None] = keyed(
            lambda niks: reader.persons_by_nik(actor, niks), lambda: None, "persons by NIK")
        self.subjects: BatchLoader[str, list[Person]] = keyed(reader.subjects, list)
        self.sectors: BatchLoader[str, list[Sector]] = keyed(reader.sectors, list)
        # keyed by (case id, first, after): one statement per page shape, whatever the number of cases
        self.events: BatchLoader[tuple[str, int, int | None], list[CaseEvent]] = BatchLoader(
            lambda keys: _event_pages(reader, keys))
        self.duplicates: BatchLoader[str, list[Case]] = keyed(
            lambda ids: reader.possible_duplicates(actor, ids), list, "possible duplicates")


async def _event_pages(reader: CaseReader, keys: list[tuple[str, int, int | None]]) -> list[list[CaseEvent]]:
    pages: dict[tuple[int, int | None], dict[str, list[CaseEvent]]] = {}
    for first, after in dict.fromkeys((first, after) for _, first, after in keys):
        case_ids = list(dict.fromkeys(case_id for case_id, f, a in keys if (f, a) == (first, after)))
        pages[(first, after)] = await reader.events(case_ids, first, after)
    return [pages[(first, after)].get(case_id, []) for case_id, first, after in keys]
