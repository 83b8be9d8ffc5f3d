import json
from auth.roles import Role
from tests.cases.helpers import RECORD, VILLAGE_A, record_input

def _inline(v):
    # GraphQL literal from a python value
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_inline(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_inline(x) for x in v) + "]"
    if isinstance(v, str) and v.isupper() and v.isalpha() or v in ("SPACE_TRAVEL",):
        return v
    return json.dumps(v)

async def test_probe(as_role, hub):
    api = as_role(Role.FACILITATOR, VILLAGE_A)
    value = record_input(5)
    value["sectors"] = ["HEALTH", "FOOD"]
    print(json.dumps(await api(RECORD, input=value), indent=1))
    q = "mutation { recordCase(input: %s) { case { id } errors { code field } } }" % _inline(value)
    print(json.dumps(await api(q), indent=1))
    value = record_input(5)
    value["household"]["members"][0]["birthDate"] = "2020-13-45"
    print(json.dumps(await api(RECORD, input=value), indent=1))
    q = "mutation { recordCase(input: %s) { case { id } errors { code field } } }" % _inline(value)
    print(json.dumps(await api(q), indent=1))
    print(json.dumps(await api("{ cases(first: \"x\") { totalCount } }"), indent=1))
    print(json.dumps(await api("{ cases(first: 2 { totalCount } }"), indent=1))
