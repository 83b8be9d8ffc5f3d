"""The deployment files the operators start from: the Keycloak realm and docker-compose.yml.

`docker-compose config -q` (in .ci/run) checks the compose syntax; these tests check what it
cannot: that the realm gives the hub what its verifier reads, and that every SLRT_ variable
the stack sets is one the hub knows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from auth.roles import AREA_LENGTHS, Role
from connectors.sdk.settings import ConnectorSettings
from hub.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def realm() -> dict[str, Any]:
    return dict(json.loads((ROOT / "deploy/keycloak/slrt-realm.json").read_text()))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def mappers(client: dict[str, Any]) -> dict[str, dict[str, Any]]:
    # Keyed by mapper type; user-attribute mappers (several per client) by type and claim.
    out = {}
    for m in client.get("protocolMappers", []):
        kind = m["protocolMapper"]
        if kind == "oidc-usermodel-attribute-mapper":
            kind = f"{kind}:{m['config']['claim.name']}"
        out[kind] = m["config"]
    return out


def test_the_realm_has_every_slrt_role(realm: dict[str, Any]) -> None:
    assert {r["name"] for r in realm["roles"]["realm"]} == {r.value for r in Role}


def test_a_demo_user_per_role_with_an_area_where_the_role_needs_one(realm: dict[str, Any]) -> None:
    people = [u for u in realm["users"] if "serviceAccountClientId" not in u]
    roles = {role for u in people for role in u["realmRoles"]}
    assert roles == {r.value for r in Role}  # PARTNER: a Dinas officer using the console's inbox
    for user in people:
        [role] = [Role(r) for r in user["realmRoles"]]
        if role is Role.PARTNER:
            [partner] = user["attributes"]["partner_id"]
            assert partner, user["username"]
        lengths = AREA_LENGTHS[role]
        if lengths is not None:
            [area] = user["attributes"]["area"]
            assert len(area) in lengths and area.isdigit(), user["username"]
        assert user["credentials"][0]["type"] == "password"


def test_the_area_attribute_is_declared_and_mapped_into_access_tokens(realm: dict[str, Any]) -> None:
    [profile] = realm["components"]["org.keycloak.userprofile.UserProfileProvider"]
    declared = json.loads(profile["config"]["kc.user.profile.config"][0])
    assert "area" in {a["name"] for a in declared["attributes"]}
    web = next(c for c in realm["clients"] if c["clientId"] == "slrt-web")
    area = mappers(web)["oidc-usermodel-attribute-mapper:area"]
    assert (area["user.attribute"], area["claim.name"], area["access.token.claim"]) == ("area", "area", "true")


def test_partner_users_get_their_partner_id_claim_from_an_attribute(realm: dict[str, Any]) -> None:
    [profile] = realm["components"]["org.keycloak.userprofile.UserProfileProvider"]
    declared = {a["name"]: a for a in json.loads(profile["config"]["kc.user.profile.config"][0])["attributes"]}
    assert declared["partner_id"]["permissions"]["edit"] == ["admin"]  # a user cannot choose its agency
    web = next(c for c in realm["clients"] if c["clientId"] == "slrt-web")
    claim = mappers(web)["oidc-usermodel-attribute-mapper:partner_id"]
    assert (claim["user.attribute"], claim["claim.name"], claim["access.token.claim"]) == (
        "partner_id", Settings().oauth_partner_claim, "true")


def test_every_client_issues_at_jwt_tokens_for_the_hub_audience(realm: dict[str, Any]) -> None:
    for client in realm["clients"]:
        assert client["attributes"]["access.token.header.type.rfc9068"] == "true", client["clientId"]
        assert mappers(client)["oidc-audience-mapper"]["included.custom.audience"] == Settings().oauth_audience


def test_the_partner_client_uses_client_credentials_and_carries_its_partner_id(realm: dict[str, Any]) -> None:
    partner = next(c for c in realm["clients"] if c.get("serviceAccountsEnabled") is True)
    assert not partner["publicClient"] and not partner["standardFlowEnabled"]
    claim = mappers(partner)["oidc-hardcoded-claim-mapper"]
    assert claim["claim.name"] == "partner_id" and claim["claim.value"]
    account = next(u for u in realm["users"] if u.get("serviceAccountClientId") == partner["clientId"])
    assert account["realmRoles"] == [Role.PARTNER.value]


def test_compose_runs_every_part_and_migrates_before_the_hub(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"hub", "worker", "postgres", "keycloak", "simulators", "migrate"} <= services.keys()
    assert services["migrate"]["command"] == ["db", "upgrade"]
    for name in ("hub", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["postgres"]["healthcheck"]["test"]
    assert "postgres-data" in compose["volumes"]
    realm_file = "./deploy/keycloak/slrt-realm.json"
    assert any(v.startswith(realm_file) for v in services["keycloak"]["volumes"])


def test_every_slrt_variable_in_compose_is_a_real_setting(compose: dict[str, Any]) -> None:
    hub_names = {f"SLRT_{name.upper()}" for name in Settings.model_fields}
    connector_fields = {name.upper() for name in ConnectorSettings.model_fields}
    for service in compose["services"].values():
        for variable in (service.get("environment") or {}):
            if variable.startswith("SLRT_CONNECTOR_"):
                assert any(variable.endswith("_" + f) for f in connector_fields), variable
            elif variable.startswith("SLRT_"):
                assert variable in hub_names, variable


def test_the_compose_settings_pass_the_production_checks(compose: dict[str, Any]) -> None:
    env = {k: v for k, v in compose["services"]["hub"]["environment"].items() if not k.startswith("SLRT_CONNECTOR_")}
    values = {k.removeprefix("SLRT_").lower(): str(v).replace("${POSTGRES_PASSWORD:-slrt-change-me}", "x")
              for k, v in env.items()}
    s = Settings(**values)
    assert s.environment == "production" and s.oauth_roles_claim == "realm_access.roles"
