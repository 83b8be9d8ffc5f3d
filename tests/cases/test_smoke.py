from auth.roles import Role
from tests.cases.helpers import RECORD, VILLAGE_A, record_input


async def test_facilitator_records_a_case_with_a_number_and_an_event(as_role):
    api = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-1")
    result = await api(RECORD, input=record_input())
    payload = result["data"]["recordCase"]
    assert payload["errors"] == []
    case = payload["case"]
    assert case["status"] == "DRAFT"
    assert case["number"].startswith("SLRT-3275-")
    assert [e["action"] for e in case["events"]] == ["RECORD"]
