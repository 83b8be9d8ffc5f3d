"""The running hub: settings, database, area directory, services and token handling."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from joserfc.jwk import KeySet
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from auth.issuer import TokenIssuer
from auth.jwks import RemoteJwks
from auth.keys import KeyStore
from auth.refusals import BUILTIN_ISSUER, EXTERNAL_ISSUER
from auth.verifier import ClaimNames, TokenVerifier
from connectors.sdk import ConnectorSettings, log_call
from hub.access.audit import AuditLog
from hub.access.clients import ClientRegistry
from hub.access.revocations import RevocationList
from hub.areas.directory import AreaDirectory
from hub.cases.queries import CaseReader
from hub.cases.service import CaseService
from hub.db.driver_reads import DriverReads
from hub.db.engine import create_engine, create_read_session_factory, create_session_factory
from hub.people.queries import PeopleReader
from hub.referrals.escalation import EscalationService
from hub.referrals.partners import PartnerService
from hub.referrals.targets import Targets
from hub.referrals.queries import ReferralReader
from hub.referrals.service import ReferralService
from hub.events.bus import EventBus
from hub.http.connectors import ConnectorClass, ConnectorRegistry
from hub.observability import metrics, tracing
from hub.screening import Screening, load_rules
from hub.settings import Settings
from hub.statistics.service import StatisticsService


@dataclass
class Hub:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    areas: AreaDirectory
    cases: CaseService
    case_reader: CaseReader
    people: PeopleReader
    keys: KeyStore
    issuer: TokenIssuer
    verifier: TokenVerifier
    clients: ClientRegistry
    audit: AuditLog
    jwks: RemoteJwks | None  # the external identity provider's keys, when one is set
    referrals: ReferralService
    referral_reader: ReferralReader
    partners: PartnerService
    events: EventBus
    connectors: ConnectorRegistry  # sector systems: runtimes sharing one HTTP session
    screening: Screening  # needs-screening rules ($SLRT_SCREENING_RULES or the packaged ones)
    statistics: StatisticsService
    escalations: EscalationService  # referrals past their targets (hub/referrals/escalation.py)
    revocations: RevocationList  # revoked clients and disabled partners, reloaded every few seconds

    @classmethod
    async def start(cls, settings: Settings, engine: AsyncEngine | None = None, *,
                    connectors: Mapping[str, ConnectorClass] | None = None,
                    connector_settings: Mapping[str, ConnectorSettings] | None = None) -> Hub:
        """Start the hub. Connectors are discovered (entry points) unless given; a broken
        one or broken screening rules stop start-up here, naming what is wrong."""
        screening = Screening(load_rules())
        registry = await ConnectorRegistry.start(connectors, connector_settings,
                                                 hooks=(log_call, metrics.observe_connector_call),
                                                 on_breaker_change=metrics.observe_breaker)
        for name, runtime in registry.runtimes.items():  # every breaker shows from the first scrape
            metrics.observe_breaker(name, runtime.breaker.state)
        engine = engine or create_engine(settings.database_url)
        tracing.instrument_engine(engine)  # SQL spans, when tracing is on
        sessions = create_session_factory(engine)
        reads = create_read_session_factory(engine)  # one statement per read: CaseReader, PeopleReader
        async with sessions() as session:
            areas = await AreaDirectory.load(session)
        keys = KeyStore(settings.data_dir / "keys")
        keys.ensure()
        issuer = TokenIssuer(keys, settings.issuer, settings.oauth_audience, settings.token_lifetime_seconds)

        async def builtin_keys(_kid: str | None) -> KeySet:
            return keys.public_keyset()

        # With an external identity provider its JWKS is the only source of trusted keys.
        jwks = (RemoteJwks(settings.oauth_jwks_url, cooldown=settings.oauth_jwks_cooldown_seconds,
                           max_age=settings.oauth_jwks_max_age_seconds) if settings.oauth_jwks_url else None)
        revocations = RevocationList(sessions, settings.revocation_check_seconds)
        verifier = TokenVerifier(jwks or builtin_keys, settings.issuer, settings.oauth_audience,
                                 ClaimNames(settings.oauth_roles_claim, settings.oauth_area_claim,
                                            settings.oauth_partner_claim),
                                 new_token=EXTERNAL_ISSUER if jwks else BUILTIN_ISSUER, revocations=revocations.check)
        events = EventBus(settings.database_url)
        await events.start()
        await revocations.reload()
        revocations.start(events)
        return cls(settings=settings, engine=engine, sessions=sessions, areas=areas, events=events,
                   connectors=registry, screening=screening, revocations=revocations,
                   statistics=StatisticsService(sessions, settings.sla_days, settings.timezone),
                   cases=CaseService(sessions, areas, settings.regency_code, events=events),
                   case_reader=CaseReader(reads, DriverReads(engine)), people=PeopleReader(reads),
                   keys=keys, issuer=issuer, verifier=verifier,
                   clients=ClientRegistry(sessions, events), audit=AuditLog(sessions), jwks=jwks,
                   **_referral_services(settings, sessions, events, areas))

    async def close(self) -> None:
        await self.revocations.close()
        await self.connectors.close()
        await self.events.close()
        if self.jwks is not None:
            await self.jwks.close()
        await self.engine.dispose()


def _referral_services(settings: Settings, sessions: async_sessionmaker[AsyncSession], events: EventBus,
                       areas: AreaDirectory) -> dict[str, object]:
    return {
        "referrals": ReferralService(sessions, areas, settings.public_url, events=events,
                                     status_changes_per_hour=settings.referral_status_changes_per_hour),
        "referral_reader": ReferralReader(sessions),
        "escalations": EscalationService(sessions, Targets(settings.referral_acknowledge_days,
                                                           settings.referral_completion_days), events),
        "partners": PartnerService(sessions, ClientRegistry(sessions, events), events=events,
                                   allow_private=settings.allow_private_webhooks,
                                   grace=timedelta(hours=settings.partner_secret_grace_hours)),
    }
