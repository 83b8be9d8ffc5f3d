"""The hub's vocabulary as GraphQL enums (names and values as SPEC section 3 gives them)."""

from __future__ import annotations

import strawberry

from auth.roles import Role as _Role
from hub.cases.errors import ErrorCode as _ErrorCode
from hub.cases.status import CaseStatus as _CaseStatus
from hub.vocabulary import AreaLevel as _AreaLevel
from hub.vocabulary import Channel as _Channel
from hub.vocabulary import Priority as _Priority
from hub.vocabulary import Relationship as _Relationship
from hub.vocabulary import Sector as _Sector
from hub.vocabulary import Sex as _Sex

Channel = strawberry.enum(_Channel, name="Channel")
Sector = strawberry.enum(_Sector, name="Sector")
Priority = strawberry.enum(_Priority, name="Priority")
Sex = strawberry.enum(_Sex, name="Sex")
Relationship = strawberry.enum(_Relationship, name="Relationship")
AreaLevel = strawberry.enum(_AreaLevel, name="AreaLevel")
CaseStatus = strawberry.enum(_CaseStatus, name="CaseStatus")
ErrorCode = strawberry.enum(_ErrorCode, name="ErrorCode")
Role = strawberry.enum(_Role, name="Role")
