"""Every model, imported in one place so that metadata (and Alembic) sees all tables."""

from hub.access.models import AuditRecord, OAuthClient
from hub.areas.models import Area
from hub.cases.models import Case, CaseEvent, CaseNumberSequence, CaseSector, CaseSubject
from hub.db.base import Base
from hub.delivery.models import DeliveryAttempt, DeliveryMessage
from hub.people.models import Household, Person
from hub.referrals.models import Partner, Programme, Referral, ReferralEscalation, ReferralHistory
from hub.statistics.models import CaseFact, ReferralFact, Rollup, SectorFact, StatisticsCalendar

__all__ = ["Area", "Base", "Case", "CaseEvent", "CaseNumberSequence", "CaseSector", "CaseSubject", "Household", "Person"]
__all__ += ["DeliveryAttempt", "DeliveryMessage", "Partner", "Programme", "Referral", "ReferralHistory"]
__all__ += ["AuditRecord", "OAuthClient", "ReferralEscalation"]
__all__ += ["CaseFact", "ReferralFact", "Rollup", "SectorFact", "StatisticsCalendar"]
