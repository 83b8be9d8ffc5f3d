"""``slrt-hub client add/list/revoke`` and ``slrt-hub keys rotate`` as real processes; a running
app picks a rotated key up without a restart and keeps accepting tokens of the old key."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.access.helpers import WHO, basic, header_of


def _cli(settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLRT_DATABASE_URL": settings.database_url, "SLRT_DATA_DIR": str(settings.data_dir)}
    return subprocess.run([sys.executable, "-m", "hub.cli", *args], check=False, env=env, capture_output=True, text=True,
                          timeout=120)


async def test_client_add_list_revoke_from_the_command_line(hub, client, settings):
    added = _cli(settings, "client", "add", "--name", "Dinas Sosial", "--role", "PARTNER", "--partner-id", "dinsos")
    assert added.returncode == 0, added.stderr
    lines = dict(line.split(":", 1) for line in added.stdout.strip().splitlines())
    client_id, secret = lines["client_id"].strip(), lines["client_secret"].strip()
    token = await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                              headers=basic(client_id, secret))
    assert token.status_code == 200, token.text
    listed = _cli(settings, "client", "list")
    assert client_id in listed.stdout and "active" in listed.stdout and secret not in listed.stdout
    assert _cli(settings, "client", "revoke", client_id).returncode == 0
    assert "revoked" in _cli(settings, "client", "list").stdout
    refused = await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                                headers=basic(client_id, secret))
    assert refused.json()["error"] == "invalid_client"
    assert _cli(settings, "client", "revoke", client_id).returncode != 0  # already revoked


async def test_bad_client_input_on_the_command_line_is_a_clear_error(hub, settings):
    done = _cli(settings, "client", "add", "--name", "x", "--role", "PARTNER")
    assert done.returncode != 0 and "partner_id" in done.stderr
    done = _cli(settings, "client", "add", "--name", "x", "--role", "ADMIN", "--scope", "root")
    assert done.returncode != 0 and "root" in done.stderr
    assert await hub.clients.list() == []


async def test_key_rotation_reaches_the_running_app_and_old_tokens_stay_valid(hub, client, settings):
    from auth.roles import Role

    old = hub.issuer.issue(subject="sup-1", role=Role.SUPERVISOR, area="3275")
    old_kid = header_of(old)["kid"]
    rotated = _cli(settings, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    new = hub.issuer.issue(subject="sup-1", role=Role.SUPERVISOR, area="3275")
    new_kid = header_of(new)["kid"]
    assert new_kid != old_kid and new_kid in rotated.stdout
    published = {k["kid"] for k in (await client.get("/oauth/jwks.json")).json()["keys"]}
    assert {old_kid, new_kid} <= published
    for token in (old, new):
        response = await client.post("/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
