"""The README walkthrough, step by step from docs/examples/, against a real demo process:
record, submit, approve, review, refer, the demo partner works the referral, the case
resolves, statistics count it. Each step checks what the README says it returns."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hub.demo.people import synthetic_household
from hub.demo.seed import walkthrough_seed
from tests.demo.process import EXAMPLES, Demo, example, graphql, variables

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
JAKASAMPURNA = "3275021005"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    started = Demo(tmp_path_factory.mktemp("walkthrough")).start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def client(demo: Demo) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=30) as c:
        yield c


def test_every_example_file_is_in_the_readme_walkthrough() -> None:
    for path in sorted(EXAMPLES.iterdir()):
        assert f"docs/examples/{path.name}" in README, f"the README does not show {path.name}"


def test_the_walkthrough_family_is_a_synthetic_family_the_demo_left_for_it() -> None:
    family = synthetic_household(walkthrough_seed(JAKASAMPURNA, "Jakasampurna"), JAKASAMPURNA, members=4)
    household = variables("01-record-case.json")["input"]["household"]
    assert household["kkNumber"] == family.kk_number
    assert (household["address"], household["rt"], household["rw"]) == (family.address, family.rt, family.rw)
    assert [(m["nik"], m["name"], m["birthDate"], m["sex"], m["relationship"]) for m in household["members"]] == [
        (m.nik, m.name, m.birth_date.isoformat(), m.sex.value, m.relationship.value) for m in family.members]


def test_the_walkthrough_runs_from_intake_to_a_resolved_case(demo: Demo, client: httpx.Client) -> None:
    facilitator = demo.token("FACILITATOR", "32.75.02.1005")
    supervisor = demo.token("SUPERVISOR", "32.75.02")
    front_office = demo.token("FRONT_OFFICE", "32.75")
    back_office = demo.token("BACK_OFFICE", "32.75")

    # 1. record: a DRAFT case with a case number, in Jakasampurna, about Hendra
    recorded = graphql(client, facilitator, example("01-record-case.graphql"), variables("01-record-case.json"))
    payload = recorded["recordCase"]
    assert payload["errors"] == []
    case = payload["case"]
    assert case["status"] == "DRAFT" and re.fullmatch(r"SLRT-3275-\d{4}-\d{6}", case["number"])
    assert case["village"]["name"] == "Jakasampurna" and case["subjects"] == [{"name": "HENDRA SIREGAR"}]
    ids = {"CASE_ID": case["id"]}

    # 2. submit: SUBMITTED, with an SLA due date (14 days for HEALTH)
    submitted = graphql(client, facilitator, example("02-submit-case.graphql"), variables("02-submit-case.json", **ids))
    assert submitted["submitCase"]["case"]["status"] == "SUBMITTED"
    assert submitted["submitCase"]["case"]["slaDueAt"]

    # 3. approve
    approved = graphql(client, supervisor, example("03-approve-case.graphql"), variables("03-approve-case.json", **ids))
    assert approved["approveCase"] == {"case": {"number": case["number"], "status": "APPROVED"}, "errors": []}

    # 4. the joined graph, then review
    review_doc, review_vars = example("04-review-case.graphql"), variables("04-review-case.json", **ids)
    joined = graphql(client, front_office, review_doc, {"id": ids["CASE_ID"]}, operation="ReadCase")["case"]
    household = joined["household"]
    assert household["welfare"] == {"inDtsen": True, "decile": 1, "programmes": ["PKH", "BPNT"]}
    assert household["housing"] == {"habitable": False, "bspsYear": None}
    registry = {m["name"]: m["civilRegistry"] for m in household["members"]}
    assert registry["SITI SIREGAR"] is None  # not in the civil registry
    for name, record in registry.items():
        if record is not None:
            assert (record["nikMatch"], record["registeredName"], record["kkNumber"], record["village"]) == (
                "MATCH", name, household["kkNumber"], "JAKASAMPURNA")
    assert all(m["healthCoverage"] is None or m["healthCoverage"]["active"] is False for m in household["members"])
    suggested = {(s["programme"], s["rule"]) for s in joined["suggestedReferrals"]}
    assert {"PBI_JK", "ADMINDUK", "BSPS_RTLH"} <= {programme for programme, _ in suggested}
    reviewed = graphql(client, front_office, review_doc, review_vars, operation="ReviewCase")["reviewCase"]
    assert reviewed == {"case": {"number": case["number"], "status": "REVIEWED", "priority": "HIGH",
                                 "sectors": ["HEALTH"]}, "errors": []}

    # 5. refer to PBI_JK: the referral is REQUESTED, the case REFERRED
    referred = graphql(client, back_office, example("05-refer-case.graphql"), variables("05-refer-case.json", **ids))
    referral = referred["createReferral"]["referral"]
    assert referred["createReferral"]["errors"] == []
    assert referral["status"] == "REQUESTED" and referral["case"] == {"status": "REFERRED"}
    assert referral["programme"]["code"] == "PBI_JK"
    ids["REFERRAL_ID"] = referral["id"]

    # 6. the demo's Dinas Kesehatan accepts, starts and completes it (a few seconds apart)
    followed = _until_completed(client, back_office, variables("06-follow-referral.json", **ids))
    assert followed["deliveryState"] == "DELIVERED"
    assert followed["partnerReference"] and followed["outcome"]
    assert [h["toStatus"] for h in followed["history"]] == ["REQUESTED", "ACCEPTED", "IN_PROGRESS", "COMPLETED"]
    partner_steps = followed["history"][1:]
    assert {h["actorName"] for h in partner_steps} == {"Dinas Kesehatan Kota Bekasi"}
    assert all(h["actor"] != h["actorName"] for h in partner_steps)  # the client id stays available
    assert followed["case"] == {"number": case["number"], "status": "RESOLVED"}

    # 7. the timeline: the partner's steps under its name, then the automatic resolution
    timeline = graphql(client, back_office, example("07-case-timeline.graphql"),
                       variables("07-case-timeline.json", **ids))["case"]
    assert timeline["status"] == "RESOLVED"
    events = timeline["events"]
    assert [e["toStatus"] for e in events][:5] == ["DRAFT", "SUBMITTED", "APPROVED", "REVIEWED", "REFERRED"]
    assert events[-1]["toStatus"] == "RESOLVED"
    assert "Dinas Kesehatan Kota Bekasi" in {e["actorName"] for e in events}

    # 8. statistics of the district count the resolved case
    stats = graphql(client, supervisor, example("08-statistics.graphql"))["statistics"]
    by_status = {c["key"]: c["count"] for c in stats["byStatus"]}
    assert stats["total"] == sum(by_status.values()) and stats["resolved"] >= 1
    assert by_status.get("RESOLVED", 0) >= 1
    assert {"partner": "Dinas Kesehatan Kota Bekasi", "status": "COMPLETED", "count": 1} in stats["referralsByPartner"]


def _until_completed(client: httpx.Client, token: str, values: dict[str, str]) -> dict:  # type: ignore[type-arg]
    """Step 6 as a person does it: run the query again until the partner has completed it."""
    for _ in range(600):  # a bound only, so a stuck loop fails: about a minute of polling
        referral = graphql(client, token, example("06-follow-referral.graphql"), values)["referral"]
        if referral["status"] == "COMPLETED" and referral["case"]["status"] == "RESOLVED":
            return dict(referral)
        time.sleep(0.1)
    raise AssertionError(f"the demo partner did not complete the referral: {referral}")
