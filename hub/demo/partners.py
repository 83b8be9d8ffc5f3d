"""Kota Bekasi's agencies (*Dinas*) and their programmes, registered as demo partners,
and a first batch of referrals so the demo shows the loop running."""

from __future__ import annotations

from dataclasses import dataclass

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.cases.models import Case
from hub.cases.status import CaseStatus
from hub.container import Hub
from hub.referrals.commands import CreateReferral, ProgrammeData, RegisterPartner
from hub.referrals.models import Referral
from hub.referrals.partners import PartnerCredentials
from hub.vocabulary import ProgrammeLevel as L
from hub.vocabulary import Sector as S


@dataclass(frozen=True, slots=True)
class Agency:
    slug: str
    name: str
    sectors: tuple[S, ...]
    programmes: tuple[ProgrammeData, ...]


def _p(code: str, name: str, sector: S, level: L) -> ProgrammeData:
    return ProgrammeData(code, name, sector, level)


AGENCIES = (
    Agency("dinsos", "Dinas Sosial Kota Bekasi", (S.SOCIAL_ASSISTANCE,), (
        _p("PKH", "Program Keluarga Harapan", S.SOCIAL_ASSISTANCE, L.NATIONAL),
        _p("BPNT", "Bantuan Pangan Non Tunai", S.SOCIAL_ASSISTANCE, L.NATIONAL),
        _p("DTSEN_USULAN", "Usulan masuk DTSEN (SIKS-NG)", S.SOCIAL_ASSISTANCE, L.NATIONAL))),
    Agency("dinkes", "Dinas Kesehatan Kota Bekasi", (S.HEALTH,), (
        _p("PBI_JK", "Penerima Bantuan Iuran Jaminan Kesehatan", S.HEALTH, L.NATIONAL),)),
    Agency("disdik", "Dinas Pendidikan Kota Bekasi", (S.EDUCATION,), (
        _p("PIP", "Program Indonesia Pintar", S.EDUCATION, L.NATIONAL),)),
    Agency("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil Kota Bekasi", (S.CIVIL_REGISTRATION,), (
        _p("ADMINDUK", "Layanan administrasi kependudukan (KTP, KK, akta)", S.CIVIL_REGISTRATION, L.REGENCY),)),
    Agency("disnaker", "Dinas Tenaga Kerja Kota Bekasi", (S.EMPLOYMENT,), (
        _p("PELATIHAN_KERJA", "Pelatihan kerja", S.EMPLOYMENT, L.REGENCY),)),
    Agency("perkim", "Dinas Perumahan dan Kawasan Permukiman Kota Bekasi", (S.HOUSING,), (
        _p("BSPS_RTLH", "Bantuan Stimulan Perumahan Swadaya (rumah tidak layak huni)", S.HOUSING, L.NATIONAL),)),
)

# The programme a demo case of each sector is referred to.
FIRST_CHOICE = {S.HEALTH: "PBI_JK", S.EDUCATION: "PIP", S.HOUSING: "BSPS_RTLH", S.CIVIL_REGISTRATION: "ADMINDUK",
                S.SOCIAL_ASSISTANCE: "BPNT", S.EMPLOYMENT: "PELATIHAN_KERJA"}

ADMIN = Actor("demo-admin", Role.ADMIN, DEFAULT_SCOPES[Role.ADMIN])
BACK_OFFICE = Actor("back-office-3275", Role.BACK_OFFICE, DEFAULT_SCOPES[Role.BACK_OFFICE], area="3275")


async def register_agencies(hub: Hub, url_for: dict[str, str]) -> dict[str, PartnerCredentials]:
    """Register every agency with its webhook URL; returns the once-shown credentials per slug."""
    out = {}
    for agency in AGENCIES:
        result = await hub.partners.register(ADMIN, RegisterPartner(agency.name, agency.sectors, url_for[agency.slug],
                                                                    agency.programmes))
        assert isinstance(result, PartnerCredentials), result
        out[agency.slug] = result
    return out


async def refer_some(hub: Hub, cases: list[Case], share: int = 2) -> list[Referral]:
    """Refer every ``share``-th REVIEWED demo case to its sector's programme; the rest wait for you."""
    reviewed = [c for c in cases if c.status is CaseStatus.REVIEWED]
    made = []
    sectors = await hub.case_reader.sectors([c.id for c in reviewed])
    for case in reviewed[::share]:
        for sector in sectors.get(case.id, []):
            if sector in FIRST_CHOICE:
                result = await hub.referrals.create(BACK_OFFICE, CreateReferral(
                    case.id, FIRST_CHOICE[sector], "Memenuhi kriteria hasil analisis front office"))
                assert isinstance(result, Referral), result
                made.append(result)
    return made
