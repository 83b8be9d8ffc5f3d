"""The sweep's world: one victim area with a case at every step of the workflow, a referral,
a family, a household move and audit rows, beside what other areas and another partner own.

Everything is made over HTTP through the real app, by the roles that do it in SLRT. The
victim's numbers have never-seen twins of the same shape (same region, birth date and sex,
another serial) so that an answer about the victim can be compared with the answer about
nobody.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select, update

from auth.principal import Actor
from auth.roles import Role
from auth.verifier import TokenVerifier
from hub.container import Hub
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.people.models import Household, Person
from tests.cases.flow import ROUTES, document
from tests.cases.helpers import RECORD, record_input
from tests.referrals.scenario import CREATE, REGISTER, UPDATE, partner_input

VICTIM_VILLAGE = "3275121001"  # Jatirahayu, district 327512 (Pondokmelati)
VICTIM_DISTRICT = VICTIM_VILLAGE[:6]
MOVED_FROM = "3275011002"  # Margahayu (327501): where the moving family is registered
VICTIM_RECORDER = "fasilitator-korban-jatirahayu"
VICTIM_PROGRAMME = "PBI_JK"
OTHER_PROGRAMME = "PIP"


@dataclass(frozen=True)
class Attacker:
    """A caller of another area, or another partner, and the village it may record in."""

    role: Role
    area: str | None
    own_village: str | None = None
    partner: bool = False  # a PARTNER of the other partner (its id is known once registered)


ATTACKERS: dict[str, Attacker] = {
    "FACILITATOR of another district": Attacker(Role.FACILITATOR, "3275021005", "3275021005"),
    "PUSKESOS_OPERATOR of another village of the district": Attacker(
        Role.PUSKESOS_OPERATOR, "3275121002", "3275121002"),
    "SUPERVISOR of another district": Attacker(Role.SUPERVISOR, "327502", "3275021005"),
    "FRONT_OFFICE of another regency": Attacker(Role.FRONT_OFFICE, "3276"),
    "BACK_OFFICE of another regency": Attacker(Role.BACK_OFFICE, "3276"),
    "PARTNER of another partner": Attacker(Role.PARTNER, None, partner=True),
    "AUDITOR of another district": Attacker(Role.AUDITOR, "327502"),
}

# Kinds of value an argument can point at. Secret kinds have a never-seen twin; public ones
# (area codes, programme codes) are the same in both worlds: they are published anyway.
SECRET_KINDS = ("case_id", "case_number", "referral_id", "partner_id", "kk", "nik", "identity_number",
                "head_nik", "members", "idempotency_key", "complaint_words")


class Caller:
    """One token against the served app; answers are (HTTP status, JSON body)."""

    def __init__(self, client: httpx.AsyncClient, token: str, verifier: TokenVerifier) -> None:
        self.client, self.token, self._verifier = client, token, verifier

    async def actor(self) -> Actor:
        """The caller as the hub sees it (the hub's own verifier reads the token)."""
        return await self._verifier.verify(self.token)

    async def post(self, query: str, variables: dict[str, Any]) -> tuple[int, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables},
                                          headers={"authorization": f"Bearer {self.token}"})
        return response.status_code, response.json()

    async def ok(self, query: str, **variables: Any) -> dict[str, Any]:
        status, body = await self.post(query, variables)
        assert status == 200 and "errors" not in body, body
        for payload in body["data"].values():
            assert not (isinstance(payload, dict) and payload.get("errors")), body
        return body["data"]


def _twin(number: str) -> str:
    """The same region, date and sex, a serial in 8xxx (synthetic people use 9xxx)."""
    assert number[12] == "9", number
    return number[:12] + "8" + number[13:]


def _family(seed: int, village: str, names: str) -> dict[str, Any]:
    value = record_input(seed, village)
    for i, member in enumerate(value["household"]["members"]):
        member["name"] = f"{names} {i + 1}"  # distinctive: found by the secret scan wherever it leaks
    return value


@dataclass
class World:
    hub: Hub
    client: httpx.AsyncClient
    partner_ids: dict[str, str] = field(default_factory=dict)
    client_ids: dict[str, str] = field(default_factory=dict)
    victim: dict[str, list[Any]] = field(default_factory=dict)
    phantom: dict[str, list[Any]] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    family: dict[str, Any] = field(default_factory=dict)
    record_ids: set[str] = field(default_factory=set)  # the victim's rows: no new row may point at one

    def caller(self, role: Role, area: str | None = None, sub: str | None = None,
               partner: str | None = None) -> Caller:
        token = self.hub.issuer.issue(subject=sub or f"{role.value.lower()}-{area or partner or 'all'}", role=role,
                                      area=area, partner_id=self.partner_ids.get(partner or ""))
        return Caller(self.client, token, self.hub.verifier)

    def worlds(self, name: str) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """The victim's values and their twins as this attacker uses them: an intake is tried in
        the victim's village and in the attacker's own."""
        own = ATTACKERS[name].own_village
        villages = [VICTIM_VILLAGE, own] if own else [VICTIM_VILLAGE]
        return {**self.victim, "village": villages}, {**self.phantom, "village": villages}

    def attacker(self, name: str) -> Caller:
        a = ATTACKERS[name]
        return self.caller(a.role, a.area, sub=f"sweep-{a.role.value.lower()}-{a.area or 'mitra-b'}",
                           partner="B" if a.partner else None)

    async def prepare_others(self) -> None:
        """Partners A (the victim's referrals go there) and B, and what other areas hold."""
        admin = self.caller(Role.ADMIN)
        for key, name, code, sector in (("A", "Dinas Kesehatan Korban", VICTIM_PROGRAMME, "HEALTH"),
                                        ("B", "Dinas Pendidikan Lain", OTHER_PROGRAMME, "EDUCATION")):
            value = partner_input(name, f"http://127.0.0.1:9/webhooks/{key.lower()}", (code,))
            value["sectors"] = [sector]
            value["programmes"][0]["sector"] = sector
            got = (await admin.ok(REGISTER, input=value))["registerPartner"]
            self.partner_ids[key], self.client_ids[key] = got["partner"]["id"], got["clientId"]
            if key == "A":
                self.secrets |= {got["partner"]["webhookUrl"], got["clientId"]}
        # the attackers' own areas are not empty: a case in each, one referred to partner B
        own = await self._record(record_input(41, "3275021005"), "3275021005", "fasilitator-sendiri")
        await self._walk(own, "REVIEWED", "3275021005", "fasilitator-sendiri", sectors=["EDUCATION"])
        await self.caller(Role.BACK_OFFICE, "3275").ok(CREATE, input={
            "caseId": own, "programmeCode": OTHER_PROGRAMME, "reason": "anak putus sekolah"})
        await self._record(record_input(42, "3275121002"), "3275121002", "puskesos-sendiri")

    def plan_victim(self) -> None:
        """The victim's numbers and their twins, known before anything of the victim exists
        (case and referral ids come with `seed_victim`)."""
        family = _family(51, VICTIM_VILLAGE, "KORBAN SAPU")
        niks = [m["nik"] for m in family["household"]["members"]]
        kk = family["household"]["kkNumber"]
        # an intake naming the family: its numbers, birth dates and sex, names of the caller's own
        members = [{**m, "name": f"ANGGOTA {i + 1}"} for i, m in enumerate(family["household"]["members"])]
        self.family = family
        self.victim = {
            "partner_id": [self.partner_ids["A"]], "kk": [kk], "nik": niks, "identity_number": [*niks, kk],
            "head_nik": niks[:1], "members": [members], "idempotency_key": ["kunci-korban-0"],
            "complaint_words": ["rahasia korban sapu"],
            "area": [VICTIM_DISTRICT], "village": [VICTIM_VILLAGE], "programme_code": [VICTIM_PROGRAMME],
        }
        self.phantom = {
            **self.victim, "case_id": [str(uuid.uuid4())], "case_number": ["SLRT-3275-2000-999999"],
            "referral_id": [str(uuid.uuid4())], "partner_id": [str(uuid.uuid4())], "kk": [_twin(kk)],
            "nik": [_twin(n) for n in niks], "identity_number": [_twin(n) for n in [*niks, kk]],
            "head_nik": [_twin(niks[0])], "idempotency_key": ["kunci-tak-pernah-dipakai"],
            "members": [[{**m, "nik": _twin(m["nik"])} for m in members]],
            "complaint_words": ["keluhan yang tidak pernah ada"],
        }

    async def seed_victim(self) -> None:
        """Cases DRAFT, SUBMITTED, APPROVED, REVIEWED and REFERRED (its referral ACCEPTED by
        partner A, its webhook DEAD) about one family, a move waiting for confirmation, and a
        clear read by the regency's front office."""
        cases: list[str] = []
        for i, status in enumerate(("DRAFT", "SUBMITTED", "APPROVED", "REVIEWED", "REVIEWED")):
            value = copy.deepcopy(self.family)
            value["complaint"] = f"Keluhan rahasia korban sapu nomor {i}"
            self.secrets.add(value["complaint"])
            case = await self._record(value, VICTIM_VILLAGE, VICTIM_RECORDER, key=f"kunci-korban-{i}")
            await self._walk(case, status, VICTIM_VILLAGE, VICTIM_RECORDER)
            cases.append(case)
        back = self.caller(Role.BACK_OFFICE, "3275", sub="back-office-korban")
        referral = (await back.ok(CREATE, input={"caseId": cases[-1], "programmeCode": VICTIM_PROGRAMME,
                                                 "reason": "tidak punya JKN"}))["createReferral"]["referral"]["id"]
        partner_a = self.caller(Role.PARTNER, sub=self.client_ids["A"], partner="A")
        await partner_a.ok(UPDATE, input={"id": referral, "status": "ACCEPTED", "partnerReference": "RAHASIA-A-1"})
        async with self.hub.sessions() as s, s.begin():  # its webhook never arrived: redeliverable
            await s.execute(update(DeliveryMessage).where(DeliveryMessage.referral_id == referral)
                            .values(state=DeliveryState.DEAD))
        cases.append(await self._moved_family_case())
        await self.caller(Role.FRONT_OFFICE, "3275", sub="front-office-korban").ok(
            "query($id: ID!) { case(id: $id) { household { kkNumber members { nik } } } }", id=cases[4])
        supervisor = self.caller(Role.SUPERVISOR, VICTIM_DISTRICT)
        numbers = [(await supervisor.ok("query($id: ID!) { case(id: $id) { number } }", id=c))["case"]["number"]
                   for c in cases]
        self.victim.update(case_id=cases, case_number=numbers, referral_id=[referral])
        self.phantom["case_number"] = [_unused_number(numbers)]
        await self._collect_secrets()

    async def _moved_family_case(self) -> str:
        """A family registered in another district, declared again in the victim's village: a
        move only the victim area's supervisor may confirm."""
        registered = _family(52, MOVED_FROM, "KORBAN PINDAH")
        await self._record(registered, MOVED_FROM, "fasilitator-margahayu")
        declared = copy.deepcopy(registered)
        declared["villageCode"] = VICTIM_VILLAGE
        declared["complaint"] = "Keluhan rahasia korban sapu yang pindah"
        self.secrets.add(declared["complaint"])
        case = await self._record(declared, VICTIM_VILLAGE, VICTIM_RECORDER)
        await self._walk(case, "SUBMITTED", VICTIM_VILLAGE, VICTIM_RECORDER)
        return case

    async def _record(self, value: dict[str, Any], village: str, sub: str, key: str | None = None) -> str:
        got = await self.caller(Role.FACILITATOR, village, sub=sub).ok(RECORD, input=value, key=key)
        return str(got["recordCase"]["case"]["id"])

    async def _walk(self, case_id: str, status: str, village: str, recorder: str,
                    sectors: list[str] | None = None) -> None:
        areas = {Role.FACILITATOR: village, Role.SUPERVISOR: village[:6], Role.FRONT_OFFICE: "3275"}
        for mutation, role, args in ROUTES[status]:
            args = copy.deepcopy(args)
            if mutation == "reviewCase" and sectors:
                args["input"]["sectors"] = sectors
            sub = recorder if role is Role.FACILITATOR else None
            await self.caller(role, areas[role], sub=sub).ok(document(mutation, args), id=case_id, **args)

    async def _collect_secrets(self) -> None:
        """Every number, id and name of the victim area (and of the moving family's first home)."""
        for kind in ("case_id", "case_number", "referral_id", "kk", "nik"):
            self.secrets |= set(self.victim[kind])
        async with self.hub.sessions() as s:
            households = (await s.scalars(select(Household).where(
                Household.village_code.in_([VICTIM_VILLAGE, MOVED_FROM])))).all()
            people = (await s.scalars(select(Person).where(
                Person.household_id.in_([h.id for h in households])))).all()
        self.record_ids = {*self.victim["case_id"], *self.victim["referral_id"],
                           *(h.id for h in households), *(p.id for p in people)}
        self.secrets |= {h.id for h in households} | {h.kk_number for h in households}
        self.secrets |= {p.id for p in people} | {p.nik for p in people} | {p.name for p in people}
        self.secrets |= {VICTIM_RECORDER, "RAHASIA-A-1"}
        twins = {str(v) for k in SECRET_KINDS for v in _flat(self.phantom[k])}
        assert not twins & self.secrets, "a twin is not new"


def _unused_number(numbers: list[str]) -> str:
    prefix, _, serial = numbers[0].rpartition("-")
    return f"{prefix}-{'9' * len(serial)}"


def _flat(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _flat(v)]
    if isinstance(value, list):
        return [x for v in value for x in _flat(v)]
    return [value]
