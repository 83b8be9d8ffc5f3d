from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.cases.errors import Forbidden as ForbiddenResult
from hub.cases.errors import Rejected
from hub.cases.models import Case as CaseRow
from hub.cases.records import CaseRecord
from hub.cases.models import CaseEvent as CaseEventRow
from hub.cases.queries import MAX_EVENTS_PAGE, decode_event_cursor, encode_event_cursor
from schema.areas.types import Area
from schema.cases.actions import CaseAction, actions_for
from schema.enums import CaseStatus, Channel, Priority, Sector
from schema.errors import Forbidden, InvalidArgument, UserError
from schema.permissions import requires
from schema.people.types import HOUSEHOLD, SUBJECTS, Household, Person
from schema.plain_fields import plain
from schema.relations import Relation
from schema.screening.resolve import from_screening
from schema.screening.types import NotEvaluatedRule, SuggestedReferral

from schema.context import Context

if TYPE_CHECKING:
    from schema.referrals.types import Referral


SECTORS = Relation.batched(lambda ctx: ctx.loaders.sectors, lambda case: str(case.id), list)


@strawberry.type(description="One entry of a case's append-only timeline")
class CaseEvent:
    at: datetime
    actor: str
    actor_role: str
    action: str
    from_status: CaseStatus | None
    to_status: CaseStatus | None
    note: str | None
    case_id: strawberry.ID
    cursor: str = strawberry.field(description="pass as `after` to Case.events for the entries that follow")

    @strawberry.field(description="who acted, for people: a partner agency's name where `actor` is its client id")
    async def actor_name(self, info: Info[Context, None]) -> str:
        return await info.context.actor_names.load(self.actor)

    @strawberry.field
    async def case(self, info: Info[Context, None]) -> Case | None:
        row = await info.context.loaders.case.load(str(self.case_id))
        return Case.from_row(row) if row else None

    @classmethod
    def from_row(cls, e: CaseEventRow) -> CaseEvent:
        return cls(at=e.at, actor=e.actor, actor_role=e.actor_role, action=e.action, from_status=e.from_status,
                   to_status=e.to_status, note=e.note, case_id=strawberry.ID(e.case_id),
                   cursor=encode_event_cursor(e))


@strawberry.federation.type(keys=["id"], description="A complaint (keluhan) and where it is in the SLRT flow")
class Case:
    id: strawberry.ID
    number: str
    channel: Channel
    status: CaseStatus
    priority: Priority
    complaint: str
    analysis_note: str | None
    recorded_by: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    resolved_at: datetime | None
    version: int
    village_code: strawberry.Private[str]
    household_id: strawberry.Private[str]

    @strawberry.field(metadata=SECTORS.metadata)
    def sectors(self, info: Info[Context, None]) -> list[Sector]:
        return SECTORS.resolve(self, info)

    @strawberry.field(metadata=plain())
    def village(self, info: Info[Context, None]) -> Area | None:
        area = info.context.hub.areas.get(self.village_code)
        return Area.from_info(area) if area else None

    @strawberry.field(metadata=HOUSEHOLD.metadata)
    def household(self, info: Info[Context, None]) -> Household | None:
        return HOUSEHOLD.resolve(self, info)

    @strawberry.field(description="the household members the complaint is about", metadata=SUBJECTS.metadata)
    def subjects(self, info: Info[Context, None]) -> list[Person]:
        return SUBJECTS.resolve(self, info)

    @strawberry.field(description="the timeline, oldest first, in pages: at most `first` (up to "
                                  f"{MAX_EVENTS_PAGE}) entries after the entry whose `cursor` is `after`")
    async def events(self, info: Info[Context, None], first: int = MAX_EVENTS_PAGE,
                     after: str | None = None) -> list[CaseEvent]:
        if not 0 <= first <= MAX_EVENTS_PAGE:
            raise InvalidArgument(f"first must be between 0 and {MAX_EVENTS_PAGE}", field=["events", "first"])
        after_id = None
        if after is not None and (after_id := decode_event_cursor(after)) is None:
            raise InvalidArgument("after is not a cursor of this timeline", field=["events", "after"])
        rows = await info.context.loaders.events.load((str(self.id), first, after_id))
        return [CaseEvent.from_row(e) for e in rows]

    @strawberry.field(permission_classes=[requires(Scope.CASE_APPROVE, Scope.CASE_REVIEW)],
                      description="the intake named a KK number or NIK registered in another area: the case shows the "
                                  "family card as declared until confirmHouseholdMove (supervisors and the front "
                                  "office only: to the recorder it would reveal that the number exists elsewhere)")
    async def pending_household_move(self, info: Info[Context, None]) -> bool:
        household = await info.context.loaders.household.load(self.household_id)
        members = await info.context.loaders.members.load(self.household_id)
        return bool(household and household.pending_move) or any(m.pending_move for m in members)

    @strawberry.field(description="the case's referrals to sector programmes, oldest first")
    async def referrals(self, info: Info[Context, None]) -> list[Annotated[Referral, strawberry.lazy("schema.referrals.types")]]:
        from schema.referrals.types import Referral

        return [Referral.from_row(r) for r in await info.context.referral_loaders.by_case.load(str(self.id))]

    @strawberry.field(description="other open cases about a same person in a same sector")
    async def possible_duplicates(self, info: Info[Context, None]) -> list[Case]:
        return [Case.from_row(c) for c in await info.context.loaders.duplicates.load(str(self.id))]

    @strawberry.field(description="when the case should be resolved: submission plus the shortest SLA of its sectors")
    async def sla_due_at(self, info: Info[Context, None]) -> datetime | None:
        if self.submitted_at is None:
            return None
        targets = info.context.hub.settings.sla_days
        sectors = await info.context.loaders.sectors.load(str(self.id))
        days = [targets[s.value] for s in sectors if s.value in targets]
        return self.submitted_at + timedelta(days=min(days)) if days else None

    @strawberry.field(description="the workflow moves you may make on this case now (role, status, recorder "
                                  "and scope), e.g. [APPROVE, RETURN, REJECT, RESOLVE_LOCALLY] for a SUPERVISOR")
    def allowed_actions(self, info: Info[Context, None]) -> list[CaseAction]:  # type: ignore[valid-type]
        return actions_for(info.context.actor, self.status, self.recorded_by)

    @strawberry.field(description="programmes the needs screening suggests from the household's joined data "
                                  "(rules: hub/screening/rules.json or SLRT_SCREENING_RULES)", metadata=plain())
    def suggested_referrals(self, info: Info[Context, None]) -> list[SuggestedReferral]:
        # plain and synchronous once the screening's data is loaded (schema/screening/resolve.py)
        return from_screening(info, self.household_id,
                              lambda result: [SuggestedReferral.from_suggestion(s, info) for s in result.suggestions])

    @strawberry.field(description="screening rules not evaluated: a connector they read was down, or carries "
                                  "personal data the caller may not read; \"not evaluated\" is never \"no need\"",
                      metadata=plain())
    def screening_not_evaluated(self, info: Info[Context, None]) -> list[NotEvaluatedRule]:
        return from_screening(info, self.household_id,
                              lambda result: [NotEvaluatedRule.from_gap(n) for n in result.not_evaluated])

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> Case | None:
        if not info.context.actor.has(Scope.CASE_READ):
            raise Forbidden("this needs the case:read scope")
        row = await info.context.loaders.case.load(str(id))
        return cls.from_row(row) if row else None

    @classmethod
    def from_row(cls, c: CaseRecord | CaseRow) -> Case:
        return cls(id=strawberry.ID(c.id), number=c.number, channel=c.channel, status=c.status, priority=c.priority,
                   complaint=c.complaint, analysis_note=c.analysis_note, recorded_by=c.recorded_by,
                   created_at=c.created_at, updated_at=c.updated_at, submitted_at=c.submitted_at,
                   resolved_at=c.resolved_at, version=c.version, village_code=c.village_code,
                   household_id=c.household_id)


@strawberry.type
class CasePayload:
    case: Case | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def from_result(cls, result: CaseRow | Rejected | ForbiddenResult) -> CasePayload:
        if isinstance(result, ForbiddenResult):
            raise Forbidden(result.message)
        if isinstance(result, Rejected):
            return cls(errors=[UserError.from_domain(e) for e in result.errors])
        return cls(case=Case.from_row(result))


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class CaseEdge:
    cursor: str
    node: Case
